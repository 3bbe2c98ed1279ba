#!/bin/bash
# make asan: an ASan+UBSan build in O/asan (the static probe stays plain: it
# runs inside containers), then the unit and integration suites against it.
#   scripts/asan.sh O [TEST...]
#
# Every ASan report is written to O/asan/sanitizer/ (log_path), so a report
# from a process whose exit status a test ignores or expects to be non-zero
# still fails the run; the reports are printed at the end. UBSan (combined
# with ASan it ignores log_path) prints to stderr and exits 86; the
# integration runner fails a test whose output holds a sanitizer report.
# Leak detection is on for the unit tests and off for the integration suite:
# LeakSanitizer stops the world by cloning a tracer task, which fails in a
# process that unshared a pid namespace whose first child has exited, and in
# forked children it reports the parent's allocations (see
# docs/decisions/build-asan.md).
set -uo pipefail
cd "$(dirname "$0")/.." || exit 2
O=${1:-build}
shift || true
A=$O/asan
MAKE=${MAKE:-make}
# -O1 plus instrumentation makes GCC's maybe-uninitialized analysis noisy:
# those stay warnings here (the normal -O2 build keeps them errors)
san=(SANITIZE=address,undefined OPT=-O1 O="$A" EXTRA_CFLAGS=-Wno-error=maybe-uninitialized)
logs=$PWD/$A/sanitizer
rm -rf "$logs"
mkdir -p "$logs"
chmod 0777 "$logs"

$MAKE --no-print-directory -j"$(nproc)" "${san[@]}" all unit image test-rootfs || exit 1
common="exitcode=86:halt_on_error=1:detect_stack_use_after_return=1:strict_string_checks=1"
export UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1:exitcode=86"
rc=0
ASAN_OPTIONS="$common:detect_leaks=1:log_path=$logs/asan-unit" \
	$MAKE --no-print-directory "${san[@]}" check-unit || rc=1
ASAN_OPTIONS="$common:detect_leaks=0:log_path=$logs/asan-integration" \
	$MAKE --no-print-directory "${san[@]}" check-integration T="$*" || rc=1

reports=$(find "$logs" -type f | sort)
if [ -n "$reports" ]; then
	for f in $reports; do
		echo "==== sanitizer report $f"
		cat "$f"
	done
	echo "asan: $(echo "$reports" | wc -l) sanitizer report(s)" >&2
	rc=1
fi
[ $rc = 0 ] && echo "asan: unit and integration suites clean under ASan+UBSan"
exit $rc
