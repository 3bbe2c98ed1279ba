# berth apply -f FILE|DIR [--dry-run], get -o json, describe, delete; the
# control socket is 0600.
. "$(dirname "$LIB")/supervisor-lib.sh"
sv_start
[ "$(stat -c %a "$BERTH_RUN_DIR/berthd.sock")" = 600 ] || fail "socket mode $(stat -c %a "$BERTH_RUN_DIR/berthd.sock")"
mkdir "$T/in"
cat >"$T/in/a.pod" <<EOF
[pod]
network = none
[container app]
image = $IMG
command = sleep 1000
EOF
cat >"$T/in/b.pod" <<EOF
[pod]
name = bee
network = none
replicas = 2
[container app]
image = $IMG
command = sleep 1000
EOF
expect_status 0 berth apply -f "$T/in" --dry-run
assert_eq "$out" "pod/a created (dry run)
pod/bee created (dry run)"
[ ! -e "$PODS/a.pod" ] || fail "dry run wrote a file"
expect_status 0 berth apply -f "$T/in"
assert_eq "$out" "pod/a created
pod/bee created"
[ -f "$PODS/bee.pod" ] || fail "apply did not write bee.pod"
wait_wide 10 bee-1 app 3 ready || { dump bee; fail "bee-1 not ready"; }
wait_wide 10 a-0 app 3 ready || fail "a-0 not ready"
expect_status 0 berth apply -f "$T/in/a.pod"
assert_eq "$out" "pod/a unchanged"
pid=$(wide a-0 app 6)
sed -i 's/sleep 1000/sleep 999/' "$T/in/a.pod"
expect_status 0 berth apply -f "$T/in/a.pod"
assert_eq "$out" "pod/a configured"
wait_for 10 sh -c "[ \"\$($BERTH get pods -o wide | awk '\$1 == \"a-0\" { print \$6 }')\" != $pid ]" || { dump a; fail "changed container not recreated"; }
wait_wide 10 a-0 app 3 ready || fail "a-0 not ready after change"
assert_eq "$(wide a-0 app 5)" "0" "a recreate is not a restart"
pidb=$(wide bee-0 app 6)
# JSON for scripts
out=$(berth get pods -o json)
assert_contains "$out" '"name": "bee"'
assert_contains "$out" '"desired": 2'
assert_contains "$out" '"ready": 2'
assert_contains "$out" '"state": "ready"'
assert_contains "$out" '"restarts": 0'
assert_contains "$out" '"exit_code": null'
out=$(berth describe pod a)
assert_contains "$out" "spec changed: recreating"
expect_status 0 berth delete pod bee
assert_eq "$out" "pod/bee deleted"
wait_for 10 sh -c "! $BERTH get pods | grep -q '^bee '" || fail "bee not deleted"
kill -0 "$pidb" 2>/dev/null && fail "bee-0 runs after delete"
expect_status 1 berth describe pod bee
assert_contains "$out" "No such pod: bee"
sv_stop_ok
expect_status 1 berth get pods
assert_contains "$out" "is berth daemon running?"
