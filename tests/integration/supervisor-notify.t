# systemd's notify protocol without libsystemd: READY=1 once the pods are
# up, and WATCHDOG=1 at half of WATCHDOG_USEC (WatchdogSec= in
# berth.service), only when WATCHDOG_PID is unset or the daemon's own.
# The listener is a unix datagram socket in python3 (busybox has none).
. "$(dirname "$LIB")/supervisor-lib.sh"
command -v python3 >/dev/null 2>&1 || skip "python3 (the test's datagram listener) is not installed"
listen() { # SOCKET LOG SECONDS
	python3 - "$1" "$2" "$3" <<'PY' &
import socket, sys, time
s = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
s.bind(sys.argv[1])
s.settimeout(0.2)
end = time.monotonic() + float(sys.argv[3])
with open(sys.argv[2], "w") as log:
    while time.monotonic() < end:
        try:
            log.write(s.recv(4096).decode().replace("\n", " ") + "\n")
            log.flush()
        except socket.timeout:
            pass
PY
	LPID=$!
	wait_for 5 test -S "$1" || fail "no listener"
}

listen "$T/n1.sock" "$T/n1.log" 4
NOTIFY_SOCKET="$T/n1.sock" WATCHDOG_USEC=1000000 sv_start
wait "$LPID"
grep -q '^READY=1' "$T/n1.log" || fail "no READY=1: $(cat "$T/n1.log")"
pets=$(grep -c '^WATCHDOG=1' "$T/n1.log")
[ "$pets" -ge 4 ] || fail "only $pets WATCHDOG=1 in 4 s at WATCHDOG_USEC=1s: $(cat "$T/n1.log")"
sv_stop_ok

# the watchdog is another process's: READY=1 only
listen "$T/n2.sock" "$T/n2.log" 3
NOTIFY_SOCKET="$T/n2.sock" WATCHDOG_USEC=1000000 WATCHDOG_PID=1 sv_start
wait "$LPID"
grep -q '^READY=1' "$T/n2.log" || fail "no READY=1 the second time"
assert_eq "$(grep -c '^WATCHDOG=1' "$T/n2.log")" 0 "WATCHDOG=1 for another pid"
sv_stop_ok
