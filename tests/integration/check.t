# berth check: fake /proc and /sys trees (a Raspberry Pi with the memory
# controller off, a cgroup v1 host, a kernel with neither /proc/config.gz nor
# /boot/config-*, a config.gz), bad input, and the real kernel: this host
# (hybrid cgroups: degraded) and the QEMU VMs (pure cgroup v2: the cgroup part
# ready; a VM booted with cgroup_disable=memory: the memory controller missing,
# exit 1, and the fix).
# qemu: yes
need_part check

row() { # OUTPUT ITEM: "STATUS DETAIL" of ITEM's row in the table
	printf '%s\n' "$1" | awk -v i="$2" '$2 == i { $2 = ""; print; exit }'
}
status_of() { row "$1" "$2" | awk '{ print $1 }'; }
assert_status() { # OUTPUT ITEM STATUS
	assert_eq "$(status_of "$1" "$2")" "$3" "status of $2"
}
# the "fix:" line under ITEM's row
fix_of() { # OUTPUT ITEM
	printf '%s\n' "$1" | awk -v i="$2" '
		$2 == i { on = 1; next }
		on && $1 == "fix:" { $1 = ""; print; exit }
		on && $1 != "cost" { exit }'
}

# A Raspberry Pi 4 on Raspberry Pi OS Bookworm: pure cgroup v2, the device
# tree's cgroup_disable=memory, no /proc/config.gz (the configs module is not
# loaded) and no /boot/config-*.
mk_pi() { # DIR
	d=$1
	mkdir -p "$d/proc/self/ns" "$d/proc/sys/kernel" "$d/proc/sys/user" "$d/proc/device-tree" \
		"$d/sys/fs/cgroup" "$d/sys/class/watchdog/watchdog0" "$d/boot/firmware" "$d/dev"
	for ns in mnt uts ipc pid net user cgroup; do : >"$d/proc/self/ns/$ns"; done
	for m in veth bridge nf_tables nf_conntrack nf_nat nft_nat nft_masq nft_ct nft_fib_ipv4 \
		nft_numgen; do
		mkdir -p "$d/sys/module/$m"
	done
	echo 6.6.31+rpt-rpi-v8 >"$d/proc/sys/kernel/osrelease"
	echo 15000 >"$d/proc/sys/user/max_user_namespaces"
	printf 'Raspberry Pi 4 Model B Rev 1.4\0' >"$d/proc/device-tree/model"
	echo "coherent_pool=1M 8250.nr_uarts=0 cgroup_disable=memory numa_policy=interleave console=ttyS0,115200 root=PARTUUID=4e639091-02 rootfstype=ext4 fsck.repair=yes rootwait" >"$d/proc/cmdline"
	echo "console=serial0,115200 console=tty1 root=PARTUUID=4e639091-02 rootfstype=ext4 fsck.repair=yes rootwait" >"$d/boot/firmware/cmdline.txt"
	printf '#subsys_name\thierarchy\tnum_cgroups\tenabled\ncpuset\t0\t60\t1\ncpu\t0\t60\t1\ncpuacct\t0\t60\t1\nblkio\t0\t60\t1\nmemory\t0\t60\t0\ndevices\t0\t60\t1\npids\t0\t60\t1\n' >"$d/proc/cgroups"
	cat >"$d/proc/self/mountinfo" <<-EOF
	22 1 179:2 / / rw,noatime shared:1 - ext4 /dev/mmcblk0p2 rw
	23 22 0:21 / /proc rw,nosuid,nodev,noexec,relatime shared:12 - proc proc rw
	24 22 0:20 / /sys rw,nosuid,nodev,noexec,relatime shared:2 - sysfs sysfs rw
	25 24 0:23 / /sys/fs/cgroup rw,nosuid,nodev,noexec,relatime shared:4 - cgroup2 cgroup2 rw,nsdelegate,memory_recursiveprot
	26 22 179:1 / /boot/firmware rw,relatime shared:20 - vfat /dev/mmcblk0p1 rw
	EOF
	echo "cpuset cpu io pids" >"$d/sys/fs/cgroup/cgroup.controllers"
	echo "cpuset cpu io pids" >"$d/sys/fs/cgroup/cgroup.subtree_control"
	printf 'nodev\tsysfs\nnodev\tproc\nnodev\tcgroup2\n\text4\nnodev\toverlay\n' >"$d/proc/filesystems"
	printf 'Name:\tcat\nSeccomp:\t0\nSeccomp_filters:\t0\n' >"$d/proc/self/status"
	echo "Broadcom BCM2835 Watchdog timer" >"$d/sys/class/watchdog/watchdog0/identity"
	echo 15 >"$d/sys/class/watchdog/watchdog0/max_timeout"
	# a kernel config would say CGROUP_BPF=y; here nothing can tell
}

# ---- a Raspberry Pi with the memory controller off --------------------------
pi=$T/pi
mk_pi "$pi"
expect_status 1 berth --root /var/lib/berth check --prefix "$pi"
info "$out"
assert_contains "$out" "Raspberry Pi 4 Model B" "board line"
assert_status "$out" cgroup2 ok
assert_status "$out" cgroup.cpu ok
assert_status "$out" cgroup.pids ok
assert_status "$out" cgroup.memory missing
assert_contains "$(row "$out" cgroup.memory)" "cgroup_disable=memory" "memory row"
assert_eq "$(fix_of "$out" cgroup.memory)" \
	' Add "cgroup_enable=memory" to the end of the single line in /boot/firmware/cmdline.txt, then reboot' \
	"memory fix"
# what it could not tell is unknown, never missing
assert_status "$out" config unknown
assert_contains "$(fix_of "$out" config)" "modprobe configs" "config fix on a Pi"
assert_status "$out" overlay ok
assert_status "$out" veth ok
assert_status "$out" nftables ok
assert_status "$out" storage ok
assert_status "$out" watchdog ok
assert_contains "$(row "$out" watchdog)" "at most 15 s"
assert_status "$out" cgroup-bpf unknown
assert_status "$out" seccomp ok
assert_contains "$out" "Verdict: degraded"

# the same through the environment, as JSON, and quietly
out=$(BERTH_CHECK_ROOT="$pi" berth --root /var/lib/berth check -o json)
assert_eq "$?" 1 "exit status with -o json"
assert_contains "$out" '"verdict": "degraded"'
assert_contains "$out" '"raspberry_pi": true'
assert_contains "$out" '"cmdline_txt": "/boot/firmware/cmdline.txt"'
assert_contains "$out" '"probed": false'
if command -v python3 >/dev/null; then
	printf '%s' "$out" | python3 -c '
import json, sys
r = json.load(sys.stdin)
it = {i["id"]: i for i in r["items"]}
assert r["exit"] == 1, r["exit"]
assert it["cgroup.memory"]["status"] == "missing", it["cgroup.memory"]
assert "cgroup_enable=memory" in it["cgroup.memory"]["fix"]
assert it["cgroup.memory"]["need"] == "feature"
assert it["config"]["status"] == "unknown"
' || fail "JSON report: $out"
fi
expect_status 1 berth --root /var/lib/berth check -q --prefix "$pi"
assert_eq "$out" "" "output of -q"
# a model string that is not UTF-8 still gives valid JSON
printf 'Raspberry Pi \377\0' >"$pi/proc/device-tree/model"
out=$(berth check -o json --prefix "$pi")
assert_contains "$out" '"model": "(not UTF-8)"'
if command -v python3 >/dev/null; then
	printf '%s' "$out" | python3 -c 'import json, sys; json.load(sys.stdin)' || fail "JSON: $out"
fi
printf 'Raspberry Pi 4 Model B Rev 1.4\0' >"$pi/proc/device-tree/model"

# cmdline.txt already has it: reboot; on a second line: the file is one line
echo "console=tty1 root=PARTUUID=4e639091-02 rootwait cgroup_enable=memory" >"$pi/boot/firmware/cmdline.txt"
expect_status 1 berth check --prefix "$pi"
assert_contains "$(fix_of "$out" cgroup.memory)" "already has cgroup_enable=memory: reboot"
printf 'console=tty1 root=PARTUUID=4e639091-02 rootwait\ncgroup_enable=memory\n' >"$pi/boot/firmware/cmdline.txt"
expect_status 1 berth check --prefix "$pi"
assert_contains "$(fix_of "$out" cgroup.memory)" "must be a single line"
# an older Raspberry Pi OS: /boot/cmdline.txt
rm -rf "$pi/boot/firmware"
echo "console=tty1 root=/dev/mmcblk0p2 rootwait" >"$pi/boot/cmdline.txt"
expect_status 1 berth check --prefix "$pi"
assert_contains "$(fix_of "$out" cgroup.memory)" "single line in /boot/cmdline.txt"
# the memory controller on: ready (the watchdog and the rest are there)
echo "cgroup_disable=memory console=tty1 cgroup_enable=memory" >"$pi/proc/cmdline"
echo "cpuset cpu io memory pids" >"$pi/sys/fs/cgroup/cgroup.controllers"
printf '#subsys_name\thierarchy\tnum_cgroups\tenabled\nmemory\t0\t60\t1\n' >"$pi/proc/cgroups"
expect_status 1 berth check --prefix "$pi"
assert_status "$out" cgroup.memory ok
# ... but for cgroup BPF, which nothing in the tree can confirm: a kernel config does
printf 'CONFIG_CGROUP_BPF=y\nCONFIG_BPF_SYSCALL=y\nCONFIG_MEMCG=y\nCONFIG_CFS_BANDWIDTH=y\n' \
	>"$pi/boot/config-6.6.31+rpt-rpi-v8"
expect_status 0 berth check --prefix "$pi"
assert_status "$out" cgroup-bpf ok
assert_status "$out" config ok
assert_contains "$out" "Verdict: ready"
# a module the config names but the board does not have
rm -rf "$pi/sys/module/veth"
printf 'CONFIG_CGROUP_BPF=y\nCONFIG_BPF_SYSCALL=y\nCONFIG_CFS_BANDWIDTH=y\n# CONFIG_VETH is not set\n' \
	>"$pi/boot/config-6.6.31+rpt-rpi-v8"
expect_status 1 berth check --prefix "$pi"
assert_status "$out" veth missing
assert_contains "$(row "$out" veth)" "CONFIG_VETH is not set"
assert_contains "$(fix_of "$out" veth)" "CONFIG_VETH"
# no watchdog: reported, with the Pi's fix, and the verdict stays
rm -rf "$pi/sys/class/watchdog/watchdog0"
expect_status 1 berth check --prefix "$pi"
assert_status "$out" watchdog missing
assert_contains "$(fix_of "$out" watchdog)" 'Add "dtparam=watchdog=on" to /boot/config.txt'
# user namespaces: Debian's switch for unprivileged users is only a note;
# max_user_namespaces 0 is missing (optional: the verdict stays)
echo 0 >"$pi/proc/sys/kernel/unprivileged_userns_clone"
expect_status 1 berth check --prefix "$pi"
assert_status "$out" userns ok
assert_contains "$(row "$out" userns)" "unprivileged_userns_clone = 0"
echo 0 >"$pi/proc/sys/user/max_user_namespaces"
expect_status 1 berth check --prefix "$pi"
assert_status "$out" userns missing
assert_contains "$(fix_of "$out" userns)" "sysctl -w user.max_user_namespaces="

# ---- a cgroup v1 host without a kernel config or module lists -----------------
v1=$T/v1
mkdir -p "$v1/proc/self/ns" "$v1/proc/sys/kernel" "$v1/sys/class"
for ns in mnt uts ipc pid net; do : >"$v1/proc/self/ns/$ns"; done
echo 4.19.0-27-amd64 >"$v1/proc/sys/kernel/osrelease"
echo "BOOT_IMAGE=/vmlinuz root=/dev/sda1 ro systemd.unified_cgroup_hierarchy=0" >"$v1/proc/cmdline"
printf '#subsys_name\thierarchy\tnum_cgroups\tenabled\ncpu\t2\t60\t1\nmemory\t4\t60\t1\npids\t5\t60\t1\n' >"$v1/proc/cgroups"
cat >"$v1/proc/self/mountinfo" <<EOF
22 1 8:1 / / rw,relatime shared:1 - ext4 /dev/sda1 rw
25 22 0:23 / /sys/fs/cgroup ro,nosuid,nodev,noexec shared:4 - tmpfs tmpfs ro,mode=755
27 25 0:25 / /sys/fs/cgroup/cpu rw,nosuid shared:9 - cgroup cgroup rw,cpu,cpuacct
28 25 0:26 / /sys/fs/cgroup/memory rw,nosuid shared:10 - cgroup cgroup rw,memory
EOF
expect_status 2 berth --root /var/lib/berth check --prefix "$v1"
info "$out"
assert_status "$out" kernel missing
assert_contains "$(row "$out" kernel)" "need 5.3"
assert_status "$out" cgroup2 missing
assert_contains "$(row "$out" cgroup2)" "cgroup v1 only"
assert_contains "$(fix_of "$out" cgroup2)" "Remove systemd.unified_cgroup_hierarchy=0"
assert_status "$out" cgroup.memory missing
assert_contains "$(row "$out" cgroup.memory)" "v1 hierarchy 4"
assert_status "$out" cgroup.io missing
assert_contains "$(row "$out" cgroup.io)" "built without it"
# nothing to tell these by: unknown, not missing
for i in config veth bridge nftables overlay cgroup-bpf seccomp; do
	assert_status "$out" $i unknown
done
assert_contains "$out" "Verdict: cannot run containers"
# a newer kernel there: degraded (cgroup v2 missing), not cannot-run
echo 5.10.0-30-amd64 >"$v1/proc/sys/kernel/osrelease"
expect_status 1 berth --root /var/lib/berth check --prefix "$v1"
assert_status "$out" kernel ok

# ---- module lists alone: modules.builtin and modules.dep --------------------
mkdir -p "$v1/lib/modules/5.10.0-30-amd64"
printf 'kernel/fs/overlayfs/overlay.ko\nkernel/net/bridge/bridge.ko\n' \
	>"$v1/lib/modules/5.10.0-30-amd64/modules.builtin"
printf 'kernel/net/netfilter/nf_tables.ko.xz: kernel/net/netfilter/nfnetlink.ko.xz\nkernel/net/netfilter/nfnetlink.ko.xz:\n' \
	>"$v1/lib/modules/5.10.0-30-amd64/modules.dep"
expect_status 1 berth check --prefix "$v1"
assert_status "$out" overlay ok
assert_status "$out" bridge ok
assert_status "$out" veth missing
assert_contains "$(row "$out" veth)" "neither built in nor installed"
assert_status "$out" nftables missing
assert_contains "$(row "$out" nftables)" "CONFIG_NFT_MASQ"
assert_not_contains "$(row "$out" nftables)" "CONFIG_NF_TABLES"

# ---- /proc/config.gz ----------------------------------------------------------
if has_part images; then
	gz=$T/gz
	mkdir -p "$gz/proc/sys/kernel"
	echo 6.1.0-rpi7-rpi-v8 >"$gz/proc/sys/kernel/osrelease"
	printf '# CONFIG_MEMCG is not set\nCONFIG_VETH=y\nCONFIG_BRIDGE=m\nCONFIG_CGROUP_BPF=y\nCONFIG_BPF_SYSCALL=y\n' |
		gzip -c >"$gz/proc/config.gz"
	printf '#subsys_name\thierarchy\tnum_cgroups\tenabled\ncpu\t0\t1\t1\n' >"$gz/proc/cgroups"
	# the config lacks the namespaces, seccomp and overlay: cannot run
	expect_status 2 berth check --prefix "$gz"
	assert_status "$out" config ok
	assert_status "$out" overlay missing
	assert_contains "$out" "config /proc/config.gz"
	assert_status "$out" veth ok
	assert_status "$out" bridge ok
	assert_status "$out" cgroup-bpf ok
	assert_status "$out" cgroup.memory missing
	assert_contains "$(row "$out" cgroup.memory)" "CONFIG_MEMCG is not set"
	assert_contains "$(fix_of "$out" cgroup.memory)" "CONFIG_MEMCG=y"
	# a corrupt one: said, and the rest still answers
	echo "not gzip at all" >"$gz/proc/config.gz"
	expect_status 1 berth check --prefix "$gz"
	assert_status "$out" config unknown
	assert_contains "$(row "$out" config)" "/proc/config.gz"
	assert_status "$out" veth unknown
fi

# ---- bad input --------------------------------------------------------------------
expect_status 125 berth check --prefix "$T/no-such-tree"
assert_contains "$out" "no-such-tree"
[ "$(printf '%s\n' "$out" | wc -l)" = 1 ] || fail "more than one line: $out"
expect_status 125 berth check -o yaml
assert_contains "$out" '"yaml"'
expect_status 125 berth check extra
assert_contains "$out" '"extra"'

# ---- the running kernel ------------------------------------------------------------
out=$(berth check); rc=$?
info "$out"
case $rc in 0 | 1 | 2) ;; *) fail "berth check exited $rc: $out" ;; esac
# what this kernel surely has (the tests run in namespaces, under seccomp-capable kernels)
assert_status "$out" namespaces ok
assert_status "$out" seccomp ok
assert_status "$out" overlay ok
assert_status "$out" cgroup-bpf ok
# the table and JSON say the same
json=$(berth check -o json); jrc=$?
assert_eq "$jrc" "$rc" "exit status of -o json"
assert_contains "$json" "\"exit\": $rc"
if cgroup2_mounted; then
	# the VMs: pure cgroup v2, the cgroup part ready
	assert_status "$out" cgroup2 ok
	for c in cpu io pids; do assert_status "$out" cgroup.$c ok; done
	if grep -qw cgroup_disable=memory /proc/cmdline; then
		# the VM booted with cgroup_disable=memory (tests/qemu: QEMU_APPEND)
		assert_eq "$rc" 1 "exit status without the memory controller"
		assert_status "$out" cgroup.memory missing
		assert_contains "$(row "$out" cgroup.memory)" "cgroup_disable=memory"
		assert_contains "$(fix_of "$out" cgroup.memory)" "Remove cgroup_disable=memory from the kernel command line"
		assert_contains "$out" "Verdict: degraded"
	else
		assert_status "$out" cgroup.memory ok
	fi
else
	# this host: hybrid or v1 cgroups, so degraded (or worse), never ready
	[ "$rc" -ge 1 ] || fail "berth check says ready without cgroup v2 at /sys/fs/cgroup: $out"
	case $(status_of "$out" cgroup2) in degraded | missing) ;; *) fail "cgroup2 row: $(row "$out" cgroup2)" ;; esac
	assert_contains "$(fix_of "$out" cgroup2)" "cgroup v2"
fi
