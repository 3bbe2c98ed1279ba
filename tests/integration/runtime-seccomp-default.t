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

# fork (clone without namespace flags) and exec keep working under the filter
expect_status 0 berth run --rm --rootfs "$T/r" /bin/sh -c '/probe exit 0 && echo forked-ok'
assert_contains "$out" forked-ok
