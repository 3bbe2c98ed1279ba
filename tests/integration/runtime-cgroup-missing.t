# A limit without its controller is a clear error (exit 125, the controller
# named, nothing left behind); without limits the container still runs.
mkrootfs "$T/r"
if cgroup2_controller memory; then
	expect_status 0 berth run --rm --name lim --memory 32m --rootfs "$T/r" /probe exit 0
	[ ! -e /sys/fs/cgroup/berth/lim ] || fail "cgroup berth/lim left behind after --rm"
else
	expect_status 125 berth run --rm --name lim --memory 32m --rootfs "$T/r" /probe exit 0
	assert_contains "$out" "memory controller" "error message"
	[ "$(printf '%s\n' "$out" | wc -l)" -le 1 ] || fail "more than one line: $out"
	expect_status 0 berth ps -a
	assert_not_contains "$out" lim "state after the failed run"
fi
if ! cgroup2_controller pids; then
	expect_status 125 berth run --rm --pids-limit 10 --rootfs "$T/r" /probe exit 0
	assert_contains "$out" "pids controller"
fi
expect_status 0 berth run --rm --rootfs "$T/r" /probe exit 0
