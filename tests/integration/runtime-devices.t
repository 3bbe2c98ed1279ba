# Device passthrough (--device): the node appears with the host's numbers;
# a missing device is a clean error.
mkrootfs "$T/r"
mknod "$T/mydev" c 1 3 || skip "cannot mknod in $T"
chmod 0660 "$T/mydev"

expect_status 0 berth run --rm --device "$T/mydev:/dev/mydev" --rootfs "$T/r" /probe stat /dev/mydev
assert_contains "$out" "rdev:1:3" "device numbers"
assert_contains "$out" "mode:20660" "device mode"
expect_status 0 berth run --rm --device "$T/mydev:/dev/sub/dir/mydev:rw" --rootfs "$T/r" sh -c 'echo x >/dev/sub/dir/mydev && echo written'
assert_contains "$out" written
expect_status 0 berth run --rm --device /dev/zero --rootfs "$T/r" /probe stat /dev/zero
assert_contains "$out" "rdev:1:5"
expect_status 125 berth run --rm --device "$T/nodev" --rootfs "$T/r" true
assert_contains "$out" "$T/nodev"
expect_status 125 berth run --rm --device "$T/r/etc/passwd" --rootfs "$T/r" true
assert_contains "$out" "not a device"
