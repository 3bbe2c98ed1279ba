# Shared setup of tests/integration/oci-podman-*.t (sourced; not a test).
# podman drives build/berth-oci with its own storage under $T. On a host
# without a pure cgroup v2 hierarchy (this hybrid host), podman's cgroupfs
# manager would create v1 cgroups on the host: the test's private mount
# namespace gets an empty tmpfs over /sys/fs/cgroup instead, and containers
# run with --cgroups=disabled (berth-oci gets --cgroup-manager disabled).
command -v podman >/dev/null 2>&1 || skip "podman is not installed (make deps installs it)"
command -v conmon >/dev/null 2>&1 || skip "conmon is not installed (comes with podman)"
[ -f "$IMAGE" ] || fail "no image $IMAGE (make image)"
OCI="$(dirname "$BERTH")/berth-oci"
if cgroup2_mounted; then
	PM_CG=""
	# podman 4.3's cgroupfs manager gives a pod's own cgroup a device
	# program that denies mknod: with the containers below it (the default
	# --share-parent), creating /dev/null fails, under crun just the same.
	# The pod's containers get cgroups of their own beside it instead.
	PM_PODCG="--share-parent=false"
else
	mount -t tmpfs -o size=1m berth-no-cgroups /sys/fs/cgroup || fail "cannot hide the host's cgroups"
	PM_CG="--cgroups=disabled"
	PM_PODCG=""
fi
# podman calls its runtime with an environment of its own and without
# --runtime-flag in the cleanup after a container exits, so berth-oci uses
# its default state root (CONFIG_DEFAULT_RUN_DIR/oci, under /run): /run is a
# private tmpfs in this test's mount namespace.
mount -t tmpfs -o mode=755,size=16m berth-test-run /run || fail "cannot mount a private /run"
unset BERTH_RUN_DIR
# podman's lock table is a POSIX shm segment (/dev/shm/libpod_lock): one
# left by another podman (a 32-bit one, another lock count) makes every
# podman command fail with ERANGE; a private /dev/shm keeps it the test's own
mount -t tmpfs -o mode=1777,size=16m berth-test-shm /dev/shm || fail "cannot mount a private /dev/shm"
# podman only lets runtimes it knows run without cgroups or speak JSON errors
cat > "$T/containers.conf" <<CONF
[engine]
runtime_supports_json = ["berth-oci"]
runtime_supports_nocgroup = ["berth-oci"]
CONF
export CONTAINERS_CONF="$T/containers.conf"
pm() {
	podman --root "$T/storage" --runroot "$T/runroot" --storage-driver vfs \
		--runtime "$OCI" --cgroup-manager cgroupfs \
		--events-backend file "$@"
}
# within this host's hard limits (podman's default nofile is above them)
PM_POD="$PM_CG --ulimit nofile=1024:1024 --ulimit nproc=1024:1024" # in a pod: its network
PM_RUN="$PM_POD --network none"
pm load -i "$IMAGE" >"$T/load.log" 2>&1 || fail "podman load: $(cat "$T/load.log")"
IMG=docker.io/library/busybox:latest
pm image exists "$IMG" || fail "podman load did not give $IMG: $(pm images)"
