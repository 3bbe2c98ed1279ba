# eBPF device rules: a node the container may create (mknod is allowed) but
# qemu: yes
# not open; /dev/null stays usable; --device passes one node through.
# busybox stat has no name for cgroup2: compare the magic
[ "$(stat -f -c %t /sys/fs/cgroup 2>/dev/null)" = 63677270 ] ||
	skip "no cgroup v2 at /sys/fs/cgroup: no device cgroup (runs in the QEMU VM)"
mkrootfs "$T/r"

# 1:11 is /dev/kmsg: not in the default allow list
expect_status 0 berth run --rm --rootfs "$T/r" /bin/sh -c 'mknod /dev/k c 1 11 && /probe write /dev/k; /probe write /dev/null'
assert_contains "$out" "write /dev/k=EPERM" "open of a device outside the allow list"
assert_contains "$out" "write /dev/null=ok" "/dev/null"

# 7:0 (loop0), a block device: never openable by default
expect_status 0 berth run --rm --rootfs "$T/r" /bin/sh -c 'mknod /dev/b b 7 0 && /probe read /dev/b'
assert_contains "$out" "read=!EPERM" "block device read"

[ -c /dev/kmsg ] || skip "no /dev/kmsg to pass through"
expect_status 0 berth run --rm --device /dev/kmsg --rootfs "$T/r" /probe write /dev/kmsg
assert_contains "$out" "write /dev/kmsg=ok" "passed-through device"
