# --rootfs DIR:O: an overlay with a per-container upper, mounted inside the
# container's mount namespace only (no host mount), removed with it.
mkrootfs "$T/r"
before=$(wc -l </proc/self/mountinfo)

expect_status 0 berth run -d --name ov --rootfs "$T/r:O" sh -c 'echo changed >/etc/motd-test; rm /bin/true; exec /probe pause'
wait_for 5 test -e "$BERTH_ROOT/containers/ov/upper/etc/motd-test" || fail "write did not land in the upper"
[ -e "$T/r/bin/true" ] || fail "the lower was changed"
[ ! -e "$T/r/etc/motd-test" ] || fail "the lower was written"
expect_status 0 berth exec ov /probe info
assert_contains "$out" "mount=/ overlay" "root is an overlay"
assert_eq "$(wc -l </proc/self/mountinfo)" "$before" "host mount table"
grep -q "$BERTH_ROOT" /proc/self/mountinfo && fail "overlay visible on the host"
expect_status 0 berth rm -f ov
[ ! -e "$BERTH_ROOT/containers/ov" ] || fail "upper left after rm"
