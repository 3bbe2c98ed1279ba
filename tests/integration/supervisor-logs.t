# Logs: stdout and stderr with timestamps, size-bounded rotation, --tail,
# --previous, -f.
. "$(dirname "$LIB")/supervisor-lib.sh"
cat >"$IMG/chatty" <<'EOF'
#!/bin/sh
i=0
while [ $i -lt 400 ]; do echo "line $i of run $(cat /run-id 2>/dev/null)"; i=$((i + 1)); done
echo "to stderr" >&2
echo done
exec sleep 1000
EOF
chmod +x "$IMG/chatty"
pod talk <<EOF
[pod]
network = none
log-size = 4K
log-files = 3
stop-grace = 1s
[container app]
image = $IMG
command = /chatty
init = false
EOF
sv_start
L="$BERTH_RUN_DIR/logs/talk"
wait_for 10 grep -q "^.* stdout done$" "$L/talk-0-app.log" || { ls -l "$L"; dump talk; fail "no log"; }
for f in "$L"/talk-0-app.log*; do
	size=$(wc -c <"$f")
	[ "$size" -le 4096 ] || fail "$f is $size bytes (> 4K)"
done
[ -f "$L/talk-0-app.log.2" ] || fail "no second rotated file"
[ ! -e "$L/talk-0-app.log.3" ] || fail "more files than log-files"
out=$(berth logs talk --tail 2)
assert_contains "$out" "to stderr"
assert_contains "$out" "done"
assert_eq "$(echo "$out" | wc -l)" 2 "--tail 2 lines"
out=$(berth logs talk/app --timestamps --tail 2 | grep ' stdout done$')
# any year: a board without a clock (a Pi Zero, the raspi0 VM) starts in 1970
case "$out" in [0-9][0-9][0-9][0-9]-[0-1][0-9]-[0-3][0-9]T*Z\ stdout\ done) ;; *) fail "timestamped line: $out" ;; esac
out=$(berth logs talk-0 | head -n 1)
case "$out" in "line "*) ;; *) fail "first kept line: $out" ;; esac
assert_not_contains "$(berth logs talk)" "line 0 of" "rotated away"
# a restart keeps the previous run's last piece
berth restart pod talk >/dev/null
wait_for 10 sh -c "$BERTH logs talk --previous --tail 2 | grep -qx done" || fail "no --previous log"
# -f follows new lines
berth logs talk -f >"$T/follow" 2>&1 &
F=$!
sleep 0.5
berth exec talk-0-app sh -c 'echo followed >/proc/1/fd/1'
wait_for 10 grep -q followed "$T/follow" || { kill $F; fail "-f did not follow"; }
kill $F
sv_stop_ok
