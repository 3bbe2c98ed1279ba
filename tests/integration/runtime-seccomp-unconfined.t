# --security-opt seccomp=unconfined: no filter at all (mode 0); the
# capabilities still refuse mount.
mkrootfs "$T/r"
expect_status 0 berth run --rm --security-opt seccomp=unconfined --rootfs "$T/r" /probe info
assert_eq "$(kv "$out" seccomp)" 0 "seccomp mode"

expect_status 0 berth run --rm --security-opt seccomp=unconfined --rootfs "$T/r" /probe syscall unknown clone3 keyctl
assert_eq "$(kv "$out" "syscall unknown")" ENOSYS "unknown syscall (the kernel's answer)"
# without the filter keyctl reaches the kernel: a missing keyring, not EPERM
assert_not_contains "$(kv "$out" "syscall keyctl")" EPERM "keyctl without a filter"
