# Replicas: NAME-0..N-1; kill -9 of one replica's container and it is
# replaced; berth scale up and down; delete.
. "$(dirname "$LIB")/supervisor-lib.sh"
pod web <<EOF
[pod]
network = none
replicas = 2
stop-grace = 1s
[container app]
image = $IMG
command = sleep 1000
EOF
sv_start
wait_wide 10 web-0 app 3 ready || { dump web; fail "web-0 not ready"; }
wait_wide 10 web-1 app 3 ready || { dump web; fail "web-1 not ready"; }
out=$(berth get pods)
assert_contains "$out" "2/2"
pid0=$(wide web-0 app 6)
pid1=$(wide web-1 app 6)
kill -9 "$pid1"
wait_for 10 sh -c "[ \"\$($BERTH get pods -o wide | awk '\$1 == \"web-1\" { print \$5 }')\" = 1 ]" || { dump web; fail "web-1 not restarted"; }
wait_wide 10 web-1 app 3 ready || { dump web; fail "web-1 not ready again"; }
new1=$(wide web-1 app 6)
[ "$new1" != "$pid1" ] || fail "web-1 has the same pid"
assert_eq "$(wide web-1 app 7)" "137" "exit code of a SIGKILLed container"
assert_eq "$(wide web-0 app 6)" "$pid0" "web-0 untouched"
assert_eq "$(wide web-0 app 5)" "0" "web-0 restarts"
expect_status 0 berth scale pod web --replicas 4
wait_wide 10 web-3 app 3 ready || { dump web; fail "web-3 not ready after scale up"; }
wait_wide 10 web-2 app 3 ready || fail "web-2 not ready after scale up"
expect_status 0 berth scale pod web --replicas 1
wait_for 10 sh -c "! $BERTH get pods -o wide | grep -q '^web-[123] '" || { dump web; fail "scale down left replicas"; }
assert_eq "$(wide web-0 app 6)" "$pid0" "web-0 survives scaling"
out=$(berth get pods -o json)
assert_contains "$out" '"desired": 1'
assert_contains "$out" '"scaled": true'
expect_status 1 berth scale pod nosuch --replicas 1
assert_contains "$out" "No such pod: nosuch"
expect_status 0 berth delete pod web
wait_for 10 sh -c "! $BERTH get pods | grep -q '^web '" || { dump web; fail "delete left the pod"; }
[ ! -e "$PODS/web.pod" ] || fail "delete left the file"
kill -0 "$pid0" 2>/dev/null && fail "web-0 still runs after delete"
sv_stop_ok
