# A pod's published port is a service: new connections go round-robin to
# the replicas that are ready, a replica that stops being ready leaves the
# rotation and comes back when ready again, scaling adds to it and takes
# from it, and with none ready the port goes back to replica 0, its owner.
. "$(dirname "$LIB")/supervisor-lib.sh"
has_part net || skip "berth built without networking"
pod svc <<EOF
[pod]
replicas = 2
publish = 18080:80 18081:80
backoff = 100ms
stop-grace = 1s
[container web]
image = $IMG
command = "sh -c 'mkdir -p /tmp/www && hostname >/tmp/www/index.html && touch /tmp/ready && exec httpd -f -p 80 -h /tmp/www'"
[probe web readiness]
exec = test -f /tmp/ready
period = 200ms
failure-threshold = 1
EOF
get() { busybox timeout 5 busybox wget -q -O - "http://127.0.0.1:${PORT:-18080}/" 2>/dev/null; }
# who answers N fresh connections: the distinct host names, sorted, on one line
who() { i=0; while [ $i -lt "$1" ]; do get; i=$((i + 1)); done | sort -u | tr '\n' ' '; }
# wait up to SECONDS until N connections are answered by exactly WANT
wait_who() { # SECONDS N WANT
	j=0
	while [ $j -lt $(($1 * 5)) ]; do
		[ "$(who "$2")" = "$3" ] && return 0
		sleep 0.2
		j=$((j + 1))
	done
	return 1
}
sv_start
wait_wide 30 svc-0 web 4 yes || { dump svc; fail "svc-0 not ready"; }
wait_wide 30 svc-1 web 4 yes || { dump svc; fail "svc-1 not ready"; }
wait_who 10 6 "svc-0 svc-1 " || { dump svc; fail "both replicas should answer: $(who 6)"; }
# the pod's second port too (both ports are set in one transaction)
PORT=18081
wait_who 10 6 "svc-0 svc-1 " || { dump svc; fail "both replicas should answer on 18081"; }
PORT=18080

# replica 0 (the port's owner) not ready: everything goes to replica 1
berth exec svc-0-web rm /tmp/ready || fail "exec rm"
wait_wide 10 svc-0 web 4 no || { dump svc; fail "svc-0 still ready"; }
wait_who 10 6 "svc-1 " || { dump svc; fail "only svc-1 should answer: $(who 6)"; }
PORT=18081
wait_who 10 6 "svc-1 " || { dump svc; fail "only svc-1 should answer on 18081"; }
PORT=18080
assert_contains "$(events svc)" "published ports -> ready: svc-1"
# ready again: back in the rotation
berth exec svc-0-web touch /tmp/ready || fail "exec touch"
wait_who 10 6 "svc-0 svc-1 " || { dump svc; fail "svc-0 did not come back: $(who 6)"; }

# scaling up adds the new replica once it is ready, scaling down takes it out
berth scale pod svc --replicas 3 >/dev/null || fail "scale 3"
wait_wide 30 svc-2 web 4 yes || { dump svc; fail "svc-2 not ready"; }
wait_who 10 9 "svc-0 svc-1 svc-2 " || { dump svc; fail "three replicas should answer: $(who 9)"; }
berth scale pod svc --replicas 2 >/dev/null || fail "scale 2"
wait_who 10 6 "svc-0 svc-1 " || { dump svc; fail "svc-2 still answers: $(who 6)"; }

# none ready: the port goes to replica 0 (which still serves)
berth exec svc-0-web rm /tmp/ready || fail "exec rm 0"
berth exec svc-1-web rm /tmp/ready || fail "exec rm 1"
wait_wide 10 svc-1 web 4 no || { dump svc; fail "svc-1 still ready"; }
wait_who 10 4 "svc-0 " || { dump svc; fail "with none ready, svc-0 should answer: $(who 4)"; }
assert_contains "$(events svc)" "(no replica ready)"

# replica 1 killed: out of the rotation until its restart is ready again
berth exec svc-0-web touch /tmp/ready || fail "exec touch 0"
berth exec svc-1-web touch /tmp/ready || fail "exec touch 1"
wait_who 10 6 "svc-0 svc-1 " || { dump svc; fail "both again: $(who 6)"; }
kill -9 "$(wide svc-1 web 6)" || fail "kill -9 svc-1"
wait_for 10 sh -c "$BERTH describe pod svc | grep -q 'svc-1-web: exited'" || { dump svc; fail "no exit seen"; }
wait_who 10 6 "svc-0 svc-1 " || { dump svc; fail "svc-1 did not come back after its restart: $(who 6)"; }
assert_contains "$(events svc)" "published ports -> ready: svc-0"

expect_status 0 berth delete pod svc
wait_for 20 sh -c "! $BERTH get pods | grep -q '^svc '" || fail "svc not deleted"
# nothing of the service left in the NAT table
out=$(berth network rules 2>&1)
case $out in *svc_tcp_1808*) fail "service chain left: $out" ;; esac
sv_stop_ok
