# pids.max stops a fork bomb.
need_cgroup2 pids
mkrootfs "$T/r"
expect_status 0 berth run --rm --pids-limit 16 --rootfs "$T/r" /probe forkbomb 200
line=$(printf '%s\n' "$out" | grep '^forked=')
forked=$(echo "$line" | sed 's/^forked=\([0-9]*\).*/\1/')
[ "$forked" -lt 16 ] || fail "forked $forked children under pids.max 16: $out"
assert_contains "$line" "errno=EAGAIN" "fork error"

expect_status 0 berth run --rm --pids-limit 16 --rootfs "$T/r" /probe read /sys/fs/cgroup/pids.max
assert_eq "$(kv "$out" read)" 16 "pids.max inside"
