# Stop: the stop signal, then SIGKILL after the grace period; SIGTERM to
# the daemon stops every pod cleanly and leaves nothing behind.
. "$(dirname "$LIB")/supervisor-lib.sh"
pod polite <<EOF
[pod]
network = none
stop-grace = 30s
[container app]
image = $IMG
command = "sh -c 'trap exit TERM; while true; do sleep 0.1; done'"
EOF
pod stubborn <<EOF
[pod]
network = none
stop-grace = 1s
[container app]
image = $IMG
command = sleep 1000
# pid 1 without an init has no default signal actions: TERM is ignored
init = false
EOF
printf '#!/bin/sh\ntrap "" TERM\ntrap exit INT\nwhile true; do sleep 0.1; done\n' >"$IMG/intonly"
chmod +x "$IMG/intonly"
pod custom <<EOF
[pod]
network = none
stop-grace = 30s
[container app]
image = $IMG
command = /intonly
stop-signal = SIGINT
EOF
sv_start
for p in polite stubborn custom; do
	wait_wide 10 $p-0 app 3 ready || { dump $p; fail "$p not ready"; }
done
pids="$(wide polite-0 app 6) $(wide stubborn-0 app 6) $(wide custom-0 app 6)"
kill -TERM "$DPID"
wait "$DPID" || fail "daemon exited $?"
ev=$(cat "$T/daemon.log")
assert_contains "$ev" "polite-0-app: exited with status 0 (Completed)"
assert_contains "$ev" "stubborn-0-app: stop grace period over: SIGKILL"
assert_contains "$ev" "stubborn-0-app: exited with status 137"
assert_contains "$ev" "custom-0-app: exited with status 0 (Completed)"
assert_not_contains "$ev" "polite-0-app: stop grace period over"
assert_contains "$ev" "Every pod stopped"
for p in $pids; do
	kill -0 "$p" 2>/dev/null && fail "container $p still runs"
done
left=$(ps -o comm= 2>/dev/null | grep -c 'berth-' || true)
assert_eq "$left" "0" "shims and sandbox holders left"
[ -z "$(ls "$BERTH_RUN_DIR/supervisor/replicas")" ] || fail "replica state left behind"
[ -z "$(ls "$BERTH_RUN_DIR/containers" 2>/dev/null)" ] || fail "runtime state left behind"
[ ! -S "$BERTH_RUN_DIR/berthd.sock" ] || fail "control socket left behind"
