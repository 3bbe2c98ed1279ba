#!/bin/bash
# make check: deps, build, image, unit, integration, QEMU (arm, aarch64,
# x86_64). Every stage runs even if an earlier test stage failed; a
# summary closes the run and the exit status is non-zero if anything failed.
#
# The QEMU VMs run side by side, QEMU_JOBS at a time (default 3: all; 1 runs
# them one after the other), each one's output in build/check-qemu-ARCH.out
# and its console in build/qemu-ARCH.log. As each VM ends, one line says
# PASS or FAIL and names the tests that failed (with the console's tail on
# a failure). QEMU_ARCHS picks the VMs (default "arm aarch64 x86_64";
# QEMU_ARCHS="arm aarch64 x86_64 armel" adds the ARMv6 raspi0 VM and its
# smoke set: it is left out by default because the emulated Pi Zero froze
# twice on a loaded host, once in its smoke set (qemu-armv6.md)).
# `scripts/check.sh qemu` runs only the deps and the VM stages.
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
# the failing tests of a VM, from its console: the unit binary's and the
# integration runner's "not ok" lines, and the guest's smoke commands
qemu_failures() { # LOG
	sed -n -e 's/^not ok [0-9]* - \(.*::[^ ]*\).*/unit \1/p' \
		-e 's/^not ok [0-9]* - \([^ ]*\) (exit .*/\1/p' \
		-e 's/^# FAILED: \(smoke: .*\)/\1/p' "$1" 2>/dev/null | sort -u | tr '\n' ' '
}
qemu_done() { # ARCH RC T0
	local a=$1 rc=$2 log=build/qemu-$1.log out=build/check-qemu-$1.out why
	names+=("qemu-$a") results+=("$rc") times+=($((SECONDS - $3)))
	if [ "$rc" = 0 ]; then
		printf '  PASS   qemu-%s (%ss) %s\n' "$a" $((SECONDS - $3)) "$(tail -n 1 "$out")"
		return
	fi
	why=$(qemu_failures "$log")
	[ -n "$why" ] || why=$(grep -h -e '^check-qemu' -e 'rror' "$out" | tail -n 2 | tr '\n' ' ')
	printf '  FAIL   qemu-%s (%ss): %s\n' "$a" $((SECONDS - $3)) "${why:-see $out}"
	printf '  ---- the last lines of %s ----\n' "$out"
	tail -n 30 "$out" | sed 's/^/  | /'
}
qemu_stages() {
	local -A pid_of=() t0_of=()
	local queue=($QEMU_ARCHS) max=${QEMU_JOBS:-3} running=0 a p rc t0=$SECONDS
	printf '\n==== qemu: %s, %s at a time ====\n' "${queue[*]}" "$max"
	while [ ${#queue[@]} -gt 0 ] || [ $running -gt 0 ]; do
		while [ $running -lt "$max" ] && [ ${#queue[@]} -gt 0 ]; do
			a=${queue[0]} queue=("${queue[@]:1}")
			$MAKE --no-print-directory check-qemu ARCH="$a" </dev/null >"build/check-qemu-$a.out" 2>&1 &
			pid_of[$!]=$a t0_of[$a]=$SECONDS running=$((running + 1))
			printf '  START  qemu-%s (output: build/check-qemu-%s.out, console: build/qemu-%s.log)\n' \
				"$a" "$a" "$a"
		done
		wait -n -p p
		rc=$?
		[ -n "${pid_of[$p]:-}" ] || continue
		a=${pid_of[$p]}
		unset "pid_of[$p]"
		running=$((running - 1))
		qemu_done "$a" "$rc" "${t0_of[$a]}"
	done
	qemu_wall="$((SECONDS - t0))s for the VMs, $max at a time"
}
# a second short x86_64 boot that lacks something: berth check must say so
# (check.t); its own work dir and log (QEMU_APPEND), after the three VMs
qemu_nomemcg() {
	stage qemu-x86_64-nomemcg env QEMU_APPEND=cgroup_disable=memory QEMU_UNIT=0 \
		$MAKE --no-print-directory check-qemu ARCH=x86_64 T=check
}
summary() {
	local failed=0
	printf '\n==== summary ====\n'
	for i in "${!names[@]}"; do
		if [ "${results[$i]}" = 0 ]; then s=PASS; else s=FAIL; failed=$((failed + 1)); fi
		printf '  %-22s %s  (%ss)\n' "${names[$i]}" "$s" "${times[$i]}"
	done
	[ -z "${qemu_wall:-}" ] || printf '  (wall time: %s)\n' "$qemu_wall"
	printf '%d passed, %d failed\n' $((${#names[@]} - failed)) "$failed"
	[ $failed = 0 ]
}

QEMU_ARCHS=${QEMU_ARCHS:-arm aarch64 x86_64}
mkdir -p build
# deps-armel only when the ARMv6 VM runs: its multiarch packages stop
# co-installing the day amd64's libc6 moves past armel's (qemu-armv6.md)
armel_deps=
case " $QEMU_ARCHS " in *" armel "*) armel_deps=deps-armel ;; esac
stage deps $MAKE --no-print-directory deps deps-aarch64 deps-armhf $armel_deps || { summary; exit 1; }
if [ "${1:-}" = qemu ]; then
	qemu_stages
	qemu_nomemcg
	summary
	exit
fi
stage build $MAKE --no-print-directory -j"$jobs" all image test-rootfs || { summary; exit 1; }
stage build-config tests/build/kconfig.sh
stage build-triplets tests/build/triplets.sh
stage build-abi32 tests/build/abi32.sh
stage unit $MAKE --no-print-directory check-unit
stage packaging tests/build/packaging.sh
stage integration $MAKE --no-print-directory check-integration
qemu_stages
qemu_nomemcg
summary
