# podman run --memory on berth-oci: the limit reaches the container's cgroup
# (cgroup v2 with the memory controller: the QEMU VM), seen from inside and
# from the host side, and exceeding it is an OOM kill that podman reports.
need_cgroup2 memory
. "$(dirname "$TESTFILE")/oci-podman.sh"

# inside: the container's own cgroup (cgroup namespace) carries the limit;
# podman's default swap limit is as much again (memory-swap = 2 x memory)
out=$(pm run --rm --memory 48m $PM_RUN "$IMG" \
	cat /sys/fs/cgroup/memory.max /sys/fs/cgroup/memory.swap.max) || fail "run --memory: $out"
assert_eq "$(echo $out)" "50331648 50331648" "memory.max memory.swap.max inside"

# outside: the cgroup podman asked for (cgroupfs manager: libpod_parent/
# libpod-ID), made by berth-oci, holding the container's pid 1
pm run -d --name mem1 --memory 40m $PM_RUN "$IMG" sleep 1000 >"$T/mem1.log" 2>&1 ||
	fail "run -d --memory: $(cat "$T/mem1.log")"
id=$(pm inspect mem1 --format '{{.Id}}')
pid=$(pm inspect mem1 --format '{{.State.Pid}}')
cg=$(sed -n 's/^0:://p' "/proc/$pid/cgroup")
assert_contains "$cg" "libpod-$id" "the container's cgroup"
assert_eq "$(cat "/sys/fs/cgroup$cg/memory.max")" 41943040 "memory.max of $cg"
assert_contains "$("$OCI" state "$id")" "\"pid\": $pid" "berth-oci state of the podman container"
pm rm -f -t 0 mem1 >/dev/null 2>&1 || fail "rm -f mem1"
[ ! -d "/sys/fs/cgroup$cg" ] || fail "cgroup $cg left behind after rm"

# over the limit: the kernel's OOM killer ends the payload (137), counted in
# the container's memory.events. (podman 4.3's OOMKilled stays false here with
# crun too: conmon 2.1.6 writes its "oom" marker into its own working
# directory, podman looks for it in the bundle.)
pm run --name oom1 --memory 32m --memory-swap 32m -v "$PROBE:/probe:ro" $PM_RUN "$IMG" \
	/probe alloc 512 >"$T/oom.log" 2>&1
st=$?
assert_eq "$st" 137 "exit status over the limit ($(cat "$T/oom.log"))"
assert_eq "$(pm inspect oom1 --format '{{.State.ExitCode}}')" 137 "podman inspect after the OOM kill"
pm rm oom1 >/dev/null || fail "rm oom1"
pm run -d --name oom2 --memory 32m --memory-swap 32m -v "$PROBE:/probe:ro" $PM_RUN "$IMG" \
	sh -c '/probe alloc 512; echo alloc-status=$?; exec sleep 1000' >/dev/null 2>&1 || fail "run -d oom2"
pid=$(pm inspect oom2 --format '{{.State.Pid}}')
cg=$(sed -n 's/^0:://p' "/proc/$pid/cgroup")
i=0
until grep -q alloc-status "$(pm inspect oom2 --format '{{.HostConfig.LogConfig.Path}}')" 2>/dev/null; do
	i=$((i + 1))
	[ $i -lt 300 ] || fail "the probe in oom2 never ended: $(pm logs oom2 2>&1)"
	sleep 0.1
done
assert_contains "$(pm logs oom2 2>&1)" alloc-status=137 "the probe killed inside oom2"
assert_eq "$(sed -n 's/^oom_kill //p' "/sys/fs/cgroup$cg/memory.events")" 1 "oom_kill in $cg/memory.events"
pm rm -f -t 0 oom2 >/dev/null 2>&1 || fail "rm -f oom2"
