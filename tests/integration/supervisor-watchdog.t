# The hardware watchdog: berthd --watchdog pets it from its event loop, a
# daemon killed with -9 lets it expire, a clean stop disarms it (magic
# close), and a bad device or timeout is one line and no daemon.
# Only in the QEMU VM, with softdog loaded with soft_noboot=1 (an expiry is
# logged, not a reboot): never a watchdog of the machine the tests run on.
# qemu: yes
. "$(dirname "$LIB")/supervisor-lib.sh"
[ -n "${BERTH_VM_ARCH:-}" ] || skip "arms a watchdog: only in the QEMU VM (softdog, soft_noboot=1)"
dog=/dev/watchdog
# loaded here, so soft_noboot=1 is known to hold (the parameter is not in sysfs)
[ ! -e /sys/module/softdog ] || skip "softdog is already loaded, maybe to reboot"
[ -s /berth/modules/extra/order ] || skip "no softdog module"
while read -r m; do
	case $m in
	softdog.ko) insmod /berth/modules/extra/$m soft_noboot=1 ;;
	*) insmod /berth/modules/extra/$m ;;
	esac || fail "insmod $m"
done </berth/modules/extra/order
# softdog's own device: on a board model with a watchdog of its own (the
# raspi0 VM's bcm2835) /dev/watchdog is that one, and its expiry resets the VM
softdog_dev() {
	for w in /sys/class/watchdog/watchdog*; do
		[ "$(cat "$w/identity" 2>/dev/null)" = "Software Watchdog" ] || continue
		dog=/dev/${w##*/}
		return 0
	done
	return 1
}
# (a kernel without CONFIG_WATCHDOG_SYSFS names none: /dev/watchdog then)
ls /sys/class/watchdog/watchdog*/identity >/dev/null 2>&1 || softdog_dev() { true; }
wait_for 5 softdog_dev || fail "no softdog device after loading softdog"
softdog_dev
wait_for 5 test -c $dog || fail "no $dog after loading softdog"
fired() { dmesg | grep -c 'softdog: Triggered'; }
n0=$(fired)

sv_start --watchdog $dog --watchdog-timeout 3s
wait_for 10 grep -q "Watchdog \"$dog\": 3s timeout" "$T/daemon.log" || fail "no watchdog: $(cat "$T/daemon.log")"
sleep 5
assert_eq "$(fired)" "$n0" "no expiry while the daemon pets it"

# a dead daemon that nobody restarts: the watchdog expires (a reboot on a board)
kill -9 "$DPID"
wait "$DPID" 2>/dev/null
wait_for 10 sh -c "[ \$(dmesg | grep -c 'softdog: Triggered') -gt $n0 ]" ||
	fail "the watchdog did not expire after kill -9 of the daemon"
n1=$(fired)

# a new daemon takes it over; a clean stop disarms it
rm -f "$BERTH_RUN_DIR/berthd.sock"
sv_start --watchdog $dog --watchdog-timeout 3s
wait_for 10 sh -c "[ \$(grep -c 'Watchdog \"$dog\"' '$T/daemon.log') -ge 2 ]" || fail "no watchdog the second time"
sleep 3
sv_stop_ok
sleep 5
assert_eq "$(fired)" "$n1" "a clean stop disarms the watchdog"

# bad input: one line naming what is wrong, no daemon left
expect_status 125 berth daemon --foreground --pods-dir "$PODS" --watchdog /dev/no-such-watchdog
assert_contains "$out" '/dev/no-such-watchdog'
[ "$(printf '%s\n' "$out" | wc -l)" = 1 ] || fail "not one line: $out"
expect_status 125 berth daemon --foreground --pods-dir "$PODS" --watchdog $dog --watchdog-timeout 0s
assert_contains "$out" "--watchdog-timeout"
[ ! -S "$BERTH_RUN_DIR/berthd.sock" ] || fail "a failed start left its socket"
