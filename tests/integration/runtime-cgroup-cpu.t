# cpu.max throttles: a spinning payload under --cpus 0.1 gets throttled.
need_cgroup2 cpu
mkrootfs "$T/r"
expect_status 0 berth run --rm --cpus 0.1 --rootfs "$T/r" /bin/sh -c '/probe spin 2; /probe read /sys/fs/cgroup/cpu.stat; /probe read /sys/fs/cgroup/cpu.max'
assert_contains "$out" "read=10000 100000" "cpu.max"
thr=$(printf '%s\n' "$out" | sed -n 's/^read=nr_throttled //p')
[ -n "$thr" ] && [ "$thr" -gt 0 ] || fail "not throttled (nr_throttled '$thr'): $out"
