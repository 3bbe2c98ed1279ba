# podman pod with two containers on berth-oci: they share the pod's
# network, ipc and uts namespaces (joined by path). On the host with cgroups
# hidden, and in the VM (x86_64, aarch64) with real cgroup v2.
# qemu: yes
. "$(dirname "$TESTFILE")/oci-podman.sh"

pm pod create $PM_PODCG --name p1 --network none --infra-image "$IMG" --infra-command 'sleep 100000' \
	>"$T/pod.log" 2>&1 || fail "pod create: $(cat "$T/pod.log")"
pm run -d --pod p1 --name a $PM_POD "$IMG" sleep 1000 >"$T/a.log" 2>&1 || fail "run a: $(cat "$T/a.log")"
pm run -d --pod p1 --name b $PM_POD "$IMG" sleep 1000 >"$T/b.log" 2>&1 || fail "run b: $(cat "$T/b.log")"
for ns in net ipc uts; do
	na=$(pm exec a readlink /proc/self/ns/$ns) || fail "exec a"
	nb=$(pm exec b readlink /proc/self/ns/$ns) || fail "exec b"
	assert_eq "$na" "$nb" "$ns namespace of the pod's containers"
done
pid_a=$(pm exec a readlink /proc/self/ns/pid)
pid_b=$(pm exec b readlink /proc/self/ns/pid)
[ "$pid_a" != "$pid_b" ] || fail "the containers share a pid namespace"

assert_eq "$(pm exec a hostname)" "$(pm exec b hostname)" "hostname in the pod"
if [ -z "$PM_CG" ]; then # real cgroups: each container in the one podman asked for
	for c in a b; do
		id=$(pm inspect $c --format '{{.Id}}')
		pid=$(pm inspect $c --format '{{.State.Pid}}')
		assert_contains "$(cat "/proc/$pid/cgroup")" "libpod-$id" "cgroup of $c"
	done
fi
pm pod stop -t 1 p1 >"$T/stop.log" 2>&1 || fail "pod stop: $(cat "$T/stop.log")"
if ! pm pod rm p1 >"$T/rm.log" 2>&1; then
	# with the host's cgroups hidden behind a tmpfs, podman cannot rmdir the
	# pod's fake cgroup directories: only that failure is acceptable
	[ -n "$PM_CG" ] && grep -q "cgroup" "$T/rm.log" || fail "pod rm: $(cat "$T/rm.log")"
fi
[ -n "$PM_CG" ] || [ -z "$(find /sys/fs/cgroup -name 'libpod-*' 2>/dev/null)" ] ||
	fail "cgroups left: $(find /sys/fs/cgroup -name 'libpod-*')"
[ -z "$(pm ps -aq)" ] || fail "containers left: $(pm ps -a)"
[ -z "$("$OCI" list -q)" ] || fail "berth-oci state left: $("$OCI" list)"
