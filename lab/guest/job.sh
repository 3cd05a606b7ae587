#!/bin/sh
# The VM's job, run as root in the host's file tree (read-only; /tmp is the VM's): the
# module's own Python suite, then the conformance suite on a freshly loaded module; or, with
# LAB_RUN set, that command with the module loaded. /tmp/lab is the job share: it receives
# the stage times, and init writes the exit code there.
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

timed python-suite sh "$GUEST/python-suite.sh"
python=$?
load_module || exit 125
timed conformance-suite sh "$GUEST/suite.sh"
suite=$?
[ $python -eq 0 ] && [ $suite -eq 0 ]
