#!/bin/bash
# Boot Debian's own kernel under QEMU (TCG, never KVM) with an initramfs that
# holds busybox, the build for ARCH and the test suites; the guest mounts a
# pure cgroup v2 hierarchy, runs the unit and integration suites and prints a
# verdict that becomes this script's exit status.
#
#   tests/qemu/run.sh [ARCH] [TEST...]     (make check-qemu ARCH=... T="...")
#
# ARCH: x86_64, aarch64 or arm (armhf: ARMv7, Debian's armmp kernel on
# -M virt) (default: the host's). TEST: integration tests to run; by default
# the ones that need the VM (need_cgroup2 or a "# qemu: yes" line), on
# aarch64 and arm less the heavy loop tests matching QEMU_AARCH64_EXCLUDE
# (default "*-cycles *-stress"), or exactly QEMU_AARCH64_TESTS when set.
# ARCH=armel (ARMv6: Pi Zero, Pi 1) boots Debian armel's linux-image-rpi on
# QEMU's raspi0 (ARM1176, 512 MiB, one core) and runs the smoke set in
# QEMU_ARMEL_TESTS (docs/decisions/qemu-armv6.md); QEMU_TESTS=all, or TEST
# names, run more there too.
# QEMU_TESTS=all runs the whole suite.
# QEMU_BENCH=start (make bench-qemu) runs bench/start-vm.sh in the guest
# instead of the tests: against the host's crun and runc on the host's ARCH,
# against Debian's crun for ARCH (fetched, not installed) on another.
# Environment: QEMU_TIMEOUT (seconds), QEMU_SMP, QEMU_MEM, QEMU_UNIT=0 to skip
# the unit tests, QEMU_UNIT_FILTER (Criterion --filter). The guest's console
# is shown live and saved to build/qemu-ARCH.log (a bench run: qemu-ARCH-bench.log).
# Tests see BERTH_VM_ARCH; BERTH_TEST_TIMEOUT reaches the guest's runner.
# QEMU_APPEND: words added to the guest kernel's command line (e.g.
# cgroup_disable=memory, for a boot that lacks something); the log is then
# build/qemu-ARCH-append.log and its work dir build/qemu-ARCH-append/.
set -euo pipefail
cd "$(dirname "$0")/../.."
arch=${1:-$(uname -m)}
shift || true
case $arch in arm64) arch=aarch64 ;; amd64) arch=x86_64 ;; armhf | armv7l) arch=arm ;; esac
hostarch=$(uname -m)

# TCG emulating ARM is several times slower than x86_64 and make check runs
# all three: the ARM VMs (subset=1) leave out the heavy loop tests (the
# x86_64 VM runs them).
QEMU_AARCH64_TESTS=${QEMU_AARCH64_TESTS:-}
QEMU_AARCH64_EXCLUDE=${QEMU_AARCH64_EXCLUDE-*-cycles *-stress}

subset=0
case $arch in
x86_64)
	darch=amd64 triplet=x86_64-linux-gnu console=ttyS0 timeout_s=${QEMU_TIMEOUT:-720}
	qemu=(qemu-system-x86_64 -machine q35 -cpu max)
	;;
aarch64)
	darch=arm64 triplet=aarch64-linux-gnu console=ttyAMA0 timeout_s=${QEMU_TIMEOUT:-1200}
	qemu=(qemu-system-aarch64 -machine virt -cpu cortex-a72)
	subset=1
	;;
arm)
	# armhf (ARMv7 + VFP, a Pi 2/3 running 32-bit Raspberry Pi OS): Debian's
	# armmp kernel on QEMU's virt board (its own device tree; highmem=off:
	# armmp is not an LPAE kernel)
	darch=armhf triplet=arm-linux-gnueabihf console=ttyAMA0 timeout_s=${QEMU_TIMEOUT:-1800}
	qemu=(qemu-system-arm -machine virt,highmem=off -cpu cortex-a15)
	kmeta=linux-image-armmp
	subset=1
	;;
armel)
	# ARMv6 (Pi Zero, Pi 1): Debian armel's Pi kernel on QEMU's Pi Zero with
	# the kernel's own device tree. QEMU has no power domain device: the
	# kernel faults probing it (initcall_blacklist); nor the I2C controller,
	# whose clock divider reads 0 (a division by zero backtrace). No PCI, no
	# virtio, no network card: the initramfs is the only disk.
	darch=armel triplet=arm-linux-gnueabi console=ttyAMA0 timeout_s=${QEMU_TIMEOUT:-1500}
	# (no -icount: it would rule out the timer race suspected in
	# qemu-armv6.md, but cpu.max throttling then never ends a spin loop)
	qemu=(qemu-system-arm -machine raspi0)
	kmeta=linux-image-rpi vm_dtb=bcm2835-rpi-zero.dtb vm_smp=1 vm_mem=512
	vm_cmdline="initcall_blacklist=bcm2835_power_driver_init,bcm2835_i2c_driver_init"
	;;
*) echo "check-qemu: unsupported ARCH '$arch' (x86_64, aarch64, arm or armel)" >&2; exit 2 ;;
esac
kmeta=${kmeta:-linux-image-$darch}
if [ "$arch" = "$hostarch" ]; then O=build; else O=build/$arch; fi
dl=build/downloads
work=build/qemu-$arch${QEMU_BENCH:+-bench}${QEMU_APPEND:+-append}
log=$work.log
say() { printf '  %-6s %s\n' "$1" "$2"; }
die() { echo "check-qemu: $*" >&2; exit 2; }
command -v "${qemu[0]}" >/dev/null || die "${qemu[0]} missing: run 'make deps'"
[ "$(id -u)" = 0 ] || die "needs root to fetch the kernel package (run: sudo make check-qemu)"

for t in "$@"; do
	[ -f "tests/integration/${t%.t}.t" ] || die "no integration test '$t' (tests/integration/${t%.t}.t)"
done
case ${QEMU_BENCH:-} in
'') ;;
start)
	if [ "$arch" = "$hostarch" ]; then
		for r in crun runc; do command -v $r >/dev/null || die "QEMU_BENCH=start needs $r (make deps)"; done
	else
		BENCH_NAMES=${BENCH_NAMES:-berth crun}
	fi
	QEMU_UNIT=0
	timeout_s=${QEMU_TIMEOUT:-1500} # runc alone takes seconds a run under TCG
	;;
*) die "unknown QEMU_BENCH '$QEMU_BENCH' (start)" ;;
esac

# ---- the build for ARCH ----------------------------------------------------
t_start=$SECONDS
make --no-print-directory -j"$(nproc)" ARCH="$arch" all unit image test-rootfs

# ---- Debian's kernel (not installed: apt-get download + dpkg -x) -----------
kpkg=$(apt-cache depends "$kmeta:$darch" 2>/dev/null |
	sed -n "s/^ *Depends: \(linux-image-[0-9][^:]*\).*/\1/p" | head -n 1)
if [ -z "$kpkg" ]; then
	apt-get update -q >/dev/null
	kpkg=$(apt-cache depends "$kmeta:$darch" |
		sed -n "s/^ *Depends: \(linux-image-[0-9][^:]*\).*/\1/p" | head -n 1)
fi
[ -n "$kpkg" ] || die "cannot resolve the package behind $kmeta"
kdir=$dl/linux-image-$arch
say FETCH "$kpkg ($darch)"
scripts/fetch-deb.sh "$kpkg" "$arch" "$kdir"
kver=$(ls "$kdir/lib/modules" | head -n 1)
kernel=$kdir/boot/vmlinuz-$kver
[ -f "$kernel" ] || die "no kernel in $kpkg"

# busybox-static for ARCH (the host's is the same Debian build for x86_64)
if [ "$arch" = "$hostarch" ]; then
	busybox=/bin/busybox
else
	scripts/fetch-deb.sh busybox-static "$arch" "$dl/busybox-static-$arch"
	busybox=$dl/busybox-static-$arch/bin/busybox
fi

# ---- initramfs ---------------------------------------------------------------
rm -rf "$work"
root=$work/root
mkdir -p "$root"/{bin,sbin,usr/bin,usr/sbin,etc,proc,sys,dev,tmp,run,root,lib/$triplet} \
	"$root/berth/build/tests" "$root/berth/tests/integration" "$root/berth/modules"
cp "$busybox" "$root/bin/busybox"
ln -s busybox "$root/bin/sh"
install -m 0755 tests/qemu/init "$root/init"
printf 'root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/nonexistent:/bin/false\n' >"$root/etc/passwd"
printf 'root:x:0:\ntty:x:5:\nnogroup:x:65534:\n' >"$root/etc/group"
printf '127.0.0.1 localhost berth-vm\n::1 localhost\n' >"$root/etc/hosts"
# as on a board running systemd-resolved: a loopback nameserver (tests may
# bind over it; the VM has no network)
printf 'nameserver 127.0.0.53\noptions edns0\n' >"$root/etc/resolv.conf"
printf 'hosts: files dns\n' >"$root/etc/nsswitch.conf"
echo berth-vm >"$root/etc/hostname"

# the build dir as tests/integration/run.sh expects it: berth and its links,
# probe, the image, and every test helper the build made in tests/ (unit
# binary, rootfs, netprobe, recvtty, ...), without objects, archives and the
# other build trees below build/
b=$root/berth/build
for f in "$O"/*; do
	case ${f##*/} in
	obj | include | tools | downloads | asan | qemu-* | aarch64 | x86_64 | arm | armel | tests | *.a | *.log | *.d | auto.conf*) continue ;;
	esac
	cp -a "$f" "$b/"
done
cp -a "$O/tests/." "$b/tests/"
rm -f "$b/tests/"*.tap
[ "${QEMU_UNIT:-1}" != 0 ] || rm -f "$b/tests/unit"
# the whole suite: tests may source helpers (net-lib.sh) or read data files
cp -a tests/integration/. "$root/berth/tests/integration/"
cp -a examples "$root/berth/examples" # the unit tests validate them

# the start benchmark: the host's crun and runc, or Debian's crun for a
# foreign ARCH (their libraries below), a static timer, and bundles made
# with bench/start's config (its seccomp profile for ARCH)
if [ "${QEMU_BENCH:-}" = start ]; then
	mkdir -p "$root/berth/bench"
	if [ "$arch" = "$hostarch" ]; then
		cp -L "$(command -v crun)" "$(command -v runc)" "$root/usr/bin/"
		vmcc=${CC:-cc}
	else
		scripts/fetch-cross-libs.sh "$arch" "$dl/$arch-crun" crun
		cp -L "$dl/$arch-crun/pkgs/crun/usr/bin/crun" "$root/usr/bin/"
		say CRUN "$(cat "$dl/$arch-crun/pkgs/crun/.deb-version") ($darch)"
		vmcc=$triplet-gcc
	fi
	install -m 0644 bench/start-vm.sh "$root/berth/bench/start-vm.sh"
	$vmcc -std=gnu11 -O2 -Wall -Wextra -Werror -D_GNU_SOURCE -static \
		-o "$root/berth/bench/vmtime" bench/vmtime.c
	BENCH_ARCH=$arch python3 bench/start-vm-bundles.py "$root/berth/bench/bundles" /bench/rootfs
	printf '%s\n' "BENCH_RUNS=${BENCH_RUNS:-50}" ${BENCH_NAMES:+"BENCH_NAMES='$BENCH_NAMES'"} \
		>"$root/berth/bench/env"
fi

# what the guest runs. By default only what needs the VM: integration tests
# that need cgroup v2 (need_cgroup2) or carry a "# qemu: yes" line, so the
# emulated runs stay short; the host already ran the rest. QEMU_TESTS=all
# runs everything. Unit tests: all on a foreign arch (the only place they run
# for it), the cgroup ones on the host's arch (QEMU_UNIT_FILTER overrides).
tests=("$@")
# emulated ARMv6 runs one core at a few hundred MHz: make check runs a smoke
# set there (the probe, a container from an image, pods under the daemon with
# cgroup limits, the default seccomp profile on ARM EABI)
QEMU_ARMEL_TESTS=${QEMU_ARMEL_TESTS:-foundation-probe cli-run-image supervisor-cgroup runtime-seccomp-default}
if [ ${#tests[@]} -eq 0 ] && [ "$arch" = armel ] && [ "${QEMU_TESTS:-}" != all ]; then
	read -r -a tests <<<"$QEMU_ARMEL_TESTS"
	say SUBSET "armel runs the smoke set ${tests[*]} (QEMU_TESTS=all runs the suite)"
fi
if [ ${#tests[@]} -eq 0 ] && [ $subset = 1 ] && [ -n "$QEMU_AARCH64_TESTS" ]; then
	read -r -a tests <<<"$QEMU_AARCH64_TESTS"
elif [ ${#tests[@]} -eq 0 ] && [ "${QEMU_TESTS:-}" != all ]; then
	left=()
	for f in $(grep -l -e need_cgroup2 -e '^# qemu: yes' tests/integration/*.t); do
		t=$(basename "$f" .t) keep=1
		if [ $subset = 1 ]; then
			for pat in $QEMU_AARCH64_EXCLUDE; do
				# shellcheck disable=SC2254 # $pat is a glob on purpose
				case $t in $pat) keep=0 ;; esac
			done
		fi
		if [ $keep = 1 ]; then tests+=("$t"); else left+=("$t"); fi
	done
	[ ${#left[@]} = 0 ] || say SUBSET "$arch leaves out the heavy ${left[*]} (QEMU_TESTS=all runs them)"
fi

# podman and conmon for the oci-podman tests the guest runs (on the VM's
# cgroup v2 they prove what needs it: --memory): the host's own on its
# architecture, Debian's arm64/armhf packages (fetched, not installed) on ARM;
# their libraries are collected below with the rest
want_podman=0
for t in "${tests[@]}"; do case $t in oci-podman*) want_podman=1 ;; esac; done
[ ${#tests[@]} -gt 0 ] || [ "${QEMU_TESTS:-}" != all ] || want_podman=1
if [ $want_podman = 1 ] && [ -z "${QEMU_BENCH:-}" ]; then
	if [ "$arch" = "$hostarch" ]; then
		{ command -v podman && command -v conmon; } >/dev/null ||
			die "the oci-podman tests need podman and conmon: run 'make deps'"
		cp -L "$(command -v podman)" "$(command -v conmon)" "$root/usr/bin/"
	else
		pmsrc=$dl/$arch-podman
		scripts/fetch-cross-libs.sh "$arch" "$pmsrc" podman conmon
		cp -L "$pmsrc/pkgs/podman/usr/bin/podman" "$pmsrc/pkgs/conmon/usr/bin/conmon" "$root/usr/bin/"
	fi
	mkdir -p "$root/etc/containers" "$root/usr/share/containers" "$root/var/tmp"
	cp -L /etc/containers/policy.json /etc/containers/registries.conf "$root/etc/containers/"
	cp -L /usr/share/containers/containers.conf /usr/share/containers/seccomp.json \
		"$root/usr/share/containers/"
	say PODMAN "podman and conmon ($arch) in the guest"
fi

# shared libraries: NEEDED entries, recursively, and the dynamic loader
libdirs=("/lib/$triplet" "/usr/lib/$triplet")
[ -d "$dl/$arch-libs/lib" ] && libdirs+=("$dl/$arch-libs/lib")
[ ! -d "$dl/$arch-podman/lib" ] || [ "$arch" = "$hostarch" ] || libdirs+=("$dl/$arch-podman/lib")
[ ! -d "$dl/$arch-crun/lib" ] || [ "$arch" = "$hostarch" ] || libdirs+=("$dl/$arch-crun/lib")
declare -A seen=()
add_libs() { # ELF
	local f=$1 n d interp
	interp=$(readelf -l "$f" 2>/dev/null | sed -n 's/.*Requesting program interpreter: \(.*\)]/\1/p')
	if [ -n "$interp" ] && [ -z "${seen[$interp]:-}" ]; then
		seen[$interp]=1
		mkdir -p "$root$(dirname "$interp")"
		cp -L "$interp" "$root$interp" 2>/dev/null ||
			cp -L "/usr/$triplet$interp" "$root$interp" 2>/dev/null ||
			cp -L "/lib/$triplet/$(basename "$interp")" "$root$interp"
	fi
	for n in $(readelf -d "$f" 2>/dev/null | sed -n 's/.*(NEEDED).*\[\(.*\)\]/\1/p'); do
		add_lib "$n" "$f"
	done
}
add_lib() { # SONAME WHO-NEEDS-IT
	local n=$1 d
	[ -z "${seen[$n]:-}" ] || return 0
	seen[$n]=1
	for d in "${libdirs[@]}"; do
		if [ -e "$d/$n" ]; then
			cp -L "$d/$n" "$root/lib/$triplet/$n"
			add_libs "$d/$n"
			return 0
		fi
	done
	die "library $n (needed by $2) not found in ${libdirs[*]}"
}
while IFS= read -r f; do
	[ "$(head -c 4 "$f" | od -An -c | tr -d ' ')" = '177ELF' ] && add_libs "$f"
done < <(find "$b" -path "$b/tests/rootfs" -prune -o -type f -perm -u+x -print; find "$root/usr/bin" -type f)
# the libraries berth opens on first use (lib/dl.h: dlopen, so not NEEDED)
for n in $(grep -rhoE --include='*.c' '\.soname = "[^"]+"' cli images lib net runtime supervisor | sed 's/.*"\(.*\)"/\1/' | sort -u); do
	add_lib "$n" "berth (dlopen)"
done

# kernel modules the tests need that Debian builds as modules, with their
# dependencies from modules.dep, in load order
mods="overlay veth bridge br_netfilter tun dummy nf_tables nf_conntrack nf_nat nft_chain_nat
	nft_nat nft_masq nft_redir nft_ct nft_fib_inet nft_fib_ipv4 nft_fib_ipv6 nft_reject_inet
	nft_limit nft_numgen nft_hash nft_quota nft_objref"
mdir=$kdir/lib/modules/$kver
# the package leaves modules.dep to depmod at install time
[ -s "$mdir/modules.dep" ] || depmod -b "$kdir" "$kver" || die "depmod for $kpkg failed"
declare -A mpath=() mdeps=() loaded=()
order=()
load() { # NAME
	local n=${1//-/_} d
	[ -z "${loaded[$n]:-}" ] || return 0
	loaded[$n]=1
	[ -n "${mpath[$n]:-}" ] || return 0 # built in (or absent)
	# soft dependencies (libcrc32c wants crc32c) name aliases: load every match
	for a in $(modinfo -F softdep "$mdir/${mpath[$n]}" 2>/dev/null | sed -n 's/.*pre: *//p' |
		sed 's/ *post:.*//'); do
		for d in $(sed -n "s/^alias $a \(.*\)/\1/p" "$mdir/modules.alias"); do load "$d"; done
	done
	for d in ${mdeps[$n]}; do d=${d##*/}; load "${d%%.ko*}"; done
	order+=("$n")
}
while IFS= read -r line; do
	p=${line%%:*}
	n=${p##*/}; n=${n%%.ko*}; n=${n//-/_}
	mpath[$n]=$p
	mdeps[$n]=${line#*:}
done <"$mdir/modules.dep"
for m in $mods; do load "$m"; done
: >"$root/berth/modules/order"
put_module() { # NAME DEST
	local src=$mdir/${mpath[$1]}
	case $src in
	*.ko) cp "$src" "$2" ;;
	*.ko.xz) xz -dc "$src" >"$2" ;;
	*.ko.zst) zstd -qdc "$src" >"$2" ;;
	*.ko.gz) gzip -dc "$src" >"$2" ;;
	esac
}
for n in "${order[@]}"; do
	put_module "$n" "$root/berth/modules/$n.ko"
	echo "$n.ko" >>"$root/berth/modules/order"
done
# softdog for supervisor-watchdog.t, not loaded at boot: the test loads it
# with soft_noboot=1, so an expiry is logged instead of rebooting the VM
# (with what it depends on that is not loaded at boot: extra/order)
if [ -n "${mpath[softdog]:-}" ]; then
	mkdir -p "$root/berth/modules/extra"
	: >"$root/berth/modules/extra/order"
	for d in ${mdeps[softdog]} softdog; do
		d=${d##*/}; d=${d%%.ko*}; d=${d//-/_}
		[ -z "${loaded[$d]:-}" ] || continue
		put_module "$d" "$root/berth/modules/extra/$d.ko"
		echo "$d.ko" >>"$root/berth/modules/extra/order"
	done
fi

printf '%s\n' "${tests[@]}" >"$root/berth/tests.list"
echo "BERTH_VM_ARCH=$arch" >"$root/berth/env"
# a per-test time bound other than the runner's default (300 s); armhf
# gets 600 s: a podman test there takes about 100 s on a quiet host and
# passed 300 s with the host at load 17 (three VMs side by side in make check)
[ "$arch" != arm ] || BERTH_TEST_TIMEOUT=${BERTH_TEST_TIMEOUT:-600}
[ -z "${BERTH_TEST_TIMEOUT:-}" ] || echo "BERTH_TEST_TIMEOUT=$BERTH_TEST_TIMEOUT" >>"$root/berth/env"
unit_filter=${QEMU_UNIT_FILTER-}
[ -n "${QEMU_UNIT_FILTER+set}" ] || [ "$arch" != "$hostarch" ] || unit_filter='cgroup*/*'
printf '%s\n' "$unit_filter" >"$root/berth/unit.filter"
printf '%s\n' "/berth/build/berth version" "/berth/build/probe info | head -n 3" >"$root/berth/smoke"
# the raspi0 VM must really be an ARMv6 core (ARM1176), not a later one
[ "$arch" != armel ] || echo "grep -m1 '^model name' /proc/cpuinfo | grep 'ARMv6-compatible processor'" >>"$root/berth/smoke"

initrd=$work/initramfs.cpio.gz
(cd "$root" && find . -mindepth 1 | LC_ALL=C sort | cpio -o -H newc --quiet -R 0:0) | gzip -1 >"$initrd"
say INITRD "$initrd ($(du -h "$initrd" | cut -f1), ${#order[@]} modules, ${#seen[@]} libraries)"
t_prep=$((SECONDS - t_start))

# ---- boot ------------------------------------------------------------------
smp=${QEMU_SMP:-${vm_smp:-2}} mem=${QEMU_MEM:-${vm_mem:-2048}}
cmdline="console=$console panic=-1 loglevel=4 cgroup_no_v1=all rdinit=/init${vm_cmdline:+ $vm_cmdline}${QEMU_APPEND:+ $QEMU_APPEND}"
[ -z "${vm_dtb:-}" ] || qemu+=(-dtb "$kdir/usr/lib/linux-image-$kver/$vm_dtb")
say QEMU "$arch: $kpkg, -smp $smp -m $mem, TCG, time bound ${timeout_s}s (log: $log)${QEMU_APPEND:+, appended: $QEMU_APPEND}"
t_boot=$SECONDS
set +e
timeout -s KILL "$timeout_s" "${qemu[@]}" -accel tcg,thread=multi -smp "$smp" -m "$mem" \
	-nographic -no-reboot -nodefaults -serial stdio -monitor none -net none \
	-kernel "$kernel" -initrd "$initrd" -append "$cmdline" </dev/null 2>&1 |
	stdbuf -oL tr -d '\r' | tee "$log"
rc=${PIPESTATUS[0]}
set -e
t_run=$((SECONDS - t_boot))
verdict=$(sed -n 's/^BERTH-QEMU-VERDICT: //p' "$log" | tail -n 1)
echo "check-qemu $arch: prepare ${t_prep}s, VM ${t_run}s, verdict ${verdict:-none}"
[ "$rc" = 137 ] && { echo "check-qemu $arch: killed after the ${timeout_s}s time bound" >&2; exit 1; }
[ "$verdict" = PASS ]
