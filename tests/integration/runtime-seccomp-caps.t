# Capability-conditional rules: CAP_SYS_ADMIN opens mount/unshare/clone3 in
# the filter, as in Docker; without no_new_privs the filter is still there.
has_part +seccomp || skip "berth built without seccomp"
mkrootfs "$T/r"

expect_status 0 berth run --rm --cap-add SYS_ADMIN --rootfs "$T/r" /probe syscall mount unshare clone3 kexec_load clone_newns
assert_eq "$(kv "$out" "syscall clone_newns")" EINVAL "clone(CLONE_NEWNS|CLONE_FS) reaches the kernel"
assert_eq "$(kv "$out" "syscall mount")" ENOENT "mount with CAP_SYS_ADMIN (missing target)"
assert_eq "$(kv "$out" "syscall unshare")" ok "unshare with CAP_SYS_ADMIN"
assert_eq "$(kv "$out" "syscall clone3")" EINVAL "clone3 with CAP_SYS_ADMIN (bad size)"
assert_eq "$(kv "$out" "syscall kexec_load")" EPERM "kexec_load stays denied"

expect_status 0 berth run --rm --security-opt no-new-privileges=false --rootfs "$T/r" /probe info
assert_eq "$(kv "$out" no_new_privs)" 0 "no_new_privs"
assert_eq "$(kv "$out" seccomp)" 2 "seccomp mode without no_new_privs"
expect_status 0 berth run --rm --security-opt no-new-privileges=false --rootfs "$T/r" /probe syscall keyctl unknown
assert_eq "$(kv "$out" "syscall keyctl")" EPERM "keyctl"
assert_eq "$(kv "$out" "syscall unknown")" ENOSYS "unknown syscall"
