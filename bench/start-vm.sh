#!/bin/sh
# shellcheck shell=dash
# bench/start-vm.sh: the start benchmark (bench/start) inside the QEMU VM,
# where berth, crun and runc all get real cgroup v2. busybox sh + awk only.
#
#   make bench-qemu [ARCH=x86_64]    (= QEMU_BENCH=start tests/qemu/run.sh)
#
# tests/qemu/run.sh packs this script (not executable in the tree, so
# `make bench` does not run it on the host), bench/vmtime (static), crun and
# runc from the host with their libraries (on a foreign ARCH, e.g. arm:
# Debian's crun for it, and BENCH_NAMES="berth crun"), and the bundles that
# bench/start-vm-bundles.py made from bench/start's config into
# /berth/bench; tests/qemu/init runs it instead of the test suites.
#
# berth run --rm /bin/true on an overlay of the busybox test tree (mounted by
# berth on every run), against crun and runc running the equivalent bundle
# on an overlay mounted once; all with mount, pid, uts, ipc, net and cgroup
# namespaces, Docker's capabilities and seccomp profile, and a cgroup v2
# cgroup per container (berth: berth/ID; crun --cgroup-manager=cgroupfs and
# runc: cgroupsPath /berth-bench). BENCH_RUNS rounds (default 50, about 5
# minutes under TCG); in each round every runtime runs once, who goes first
# rotating. Timing: vmtime
# (CLOCK_MONOTONIC around fork+exec+wait). Prints medians, p10/p90, peak
# RSS, the ratios, and exits non-zero when any run fails.
set -u
N=${BENCH_RUNS:-50}
B=/berth/bench
lower=/berth/build/tests/rootfs
work=/tmp/bench
# under TCG runc takes seconds a run: the variants (berth-w crun-nosc
# runc-nosc) only when asked, e.g. BENCH_NAMES="berth crun runc crun-nosc"
names=${BENCH_NAMES:-berth crun runc}
fail() { echo "bench/start-vm: $*" >&2; exit 1; }

mkdir -p "$work/upper" "$work/work" /bench/rootfs || fail "cannot make $work"
mount -t overlay overlay -o "lowerdir=$lower,upperdir=$work/upper,workdir=$work/work" /bench/rootfs ||
	fail "cannot mount the overlay for crun/runc"
# berth from a read-only bind, as from a board's read-only root (no sealed
# memfd re-exec, CVE-2019-5736); berth-w runs the writable initramfs copy
touch "$work/berth"
{ mount --bind /berth/build/berth "$work/berth" && mount -o remount,bind,ro "$work/berth"; } ||
	fail "cannot bind berth read-only"

cmd() { # NAME ID [BUNDLE] -> the command line in $c
	case $1 in
	berth) c="$work/berth --root $work/b-root --run-dir $work/b-run run --rm --network none --name b$2 --rootfs $lower:O ${3:-/bin/true}" ;;
	berth-w) c="/berth/build/berth --root $work/w-root --run-dir $work/w-run run --rm --network none --name w$2 --rootfs $lower:O /bin/true" ;;
	crun) c="crun --root $work/crun --cgroup-manager=cgroupfs run --bundle $B/bundles/${3:-bundle} c$2" ;;
	crun-nosc) c="crun --root $work/crun --cgroup-manager=cgroupfs run --bundle $B/bundles/bundle-noseccomp d$2" ;;
	runc) c="runc --root $work/runc run --bundle $B/bundles/${3:-bundle} u$2" ;;
	runc-nosc) c="runc --root $work/runc run --bundle $B/bundles/bundle-noseccomp v$2" ;;
	*) fail "unknown runtime '$1'" ;;
	esac
}

timed() { # NAME ID -> appends "NS RSS_KIB" to $work/NAME.dat
	cmd "$1" "$2"
	# shellcheck disable=SC2086 # $c is a command line
	out=$("$B/vmtime" $c 2>"$work/err") || fail "$1 failed ($?): $(cat "$work/err")"
	echo "$out" >>"$work/$1.dat"
}

# each runtime must make a real cgroup v2 cgroup: list the cgroups holding
# processes while a `sleep 5` container runs
echo "==== cgroups made by each runtime (a sleep 5 container) ===="
for n in berth crun runc; do
	case " $names " in *" $n "*) ;; *) continue ;; esac # runc only where packed
	case $n in berth) cmd berth chk /bin/sleep\ 5 ;; *) cmd "$n" chk bundle-sleep ;; esac
	# shellcheck disable=SC2086
	$c </dev/null >/dev/null 2>"$work/err" &
	pid=$! found=
	t=0
	while [ $t -lt 50 ] && kill -0 "$pid" 2>/dev/null; do
		# cgroup paths have no blanks
		# shellcheck disable=SC2044
		for f in $(find /sys/fs/cgroup -mindepth 2 -name cgroup.procs); do
			case $f in /sys/fs/cgroup/init/*) continue ;; esac
			# cgroup files have size 0: read them
			[ -n "$(cat "$f" 2>/dev/null)" ] || continue
			found="$found ${f#/sys/fs/cgroup}"
			d=${f%/cgroup.procs}
			echo "$n: ${d#/sys/fs/cgroup} (controllers: $(cat "$d/cgroup.controllers"))"
		done
		[ -n "$found" ] && break
		sleep 0.1
		t=$((t + 1))
	done
	[ -n "$found" ] || echo "$n: cgroups after $t polls: $(find /sys/fs/cgroup -mindepth 1 -type d)" >&2
	wait "$pid" || fail "$n: the sleep container failed: $(cat "$work/err")"
	[ -n "$found" ] || fail "$n: no cgroup with a process while its container ran"
	for f in $found; do
		[ ! -d "/sys/fs/cgroup${f%/cgroup.procs}" ] || echo "$n: NOTE: left ${f%/cgroup.procs} behind"
	done
done

# shellcheck disable=SC2086 # a list of names
set -- $names
k=$#
i=0
while [ $i -lt 3 ]; do # warm caches
	for n in $names; do timed "$n" "x$i"; done
	i=$((i + 1))
done
rm -f "$work"/*.dat
t0=$(cut -d' ' -f1 /proc/uptime)
i=0
while [ $i -lt "$N" ]; do
	j=0
	while [ $j -lt "$k" ]; do # rotate who goes first
		eval "n=\${$(((i + j) % k + 1))}"
		timed "$n" "$i"
		j=$((j + 1))
	done
	i=$((i + 1))
done
t1=$(cut -d' ' -f1 /proc/uptime)

stats() { # NAME -> "median p10 p90 maxrss" (ms, ms, ms, KiB)
	sort -n "$work/$1.dat" | awk '{ t[NR] = $1 / 1e6; if ($2 > r) r = $2 }
		END { m = (NR % 2) ? t[(NR + 1) / 2] : (t[NR / 2] + t[NR / 2 + 1]) / 2
		      printf "%.2f %.2f %.2f %d\n", m, t[int(NR / 10) + 1], t[int(NR * 9 / 10) + 1], r }'
}
echo "==== bench/start in the VM: $N runs each, alternating, ${t0}s..${t1}s guest uptime ===="
echo "$(uname -srm), $(grep -c ^processor /proc/cpuinfo) cpus, TCG: absolute times are slow, the ratios matter"
printf '%-10s %10s %10s %10s %10s\n' "" median p10 p90 "peak RSS"
for n in $names; do
	# shellcheck disable=SC2046 # four numbers
	set -- $(stats "$n")
	eval "med_$(echo "$n" | tr - _)=$1"
	printf '%-10s %8.2fms %8.2fms %8.2fms %7dKiB\n' "$n" "$1" "$2" "$3" "$4"
done
m='' a=''
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", a / b }'; }
for n in berth berth-w; do
	case " $names " in *" $n "*) ;; *) continue ;; esac
	eval "m=\$med_$(echo "$n" | tr - _)"
	line="$n:"
	for r in crun runc; do
		case " $names " in *" $r "*) ;; *) continue ;; esac
		eval "a=\$med_$r"
		t=0.6; [ $r = runc ] && t=0.25
		line="$line $(ratio "$m" "$a")x $r (target ${t}x),"
		case " $names " in *" $r-nosc "*)
			eval "a=\$med_${r}_nosc"
			line="$line $(ratio "$m" "$a")x $r-nosc," ;;
		esac
	done
	echo "${line%,}"
done
echo "crun/runc: containers-common's seccomp.json as OCI (bench/start), cgroupfs manager"
case " $names " in *-nosc\ *) echo "*-nosc: the same bundle without the seccomp profile" ;; esac
echo "berth: the default build, from a read-only bind of the binary (no sealed-memfd re-exec)"
case " $names " in *" berth-w "*) echo "berth-w: the writable copy (sealed-memfd re-exec, CVE-2019-5736)" ;; esac
umount "$work/berth" /bench/rootfs
