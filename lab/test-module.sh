#!/usr/bin/env bash
# The module lab: the original KBUS module, built for Debian's 6.1 kernel, loaded in a
# throw-away qemu VM (TCG), with the conformance suite and the module's own Python suite run
# against it. Everything it needs is installed or downloaded here, and cached, so a fresh CI
# machine needs nothing but this script and a second run only boots.
#
#   npm run test:module                  both suites; reports under reports/
#   npm run test:module -- --run 'CMD'   CMD (run by sh in the project root) instead, with the
#                                        module loaded; its exit code is the lab's
#
# Environment: KBUS_SRC (module sources; default ../shared/kbus/original/kbus),
# KBUS_LAB_CACHE (default .lab-cache), KBUS_LAB_KERNEL (a Debian ABI such as 6.1.0-57;
# default the one cached, else Debian's current), KBUS_LAB_TIMEOUT (seconds the VM may run;
# default 3600).
set -euo pipefail

LAB=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(dirname "$LAB")
CACHE=${KBUS_LAB_CACHE:-$ROOT/.lab-cache}
KBUS_SRC=${KBUS_SRC:-$ROOT/../shared/kbus/original/kbus}
VM_TIMEOUT=${KBUS_LAB_TIMEOUT:-3600}

source "$LAB/lib.sh"

run_cmd=
while [ $# -gt 0 ]; do
  case "$1" in
    --run) [ $# -ge 2 ] || die "--run needs a command"; run_cmd=$2; shift 2 ;;
    -h|--help) sed -n '2,/^set -euo/p' "$0" | sed -e '$d' -e 's/^# \{0,1\}//'; exit 0 ;;
    *) die "unknown argument: $1 (see lab/test-module.sh --help)" ;;
  esac
done

[ -f "$KBUS_SRC/kbus_main.c" ] || die "no KBUS module sources at $KBUS_SRC (set KBUS_SRC to a checkout of kynesim/kbus's kbus/ folder)"
[ -f "$ROOT/dist/cli/main.js" ] || die "the project is not built: run npm run build first"
KBUS_SRC=$(cd "$KBUS_SRC" && pwd)
mkdir -p "$CACHE"
CACHE=$(cd "$CACHE" && pwd)

started=$(date +%s)
stage "installing Debian packages" install_host_packages
resolve_kernel
resolve_module
resolve_initramfs
resolve_agent
JOB_DIR=$CACHE/job
stage "fetching Debian's 6.1 kernel" fetch_kernel
stage "building the KBUS module" build_module
stage "building the initramfs" build_initramfs
stage "building kbus-agent" build_agent
stage "preparing the VM's job" prepare_job "$run_cmd"
echo "lab: ready in $(( $(date +%s) - started )) s (kernel $KERNEL_RELEASE); booting the VM"
if [ -n "$run_cmd" ]; then
  boot_vm
  report_job "$run_cmd"
  echo "lab: passed"
  exit 0
fi
start_vm
# Ctrl-C or a failure here must not leave the VM running.
trap 'kill "$VM_PID" 2>/dev/null || true' EXIT
wait_for_agent
suite=0
run_host_suite || suite=$?
wait_vm
trap - EXIT
report_job ""
[ "$suite" -eq 0 ] || die "the conformance suite failed on the module (reports are under $ROOT/reports)"
echo "lab: passed in $(( $(date +%s) - started )) s"
