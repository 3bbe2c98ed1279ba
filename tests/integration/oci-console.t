# berth-oci --console-socket: the pty master travels over SCM_RIGHTS to the
# client (tests/oci/recvtty.c), for the container and for exec -t.
OCI="$(dirname "$BERTH")/berth-oci"
RECVTTY="$(dirname "$BERTH")/tests/recvtty"
[ -x "$RECVTTY" ] || fail "no $RECVTTY (make test-rootfs builds it)"
B=$T/bundle
mkdir -p "$B" && mkrootfs "$B/rootfs"
"$OCI" spec --bundle "$B" || fail "spec"
# terminal stays true (the default of spec)
sed -i 's|^\([[:space:]]*\)"sh"$|\1"/bin/sh", "-c", "[ -t 0 ] \&\& [ -t 1 ] \&\& echo tty-ok; tty; read line; echo got-$line; /probe sleep 60"|' "$B/config.json"

# a terminal without a console socket cannot be detached
expect_status 1 "$OCI" create --bundle "$B" t0
assert_contains "$out" "console-socket"

"$RECVTTY" "$T/tty.sock" "$T/tty.out" "hello
" &
rpid=$!
wait_for 5 test -S "$T/tty.sock" || fail "recvtty did not listen"
"$OCI" create --bundle "$B" --console-socket "$T/tty.sock" t1 >"$T/create.log" 2>&1 </dev/null ||
	fail "create: $(cat "$T/create.log")"
"$OCI" start t1 || fail "start"
wait_for 10 grep -q got-hello "$T/tty.out" || fail "no answer through the pty: $(cat "$T/tty.out")"
out=$(cat "$T/tty.out")
assert_contains "$out" "tty-ok" "payload on a terminal"
assert_contains "$out" "/dev/pts/0" "controlling terminal"

# exec -t with its own console socket
"$RECVTTY" "$T/x.sock" "$T/x.out" &
xpid=$!
wait_for 5 test -S "$T/x.sock" || fail "recvtty did not listen"
"$OCI" exec -t --console-socket "$T/x.sock" t1 /bin/sh -c '[ -t 0 ] && echo exec-tty-ok' ||
	fail "exec -t"
wait "$xpid" || fail "recvtty for exec failed"
assert_contains "$(cat "$T/x.out")" "exec-tty-ok" "exec -t"

"$OCI" delete --force t1 || fail "delete"
wait "$rpid" || fail "recvtty failed"
