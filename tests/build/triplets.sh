#!/bin/bash
# Cross builds with Buildroot's and Yocto's compiler names (make check stage
# "build-config"): ARCH comes from the target compiler, never from the
# spelling of its prefix. A directory of compilers named as Buildroot and
# Yocto name theirs (aarch64-buildroot-linux-gnu-gcc, arm-poky-linux-gnueabi-gcc,
# ...) runs Debian's cross compilers; each gcc answers -dumpmachine with its
# own name, as the real ones do (Yocto's hard-float ARM is ...-gnueabi too,
# with -mfloat-abi=hard). For each: the build directory, the seccomp-gen
# output (the BPF program checks the target's AUDIT_ARCH) and, for the ARM
# Buildroot one, a whole minimal build whose ELF machine is checked.
# Runs in a temporary copy of the tree; skips a triplet whose Debian cross
# compiler is not installed (make deps installs both).
set -uo pipefail
src=$(cd "$(dirname "$0")/../.." && pwd)
tmp=$(mktemp -d "${TMPDIR:-/tmp}/berth-triplets.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
(cd "$src" && git ls-files -co --exclude-standard -z -- . ':!build' | tar --null -cf - -T -) | tar -xf - -C "$tmp/"
mkdir -p "$tmp/tc"
cd "$tmp" || exit 2
export MAKEFLAGS='' KCONFIG_CONFIG=.config
unset O ARCH CROSS_COMPILE CC

n=0 failn=0
ok() { n=$((n + 1)); echo "ok $n - $1"; }
notok() { n=$((n + 1)); failn=$((failn + 1)); echo "not ok $n - $1"; shift; for l in "$@"; do echo "#   $l"; done; }
skip() { n=$((n + 1)); echo "ok $n - $1 # SKIP $2"; }

# NAME REAL: tc/NAME-gcc answers -dumpmachine with NAME, else runs REAL-gcc;
# ar and strip are symlinks
toolchain() {
	local name=$1 real=$2 t
	printf '#!/bin/sh\nfor a; do [ "$a" = -dumpmachine ] && { echo %s; exit 0; }; done\nexec %s "$@"\n' \
		"$name" "$real-gcc" >"tc/$name-gcc"
	chmod +x "tc/$name-gcc"
	for t in ar strip; do ln -sf "$(command -v "$real-$t")" "tc/$name-$t"; done
}

# name  Debian compiler  ARCH  AUDIT_ARCH of the seccomp profile  extra CC flags
triplets="aarch64-buildroot-linux-gnu aarch64-linux-gnu aarch64 0xc00000b7 -
aarch64-poky-linux aarch64-linux-gnu aarch64 0xc00000b7 -
arm-buildroot-linux-gnueabihf arm-linux-gnueabihf arm 0x40000028 -
arm-poky-linux-gnueabi arm-linux-gnueabihf arm 0x40000028 -mfloat-abi=hard"
echo "1..$(($(wc -l <<<"$triplets") * 2 + 3))"

m() { make --no-print-directory "$@" 2>&1; }
echo 'print-arch: ; @echo "ARCH=$(ARCH) O=$(O) DEBARCH=$(DEBARCH)"' >print-arch.mk
make -s defconfig >/dev/null 2>&1
while read -r name real arch audit flags; do
	if ! command -v "$real-gcc" >/dev/null; then
		skip "$name-: ARCH=$arch, seccomp profile for $arch" "no $real-gcc"
		skip "$name-: make sees ARCH=$arch, O=build/$arch" "no $real-gcc"
		continue
	fi
	toolchain "$name" "$real"
	cc=(CROSS_COMPILE="$PWD/tc/$name-")
	# Yocto passes the whole compiler, flags and all, as CC
	[ "$flags" != - ] && cc=(CC="$PWD/tc/$name-gcc $flags")
	hdr=build/$arch/include/generated/seccomp_default.h
	out=$(m "${cc[@]}" "$hdr")
	if [ $? = 0 ] && [ -f "$hdr" ] && grep -q "for $arch:" "$hdr" &&
		grep -qi "0x20, 0, 0, 0x4 }" "$hdr" && grep -qi "$audit" "$hdr"; then
		ok "$name-: ARCH=$arch, seccomp profile for $arch (loads seccomp_data.arch, compares $audit)"
	else
		notok "$name-: ARCH=$arch, seccomp profile for $arch" "$out" "$(head -c 600 "$hdr" 2>/dev/null)"
	fi
	out=$(m -s "${cc[@]}" -f Makefile -f print-arch.mk print-arch)
	if [ "$(tail -n1 <<<"$out")" = "ARCH=$arch O=build/$arch DEBARCH=$( [ $arch = arm ] && echo armhf || echo arm64)" ]; then
		ok "$name-: make sees ARCH=$arch, O=build/$arch"
	else
		notok "$name-: make sees ARCH=$arch, O=build/$arch" "$out"
	fi
	rm -rf build
done <<<"$triplets"

# a whole minimal build with Buildroot's names: the binary is for the target
make -s minimal_defconfig >/dev/null 2>&1
for t in "arm-buildroot-linux-gnueabihf arm-linux-gnueabihf arm ARM"; do
	read -r name real arch machine <<<"$t"
	if ! command -v "$real-gcc" >/dev/null; then
		skip "$name-: a minimal build" "no $real-gcc"
		continue
	fi
	out=$(m -j2 CROSS_COMPILE="$PWD/tc/$name-" all)
	rc=$?
	got=$(readelf -h "build/$arch/berth" 2>/dev/null | sed -n 's/^ *Machine: *//p')
	if [ $rc = 0 ] && [ "$got" = "$machine" ]; then
		ok "$name-: a minimal build gives build/$arch/berth for $machine"
	else
		notok "$name-: a minimal build gives build/$arch/berth for $machine" "machine: $got" \
			"$(tail -n 15 <<<"$out")"
	fi
done

# a compiler make cannot place; a target compiler lacking a library
out=$(m CROSS_COMPILE=no-such-triplet- all)
if [ $? != 0 ] && grep -q 'cannot tell the target architecture of CC=no-such-triplet-gcc' <<<"$out" &&
	[ "$(grep -c . <<<"$out")" = 1 ]; then
	ok "an unknown compiler: one line asking for ARCH="
else
	notok "an unknown compiler: one line asking for ARCH=" "$out"
fi
if command -v arm-linux-gnueabihf-gcc >/dev/null; then
	mkdir -p empty
	rm -rf build
	out=$(m CC="arm-linux-gnueabihf-gcc --sysroot=$PWD/empty" all)
	if [ $? != 0 ] && grep -q '^berth: sys/capability.h not found by arm-linux-gnueabihf-gcc (Debian: libcap-dev:armhf, make deps-armhf)$' <<<"$out" &&
		[ ! -e build/arm/obj ]; then
		ok "a target compiler without libcap: one line naming make deps-armhf, nothing compiled"
	else
		notok "a target compiler without libcap: one line naming make deps-armhf, nothing compiled" "$out"
	fi
else
	skip "a target compiler without libcap: one line naming make deps-armhf" "no arm-linux-gnueabihf-gcc"
fi

echo "$((n - failn)) passed, $failn failed"
[ $failn = 0 ]
