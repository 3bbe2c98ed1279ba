# memory.max: the limit is visible inside, and exceeding it is an OOM kill
# reported as exit 137 and OOMKilled.
need_cgroup2 memory
mkrootfs "$T/r"

expect_status 0 berth run --rm --memory 32m --memory-high 24m --rootfs "$T/r" /probe read /sys/fs/cgroup/memory.max
assert_eq "$(kv "$out" read)" 33554432 "memory.max inside"
expect_status 0 berth run --rm --memory 32m --memory-high 24m --rootfs "$T/r" /probe read /sys/fs/cgroup/memory.high
assert_eq "$(kv "$out" read)" 25165824 "memory.high inside"

expect_status 137 berth run --name oom --memory 32m --rootfs "$T/r" /probe alloc 512
run_out=$out
ps_out=$(berth ps -a 2>&1)
assert_contains "$run_out $ps_out" OOMKilled "OOM report"
berth rm oom >/dev/null 2>&1
[ ! -e /sys/fs/cgroup/berth/oom ] || fail "cgroup berth/oom left behind"

# under the limit: runs to the end
expect_status 0 berth run --rm --memory 64m --rootfs "$T/r" /probe alloc 8
assert_eq "$(kv "$out" allocated)" 8
