# State: --rm leaves nothing, kill -9 of the container is seen and recorded
# (also by the -d monitor), names are unique, pid reuse is detected.
mkrootfs "$T/r"
nothing_left() {
	[ -z "$(ls "$BERTH_RUN_DIR/containers" 2>/dev/null)" ] || fail "$1: state left: $(ls "$BERTH_RUN_DIR/containers")"
	[ -z "$(ls "$BERTH_ROOT/containers" 2>/dev/null)" ] || fail "$1: container dirs left"
}

expect_status 0 berth run --rm --rootfs "$T/r" true
nothing_left "--rm"
expect_status 0 berth run --rm --rootfs "$T/r:O" true
nothing_left "--rm with overlay"

# kill -9 of the container's pid 1 from outside, foreground run with --rm
"$BERTH" run --rm --name k --rootfs "$T/r" /probe pause >"$T/k.out" 2>&1 &
bg=$!
wait_for 10 grep -q ready "$T/k.out" || fail "did not start"
kill -9 "$(sed -n 's/^pid=//p' "$BERTH_RUN_DIR/containers/k/state")"
wait $bg; rc=$?
assert_eq "$rc" 137 "status"
nothing_left "kill -9 with --rm"

# without --rm the exit is recorded
expect_status 5 berth run --name kept --rootfs "$T/r" /probe exit 5
expect_status 0 berth ps -a
assert_contains "$out" "exited(5)"
expect_status 0 berth ps
assert_not_contains "$out" kept "ps without -a"
expect_status 0 berth ps -aq
assert_eq "$out" kept
# the name is taken until rm; the failed attempt changes nothing
expect_status 125 berth run --name kept --rootfs "$T/r" true
assert_contains "$out" "already in use"
assert_contains "$(cat "$BERTH_RUN_DIR/containers/kept/state")" "exit_status=5"
expect_status 0 berth rm kept
nothing_left "rm"

# detached: the monitor records the exit of a killed container, and --rm
expect_status 0 berth run -d --name dk --rootfs "$T/r" /probe pause
cpid=$(sed -n 's/^pid=//p' "$BERTH_RUN_DIR/containers/dk/state")
mpid=$(sed -n 's/^monitor_pid=//p' "$BERTH_RUN_DIR/containers/dk/state")
[ -n "$mpid" ] && [ "$mpid" != 0 ] || fail "no monitor recorded"
kill -0 "$mpid" || fail "monitor not running"
kill -9 "$cpid"
wait_for 10 grep -q '^exit_status=137' "$BERTH_RUN_DIR/containers/dk/state" || fail "exit not recorded"
wait_for 10 sh -c "! kill -0 $mpid" || fail "monitor did not exit"
expect_status 0 berth rm dk
expect_status 0 berth run -d --rm --name drm --rootfs "$T/r:O" /probe pause
cpid=$(sed -n 's/^pid=//p' "$BERTH_RUN_DIR/containers/drm/state")
kill -9 "$cpid"
wait_for 10 sh -c "[ ! -e '$BERTH_RUN_DIR/containers/drm' ]" || fail "--rm -d left state"
nothing_left "-d --rm"

# a recorded pid that now belongs to another process is not the container
expect_status 0 berth run -d --name reuse --rootfs "$T/r" /probe pause
# the monitor writes the state once the payload runs: edit it only after that
wait_for 10 sh -c "'$BERTH' ps | grep '^reuse ' | grep -q running" || fail "reuse never ran"
# start times are in clock ticks (10 ms): a process started in the same tick
# as the payload would pass for it, so the impostor starts well after
sleep 0.1
sleep 1000 &
other=$!
sed -i "s/^pid=.*/pid=$other/" "$BERTH_RUN_DIR/containers/reuse/state"
expect_status 0 berth ps -a
assert_contains "$out" "reuse" && assert_not_contains "$(echo "$out" | grep reuse)" running "reused pid"
expect_status 125 berth kill reuse
kill -0 $other || fail "berth kill signalled an unrelated process"
kill $other
