# Dual stack (optional): --subnet6 gives pods an IPv6 address derived from
# their IPv4 lease, a default route, names in /etc/hosts and NAT66 out.
. "$(dirname "$LIB")/net-lib.sh"
need_net
need_nat
[ -e /proc/sys/net/ipv6 ] || skip "kernel without IPv6"

wire outside up0 192.0.2.1 192.0.2.2
# no duplicate address detection (busybox ip has no nodad)
echo 0 >/proc/sys/net/ipv6/conf/up0/accept_dad && busybox ip -6 addr add 2001:db8:1::1/64 dev up0 ||
	fail "up0 IPv6"
inns outside sh -c 'echo 0 >/proc/sys/net/ipv6/conf/eth0/accept_dad &&
	busybox ip -6 addr add 2001:db8:1::2/64 dev eth0' || fail "outside IPv6"
base=$(snapshot)

v6="--subnet6 fd89:0:0:1::/64"
attach a $v6 || fail "attach a"
attach b || fail "attach b (the network keeps its IPv6 prefix)"
expect_status 0 berth network inspect a
assert_contains "$out" "address6=fd89:0:0:1::2"
expect_status 0 berth network ls
assert_contains "$out" "SUBNET6 fd89:0:0:1::/64"
assert_contains "$(inns b busybox ip -o -6 addr show dev eth0)" "fd89:0:0:1::3/64" "b's IPv6 address"
assert_contains "$(inns b busybox ip -6 route)" "default via fd89:0:0:1::1" "b's IPv6 route"
assert_contains "$(busybox ip -o -6 addr show dev berth0)" "fd89:0:0:1::1/64" "the bridge's IPv6 address"
assert_contains "$(cat "$NETRUN/hosts")" "fd89:0:0:1::2	a" "hosts"

serve_http a "$T/wa" 80 hello-v6
serve_http outside "$T/wo" 9000 hello-outside-v6
assert_eq "$(inns b busybox timeout 5 busybox wget -q -O - 'http://[fd89:0:0:1::2]/')" hello-v6 "b -> a over IPv6"
# outside has no route back to fd89::/64: an answer proves NAT66
assert_eq "$(inns a busybox timeout 5 busybox wget -q -O - 'http://[2001:db8:1::2]:9000/')" hello-outside-v6 "a -> outside (NAT66)"

expect_status 125 berth network attach c --netns "$NS/a" --subnet6 fd90::/64
assert_contains "$out" 'Network berth uses IPv6 subnet "fd89:0:0:1::/64", not "fd90::/64"'
mkns bad
expect_status 125 berth network attach bad --netns "$NS/bad" --network other --bridge other0 --subnet 10.66.0.0/24 --subnet6 fd89::1/64
assert_contains "$out" 'has host bits set'
expect_status 125 berth network attach bad --netns "$NS/bad" --network other --bridge other0 --subnet 10.66.0.0/24 --subnet6 fd89::/32
assert_contains "$out" 'prefix must be /48 to /112'

kill $(busybox pidof httpd) 2>/dev/null
berth network detach a && berth network detach b || fail detach
dropns a; dropns b
berth network prune -q || fail prune
assert_eq "$(snapshot)" "$base" "state after prune"
