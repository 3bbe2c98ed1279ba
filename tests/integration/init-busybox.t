# board/init/S90berth (BusyBox init; /etc/init.d/berth for sysvinit), run
# by BusyBox's sh and by this host's /bin/sh (POSIX only): "start" says OK
# once the daemon is ready and FAIL when it dies at start (its error kept in
# the log); a daemon killed with -9 is respawned and adopts the running pod
# without restarting it, and so is one that exits on SIGQUIT (the upgrade
# path); "reload" and "stop" reach the daemon through the supervise loop.
. "$(dirname "$LIB")/supervisor-lib.sh"
S90="$(dirname "$LIB")/../../board/init/S90berth"
[ -r "$S90" ] || skip "no board/init/S90berth next to the tests"
BB=$(command -v busybox) || skip "busybox is not installed"
command -v start-stop-daemon >/dev/null || skip "no start-stop-daemon"
# the script reads /etc/default/berth and keeps its pid files in /var/run:
# both on tmpfs in this test's own mount namespace
mount -t tmpfs tmpfs /etc/default || fail "tmpfs on /etc/default"
mount -t tmpfs tmpfs /run || fail "tmpfs on /run"
[ -d /var/run ] || fail "no /var/run after mounting /run"
defaults() { # EXTRA-DAEMON-ARGS [LOG]
	cat >/etc/default/berth <<EOF
BERTH_BIN="$BERTH"
BERTHD_OPTS="--pods-dir $PODS $1"
BERTHD_LOG="${2:-$T/berthd.log}"
BERTHD_START_TIMEOUT=20
BERTHD_STOP_TIMEOUT=30
EOF
}
S90SH=/bin/sh
s90() { $S90SH "$S90" "$@"; }
pod app <<EOF
[pod]
network = none
[container app]
image = $IMG
command = sleep 1000
EOF

# a daemon that cannot start (no such watchdog device): FAIL at once, with
# its error in syslog, and the loop keeps retrying until stopped. "syslog"
# is a stand-in logger first in PATH (this test may not write to the
# host's syslog); it records its tag and what it read.
mkdir -p "$T/bin"
printf '#!/bin/sh\necho "tag $*" >>"%s"\ncat >>"%s"\n' "$T/syslog" "$T/syslog" >"$T/bin/logger"
chmod +x "$T/bin/logger"
defaults "--watchdog $T/no-such-watchdog" syslog
out=$(PATH="$T/bin:$PATH" s90 start 2>&1); rc=$?
[ "$rc" != 0 ] || fail "start of a failing daemon exited 0: $out"
assert_contains "$out" "Starting berth: FAIL" "start output"
wait_for 10 grep -q "respawning in" "$T/syslog" || fail "no respawn in syslog: $(cat "$T/syslog")"
grep -q "^tag -t berthd" "$T/syslog" || fail "logger not run with -t berthd: $(cat "$T/syslog")"
grep -q "no-such-watchdog" "$T/syslog" || fail "the daemon's error is not in syslog: $(cat "$T/syslog")"
out=$(s90 stop 2>&1) || fail "stop of the retrying loop: $out"
[ ! -e /var/run/berth.pid ] || fail "pid file left after stop"

S90SH="$BB sh"
defaults ""
out=$(s90 start 2>&1) || fail "start exited $?: $out $(cat "$T/berthd.log")"
assert_eq "$out" "Starting berth: OK" "start output"
wait_wide 10 app-0 app 3 ready || fail "app-0 not ready: $(berth get pods -o wide 2>&1)"
loop=$(cat /var/run/berth.pid)
d1=$(cat /var/run/berthd.pid)
cpid=$(wide app-0 app 6)
out=$(s90 start 2>&1) || fail "second start: $out"
assert_contains "$out" "already running"

# SIGHUP through the loop to the daemon: both survive it (an untrapped
# HUP would end either) and the daemon still serves
out=$(s90 reload 2>&1) || fail "reload: $out"
sleep 0.5
kill -0 "$loop" || fail "supervise loop gone after reload"
assert_eq "$(cat /var/run/berthd.pid)" "$d1" "daemon pid after reload"
berth get pods >/dev/null || fail "daemon not serving after reload"

# kill -9: respawned, the pod adopted (same container pid, no restart)
kill -KILL "$d1"
wait_for 15 sh -c "[ -s /var/run/berthd.pid ] && [ \"\$(cat /var/run/berthd.pid)\" != $d1 ]" ||
	fail "daemon not respawned: $(cat "$T/berthd.log")"
wait_wide 15 app-0 app 3 ready || fail "pod not running after respawn: $(berth get pods -o wide 2>&1)"
# read once the new daemon serves (the loop rewrites the file as it respawns)
d2=$(cat /var/run/berthd.pid) && [ -n "$d2" ] && [ "$d2" != "$d1" ] ||
	fail "no pid of the respawned daemon: '$d2' $(cat "$T/berthd.log")"
assert_eq "$(wide app-0 app 6)" "$cpid" "container pid after the daemon's respawn"
assert_eq "$(wide app-0 app 5)" "0" "restarts after the daemon's respawn"
assert_eq "$(cat /var/run/berth.pid)" "$loop" "supervise loop pid"
grep -q "berthd exited with status 137; respawning" "$T/berthd.log" ||
	fail "the loop did not log the daemon's death: $(cat "$T/berthd.log")"

# SIGQUIT (a package upgrade): the daemon exits 0 leaving the pod running,
# the loop runs the binary again, which adopts it
kill -QUIT "$d2"
wait_for 15 sh -c "[ -s /var/run/berthd.pid ] && [ \"\$(cat /var/run/berthd.pid)\" != $d2 ]" ||
	fail "daemon not run again after SIGQUIT: $(cat "$T/berthd.log")"
d2=$(cat /var/run/berthd.pid)
grep -q "every pod left running" "$T/berthd.log" || fail "no SIGQUIT exit in the log: $(cat "$T/berthd.log")"
grep -q "berthd exited with status 0; respawning" "$T/berthd.log" || fail "SIGQUIT exit not 0: $(cat "$T/berthd.log")"
wait_wide 15 app-0 app 3 ready || fail "pod not ready after SIGQUIT: $(berth get pods -o wide 2>&1)"
assert_eq "$(wide app-0 app 6)" "$cpid" "container pid after SIGQUIT"
assert_eq "$(wide app-0 app 5)" "0" "restarts after SIGQUIT"

out=$(s90 stop 2>&1) || fail "stop exited $?: $out"
assert_eq "$out" "Stopping berth: OK" "stop output"
# (this test's pid 1 is a shell that reaps late: zombies count as gone)
gone() { ! kill -0 "$1" 2>/dev/null || grep -q '^State:.*zombie' "/proc/$1/status"; }
gone "$d2" || fail "daemon still running after stop"
gone "$loop" || fail "supervise loop still running after stop"
gone "$cpid" || fail "container still running after stop"
grep -q "Every pod stopped" "$T/berthd.log" || fail "no clean daemon stop in the log"
out=$(s90 stop 2>&1) || fail "second stop: $out"
assert_contains "$out" "not running"
