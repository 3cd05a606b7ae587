# The module lab's stages, sourced by test-module.sh (which sets LAB, ROOT, CACHE, KBUS_SRC,
# VM_TIMEOUT). Each stage is idempotent and skips work its cache already holds.

# Debian packages the lab itself runs (the kernel's are downloaded, not installed).
HOST_PACKAGES=(qemu-system-x86 busybox-static cpio kmod gcc-12 make libc6-dev libelf1 patch python3-nose)
# What the initramfs loads to reach the host's files over virtio-9p, and the agent's port over
# virtio-serial (dependencies are added).
VM_MODULES=(virtio_pci 9pnet_virtio 9p virtio_console)
# Where, inside the kernel image package, those modules and their dependencies live.
VM_MODULE_DIRS=(drivers/virtio drivers/char net/9p fs/9p fs/netfs fs/fscache)
# The virtio-serial port's name, by which the VM finds the port the host's suite speaks on.
AGENT_PORT=kbus.agent

die() {
  echo "lab: $*" >&2
  exit 1
}

# Runs one stage; its failure is one line naming the stage (details are in the logs it names).
stage() {
  local name=$1
  shift
  local t0 rc
  t0=$(date +%s)
  # A subshell outside any condition, so that errexit holds inside the stage.
  set +e
  ( set -e; "$@" )
  rc=$?
  set -e
  [ $rc -eq 0 ] || die "$name failed"
  echo "lab: $name: done in $(( $(date +%s) - t0 )) s"
}

# Prints the last lines of a log and fails with one line naming it.
fail_with_log() {
  local log=$1
  shift
  tail -n 20 "$log" >&2 || true
  die "$* (full log: $log)"
}

install_host_packages() {
  local missing=() p
  for p in "${HOST_PACKAGES[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'ok installed' || missing+=("$p")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  [ "$(id -u)" -eq 0 ] || die "missing Debian packages: ${missing[*]} (run as root, or apt-get install them)"
  echo "lab: installing ${missing[*]}"
  { apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "${missing[@]}"; } \
    >"$CACHE/apt.log" 2>&1 || fail_with_log "$CACHE/apt.log" "apt-get install failed"
}

# The Debian kernel ABI (e.g. 6.1.0-57): asked for, else the one cached, else Debian's current.
kernel_abi() {
  if [ -n "${KBUS_LAB_KERNEL:-}" ]; then
    echo "$KBUS_LAB_KERNEL"
  elif [ -f "$CACHE/kernel/current" ]; then
    cat "$CACHE/kernel/current"
  else
    # Fresh lists: an older kernel than Debian's current may no longer be downloadable.
    apt-get update -q >"$CACHE/apt.log" 2>&1 || fail_with_log "$CACHE/apt.log" "apt-get update failed"
    local abi
    abi=$(apt-cache depends linux-image-amd64 | sed -n 's/.*Depends: linux-image-\(6\.1\.[0-9]*-[0-9]*\)-amd64$/\1/p' | head -n 1)
    [ -n "$abi" ] || die "apt knows no linux-image-amd64 of the 6.1 series"
    echo "$abi"
  fi
}

KERNEL_ABI=
KERNEL_RELEASE=
KERNEL_ROOT=
resolve_kernel() {
  KERNEL_ABI=$(kernel_abi)
  KERNEL_RELEASE=$KERNEL_ABI-amd64
  KERNEL_ROOT=$CACHE/kernel/$KERNEL_ABI
}

# Unpacks the kernel and the VM's module folders from the image package $1 (downloaded when
# absent: a cache made for fewer modules gets them without downloading the rest again).
unpack_image() {
  local deb=$1 d dirs=()
  if [ ! -f "$deb" ]; then
    local debs=$CACHE/kernel/image-$KERNEL_ABI log=$CACHE/kernel/fetch.log
    rm -rf "$debs"
    mkdir -p "$debs"
    (cd "$debs" && apt-get download "linux-image-$KERNEL_RELEASE") >"$log" 2>&1 \
      || fail_with_log "$log" "apt-get download of linux-image-$KERNEL_RELEASE failed"
    unpack_image "$debs"/linux-image-*.deb
    rm -rf "$debs"
    return
  fi
  for d in "${VM_MODULE_DIRS[@]}"; do dirs+=("./lib/modules/$KERNEL_RELEASE/kernel/$d"); done
  dpkg-deb --fsys-tarfile "$deb" | tar -x -C "$KERNEL_ROOT" "./boot/vmlinuz-$KERNEL_RELEASE" "${dirs[@]}" \
    || die "unpacking the kernel image failed"
  echo "${VM_MODULE_DIRS[*]}" >"$KERNEL_ROOT/.modules"
}

# Downloads the kernel image, headers (with their -common part) and kbuild tools, and unpacks
# them under the cache without installing anything.
fetch_kernel() {
  if [ -f "$KERNEL_ROOT/.done" ]; then
    [ "$(cat "$KERNEL_ROOT/.modules" 2>/dev/null)" = "${VM_MODULE_DIRS[*]}" ] || unpack_image none
    return 0
  fi
  local debs=$CACHE/kernel/debs-$KERNEL_ABI log=$CACHE/kernel/fetch.log
  rm -rf "$KERNEL_ROOT" "$debs"
  mkdir -p "$KERNEL_ROOT" "$debs"
  (
    cd "$debs"
    apt-get download "linux-image-$KERNEL_RELEASE" "linux-headers-$KERNEL_RELEASE" "linux-headers-$KERNEL_ABI-common"
    # kbuild's package is per series and must be the headers' very version.
    local version
    version=$(dpkg-deb -f linux-headers-"$KERNEL_RELEASE"_*.deb Version)
    apt-get download "linux-kbuild-${KERNEL_ABI%.0-*}=$version"
  ) >"$log" 2>&1 || fail_with_log "$log" "apt-get download of kernel $KERNEL_ABI failed"
  local deb
  unpack_image "$debs"/linux-image-*.deb
  for deb in "$debs"/linux-headers-*.deb "$debs"/linux-kbuild-*.deb; do
    dpkg-deb -x "$deb" "$KERNEL_ROOT" || die "unpacking $deb failed"
  done
  # The headers' Makefile includes the -common part by its installed path.
  sed -i "s#^include /usr/src/#include $KERNEL_ROOT/usr/src/#" "$KERNEL_ROOT/usr/src/linux-headers-$KERNEL_RELEASE/Makefile"
  rm -rf "$debs"
  touch "$KERNEL_ROOT/.done"
  echo "$KERNEL_ABI" >"$CACHE/kernel/current"
}

# A digest of the files under $1 (names and contents), for cache keys.
tree_digest() {
  (cd "$1" && find . -type f -print0 | sort -z | xargs -0 sha256sum) | sha256sum | cut -c1-16
}

MODULE=
# The module's place in the cache, keyed by its sources, the patch and the kernel.
resolve_module() {
  local key
  key=$({ tree_digest "$KBUS_SRC"; sha256sum <"$LAB/proc-ops.patch"; echo "$KERNEL_RELEASE"; } | sha256sum | cut -c1-16)
  MODULE=$CACHE/module/$key/kbus.ko
}

# Builds kbus.ko out of tree from a copy of KBUS_SRC with the project's proc_ops patch applied.
build_module() {
  [ -f "$MODULE" ] && return 0
  local dir
  dir=$(dirname "$MODULE")
  rm -rf "$dir"
  mkdir -p "$dir"
  cp -r "$KBUS_SRC" "$dir/src"
  patch -d "$dir/src" -p1 --forward --quiet <"$LAB/proc-ops.patch" >"$dir/patch.log" 2>&1 \
    || fail_with_log "$dir/patch.log" "lab/proc-ops.patch does not apply to $KBUS_SRC"
  make -C "$dir/src" KERNELDIR="$KERNEL_ROOT/usr/src/linux-headers-$KERNEL_RELEASE" kbus.ko >"$dir/build.log" 2>&1 \
    || fail_with_log "$dir/build.log" "make failed"
  cp "$dir/src/kbus.ko" "$MODULE"
}

# Kernel modules to load, dependencies first: the names in $@ and everything they depend on.
module_order() {
  local base=$KERNEL_ROOT/lib/modules/$KERNEL_RELEASE/kernel
  local -a order=()
  add() {
    local m=$1 p d
    case " ${order[*]} " in *" $m "*) return 0 ;; esac
    p=$(find "$base" \( -name "$m.ko" -o -name "${m//_/-}.ko" \) -print -quit)
    [ -n "$p" ] || die "kernel module $m is not among ${VM_MODULE_DIRS[*]} of $KERNEL_RELEASE"
    for d in $(modinfo -F depends "$p" | tr ',' ' '); do add "$d"; done
    order+=("$m")
    echo "$p"
  }
  local m
  for m in "$@"; do add "$m"; done
}

INITRAMFS=
resolve_initramfs() {
  local key
  key=$({ sha256sum <"$LAB/init.sh"; echo "$KERNEL_RELEASE ${VM_MODULES[*]}"; } | sha256sum | cut -c1-16)
  INITRAMFS=$CACHE/initramfs-$KERNEL_RELEASE-$key.cpio.gz
}

# busybox, the VM's /init and the VM's modules, numbered in load order.
build_initramfs() {
  [ -f "$INITRAMFS" ] && return 0
  local tree=$CACHE/initramfs-tree busybox
  busybox=$(command -v busybox) || die "busybox not found"
  rm -rf "$tree"
  mkdir -p "$tree"/{bin,dev,proc,sys,host,etc,modules}
  cp "$busybox" "$tree/bin/busybox"
  cp "$LAB/init.sh" "$tree/init"
  chmod 755 "$tree/init"
  # mdev gives the device nodes of KBUS, made later by insmod or NEWDEVICE, mode 0666.
  echo 'kbus[0-9]+ 0:0 666' >"$tree/etc/mdev.conf"
  local n=10 p paths
  paths=$(module_order "${VM_MODULES[@]}") || return 1
  for p in $paths; do
    cp "$p" "$tree/modules/$n-$(basename "$p")"
    n=$((n + 1))
  done
  (cd "$tree" && find . | cpio -o -H newc --quiet | gzip -1) >"$INITRAMFS.tmp"
  mv "$INITRAMFS.tmp" "$INITRAMFS"
  rm -rf "$tree"
}

AGENT=
resolve_agent() {
  AGENT=$CACHE/kbus-agent
}

# kbus-agent for the VM, which runs the host's binaries (it sees the host's root); gcc-12 is among
# the packages above, where a plain cc may not be.
build_agent() {
  gcc-12 -O2 -Wall -Wextra -Werror -o "$AGENT.tmp" "$ROOT/agent/kbus-agent.c" 2>"$CACHE/agent-build.log" \
    || fail_with_log "$CACHE/agent-build.log" "building agent/kbus-agent.c failed"
  mv "$AGENT.tmp" "$AGENT"
}

JOB_DIR=
# The VM's job: what to run, written where the VM reads it and writes back its exit code.
prepare_job() {
  rm -rf "$JOB_DIR"
  mkdir -p "$JOB_DIR" "$ROOT/reports"
  # The VM has a /tmp of its own, which hides anything of the host's there (a clone, the cache,
  # the original sources beside it): what the VM runs comes through the job share.
  cp "$MODULE" "$JOB_DIR/kbus.ko"
  cp "$AGENT" "$JOB_DIR/kbus-agent"
  cp -r "$(cd "$KBUS_SRC/.." && pwd)/python3" "$JOB_DIR/python3"
  local node_bin
  node_bin=$(dirname "$(command -v node)") || die "node not found"
  {
    printf "LAB_PROJECT='%s'\n" "$ROOT"
    printf "LAB_MODULE='%s'\n" /tmp/lab/kbus.ko
    printf "LAB_PYTHON_SRC='%s'\n" /tmp/lab/python3
    printf "LAB_AGENT='%s'\n" /tmp/lab/kbus-agent
    printf "LAB_AGENT_PORT='%s'\n" "$AGENT_PORT"
    printf "LAB_PATH='%s'\n" "$node_bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"
    # Quoted for sh: the command is run as given.
    printf "LAB_RUN=%s\n" "$(printf '%s' "$1" | sed "s/'/'\\\\''/g; s/^/'/; s/\$/'/")"
  } >"$JOB_DIR/job.env"
}

# qemu's arguments: the cached kernel booted directly, TCG, the host's root read-only and the
# job and reports folders writable over virtio-9p, the agent's virtio-serial port as a Unix
# socket in the job folder, the console on stdout; an oops powers off.
# One vCPU: under TCG a second one made Node slower (cross-CPU wake-ups), not faster.
qemu_args() {
  local share='security_model=none,multidevs=remap'
  printf '%s\n' \
    -accel tcg -cpu max -smp 1 -m 2048 \
    -nodefaults -no-user-config -display none -serial stdio -no-reboot \
    -kernel "$KERNEL_ROOT/boot/vmlinuz-$KERNEL_RELEASE" -initrd "$INITRAMFS" \
    -append 'console=ttyS0 quiet loglevel=3 panic=-1 oops=panic' \
    -virtfs "local,path=/,mount_tag=hostroot,readonly=on,$share" \
    -virtfs "local,path=$JOB_DIR,mount_tag=labjob,$share" \
    -virtfs "local,path=$ROOT,mount_tag=project,readonly=on,$share" \
    -virtfs "local,path=$ROOT/reports,mount_tag=reports,$share" \
    -device virtio-serial-pci \
    -chardev "socket,id=kbusagent,path=$JOB_DIR/agent.sock,server=on,wait=off" \
    -device "virtserialport,chardev=kbusagent,name=$AGENT_PORT"
}

VM_PID=
# Boots the VM in the background, its console on stdout; timeout ends only this qemu (its own
# child), never another.
start_vm() {
  local args
  mapfile -t args < <(qemu_args)
  VM_STARTED=$(date +%s)
  timeout -k 10 "$VM_TIMEOUT" qemu-system-x86_64 "${args[@]}" </dev/null 2>"$JOB_DIR/qemu.log" \
    > >(sed -u 's/\r$//; s/\r/\n/g' | tee "$JOB_DIR/console.log") &
  VM_PID=$!
}

# Waits for the VM to power off; its exit code is qemu's.
wait_vm() {
  local rc
  set +e
  wait "$VM_PID"
  rc=$?
  set -e
  echo "lab: the VM ran $(( $(date +%s) - VM_STARTED )) s"
  case $rc in
    0) ;;
    124 | 137) die "the VM did not finish within $VM_TIMEOUT s (console: $JOB_DIR/console.log)" ;;
    *) fail_with_log "$JOB_DIR/qemu.log" "qemu failed with exit code $rc" ;;
  esac
}

# Boots the VM and waits for it to power off.
boot_vm() {
  start_vm
  wait_vm
}

# Waits until the VM's agent serves the port (bounded by the VM's time limit), or the VM ended.
wait_for_agent() {
  until [ -f "$JOB_DIR/agent-ready" ]; do
    kill -0 "$VM_PID" 2>/dev/null || { wait_vm; report_job ""; die "the VM powered off before its agent served the port"; }
    sleep 1
  done
  echo "lab: kbus-agent serves the module in the VM after $(( $(date +%s) - VM_STARTED )) s"
}

# The conformance suite on the host, through kbus-agent in the VM (devices 0 to 2 loaded).
host_suite() {
  (
    cd "$ROOT"
    # Emulation (TCG) makes every system call many times slower than on a real machine.
    export KBUS_STEP_TIMEOUT_MS="${KBUS_STEP_TIMEOUT_MS:-120000}"
    export KBUS_OPERATION_TIMEOUT_MS="${KBUS_OPERATION_TIMEOUT_MS:-30000}"
    export KBUS_AGENT_HELLO_TIMEOUT_MS="${KBUS_AGENT_HELLO_TIMEOUT_MS:-120000}"
    node bin/kbus-conformance.js --adapter remote --connect "unix:$JOB_DIR/agent.sock" \
      --adapter-option secondDevice=1 \
      --adapter-option allowNewDevice=true \
      --adapter-option freshDevices=true \
      --known-deviations adapters/kernel/known-deviations/original-module.txt \
      "$@"
  )
}

# Both passes of the suite, timed; DEV-03 uses up every device number NEWDEVICE can give, so it
# runs last, on its own. Then tells the VM that the suite is done.
run_host_suite() {
  local t0 rest last
  t0=$(date +%s%N)
  set +e
  host_suite --tags 'not @DEV-03'
  rest=$?
  host_suite --tags '@DEV-03' --reports reports/last-device-number
  last=$?
  set -e
  touch "$JOB_DIR/host-done"
  local ms=$(( ($(date +%s%N) - t0) / 1000000 ))
  printf 'lab: conformance-suite: %d.%03d s on the host, exit codes %s (all but DEV-03) and %s (DEV-03)\n' $((ms / 1000)) $((ms % 1000)) "$rest" "$last"
  [ "$rest" -eq 0 ] && [ "$last" -eq 0 ]
}

# The job's stage times and exit code, as the VM wrote them.
report_job() {
  [ -f "$JOB_DIR/rc" ] || die "the VM stopped before its job ended (a kernel oops or panic? console: $JOB_DIR/console.log)"
  local rc name ms stage_rc
  rc=$(cat "$JOB_DIR/rc")
  if [ -f "$JOB_DIR/times" ]; then
    while read -r name ms stage_rc; do
      printf 'lab: %s: %d.%03d s in the VM, exit code %s\n' "$name" $((ms / 1000)) $((ms % 1000)) "$stage_rc"
    done <"$JOB_DIR/times"
  fi
  if [ "$rc" -ne 0 ]; then
    if [ -n "$1" ]; then
      echo "lab: the command in the VM exited with $rc" >&2
      exit "$rc"
    fi
    die "the VM's job failed (exit code $rc; console: $JOB_DIR/console.log)"
  fi
}
