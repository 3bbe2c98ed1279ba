# The harness itself: fresh namespaces, a temporary root, the probe works.
# qemu: yes
out=$("$PROBE" info)
[ "$(kv "$out" pid)" -lt 20 ] || fail "not in a fresh pid namespace: $(kv "$out" pid)"
[ -x "$ROOTFS/probe" ] || fail "test rootfs has no probe"
[ -x "$ROOTFS/bin/sh" ] || fail "test rootfs has no sh"
mkrootfs "$T/r"
[ -x "$T/r/probe" ] || fail "mkrootfs did not copy"
case "$BERTH_ROOT" in "$T"/*) ;; *) fail "state root is not temporary: $BERTH_ROOT" ;; esac
"$BERTH" version | grep -q '^berth ' || fail "berth version"
