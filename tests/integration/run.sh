#!/bin/sh
# Integration test runner (POSIX sh: runs on this host and in the QEMU VMs
# under busybox). Usage: tests/integration/run.sh BUILD_DIR [TEST...]
#
# Each tests/integration/*.t is a sh script sourced after lib.sh, run as root
# in fresh mount, pid, net, uts and ipc namespaces (so it can never change the
# host's mounts or network, and every process it started dies with it) with a
# temporary state root. Exit 0 = pass, 77 = skip (say why), else fail.
# Output is TAP, closed by "N passed, N failed, N skipped".
here=$(cd "$(dirname "$0")" && pwd)
O=$(cd "${1:-build}" && pwd) || exit 2
shift
[ "$(id -u)" = 0 ] || { echo "integration tests need root (run: sudo make check-integration)" >&2; exit 2; }

if [ $# -gt 0 ]; then
	tests=""
	for t in "$@"; do tests="$tests $here/${t%.t}.t"; done
else
	tests=$(ls "$here"/*.t 2>/dev/null)
fi
tmpbase=${TMPDIR:-/tmp}
timeout_s=${BERTH_TEST_TIMEOUT:-300}
n=0 pass=0 failn=0 skipn=0
total=$(echo $tests | wc -w)
echo "1..$total"
for t in $tests; do
	n=$((n + 1))
	name=$(basename "$t" .t)
	T=$(mktemp -d "$tmpbase/berth-it-$name.XXXXXX")
	chmod 0755 "$T"
	log="$T.log"
	# a test may ask for more time with a "# timeout: SECONDS" line
	this_timeout=$(sed -n 's/^# timeout: \([0-9][0-9]*\)$/\1/p' "$t" | head -n 1)
	[ -n "$this_timeout" ] && [ "$this_timeout" -gt "$timeout_s" ] || this_timeout=$timeout_s
	env BERTH="$O/berth" PROBE="$O/probe" IMAGE="$O/busybox.oci.tar" ROOTFS="$O/tests/rootfs" \
		T="$T" BERTH_ROOT="$T/root" BERTH_RUN_DIR="$T/run" TEST_NAME="$name" LIB="$here/lib.sh" \
		TESTFILE="$t" \
		timeout -s KILL "$this_timeout" unshare --mount --propagation private --net --uts --ipc \
		--pid --fork --mount-proc sh -c '. "$LIB"; lib_setup; . "$TESTFILE"' >"$log" 2>&1
	rc=$?
	# a sanitizer report (make asan) fails the test even if it exited 0 or 77
	if [ $rc = 0 ] || [ $rc = 77 ]; then
		if grep -q -e ': runtime error: ' -e 'ERROR: AddressSanitizer' -e 'ERROR: LeakSanitizer' "$log"; then
			echo "# $name: sanitizer report in its output"
			rc=86
		fi
	fi
	case $rc in
	0) pass=$((pass + 1)); echo "ok $n - $name" ;;
	77) skipn=$((skipn + 1)); echo "ok $n - $name # SKIP $(sed -n 's/^SKIP: //p' "$log" | tail -n 1)" ;;
	*)
		failn=$((failn + 1))
		[ $rc = 137 ] && echo "# $name: killed after ${this_timeout}s (or by SIGKILL)"
		echo "not ok $n - $name (exit $rc)"
		sed 's/^/#   /' "$log" | tail -n 40
		;;
	esac
	[ -n "$BERTH_KEEP" ] || rm -rf "$T" "$log"
done
echo "$pass passed, $failn failed, $skipn skipped"
[ $failn = 0 ]
