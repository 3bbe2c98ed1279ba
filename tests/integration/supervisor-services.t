# Services: every pod has a stable address (VIP) and a name that resolves
# in every pod; new connections go to the replicas that are ready, a
# readiness flip moves them, a service with nothing ready refuses at once,
# client-ip affinity sticks, a NAME.svc file selects pods by label and a
# selector edit switches blue to green.
. "$(dirname "$LIB")/supervisor-lib.sh"
has_part net || skip "berth built without networking"
has_part +nat || skip "berth built without NAT (CONFIG_NET_NAT)"
web() { # NAME REPLICAS LABELS [EXTRA [pod] LINES]
	pod "$1" <<END
[pod]
replicas = $2
labels = $3
backoff = 100ms
stop-grace = 1s
${4:-}
[container web]
image = $IMG
command = "sh -c 'mkdir -p /tmp/www && hostname >/tmp/www/index.html && touch /tmp/ready && exec httpd -f -p 80 -h /tmp/www'"
[probe web readiness]
exec = test -f /tmp/ready
period = 200ms
failure-threshold = 1
END
}
web backend 3 "app=shop tier=backend"
pod client <<END
[pod]
stop-grace = 1s
[container c]
image = $IMG
command = sleep 100000
END
# N requests from the client pod to URL: the distinct answers, sorted, on one line
who() { # URL N
	berth exec client-0-c sh -c "i=0; while [ \$i -lt $2 ]; do wget -q -O - $1 2>/dev/null; i=\$((i+1)); done" |
		sort -u | tr '\n' ' '
}
wait_who() { # SECONDS URL N WANT
	j=0
	while [ $j -lt $(($1 * 5)) ]; do
		got=$(who "$2" "$3")
		[ "$got" = "$4" ] && return 0
		sleep 0.2
		j=$((j + 1))
	done
	return 1
}
hosts=$BERTH_RUN_DIR/net/berth/hosts
NETPROBE=$(dirname "$BERTH")/tests/netprobe
# the board's resolver (this test's private mount and network namespaces):
# answers every A query with 192.0.2.7
printf 'nameserver 127.0.0.1\n' >"$T/resolv.conf"
mount --bind "$T/resolv.conf" /etc/resolv.conf || fail "bind resolv.conf"
"$NETPROBE" dns-serve 127.0.0.1 192.0.2.7 &
sv_start
for r in backend-0 backend-1 backend-2; do
	wait_wide 30 $r web 4 yes || { dump backend; fail "$r not ready"; }
done
wait_wide 30 client-0 c 3 ready || { dump client; fail "client not running"; }

# the name is in the pods' hosts file, with an address of the service subnet
wait_for 10 grep -q "	backend backend.default$" "$hosts" || fail "backend not in hosts: $(cat "$hosts")"
vip=$(awk '$2 == "backend" { print $1 }' "$hosts")
case $vip in 10.89.1.*) ;; *) fail "backend has no service address: $(cat "$hosts")" ;; esac
wait_for 10 sh -c "$BERTH describe pod backend | grep -q 'Service:   backend $vip 3 endpoints'" ||
	{ dump backend; fail "describe shows no service"; }
# through the name, every ready replica answers
wait_who 10 http://backend/ 30 "backend-0 backend-1 backend-2 " ||
	{ dump backend; fail "all three replicas should answer through the VIP: $got"; }
# and from the board itself, through the address
out=$(busybox timeout 5 busybox wget -q -O - "http://$vip/") || fail "the board cannot reach $vip"
case $out in backend-[012]) ;; *) fail "board got '$out'" ;; esac
# a replica reaching its own service (hairpin)
out=$(berth exec backend-0-web sh -c 'i=0; while [ $i -lt 20 ]; do wget -q -O - http://backend/; i=$((i+1)); done' | sort -u | tr '\n' ' ')
assert_contains "$out" "backend-0" "backend-0 through its own service"

# readiness flip: backend-1 leaves the service, comes back
berth exec backend-1-web rm /tmp/ready || fail "exec rm"
wait_who 10 http://backend/ 30 "backend-0 backend-2 " || { dump backend; fail "backend-1 still answers: $got"; }
assert_contains "$(events backend)" "service backend ->"
berth exec backend-1-web touch /tmp/ready || fail "exec touch"
wait_who 10 http://backend/ 30 "backend-0 backend-1 backend-2 " || { dump backend; fail "backend-1 did not come back: $got"; }

# a connection open across an endpoint change is not cut
berth exec client-0-c sh -c "(printf 'GET / HTTP/1.0\r\n'; sleep 3; printf '\r\n') | nc backend 80 >/tmp/held 2>&1" &
held=$!
sleep 1
for r in 0 1 2; do berth exec backend-$r-web rm /tmp/ready; done
wait_for 10 sh -c "$BERTH describe pod backend | grep -q 'Service:   backend $vip 0 endpoints'" ||
	{ dump backend; fail "backend still has endpoints"; }
wait "$held"
out=$(berth exec client-0-c cat /tmp/held)
assert_contains "$out" "200 OK" "the connection held across the change"

# nothing ready: refused at once (TCP reset), not black-holed
out=$(berth exec client-0-c busybox timeout 5 wget -q -O - http://backend/ 2>&1); rc=$?
[ $rc != 0 ] || fail "wget succeeded with no endpoint: $out"
assert_contains "$out" "refused" "no-endpoint service from a pod"
out=$(busybox timeout 5 busybox wget -q -O - "http://$vip/" 2>&1)
assert_contains "$out" "refused" "no-endpoint service from the board"
for r in 0 1 2; do berth exec backend-$r-web touch /tmp/ready; done
wait_who 10 http://backend/ 30 "backend-0 backend-1 backend-2 " || fail "not back: $got"

# names: the pods ask the daemon's responder on the gateway
assert_contains "$(cat "$BERTH_RUN_DIR/net/berth/client-0.resolv")" "nameserver 10.89.0.1"
# NAME and NAME.NAMESPACE of services and replicas, through DNS itself
out=$(berth exec client-0-c nslookup backend.default 2>&1)
assert_contains "$out" "$vip" "nslookup backend.default"
addr1=$(awk '$2 == "backend-1" { print $1 }' "$hosts")
out=$(berth exec client-0-c nslookup backend-1 2>&1)
assert_contains "$out" "$addr1" "nslookup backend-1"
out=$(berth exec client-0-c wget -q -O - http://backend.default/ 2>&1)
case $out in backend-[012]) ;; *) fail "backend.default: '$out'" ;; esac
# a name that does not exist: NXDOMAIN from the responder (not killed by the timeout)
out=$(berth exec client-0-c busybox timeout 5 wget -q -O - http://nosuchservice/ 2>&1); rc=$?
[ $rc != 0 ] && [ $rc != 124 ] && [ $rc != 143 ] || fail "unknown name: exit $rc: $out"
assert_contains "$out" "bad address" "an unknown name"
out=$(berth exec client-0-c busybox timeout 5 nslookup nosuch.default 2>&1)
assert_contains "$out" "NXDOMAIN" "an unknown name in the namespace"
# a name outside berth goes to the board's resolver
out=$(berth exec client-0-c busybox timeout 5 nslookup external.example 2>&1)
assert_contains "$out" "192.0.2.7" "an outside name through the board's resolver"

# blue/green: a service file selecting by label; the switch is one edit
web blue 2 "app=game track=blue"
web green 2 "app=game track=green"
svcfile() { cat >"$PODS/.game.tmp" && mv "$PODS/.game.tmp" "$PODS/game.svc"; }
svcfile <<END
[service]
selector = app=game track=blue
ports = 80/tcp 8080:80/tcp
END
for r in blue-0 blue-1 green-0 green-1; do wait_wide 30 $r web 4 yes || { dump ${r%-*}; fail "$r not ready"; }; done
wait_who 10 http://game/ 20 "blue-0 blue-1 " || { tail -n 20 "$T/daemon.log"; fail "game should be blue: $got"; }
wait_who 10 http://game:8080/ 20 "blue-0 blue-1 " || fail "game:8080 should be blue: $got"
# a port the service does not list: refused
out=$(berth exec client-0-c busybox timeout 5 wget -q -O - http://game:81/ 2>&1)
assert_contains "$out" "refused" "a port game does not serve"
svcfile <<END
[service]
selector = app=game track=green
ports = 80/tcp 8080:80/tcp
END
wait_who 10 http://game/ 20 "green-0 green-1 " || { tail -n 20 "$T/daemon.log"; fail "game should be green: $got"; }

# session affinity: a client keeps its replica
web sticky 3 "app=sticky" "session-affinity = client-ip
session-affinity-timeout = 1m"
for r in sticky-0 sticky-1 sticky-2; do wait_wide 30 $r web 4 yes || { dump sticky; fail "$r not ready"; }; done
wait_for 10 sh -c "$BERTH describe pod sticky | grep -q 'sticky 10.89.1.[0-9]* 3 endpoints affinity=client-ip'" ||
	{ dump sticky; fail "no affinity"; }
first=$(who http://sticky/ 1)
assert_eq "$(who http://sticky/ 20)" "$first" "20 connections with affinity"
# ...and leaves it when that replica stops being ready
r=${first% }
berth exec "$r-web" rm /tmp/ready
wait_for 10 sh -c "[ \"\$($BERTH exec client-0-c wget -q -O - http://sticky/)\" != '$r' ]" ||
	fail "affinity kept a replica that is not ready"

# bad input: two services claiming one name, a bad selector; nothing else disturbed
printf '[service]\nselector = app=shop\n' >"$PODS/backend.svc"
printf '[service]\nselector = app=\n' >"$PODS/bad.svc"
wait_for 10 grep -q 'backend.svc: \[service\] name: "backend" is already the service of pod backend' "$T/daemon.log" ||
	{ tail -n 20 "$T/daemon.log"; fail "no error for the duplicate name"; }
wait_for 10 grep -q 'bad.svc: \[service\] selector: "app=" is not KEY=VALUE' "$T/daemon.log" ||
	{ tail -n 20 "$T/daemon.log"; fail "no error for the bad selector"; }
wait_who 10 http://backend/ 30 "backend-0 backend-1 backend-2 " || fail "backend disturbed: $got"

# removed services leave the hosts file and the table
rm -f "$PODS/backend.svc" "$PODS/bad.svc" "$PODS/game.svc"
wait_for 10 sh -c "! grep -q game $hosts" || fail "game still in hosts"
expect_status 0 berth delete pod backend
wait_for 20 sh -c "! grep -qw backend $hosts" || fail "backend still in hosts"
# (the table is rewritten right after the hosts file, in the same turn of the loop)
wait_for 10 sh -c "! $BERTH network rules | grep -q s_backend" ||
	fail "service chain left after delete: $(berth network rules | grep s_backend)"
sv_stop_ok
