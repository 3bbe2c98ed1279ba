# Bad input to the network: a clear one-line error and nothing half-configured
# (links, addresses, rules, leases exactly as before the failed call).
. "$(dirname "$LIB")/net-lib.sh"
need_net
need_nat

wire outside up0 192.0.2.1 192.0.2.2
base=$(snapshot)

fails() { # WHAT EXPECTED-MESSAGE ATTACH-ARGS...
	what=$1 msg=$2; shift 2
	before=$(snapshot)
	expect_status 125 berth network attach "$@"
	assert_contains "$out" "$msg" "$what"
	[ "$(printf '%s\n' "$out" | wc -l)" = 1 ] || fail "$what: not one line: $out"
	assert_eq "$(snapshot)" "$before" "state after $what"
}
mkns bad

fails "bad prefix" 'bad prefix length' bad --netns "$NS/bad" --subnet 10.89.0.0/33
fails "not a CIDR" 'is not a CIDR' bad --netns "$NS/bad" --subnet banana
fails "host bits" 'has host bits set' bad --netns "$NS/bad" --subnet 10.89.0.1/24
fails "bad address" 'is not an IPv4 address' bad --netns "$NS/bad" --subnet 10.300.0.0/16
fails "overlapping subnet" 'overlaps the host route 192.0.2.0/24' bad --netns "$NS/bad" --subnet 192.0.2.0/25
fails "not a bridge" 'Link "up0" exists and is not a bridge' bad --netns "$NS/bad" --bridge up0
fails "port out of range" 'port out of range' bad --netns "$NS/bad" -p 70000:80
fails "port zero" 'port out of range' bad --netns "$NS/bad" -p 8080:0
fails "bad protocol" 'protocol "sctp" is not tcp or udp' bad --netns "$NS/bad" -p 8080:80/sctp
fails "bad port spec" 'is not [HOSTIP:]HOSTPORT:PORT' bad --netns "$NS/bad" -p 8080
fails "not a host address" 'is not an address of the host' bad --netns "$NS/bad" -p 203.0.113.9:8080:80
fails "MTU not a number" '--mtu: "x" is not a number' bad --netns "$NS/bad" --mtu x
fails "MTU too small" 'MTU 100 is out of range 576-65535' bad --netns "$NS/bad" --mtu 100
fails "bad bridge name" 'Bridge name "a/b" is not a valid interface name' bad --netns "$NS/bad" --bridge a/b
fails "bad network name" 'Network name "a-b" is not [A-Za-z0-9_]{1,15}' bad --netns "$NS/bad" --network a-b
fails "bad pod name" 'Pod name "_x" is not valid' _x --netns "$NS/bad"
fails "static address outside" 'is not a pod address of subnet 10.89.0.0/24' bad --netns "$NS/bad" --ip 10.90.0.5
busybox nc -l -p 7000 -e true &
"$NETPROBE" udp-serve 7001 &
wait_for 5 sh -c 'busybox netstat -ltn | grep -q ":7000 "' || fail "nc did not listen"
fails "tcp port bound" 'Host port 0.0.0.0:7000/tcp is already in use on the host' bad --netns "$NS/bad" -p 7000:80
fails "udp port bound" 'Host port 0.0.0.0:7001/udp is already in use on the host' bad --netns "$NS/bad" -p 7001:80/udp

# a failure after the bridge was made (the pod's namespace already has an
# eth0): the bridge, the table and the lease go again
mkns taken
"$NETPROBE" veth squat1 eth0 "$NS/taken" || fail "veth squat1"
before=$(snapshot)
expect_status 125 berth network attach taken --netns "$NS/taken"
assert_contains "$out" 'Create veth'
assert_eq "$(snapshot)" "$before" "state after a failed veth"
out=$(busybox ip -o link)
assert_not_contains "$out" "berth0" "links after the failed first attach"

# taken: a published port, an address, a pod name
attach p1 -p 8080:80 --ip 10.89.0.50 || fail "attach p1"
mkns p2
fails "port published twice" 'Host port 0.0.0.0:8080/tcp is already published by pod "p1"' p2 --netns "$NS/p2" -p 8080:81
fails "port published on one address" 'already published by pod "p1"' p2 --netns "$NS/p2" -p 192.0.2.1:8080:81
fails "address taken" 'Address 10.89.0.50 is already leased' p2 --netns "$NS/p2" --ip 10.89.0.50
fails "attached twice" 'Pod "p1" is already attached' p1 --netns "$NS/p2"
expect_status 125 berth network detach nosuch
assert_contains "$out" 'Pod "nosuch" is not attached to network berth'

# udp and tcp on the same host port are different ports
attach p2 -p 8080:80/udp || fail "udp 8080 next to tcp 8080"
berth network detach p1 && berth network detach p2 || fail "detach"
dropns p1; dropns p2
berth network prune -q || fail "prune"
assert_eq "$(snapshot | grep -v squat1)" "$(printf '%s\n' "$base" | grep -v squat1)" "state at the end"
