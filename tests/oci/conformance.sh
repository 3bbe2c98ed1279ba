#!/bin/bash
# Run the OCI runtime-tools validation suite against one runtime and print
# the pass counts (docs/conformance.md says how the figures were measured).
#
#   tests/oci/conformance.sh RUNTIME_TOOLS_DIR NAME [TEST...]
#
# RUNTIME_TOOLS_DIR: opencontainers/runtime-tools at 260e151, built with
# `make runtimetest validation-executables` (Debian's golang-go, vendored
# modules, offline). It is never part of this repository or of make check.
# NAME: berth-oci (this tree's build/berth-oci), crun or runc.
#
# Every test runs as root in a private mount + pid namespace where /run is a
# fresh tmpfs (runtime state) and the host's cgroup hierarchies are hidden
# behind an empty tmpfs: no runtime can create a cgroup on this host. crun
# gets --cgroup-manager=disabled; runc has no such switch and fails what
# needs a cgroup; berth-oci runs without a cgroup when none is usable.
set -u
rtt=$(cd "$1" && pwd) || exit 2
name=$2
shift 2
here=$(cd "$(dirname "$0")/../.." && pwd)
case $name in
berth-oci) cmd="$here/build/berth-oci" ;;
crun) cmd="crun --cgroup-manager=disabled" ;;
runc) cmd="runc" ;;
*) echo "unknown runtime $name" >&2; exit 2 ;;
esac
[ "$(id -u)" = 0 ] || { echo "needs root" >&2; exit 2; }
if [ $# -gt 0 ]; then
	tests=$(for t in "$@"; do echo "validation/$t/$t.t"; done)
else
	tests=$(cd "$rtt" && ls validation/*/*.t)
fi
out=$(mktemp -d /tmp/oci-conformance.XXXXXX)
cat > "$out/runtime" <<W
#!/bin/sh
exec $cmd "\$@"
W
chmod +x "$out/runtime"

# shellcheck disable=SC2016
inner='
	umount -R /sys/fs/cgroup 2>/dev/null || umount -l /sys/fs/cgroup
	mount -t tmpfs -o size=1m,mode=755 oci-conformance-no-cgroups /sys/fs/cgroup
	mount -t tmpfs -o size=64m,mode=755 oci-conformance-run /run
	cd "$RTT" || exit 2
	for t in $TESTS; do
		n=$(basename "$t" .t)
		RUNTIME="$OUT/runtime" timeout -s KILL 120 "./$t" >"$OUT/$n.tap" 2>"$OUT/$n.err" </dev/null
		echo "$?" >"$OUT/$n.rc"
	done
'
NAME=$name RTT=$rtt TESTS=$tests OUT=$out unshare --mount --propagation private --pid --fork --mount-proc \
	sh -c "$inner"

# Two counts: test programs that pass (exit 0, no "not ok"; a program that
# prints no TAP at all, like the *_fail ones, passes by its exit status) and
# TAP assertions (ok / not ok / skip; a program that dies without any TAP
# line counts as one failed assertion).
files_ok=0 files=0 pass=0 fail=0 skip=0
for t in $tests; do
	n=$(basename "$t" .t)
	rc=$(cat "$out/$n.rc" 2>/dev/null || echo 1)
	p=$(grep -c '^ok ' "$out/$n.tap" | tr -d ' ')
	s=$(grep -c '^ok .*# [Ss][Kk][Ii][Pp]' "$out/$n.tap" | tr -d ' ')
	f=$(grep -c '^not ok ' "$out/$n.tap" | tr -d ' ')
	if [ "$p" = 0 ] && [ "$f" = 0 ]; then
		if [ "$rc" = 0 ] && ! grep -q '"error"' "$out/$n.tap"; then p=1; else f=1; fi
	fi
	verdict=FAIL
	if [ "$rc" = 0 ] && [ "$f" = 0 ]; then verdict=PASS; files_ok=$((files_ok + 1)); fi
	files=$((files + 1))
	pass=$((pass + p - s)) skip=$((skip + s)) fail=$((fail + f))
	printf '%-36s %s  ok %3d  not-ok %3d  skip %3d  exit %s\n' "$n" $verdict $((p - s)) "$f" "$s" "$rc"
done
echo "TOTAL $name: $files_ok of $files test programs pass; assertions: $pass ok, $fail not ok, $skip skipped (TAP in $out)"
