#!/bin/sh
# The VM's job, run as root in the host's file tree (read-only; /tmp is the VM's): the
# module's own Python suite, then kbus-agent serving a freshly loaded module to the host's
# conformance suite; or, with LAB_RUN set, that command with the module loaded. /tmp/lab is
# the job share: it receives the stage times and the agent's readiness, gives the host's
# word that its suite is done, and init writes the exit code there.
set -u
GUEST=$LAB_PROJECT/lab/guest
cd "$LAB_PROJECT" || exit 125

# Loads the module with three devices and waits (bounded) for their nodes to be usable.
load_module() {
  insmod "$LAB_MODULE" kbus_num_devices=3 || { echo "lab-vm: insmod $LAB_MODULE failed"; return 1; }
  tries=0
  for n in 0 1 2; do
    until [ "$(stat -c %a /dev/kbus$n 2>/dev/null)" = 666 ]; do
      tries=$((tries + 1))
      [ $tries -le 100 ] || { echo "lab-vm: /dev/kbus$n did not appear with mode 0666"; return 1; }
      sleep 0.1
    done
  done
}

# Runs "$@" and records its wall time under the name $1.
timed() {
  name=$1
  shift
  t0=$(date +%s%N)
  "$@"
  rc=$?
  echo "$name $((($(date +%s%N) - t0) / 1000000)) $rc" >>/tmp/lab/times
  return $rc
}

if [ -n "$LAB_RUN" ]; then
  load_module || exit 125
  sh -c "$LAB_RUN"
  exit $?
fi

# Serves the loaded module on the virtio-serial port named LAB_AGENT_PORT until the host's suite
# is done: the suite runs on the host, at native speed; only the system calls are emulated.
serve_agent() {
  port=
  for d in /sys/class/virtio-ports/*; do
    [ "$(cat "$d/name" 2>/dev/null)" = "$LAB_AGENT_PORT" ] && port=/dev/${d##*/}
  done
  [ -n "$port" ] || { echo "lab-vm: no virtio-serial port named $LAB_AGENT_PORT"; return 1; }
  "$LAB_AGENT" --serve "$port" --device /dev/kbus0 &
  agent=$!
  touch /tmp/lab/agent-ready
  # The host's time limit on the VM bounds this wait.
  until [ -f /tmp/lab/host-done ]; do
    kill -0 $agent 2>/dev/null || { echo "lab-vm: kbus-agent stopped before the host's suite was done"; return 1; }
    sleep 1
  done
  kill $agent
}

timed python-suite sh "$GUEST/python-suite.sh"
python=$?
load_module || exit 125
serve_agent || exit 125
exit $python
