#!/bin/bash
# make check: deps, build, image, unit, integration, QEMU (x86_64, aarch64).
# Every stage runs even if an earlier test stage failed; a summary closes the
# run and the exit status is non-zero if anything failed.
set -u
cd "$(dirname "$0")/.."
if [ "$(id -u)" != 0 ]; then
	if command -v sudo >/dev/null; then exec sudo -E make check; fi
	echo "make check must run as root (containers, namespaces, mounts)" >&2
	exit 1
fi
MAKE=${MAKE:-make}
jobs=$(nproc 2>/dev/null || echo 2)
names=() results=() times=()
stage() { # NAME CMD...
	local name=$1 t0=$SECONDS rc
	shift
	printf '\n==== %s ====\n' "$name"
	"$@"
	rc=$?
	names+=("$name") results+=($rc) times+=($((SECONDS - t0)))
	return $rc
}
summary() {
	local failed=0
	printf '\n==== summary ====\n'
	for i in "${!names[@]}"; do
		if [ "${results[$i]}" = 0 ]; then s=PASS; else s=FAIL; failed=$((failed + 1)); fi
		printf '  %-22s %s  (%ss)\n' "${names[$i]}" "$s" "${times[$i]}"
	done
	printf '%d passed, %d failed\n' $((${#names[@]} - failed)) "$failed"
	[ $failed = 0 ]
}

stage deps $MAKE --no-print-directory deps deps-aarch64 deps-armhf || { summary; exit 1; }
stage build $MAKE --no-print-directory -j"$jobs" all image test-rootfs || { summary; exit 1; }
stage build-config tests/build/kconfig.sh
stage build-triplets tests/build/triplets.sh
stage build-abi32 tests/build/abi32.sh
stage unit $MAKE --no-print-directory check-unit
stage packaging tests/build/packaging.sh
stage integration $MAKE --no-print-directory check-integration
stage qemu-x86_64 $MAKE --no-print-directory check-qemu ARCH=x86_64
# a second short boot that lacks something: berth check must say so (check.t)
stage qemu-x86_64-nomemcg env QEMU_APPEND=cgroup_disable=memory QEMU_UNIT=0 \
	$MAKE --no-print-directory check-qemu ARCH=x86_64 T=check
stage qemu-aarch64 $MAKE --no-print-directory check-qemu ARCH=aarch64
summary
