# 100 attach/detach cycles, and berth killed at each phase of an attach:
# afterwards links, addresses, nftables rules and leases are back to where
# they started.
. "$(dirname "$LIB")/net-lib.sh"
need_net
need_nat

base=$(snapshot)
i=0
while [ $i -lt 100 ]; do
	attach c$i -p 9100:80 -p 9101:53/udp >/dev/null || fail "attach c$i (cycle $i)"
	dropns c$i	# the pod dies: its namespace, and so its veth, go
	berth network detach c$i || fail "detach c$i"
	i=$((i + 1))
done
# the addresses went round (round robin), they were all released
expect_status 0 berth network ls
assert_contains "$out" "PODS 0"
berth network prune -q || fail "prune after cycles"
assert_eq "$(snapshot)" "$base" "state after 100 cycles"

# an attach stopped (SIGSTOP) at PHASE, then killed
killed_at() { # PHASE POD
	mkns "$2"
	BERTH_NET_STALL=$1 "$BERTH" network attach -q "$2" --netns "$NS/$2" -p 9200:80 &
	pid=$!
	wait_for 10 sh -c "grep -q '^[0-9]* ([^)]*) T' /proc/$pid/stat" || fail "attach did not stop at $1"
	kill -9 $pid
	wait $pid 2>/dev/null
}
# the pod never started, so its namespace goes; prune frees the rest
for phase in lease veth nat; do
	killed_at $phase k-$phase
	podgone k-$phase
	berth network prune -q || fail "prune after a kill at $phase"
	assert_eq "$(snapshot)" "$base" "state after a kill at $phase"
done
# the namespace is still held (say by a stuck process), but the supervisor
# knows the pod is gone: --live lists the pods that are alive (none)
killed_at nat k-held
berth network prune -q --live "" || fail "prune --live"
assert_eq "$(snapshot)" "$base" "state after prune --live"
# and a live pod survives a prune
attach alive -p 9300:80 || fail "attach alive"
attach dead || fail "attach dead"
podgone dead
expect_status 0 berth network prune
assert_contains "$out" "Freed 1 stale lease"
expect_status 0 berth network ls
assert_contains "$out" "alive"
assert_not_contains "$out" "dead"
assert_contains "$(berth network rules)" "9300"
