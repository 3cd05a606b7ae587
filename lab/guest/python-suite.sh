#!/bin/sh
# The module's own Python suite (nose), laid out as it expects: run from python3/, the module
# at ../kbus/kbus.ko, loaded and unloaded by the suite itself through sudo (root here already);
# lab/python gives it what Pythons since 3.9 removed.
work=/tmp/kbus-python
mkdir -p "$work/kbus" "$work/bin"
cp -r "$LAB_PYTHON_SRC" "$work/python3" || exit 125
cp "$LAB_MODULE" "$work/kbus/kbus.ko" || exit 125
printf '#!/bin/sh\nexec "$@"\n' >"$work/bin/sudo"
chmod 755 "$work/bin/sudo"
cd "$work/python3" || exit 125
PATH=$work/bin:$PATH PYTHONPATH=$LAB_PROJECT/lab/python PYTHONDONTWRITEBYTECODE=1 /usr/bin/python3 -m nose -v kbus/test/test_kbus.py
