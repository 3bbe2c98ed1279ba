# The default seccomp profile seen from inside: mode 2, the dangerous calls
# qemu: yes
# refused with EPERM, syscalls newer than the profile and clone3 with ENOSYS.
has_part +seccomp || skip "berth built without seccomp"
mkrootfs "$T/r"

expect_status 0 berth run --rm --rootfs "$T/r" /probe info
assert_eq "$(kv "$out" seccomp)" 2 "seccomp mode"
assert_eq "$(kv "$out" no_new_privs)" 1 "no_new_privs"

denied="mount umount unshare unshare_user keyctl add_key kexec_load init_module finit_module setns bpf userfaultfd swapon reboot"
expect_status 0 berth run --rm --rootfs "$T/r" /probe syscall $denied unknown clone3 getpid chroot
for s in $denied; do
	assert_eq "$(kv "$out" "syscall $s")" EPERM "syscall $s"
done
assert_eq "$(kv "$out" "syscall unknown")" ENOSYS "a syscall newer than the profile"
assert_eq "$(kv "$out" "syscall clone3")" ENOSYS "clone3 (libc falls back to clone)"
assert_eq "$(kv "$out" "syscall getpid")" ok "getpid"
# CAP_SYS_CHROOT is a default capability: chroot passes the filter
assert_eq "$(kv "$out" "syscall chroot")" ENOENT "chroot to a missing dir"

# argument filters: socket families, personality, clone's namespace flags
expect_status 0 berth run --rm --rootfs "$T/r" /probe syscall socket_inet socket_alg socket_vsock personality_bad clone_newns io_uring_setup ptrace
assert_eq "$(kv "$out" "syscall socket_inet")" ok "socket(AF_INET)"
assert_eq "$(kv "$out" "syscall socket_alg")" EPERM "socket(AF_ALG)"
assert_eq "$(kv "$out" "syscall socket_vsock")" EPERM "socket(AF_VSOCK)"
assert_eq "$(kv "$out" "syscall personality_bad")" EPERM "personality(ADDR_NO_RANDOMIZE)"
assert_eq "$(kv "$out" "syscall clone_newns")" EPERM "clone(CLONE_NEWNS)"
assert_eq "$(kv "$out" "syscall io_uring_setup")" EPERM "io_uring_setup"
assert_eq "$(kv "$out" "syscall ptrace")" ESRCH "ptrace (allowed since 4.8)"

# fork (clone without namespace flags) and exec keep working under the filter
expect_status 0 berth run --rm --rootfs "$T/r" /bin/sh -c '/probe exit 0 && echo forked-ok'
assert_contains "$out" forked-ok
