# A second daemon on the same board (another state root) never breaks the
# first: the network's bridge names the root that made it, and the second
# daemon is refused with one line naming it (so is a `berth run` of the
# second root); the first daemon's pod keeps its veth, address and service.
. "$(dirname "$LIB")/supervisor-lib.sh"
has_part net || skip "berth built without networking"
has_part +nat || skip "berth built without NAT (CONFIG_NET_NAT)"
web() { # DIR
	mkdir -p "$1"
	cat >"$1/web.pod" <<END
[pod]
stop-grace = 1s
[container web]
image = $IMG
command = "sh -c 'mkdir -p /tmp/www && hostname >/tmp/www/index.html && exec httpd -f -p 80 -h /tmp/www'"
END
}
web "$PODS"
sv_start
wait_wide 30 web-0 web 3 ready || { dump web; fail "web-0 not running"; }
hosts=$BERTH_RUN_DIR/net/berth/hosts
wait_for 10 grep -q "	web web.default$" "$hosts" || fail "no service web: $(cat "$hosts")"
vip=$(awk '$2 == "web" { print $1 }' "$hosts")
veth=$(berth network inspect web-0 | sed -n 's/^veth=//p')
[ -n "$veth" ] || fail "no veth for web-0"
busybox timeout 5 busybox wget -q -O - "http://$vip/" | grep -q web-0 || fail "web not answering before"

# the second daemon, same pod names, another root: refused, one line
web "$T/pods2"
out=$(BERTH_ROOT=$T/root2 BERTH_RUN_DIR=$T/run2 busybox timeout 20 "$BERTH" daemon --foreground --pods-dir "$T/pods2" 2>&1); rc=$?
[ $rc != 0 ] && [ $rc != 124 ] && [ $rc != 143 ] || fail "second daemon not refused (exit $rc): $out"
assert_contains "$out" "belongs to the berth with state root \"$BERTH_ROOT\"" "second daemon"
assert_eq "$(printf '%s\n' "$out" | grep -c .)" 1 "lines of the refusal"
# a one-off container of the second root too, and nothing of it is left
out=$(BERTH_ROOT=$T/root2 BERTH_RUN_DIR=$T/run2 "$BERTH" run --rm --network bridge --rootfs "$IMG" /bin/true 2>&1) &&
	fail "berth run of the second root was not refused: $out"
assert_contains "$out" "belongs to the berth with state root"
[ -z "$(ls "$T/root2/net/berth" 2>/dev/null | grep -v -e '^lock$' -e '^last_reserved_ip$' -e '^svc$')" ] ||
	fail "the refused attach left leases: $(ls "$T/root2/net/berth")"

# the first is untouched
busybox ip link show "$veth" >/dev/null 2>&1 || fail "veth $veth of web-0 is gone"
busybox timeout 5 busybox wget -q -O - "http://$vip/" | grep -q web-0 || fail "web not answering after"
assert_eq "$(wide web-0 web 3)" ready "web-0 state"
sv_stop_ok
