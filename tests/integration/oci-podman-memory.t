# podman run --memory on berth-oci: the limit reaches the container's cgroup
# (cgroup v2 with the memory controller: the QEMU VM).
need_cgroup2 memory
. "$(dirname "$TESTFILE")/oci-podman.sh"
out=$(pm run --rm --memory 48m $PM_RUN "$IMG" cat /sys/fs/cgroup/memory.max) || fail "run --memory: $out"
assert_eq "$out" 50331648 "memory.max"
