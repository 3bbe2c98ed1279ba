# berth-oci exec into a container with its own (OCI) seccomp profile gets
# exactly that filter, not the built-in default profile.
# qemu: yes
has_part +seccomp || skip "berth built without seccomp"
OCI="$(dirname "$BERTH")/berth-oci"
B=$T/bundle
mkdir -p "$B" && mkrootfs "$B/rootfs"
(cd "$B" && "$OCI" spec) || fail "spec"
# everything allowed but chroot (EPERM); the default profile lets chroot
# through to the kernel (ENOENT for a missing dir)
sed -e 's/"terminal": true/"terminal": false/' \
	-e 's|^\([[:space:]]*\)"sh"$|\1"/probe", "pause"|' \
	-e 's|"namespaces": \[|"seccomp": {"defaultAction": "SCMP_ACT_ALLOW", "syscalls": [{"names": ["chroot"], "action": "SCMP_ACT_ERRNO"}]}, "namespaces": [|' \
	"$B/config.json" >"$T/c.json" && mv "$T/c.json" "$B/config.json"
grep -q SCMP_ACT_ALLOW "$B/config.json" || fail "no seccomp profile in config.json"
"$OCI" create --bundle "$B" s1 >"$T/s1.log" 2>&1 </dev/null || fail "create: $(cat "$T/s1.log")"
"$OCI" start s1 || fail "start"
pid=$("$OCI" state s1 | sed -n 's/.*"pid": \([0-9]*\).*/\1/p')
assert_eq "$(awk '/^Seccomp:/{print $2}' /proc/$pid/status)" 2 "seccomp mode of pid 1"

expect_status 0 "$OCI" exec s1 /probe syscall chroot getpid
assert_eq "$(kv "$out" "syscall chroot")" EPERM "exec: chroot denied by the container's profile"
assert_eq "$(kv "$out" "syscall getpid")" ok "exec: getpid"
expect_status 0 "$OCI" exec s1 /probe info
assert_eq "$(kv "$out" seccomp)" 2 "exec: seccomp mode"
# keyctl: EPERM under the default profile, let through by this one
expect_status 0 "$OCI" exec s1 /probe syscall keyctl
[ "$(kv "$out" "syscall keyctl")" != EPERM ] || fail "exec got the default profile (keyctl EPERM)"

# without a seccomp field the OCI container is unconfined, and so is exec
expect_status 0 "$OCI" delete --force s1
(cd "$B" && rm config.json && "$OCI" spec) || fail "spec"
sed -i -e 's/"terminal": true/"terminal": false/' -e 's|^\([[:space:]]*\)"sh"$|\1"/probe", "pause"|' "$B/config.json"
"$OCI" create --bundle "$B" s2 >"$T/s2.log" 2>&1 </dev/null || fail "create: $(cat "$T/s2.log")"
"$OCI" start s2 || fail "start"
expect_status 0 "$OCI" exec s2 /probe info
assert_eq "$(kv "$out" seccomp)" 0 "exec into an unconfined container"
expect_status 0 "$OCI" delete --force s2

# berth run's built-in default profile: exec compiles it again (no file)
expect_status 0 berth run -d --name d1 --rootfs "$B/rootfs" /probe pause
[ ! -e "$BERTH_RUN_DIR/containers/d1/seccomp.bpf" ] || fail "a default-profile container saved its filter"
expect_status 0 berth exec d1 /probe syscall keyctl chroot
assert_eq "$(kv "$out" "syscall keyctl")" EPERM "exec: default profile"
assert_eq "$(kv "$out" "syscall chroot")" ENOENT "exec: default profile lets chroot through"
expect_status 0 berth rm -f d1
exit 0
