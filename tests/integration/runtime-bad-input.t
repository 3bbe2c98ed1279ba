# Bad input: one line naming the item, exit 125, and nothing left behind -
# no state, no container dir, no mount, no cgroup, no process.
mkrootfs "$T/r"
mounts_before=$(cat /proc/self/mountinfo | wc -l)
cg_before=$(ls /sys/fs/cgroup/berth 2>/dev/null | sort | tr '\n' ' ')

bad() { # NEEDLE ARGS...
	needle=$1; shift
	expect_status 125 berth run --rm "$@"
	assert_contains "$out" "$needle" "error for: $*"
	[ "$(printf '%s\n' "$out" | wc -l)" = 1 ] || fail "more than one line for: $*: $out"
	[ -z "$(ls "$BERTH_RUN_DIR/containers" 2>/dev/null)" ] || fail "state left by: $*"
	[ -z "$(ls "$BERTH_ROOT/containers" 2>/dev/null)" ] || fail "container dir left by: $*"
	[ -z "$(ls "$BERTH_RUN_DIR" | grep -v -x -e containers -e net)" ] || fail "files left in the run dir by: $*"
	# the bridge network (like docker0) stays; its leases must not
	! ls "$BERTH_ROOT"/net/*/[0-9]* >/dev/null 2>&1 || fail "a lease left by: $*"
}

bad "$T/missing" --rootfs "$T/missing" true
bad "No command" --rootfs "$T/r"
bad "No image or --rootfs" 
bad '"12Q"' --memory 12Q --rootfs "$T/r" true
bad '"12Q"' --rootfs "$T/r:O" --memory 12Q true
bad '"0"' --cpus 0 --rootfs "$T/r" true
bad '"-1"' --cpus -1 --rootfs "$T/r" true
bad '"CAP_BOGUS"' --cap-add CAP_BOGUS --rootfs "$T/r" true
bad '"bogus"' --cap-drop bogus --rootfs "$T/r" true
bad "$T/nosrc" -v "$T/nosrc:/x" --rootfs "$T/r" true
bad "$T/nosrc" -v "$T/nosrc:/x" --rootfs "$T/r:O" true
bad "$T/nodev" --device "$T/nodev" --rootfs "$T/r" true
bad '"bad/name"' --name bad/name --rootfs "$T/r" true
bad "kernel.panic" --sysctl kernel.panic=1 --rootfs "$T/r" true
bad "seccomp=bogus" --security-opt seccomp=bogus --rootfs "$T/r" true
if ! cgroup2_controller memory; then
	bad "memory" --memory 64m --rootfs "$T/r" true
	bad "memory" --memory 64m --rootfs "$T/r:O" true
fi
# a name in use: the running container is untouched
expect_status 0 berth run -d --name taken --rootfs "$T/r" /probe pause
expect_status 125 berth run --rm --name taken --rootfs "$T/r:O" true
assert_contains "$out" "already in use"
[ ! -e "$BERTH_ROOT/containers/taken" ] || fail "overlay dir created for a taken name"
expect_status 0 berth ps
assert_contains "$out" "taken"
assert_contains "$out" "running"
expect_status 0 berth rm -f taken

# a failure inside the container's setup (a mount target that cannot be
# made) travels back with its real cause, and nothing is left
echo x >"$T/r/notadir"
expect_status 125 berth run --rm -v "$T/r/etc:/notadir/sub" --rootfs "$T/r:O" true
assert_contains "$out" "/notadir/sub"
[ -z "$(ls "$BERTH_RUN_DIR/containers")" ] || fail "state left after a setup failure"
[ -z "$(ls "$BERTH_ROOT/containers")" ] || fail "overlay dirs left after a setup failure"

assert_eq "$(cat /proc/self/mountinfo | wc -l)" "$mounts_before" "mount count"
assert_eq "$(ls /sys/fs/cgroup/berth 2>/dev/null | sort | tr '\n' ' ')" "$cg_before" "cgroups"
no_runtime_procs() { ! cat /proc/[0-9]*/comm 2>/dev/null | grep -qx -e probe -e berth -e sleep; }
wait_for 5 no_runtime_procs || fail "processes left: $(cat /proc/[0-9]*/comm | sort | tr '\n' ' ')"
