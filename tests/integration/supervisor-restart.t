# Restart policies and the back-off sequence (first restart at once, then
# doubling from backoff to backoff-max); exit codes recorded.
. "$(dirname "$LIB")/supervisor-lib.sh"
pod crash <<EOF
[pod]
network = none
backoff = 200ms
backoff-max = 800ms
[container app]
image = $IMG
command = sh -c 'exit 3'
EOF
pod done <<EOF
[pod]
network = none
restart = on-failure
[container app]
image = $IMG
command = true
EOF
pod once <<EOF
[pod]
network = none
restart = never
[container app]
image = $IMG
command = sh -c 'exit 4'
EOF
sv_start
wait_for 30 sh -c "[ \$($BERTH get pods -o wide | awk '\$1 == \"crash-0\" { print \$5 }') -ge 6 ]" || { dump crash; fail "crash was not restarted 6 times"; }
ev=$(events crash)
# the sequence, in order: immediate, 0.2, 0.4, 0.8, 0.8
seq=$(printf '%s\n' "$ev" | sed -n 's/.*back-off \([0-9.]*\)s before restart \([0-9]*\).*/\2:\1/p' | head -n 4 | tr '\n' ' ')
assert_eq "$seq" "2:0.200 3:0.400 4:0.800 5:0.800 " "back-off sequence"
assert_not_contains "$ev" "before restart 1" "first restart waits"
assert_eq "$(wide crash-0 app 7)" "3" "last exit code"
wait_wide 10 done-0 app 3 exited || { dump done; fail "on-failure: exit 0 not final"; }
assert_eq "$(wide done-0 app 5)" "0" "on-failure restarts after exit 0"
assert_eq "$(wide done-0 app 7)" "0"
wait_wide 10 once-0 app 3 exited || { dump once; fail "never: not exited"; }
assert_eq "$(wide once-0 app 5)" "0" "never restarts"
assert_eq "$(wide once-0 app 7)" "4"
# the status shows the back-off while it waits (most of each cycle)
wait_for 10 sh -c "$BERTH get pods | grep -q '^crash .*CrashLoopBackOff'" || { berth get pods; fail "no CrashLoopBackOff"; }
assert_contains "$(berth get pods)" "Completed"
# on-failure does restart a failure
pod fail <<EOF
[pod]
network = none
restart = on-failure
backoff = 100ms
[container app]
image = $IMG
command = false
EOF
wait_for 20 sh -c "[ \$($BERTH get pods -o wide | awk '\$1 == \"fail-0\" { print \$5 }') -ge 2 ]" || { dump fail; fail "on-failure did not restart a failure"; }
sv_stop_ok
