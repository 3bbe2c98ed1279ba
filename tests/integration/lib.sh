# Helpers for integration tests (POSIX sh, busybox-compatible). Sourced by
# run.sh inside the test's own namespaces. Environment: BERTH PROBE IMAGE
# ROOTFS T BERTH_ROOT BERTH_RUN_DIR TEST_NAME.

lib_setup() {
	set -u
	mkdir -p "$BERTH_ROOT" "$BERTH_RUN_DIR"
	ip link set lo up 2>/dev/null || true
	cd "$T" || exit 1
}

berth() { "$BERTH" "$@"; }
fail() { echo "FAIL: $*" >&2; exit 1; }
skip() { echo "SKIP: $*"; exit 77; }
info() { echo "# $*"; }

assert_eq() { # ACTUAL EXPECTED [WHAT]
	[ "$1" = "$2" ] || fail "${3:-value}: expected '$2', got '$1'"
}
assert_contains() { # HAYSTACK NEEDLE [WHAT]
	case "$1" in *"$2"*) ;; *) fail "${3:-output} does not contain '$2': $1" ;; esac
}
assert_not_contains() {
	case "$1" in *"$2"*) fail "${3:-output} contains '$2': $1" ;; esac
}
# Run a command expecting exit status WANT; its output lands in $out.
expect_status() { # WANT CMD...
	want=$1; shift
	out=$("$@" 2>&1); rc=$?
	[ "$rc" = "$want" ] || fail "'$*' exited $rc, expected $want: $out"
}
# key=value lookup in probe output: kv "$out" hostname
kv() { printf '%s\n' "$1" | sed -n "s/^$2=//p" | head -n 1; }

# A private writable copy of the test rootfs (busybox + /probe).
mkrootfs() { # DIR
	mkdir -p "$1" && cp -a "$ROOTFS"/. "$1"/
}

has_part() { "$BERTH" version | grep -q " $1"; }
need_part() { has_part "$1" || skip "berth built without $1"; }

# Is /sys/fs/cgroup a cgroup2 mount? (this host: no; the VMs: yes). Use this,
# not `stat -f -c %T`: busybox stat has no name for cgroup2, so compare the
# magic (CGROUP2_SUPER_MAGIC).
cgroup2_mounted() {
	[ "$(stat -f -c %t /sys/fs/cgroup 2>/dev/null)" = 63677270 ]
}
# cgroup v2 with CONTROLLER enabled at the root?
cgroup2_controller() {
	cgroup2_mounted || return 1
	grep -qw "$1" /sys/fs/cgroup/cgroup.controllers 2>/dev/null
}
need_cgroup2() { # [CONTROLLER...]; with none, only the cgroup2 mount
	cgroup2_mounted || skip "no cgroup v2 at /sys/fs/cgroup (runs in the QEMU VM)"
	for c in "$@"; do
		cgroup2_controller "$c" || skip "no cgroup v2 $c controller on this kernel (runs in the QEMU VM)"
	done
}
# Wait up to SECONDS for CMD to succeed (polling is fine in tests, not in berth).
wait_for() { # SECONDS CMD...
	s=$1; shift; i=0
	while [ $i -lt $((s * 10)) ]; do
		"$@" >/dev/null 2>&1 && return 0
		sleep 0.1; i=$((i + 1))
	done
	return 1
}
# HTTP GET to stdout with a time bound, with GNU wget (host) and busybox wget
# (VM) alike. Not `wget -T`: Debian's busybox 1.35 wget segfaults with -T.
http_get() { # URL [SECONDS]
	timeout "${2:-5}" wget -q -O - "$1"
}
