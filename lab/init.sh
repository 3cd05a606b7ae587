#!/bin/busybox sh
# The VM's first process. It reaches the host's file tree over virtio-9p (read-only, with
# tmpfs, proc, sys and dev of the VM's own on top), runs the lab's job there as root, writes
# its exit code to the job share and powers off.
/bin/busybox --install -s /bin
export PATH=/bin

fail() {
  echo "lab-vm: $*"
  poweroff -f
}

mount -t proc proc /proc
mount -t sysfs sys /sys
mount -t devtmpfs dev /dev
for m in /modules/*.ko; do
  insmod "$m" || fail "insmod $m failed"
done
# Device nodes made later (insmod kbus, NEWDEVICE) get the modes of /etc/mdev.conf.
mdev -d

p9=trans=virtio,version=9p2000.L,msize=262144
mount -t 9p -o "$p9,ro,cache=loose" hostroot /host || fail "cannot mount the host's root"
mount -t tmpfs tmp /host/tmp
mkdir /host/tmp/lab
mount -t 9p -o "$p9" labjob /host/tmp/lab || fail "cannot mount the job share"
. /host/tmp/lab/job.env
# The project over a share of its own, so that it is there wherever it lives (under /tmp too).
mkdir -p "/host$LAB_PROJECT"
mount -t 9p -o "$p9,ro,cache=loose" project "/host$LAB_PROJECT" || fail "cannot mount the project share"
mount -t 9p -o "$p9" reports "/host$LAB_PROJECT/reports" || fail "cannot mount the reports share"
mount -t proc proc /host/proc
mount -t sysfs sys /host/sys
mount -t devtmpfs dev /host/dev
mkdir -p /host/dev/shm /host/dev/pts
mount -t tmpfs shm /host/dev/shm
mount -t devpts pts /host/dev/pts

export LAB_PROJECT LAB_MODULE LAB_PYTHON_SRC LAB_AGENT LAB_AGENT_PORT LAB_RUN HOME=/tmp PATH="$LAB_PATH"
chroot /host /bin/sh "$LAB_PROJECT/lab/guest/job.sh"
echo $? >/host/tmp/lab/rc
sync
poweroff -f
