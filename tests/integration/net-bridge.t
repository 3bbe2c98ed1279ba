# Pods on the bridge: by name, through NAT to an outside namespace, published
# qemu: yes
# TCP and UDP ports from the host, localhost, a client namespace and other
# pods (hairpin). The test's namespace plays the board's host.
. "$(dirname "$LIB")/net-lib.sh"
need_net
need_nat

wire outside up0 192.0.2.1 192.0.2.2
wire client cl0 198.51.100.1 198.51.100.2
base=$(snapshot)

attach p1 -p 8080:80 -p 5001:5000/udp --hostname web1 || fail "attach p1"
attach p2 --alias db || fail "attach p2"
expect_status 0 berth network ls
assert_contains "$out" "0.0.0.0:8080->80/tcp"
assert_contains "$out" "0.0.0.0:5001->5000/udp"
a1=$(berth network inspect p1 | sed -n 's|^address=\(.*\)/24|\1|p')
a2=$(berth network inspect p2 | sed -n 's|^address=\(.*\)/24|\1|p')
[ -n "$a1" ] && [ "$a1" != "$a2" ] || fail "addresses '$a1' '$a2'"

# the bridge: gateway address, MAC pinned from it, hairpin on the ports
out=$(busybox ip -o addr show dev berth0)
assert_contains "$out" "10.89.0.1/24" "bridge address"
out=$(busybox ip -o link show dev berth0)
assert_contains "$out" "0a:58:0a:59:00:01" "bridge MAC"
assert_eq "$(cat /proc/sys/net/ipv4/ip_forward)" 1 "ip_forward"
v1=$(berth network inspect p1 | sed -n 's/^veth=//p')
out=$(busybox ip -o link show dev "$v1")
assert_contains "$out" "master berth0" "p1's veth on the bridge"
# sysfs shows the network namespace it was mounted from: mount ours
mkdir -p "$T/sys" && mount -t sysfs sysfs "$T/sys" || fail "mount sysfs"
assert_eq "$(cat "$T/sys/class/net/$v1/brport/hairpin_mode")" 1 "hairpin on p1's port"
umount "$T/sys"

# the pods' view: eth0 with the lease, default route via the bridge
out=$(inns p1 busybox ip -o addr show dev eth0)
assert_contains "$out" "$a1/24" "p1 eth0"
out=$(inns p1 busybox ip route)
assert_contains "$out" "default via 10.89.0.1" "p1 routes"

serve_http p1 "$T/www1" 80 hello-from-p1
serve_http p2 "$T/www2" 80 hello-from-p2
inns p1 "$NETPROBE" udp-serve 5000 &
serve_http outside "$T/wwwo" 9000 hello-from-outside

# by name, both ways, with hostname and alias
assert_eq "$(inpod p2 "$NETPROBE" resolve p1)" "$a1" "p1 from p2"
assert_eq "$(inpod p2 busybox timeout 5 busybox wget -q -O - http://p1/)" hello-from-p1 "p2 -> p1 by name"
assert_eq "$(inpod p2 busybox timeout 5 busybox wget -q -O - http://web1/)" hello-from-p1 "p2 -> web1 (hostname)"
assert_eq "$(inpod p1 busybox timeout 5 busybox wget -q -O - http://db/)" hello-from-p2 "p1 -> db (alias)"
out=$(cat "$NETRUN/p1.resolv")
assert_not_contains "$out" "nameserver 127." "resolv.conf"

# through NAT to the outside: it has no route back to the pods, so an
# answer proves masquerade
assert_eq "$(inns p1 busybox timeout 5 busybox wget -q -O - http://192.0.2.2:9000/)" hello-from-outside "p1 -> outside"

# the published port, from everywhere
assert_eq "$(http http://192.0.2.1:8080/)" hello-from-p1 "host -> published port"
assert_eq "$(http http://127.0.0.1:8080/)" hello-from-p1 "localhost -> published port"
assert_eq "$(inns client busybox timeout 5 busybox wget -q -O - http://198.51.100.1:8080/)" hello-from-p1 "client -> published port"
assert_eq "$(inns p2 busybox timeout 5 busybox wget -q -O - http://192.0.2.1:8080/)" hello-from-p1 "p2 -> host port (hairpin)"
assert_eq "$(inns p1 busybox timeout 5 busybox wget -q -O - http://10.89.0.1:8080/)" hello-from-p1 "p1 -> its own port (hairpin)"

# UDP
assert_eq "$(inns client "$NETPROBE" udp-send 198.51.100.1 5001 ping)" echo:ping "client -> udp port"
assert_eq "$("$NETPROBE" udp-send 127.0.0.1 5001 ping)" echo:ping "localhost -> udp port"
assert_eq "$(inns p2 "$NETPROBE" udp-send 192.0.2.1 5001 ping)" echo:ping "p2 -> udp port (hairpin)"

# a pod that goes: names and ports follow
berth network detach p2 || fail "detach p2"
out=$(cat "$NETRUN/hosts")
assert_not_contains "$out" "$a2" "hosts after p2 left"
attach p3 -p 8080:80 && fail "host port 8080 published twice"
berth network detach p1 || fail "detach p1"
out=$(berth network rules)
assert_not_contains "$out" "8080" "rules after detach"
assert_not_contains "$(http http://127.0.0.1:8080/ 2>&1)" hello-from-p1 "port after detach"

# the pods die (namespaces dropped), prune: the host is as it was
kill $(busybox pidof httpd) 2>/dev/null
kill $(busybox pidof netprobe) 2>/dev/null
dropns p1; dropns p2; [ -e "$NS/p3" ] && dropns p3
berth network prune -q || fail "prune"
assert_eq "$(snapshot)" "$base" "state after prune"
