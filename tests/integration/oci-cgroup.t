# config.json linux.resources and cgroupsPath reach cgroup v2 (the QEMU VM)
need_cgroup2 memory pids cpu
OCI="$(dirname "$BERTH")/berth-oci"
B=$T/bundle
mkdir -p "$B" && mkrootfs "$B/rootfs"
"$OCI" spec --bundle "$B" || fail "spec"
sed -i 's/"terminal": true/"terminal": false/' "$B/config.json"
sed -i 's|^\([[:space:]]*\)"sh"$|\1"/probe", "sleep", "60"|' "$B/config.json"
cg=berth-oci-test-$$/c1
sed -i "s|^\([[:space:]]*\)\"linux\": {|\1\"linux\": { \"cgroupsPath\": \"/$cg\",|" "$B/config.json"
sed -i 's|^\([[:space:]]*\)"resources": {|\1"resources": { "memory": {"limit": 67108864, "reservation": 33554432}, "pids": {"limit": 32}, "cpu": {"shares": 1024, "quota": 50000, "period": 100000}, "unified": {"memory.high": "61440000"},|' "$B/config.json"
"$OCI" create --bundle "$B" c1 >"$T/c1.log" 2>&1 </dev/null || fail "create: $(cat "$T/c1.log")"
d=/sys/fs/cgroup/$cg
[ -d "$d" ] || fail "no cgroup $d"
assert_eq "$(cat "$d/memory.max")" 67108864 memory.max
assert_eq "$(cat "$d/memory.low")" 33554432 memory.low
assert_eq "$(cat "$d/memory.high")" 61440000 "memory.high (unified)"
assert_eq "$(cat "$d/pids.max")" 32 pids.max
assert_eq "$(cat "$d/cpu.max")" "50000 100000" cpu.max
assert_eq "$(cat "$d/cpu.weight")" 39 "cpu.weight from shares 1024"
pid=$("$OCI" state c1 | sed -n 's/.*"pid": \([0-9]*\).*/\1/p')
grep -qx "$pid" "$d/cgroup.procs" || fail "pid $pid is not in $d: $(cat "$d/cgroup.procs")"
"$OCI" start c1 || fail start
out=$("$OCI" exec c1 /probe forkbomb 64)
assert_contains "$out" "errno=EAGAIN" "pids.max inside"
"$OCI" delete --force c1 || fail delete
[ ! -d "$d" ] || fail "cgroup $d left behind"
rmdir "/sys/fs/cgroup/berth-oci-test-$$" 2>/dev/null || true
