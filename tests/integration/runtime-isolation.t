# Namespaces and the file system seen from inside: pid 1 with no host pids,
# qemu: yes
# hostname, its own mount table, /proc /sys /dev as Docker sets them up.
mkrootfs "$T/r"

expect_status 0 berth run --rm --hostname box1 --rootfs "$T/r" /probe info
assert_eq "$(kv "$out" pid)" 1 "pid"
assert_eq "$(kv "$out" ppid)" 0 "ppid"
assert_eq "$(kv "$out" pids_visible)" 1 "processes visible"
assert_eq "$(kv "$out" hostname)" box1 "hostname"
assert_eq "$(kv "$out" cwd)" / "cwd"
mounts=$(printf '%s\n' "$out" | sed -n 's/^mount=//p')
# its own mount table: no test-host paths, the root is the first mount
assert_not_contains "$mounts" "$T" "mounts"
assert_not_contains "$mounts" "/work" "mounts"
assert_eq "$(printf '%s\n' "$mounts" | head -n 1 | cut -d' ' -f1)" / "first mount"
assert_contains "$mounts" "/proc proc rw,nosuid,nodev,noexec" "/proc options"
assert_contains "$mounts" "/sys sysfs ro,nosuid,nodev,noexec" "/sys options"
assert_contains "$mounts" "/dev tmpfs rw,nosuid" "/dev"
assert_contains "$mounts" "/dev/pts devpts rw,nosuid,noexec" "/dev/pts"
assert_contains "$mounts" "/dev/shm tmpfs rw,nosuid,nodev,noexec" "/dev/shm"
assert_contains "$mounts" "/dev/mqueue mqueue" "/dev/mqueue"

# the hostname is also the default (the container name)
expect_status 0 berth run --rm --name web-1 --rootfs "$T/r" /probe info
assert_eq "$(kv "$out" hostname)" web-1 "default hostname"

# /dev nodes and symlinks
expect_status 0 berth run --rm --rootfs "$T/r" /probe stat /dev/null
assert_contains "$out" "mode:20666" "/dev/null mode"
assert_contains "$out" "rdev:1:3" "/dev/null rdev"
expect_status 0 berth run --rm --rootfs "$T/r" /probe ls /dev
for n in null zero full random urandom tty ptmx fd stdin stdout stderr pts shm mqueue; do
	printf '%s\n' "$out" | grep -qx "entry=$n" || fail "/dev/$n missing: $out"
done
expect_status 0 berth run --rm --rootfs "$T/r" sh -c 'readlink /dev/ptmx; readlink /dev/fd'
assert_contains "$out" "pts/ptmx"
assert_contains "$out" "/proc/self/fd"

# network: a new namespace with only lo, up; --network host sees ours
expect_status 0 berth run --rm --network none --rootfs "$T/r" sh -c 'ls /sys/class/net; cat /sys/class/net/lo/operstate /sys/class/net/lo/flags'
assert_eq "$(printf '%s\n' "$out" | head -n 1)" lo "interfaces"
assert_contains "$out" "0x9" "lo is up"
ip link add berthdummy0 type dummy 2>/dev/null && {
	expect_status 0 berth run --rm --network host --rootfs "$T/r" ls /sys/class/net
	assert_contains "$out" berthdummy0 "host network"
	ip link del berthdummy0
}

# environment: PATH, HOSTNAME, HOME and -e
expect_status 0 berth run --rm --name envy -e FOO=bar -w /tmp --rootfs "$T/r" /probe env
assert_contains "$out" "env=FOO=bar"
assert_contains "$out" "env=HOSTNAME=envy"
assert_contains "$out" "env=HOME=/root"
assert_contains "$out" "env=PATH=/usr/local/sbin:"
expect_status 0 berth run --rm -w /tmp --rootfs "$T/r" /probe info
assert_eq "$(kv "$out" cwd)" /tmp "cwd with -w"

# namespaced sysctls are set inside; with the host network they are refused
expect_status 0 berth run --rm --sysctl net.ipv4.ip_forward=1 --sysctl kernel.shmmni=1234 --rootfs "$T/r" \
	cat /proc/sys/net/ipv4/ip_forward /proc/sys/kernel/shmmni
assert_eq "$out" "1
1234" "sysctls inside"
expect_status 125 berth run --rm --network host --sysctl net.ipv4.ip_forward=1 --rootfs "$T/r" true
assert_contains "$out" "net.ipv4.ip_forward"
# the uts and ipc namespaces are the container's own
expect_status 0 berth run --rm --hostname inner --rootfs "$T/r" sh -c 'hostname changed 2>&1; hostname'
[ "$(hostname)" != changed ] || fail "hostname change reached the test's namespace"
