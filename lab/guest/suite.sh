#!/bin/sh
# The conformance suite against the loaded module (/dev/kbus0..2), by Node in the VM. One step
# of its own so that a run from the host through an agent in the VM can take its place.
cd "$LAB_PROJECT" || exit 125
# Emulation (TCG) makes every step many times slower than on a real machine.
export KBUS_STEP_TIMEOUT_MS="${KBUS_STEP_TIMEOUT_MS:-120000}"
export KBUS_OPERATION_TIMEOUT_MS="${KBUS_OPERATION_TIMEOUT_MS:-30000}"

suite() {
  node bin/kbus-conformance.js \
    --device /dev/kbus0 \
    --adapter-option secondDevice=/dev/kbus1 \
    --adapter-option allowNewDevice=true \
    --adapter-option freshDevices=true \
    --known-deviations adapters/kernel/known-deviations/original-module.txt \
    "$@"
}

# ALL-05 oopses the module (see original-module.txt), so it is left out by tag here.
# TODO(known-deviations not-run:) once the deviations file can say `not-run: ALL-05 -- ...`,
# drop `not @ALL-05` and let the file keep it from running.
suite --tags 'not @ALL-05 and not @DEV-03'
rest=$?
# DEV-03 uses up every device number NEWDEVICE can give, so it runs last, on its own.
suite --tags '@DEV-03 and not @ALL-05' --reports reports/last-device-number
last=$?
[ $rest -eq 0 ] && [ $last -eq 0 ]
