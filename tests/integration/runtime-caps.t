# Capabilities: exactly Docker's 14 by default, --cap-add/--cap-drop by
# name, no_new_privs, non-root users, and no fd of the caller leaks in.
mkrootfs "$T/r"

expect_status 0 berth run --rm --rootfs "$T/r" /probe info
assert_eq "$(kv "$out" cap_eff)" 00000000a80425fb "effective (Docker's 14)"
assert_eq "$(kv "$out" cap_prm)" 00000000a80425fb "permitted"
assert_eq "$(kv "$out" cap_bnd)" 00000000a80425fb "bounding"
assert_eq "$(kv "$out" cap_inh)" 0000000000000000 "inheritable"
assert_eq "$(kv "$out" cap_amb)" 0000000000000000 "ambient"
assert_eq "$(kv "$out" no_new_privs)" 1 "no_new_privs"

# add NET_ADMIN (bit 12), drop CHOWN (bit 0) and NET_RAW (bit 13), any spelling
expect_status 0 berth run --rm --cap-add NET_ADMIN --cap-drop chown --cap-drop CAP_NET_RAW --rootfs "$T/r" /probe info
assert_eq "$(kv "$out" cap_eff)" 00000000a80415fa "after add/drop"
expect_status 0 berth run --rm --cap-drop ALL --rootfs "$T/r" /probe info
assert_eq "$(kv "$out" cap_eff)" 0000000000000000 "drop ALL"
assert_eq "$(kv "$out" cap_bnd)" 0000000000000000 "drop ALL bounding"
expect_status 0 berth run --rm --cap-drop ALL --cap-add KILL --rootfs "$T/r" /probe info
assert_eq "$(kv "$out" cap_eff)" 0000000000000020 "drop ALL, add KILL"
expect_status 0 berth run --rm --security-opt no-new-privileges=false --rootfs "$T/r" /probe info
assert_eq "$(kv "$out" no_new_privs)" 0 "no-new-privileges=false"

# a user: ids, no capabilities left, names from the image's /etc/passwd
expect_status 0 berth run --rm -u 1000:1001 --rootfs "$T/r" /probe info
assert_eq "$(kv "$out" uid)" 1000 "uid"
assert_eq "$(kv "$out" gid)" 1001 "gid"
assert_eq "$(kv "$out" cap_eff)" 0000000000000000 "caps of a non-root user"
grep -q '^nobody:' "$T/r/etc/passwd" || echo 'nobody:x:65534:65534:nobody:/nonexistent:/bin/false' >>"$T/r/etc/passwd"
expect_status 0 berth run --rm -u nobody --rootfs "$T/r" /probe info
assert_eq "$(kv "$out" uid)" "$(grep '^nobody:' "$T/r/etc/passwd" | cut -d: -f3)" "uid of nobody"
expect_status 125 berth run --rm -u nosuchuser --rootfs "$T/r" true
assert_contains "$out" nosuchuser

# no fd of the caller reaches the payload (CVE-2024-21626), even with the
# caller's cwd being an open directory
exec 7</etc/passwd 8<"$T"
expect_status 0 berth run --rm --rootfs "$T/r" /probe info
assert_eq "$(kv "$out" fds)" 0,1,2 "open fds"
exec 7<&- 8<&-
expect_status 125 berth run --rm -w /proc/self/fd/8 --rootfs "$T/r" true
