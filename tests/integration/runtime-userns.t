# User namespaces (--uidmap/--gidmap): the container's root is an
# unprivileged uid on the host; exec joins the same user namespace.
mkrootfs "$T/r"
out=$(berth run --rm --uidmap 0:100000:65536 --rootfs "$T/r" true 2>&1)
case "$out" in *"without user namespaces"*) skip "berth built without CONFIG_USERNS" ;; esac
[ -e /proc/self/uid_map ] || skip "kernel without user namespaces"
chown -R 100000:100000 "$T/r"
echo secret >"$T/secret" && chmod 0600 "$T/secret"

expect_status 0 berth run --rm --uidmap 0:100000:65536 -v "$T/secret:/secret" --rootfs "$T/r" sh -c \
	'cat /proc/self/uid_map /proc/self/gid_map; /probe info; touch /made-inside; cat /secret || echo denied'
assert_contains "$out" "0     100000      65536" "uid_map"
assert_eq "$(kv "$out" uid)" 0 "uid inside"
assert_eq "$(kv "$out" cap_eff)" 00000000a80425fb "caps inside (relative to the user namespace)"
assert_contains "$out" denied "a root-only host file is not readable by the container's root"
assert_eq "$(stat -c %u:%g "$T/r/made-inside")" 100000:100000 "owner on the host of a file made inside"

expect_status 0 berth run -d --name un --uidmap 0:100000:65536 --gidmap 0:200000:65536 --rootfs "$T/r" /probe pause
cpid=$(sed -n 's/^pid=//p' "$BERTH_RUN_DIR/containers/un/state")
assert_eq "$(awk '{print $2}' /proc/$cpid/uid_map)" 100000 "host view of the uid map"
assert_eq "$(awk '{print $2}' /proc/$cpid/gid_map)" 200000 "host view of the gid map"
assert_eq "$(awk '/^Uid:/{print $2}' /proc/$cpid/status)" 100000 "host uid of the container's root"
expect_status 0 berth exec un sh -c 'cat /proc/self/uid_map; id -u; /probe info'
assert_contains "$out" "0     100000      65536" "exec joins the user namespace"
assert_eq "$(kv "$out" cap_eff)" 00000000a80425fb "caps in exec"
assert_eq "$(kv "$out" pids_visible)" 2 "exec joins the pid namespace"
expect_status 0 berth rm -f un
expect_status 125 berth run --rm --uidmap 0:100000 --rootfs "$T/r" true
assert_contains "$out" "--uidmap"
