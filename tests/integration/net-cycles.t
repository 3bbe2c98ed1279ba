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

# a dead pod's lease is reclaimed on the spot when a new attach needs its
# name or its host port (a container run with -d --rm is never `berth rm`ed)
attach gone1 -p 9400:80 || fail "attach gone1"
podgone gone1
attach other -p 9400:80 || fail "port 9400 of a dead pod was not reclaimed"
attach gone2 || fail "attach gone2"
podgone gone2
attach gone2 || fail "the name of a dead pod was not reclaimed"
expect_status 0 berth network ls
assert_not_contains "$out" "gone1"

# a full subnet whose pods died: the next attach frees them and goes on
small="--network small --bridge small0 --subnet 10.77.0.0/29 --mtu 1400"
for i in 1 2 3 4 5; do
	mkns s$i
	berth network attach -q s$i --netns "$NS/s$i" $small || fail "attach s$i"
done
mkns s6
expect_status 125 berth network attach s6 --netns "$NS/s6" $small
assert_contains "$out" "No free address left in subnet 10.77.0.0/29"
for i in 1 2 3; do dropns s$i; done
wait_for 10 sh -c '[ $(busybox ip -o link | grep -c "master small0") = 2 ]' || fail "veths of s1-s3 outlived their namespaces"
berth network attach -q s6 --netns "$NS/s6" $small || fail "a full subnet of dead pods was not reclaimed"
assert_contains "$(inns s6 busybox ip -o link show dev eth0)" "mtu 1400" "MTU in the pod"

# a network remembers its settings while it exists, and refuses others
expect_status 0 berth network ls --network small
assert_contains "$out" "BRIDGE small0  SUBNET 10.77.0.0/29"
assert_contains "$out" "up"
mkns s7
expect_status 125 berth network attach s7 --netns "$NS/s7" --network small --subnet 10.78.0.0/24
assert_contains "$out" "Network small uses subnet 10.77.0.0/29, not 10.78.0.0/24 (prune it first to change it)"
