# Power-safety: a load killed at any store write (fault injection:
# BERTH_TEST_CRASH_AT=N _exit()s at the Nth write point) or by kill -9 at a
# random moment leaves a consistent store (fsck), and the retry reuses
# what was verified.
need_part images

# every write point, each from an empty store
n=1
while :; do
	rm -rf "$T/r1"
	BERTH_TEST_CRASH_AT=$n "$BERTH" --root "$T/r1" image load -q "$IMAGE" >/dev/null 2>&1
	rc=$?
	"$BERTH" --root "$T/r1" image fsck --verify > "$T/fsck.out" 2>&1 ||
		fail "store inconsistent after a crash at write point $n: $(cat "$T/fsck.out")"
	[ -z "$(ls "$T/r1/images/tmp" 2>/dev/null)" ] || [ $rc = 99 ] ||
		fail "tmp/ not empty after a clean load"
	case $rc in
	99) ;;
	0) break ;;
	*) fail "load exited $rc at crash point $n" ;;
	esac
	n=$((n + 1))
	[ $n -lt 200 ] || fail "never got past the crash points"
done
info "crashed at $((n - 1)) different write points"
[ $n -gt 8 ] || fail "too few crash points ($n)"
expect_status 0 berth --root "$T/r1" images
assert_contains "$out" busybox

# crash again and again on the same store: each retry gets further, reusing
# the blobs and layers already verified
rm -rf "$T/r1"
k=0
while :; do
	BERTH_TEST_CRASH_AT=$((k % 4 + 1)) "$BERTH" --root "$T/r1" image load -q "$IMAGE" >/dev/null 2>&1
	rc=$?
	"$BERTH" --root "$T/r1" image fsck --verify >/dev/null 2>&1 || fail "store inconsistent (retry $k)"
	[ $rc = 99 ] || break
	k=$((k + 1))
	[ $k -lt 50 ] || fail "retries never finish"
done
assert_eq "$rc" 0 "final retry"
info "finished after $k crashed retries"

# rm + prune crash too
expect_status 0 berth --root "$T/r1" image tag busybox other:1
m=1
while :; do
	BERTH_TEST_CRASH_AT=$m "$BERTH" --root "$T/r1" image rm busybox other:1 >/dev/null 2>&1
	rc=$?
	"$BERTH" --root "$T/r1" image fsck --verify > "$T/fsck.out" 2>&1 ||
		fail "store inconsistent after an rm crash at $m: $(cat "$T/fsck.out")"
	[ $rc = 99 ] || break
	m=$((m + 1))
done
assert_eq "$(ls "$T/r1/images/layers" | wc -l)" 0 "layers after rm"

# kill -9 at random moments
gzip -1 -c "$IMAGE" > "$T/bb.tgz"
i=0
while [ $i -lt 25 ]; do
	"$BERTH" --root "$T/r2" image load -q "$T/bb.tgz" >/dev/null 2>&1 &
	pid=$!
	sleep "0.0$((i % 10))"
	kill -9 $pid 2>/dev/null
	wait $pid 2>/dev/null
	"$BERTH" --root "$T/r2" image fsck --verify > "$T/fsck.out" 2>&1 ||
		fail "store inconsistent after kill -9 (round $i): $(cat "$T/fsck.out")"
	i=$((i + 1))
done
expect_status 0 berth --root "$T/r2" image load "$T/bb.tgz"
expect_status 0 berth --root "$T/r2" image fsck --verify
