# Exit codes as Docker: the payload's status, 126 cannot execute, 127 not
# found, 128+signal, 125 when berth itself fails; PATH lookup inside.
mkrootfs "$T/r"
printf 'not a program\n' >"$T/r/noexec" && chmod 0644 "$T/r/noexec"

expect_status 0 berth run --rm --rootfs "$T/r" /probe exit 0
expect_status 3 berth run --rm --rootfs "$T/r" /probe exit 3
expect_status 3 berth run --rm --rootfs "$T/r" sh -c 'exit 3'
expect_status 127 berth run --rm --rootfs "$T/r" nosuchprogram
assert_contains "$out" nosuchprogram
expect_status 127 berth run --rm --rootfs "$T/r" /nosuch/program
expect_status 126 berth run --rm --rootfs "$T/r" /noexec
expect_status 126 berth run --rm --rootfs "$T/r" /etc
# PATH lookup uses the container's PATH, not the host's
expect_status 0 berth run --rm -e PATH=/sbin --rootfs "$T/r" ifconfig -a
expect_status 127 berth run --rm -e PATH=/nowhere --rootfs "$T/r" ls
# a payload killed by a signal: 128+N; --init forwards and reports
expect_status 143 berth run --rm --init --rootfs "$T/r" /probe signal 15
expect_status 130 berth run --rm --init --rootfs "$T/r" /probe signal 2
"$BERTH" run --rm --name k9 --rootfs "$T/r" /probe pause >"$T/k9.out" 2>&1 &
bg=$!
wait_for 10 grep -q ready "$T/k9.out" || fail "container did not start: $(cat "$T/k9.out")"
berth kill k9 || fail "berth kill"
wait $bg; rc=$?
assert_eq "$rc" 137 "status after kill -9"
# signals sent to a foreground berth run reach the payload
"$BERTH" run --rm --name fwd --rootfs "$T/r" /probe pause >"$T/fwd.out" 2>&1 &
bg=$!
wait_for 10 grep -q ready "$T/fwd.out" || fail "container did not start"
kill -USR1 $bg
wait_for 10 grep -q "signal=10" "$T/fwd.out" || fail "SIGUSR1 not forwarded: $(cat "$T/fwd.out")"
kill -TERM $bg
wait $bg; rc=$?
assert_eq "$rc" 0 "exit after forwarded TERM (the probe handles it)"
# --init reaps orphans: a grandchild that exits after its parent is gone
# must not stay a zombie
expect_status 0 berth run --rm --init --rootfs "$T/r" sh -c \
	'sh -c "sleep 0.2 &"; sleep 1; ps -o pid,stat,comm; echo zombies=$(ps -o stat | grep -c "^Z")'
assert_eq "$(kv "$out" zombies)" 0 "zombies under --init: $out"
expect_status 0 berth run --rm --init --rootfs "$T/r" /probe info
assert_eq "$(kv "$out" pid)" 2 "payload pid under --init"
assert_eq "$(kv "$out" ppid)" 1 "payload parent under --init"
assert_eq "$(kv "$out" fds)" 0,1,2 "fds under --init"
