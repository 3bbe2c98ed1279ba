#!/bin/bash
# libarchive's time_t functions on a 32-bit target (make check stage
# "build-abi32"; docs/decisions/build-32bit.md). berth is built with a 64-bit
# time_t; a library may have either (Debian bookworm armhf: 32-bit, Buildroot,
# Yocto, Debian trixie: 64-bit, same soname). tests/build/time_abi.c, built
# as berth is, runs on the host and on armhf under qemu-arm:
#   - dl_lib_time64() tells a library built with _TIME_BITS=64 from one
#     built without (two small libraries built here, each calling stat and
#     time), and names Debian's armhf libarchive as readelf sees it
#   - a time set and read back through libarchive with dl_archive_set_mtime()
#     and dl_archive_mtime() is the same (1000000.5); 2065 round-trips where
#     the library's time_t holds it, else fails with EOVERFLOW
#   - the armhf berth-oci, under qemu-arm, prints the state of a container
#     the host's berth-oci created (json_pack with "i" for a json_int_t
#     shifted the arguments after it: berth-oci segfaulted); needs root and
#     the host build (make check has both) and builds build/arm/berth
# The armhf half is skipped without arm-linux-gnueabihf-gcc, qemu-arm or
# libarchive13:armhf (make deps deps-armhf installs them).
set -uo pipefail
src=$(cd "$(dirname "$0")/../.." && pwd)
tmp=$(mktemp -d "${TMPDIR:-/tmp}/berth-abi32.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
cd "$src" || exit 2
flags=(-std=gnu11 -O2 -Wall -Wextra -Werror -Wno-format-truncation -D_GNU_SOURCE
	-D_FILE_OFFSET_BITS=64 -D_TIME_BITS=64 -I. -Ilib)
srcs=(tests/build/time_abi.c images/dl_archive.c lib/dl.c lib/err.c)

n=0 failn=0
ok() { n=$((n + 1)); echo "ok $n - $1"; }
notok() { n=$((n + 1)); failn=$((failn + 1)); echo "not ok $n - $1"; shift; for l in "$@"; do echo "#   $l"; done; }
skip() { n=$((n + 1)); echo "ok $n - $1 # SKIP $2"; }
check() { # NAME WANT GOT
	if [ "$2" = "$3" ]; then ok "$1"; else notok "$1" "want: $2" "got:  $3"; fi
}
echo "1..7"

# ---- the host (64-bit) ------------------------------------------------------
if out=$(gcc "${flags[@]}" -o "$tmp/host" "${srcs[@]}" -ldl 2>&1 && "$tmp/host" 2>&1); then
	check "host: libarchive round-trips 1000000.5 and 3000000000" \
		"libarchive 1000000.5: 0 1000000.5
libarchive 3000000000: 0 3000000000" "$out"
else
	notok "host: time_abi builds and runs" "$out"
fi

# ---- armhf under qemu-arm -----------------------------------------------------
cc=arm-linux-gnueabihf-gcc
lib=/usr/lib/arm-linux-gnueabihf/libarchive.so.13
why=
command -v $cc >/dev/null || why="no $cc"
command -v qemu-arm >/dev/null || why="${why:+$why, }no qemu-arm (qemu-user)"
[ -e "$lib" ] || why="${why:+$why, }no libarchive13:armhf"
if [ -n "$why" ]; then
	for t in "a library built with a 32-bit time_t" "a library built with a 64-bit time_t" \
		"Debian's armhf libarchive" "1000000.5" "3000000000" "berth-oci state"; do
		skip "armhf: $t" "$why"
	done
	echo "$((n - failn)) passed, $failn failed"
	exit $((failn > 0))
fi
cat >"$tmp/tlib.c" <<'C'
#include <sys/stat.h>
#include <time.h>
long long tlib(const char *p);
long long tlib(const char *p)
{
	struct stat st;
	return stat(p, &st) ? -1 : (long long)st.st_mtime + (long long)time(NULL);
}
C
$cc -O2 -shared -fPIC -D_FILE_OFFSET_BITS=64 -o "$tmp/libt32.so" "$tmp/tlib.c" &&
	$cc -O2 -shared -fPIC -D_FILE_OFFSET_BITS=64 -D_TIME_BITS=64 -o "$tmp/libt64.so" "$tmp/tlib.c" &&
	$cc "${flags[@]}" -o "$tmp/arm" "${srcs[@]}" -ldl || { notok "armhf: time_abi builds"; exit 1; }
out=$(qemu-arm "$tmp/arm" "$tmp/libt32.so" "$tmp/libt64.so" "$lib" 2>&1)
line() { sed -n "$1p" <<<"$out"; }
check "armhf: a library built with a 32-bit time_t" "$tmp/libt32.so: time32" "$(line 1)"
check "armhf: a library built with a 64-bit time_t" "$tmp/libt64.so: time64" "$(line 2)"
# readelf's view of the same library: the expected answer
if readelf --dyn-syms -W "$lib" | grep -q 'time64'; then abi=time64; else abi=time32; fi
check "armhf: Debian's armhf libarchive has a $abi time_t" "$lib: $abi" "$(line 3)"
check "armhf: libarchive ($abi) round-trips 1000000.5" "libarchive 1000000.5: 0 1000000.5" "$(line 4)"
if [ $abi = time64 ]; then
	check "armhf: libarchive ($abi) holds 3000000000" "libarchive 3000000000: 0 3000000000" "$(line 5)"
else
	check "armhf: libarchive ($abi) refuses 3000000000 with EOVERFLOW, keeps the time it had" \
		"libarchive 3000000000: EOVERFLOW 1000000" "$(line 5)"
fi

# ---- the armhf berth-oci: state of a container (json_pack) ----------------------
if [ "$(id -u)" != 0 ] || [ ! -x build/berth-oci ] || [ ! -d build/tests/rootfs ]; then
	skip "armhf: berth-oci state of a container the host's berth-oci created" \
		"needs root and the host build (make all test-rootfs)"
elif ! out=$(make --no-print-directory -s -j2 ARCH=arm build/arm/berth 2>&1); then
	notok "armhf: berth-oci state of a container the host's berth-oci created" "make ARCH=arm:" "$out"
else
	mkdir -p "$tmp/bundle" && cp -a build/tests/rootfs "$tmp/bundle/rootfs"
	(cd "$tmp/bundle" && "$src/build/berth-oci" spec) &&
		python3 - "$tmp/bundle/config.json" <<'PY'
import json, sys
c = json.load(open(sys.argv[1]))
c["process"]["args"], c["process"]["terminal"] = ["sleep", "60"], False
json.dump(c, open(sys.argv[1], "w"))
PY
	id=abi32-$$
	oci=(build/berth-oci --root "$tmp/oci")
	if "${oci[@]}" create --bundle "$tmp/bundle" $id >"$tmp/create.out" 2>&1; then
		want=$("${oci[@]}" state $id 2>&1)
		got=$(qemu-arm build/arm/berth-oci --root "$tmp/oci" state $id 2>&1)
		"${oci[@]}" delete --force $id >/dev/null 2>&1
		if grep -q '"pid": [1-9]' <<<"$want" && [ "$want" = "$got" ]; then
			ok "armhf: berth-oci state of a container the host's berth-oci created"
		else
			notok "armhf: berth-oci state of a container the host's berth-oci created" \
				"host: $want" "armhf: $got"
		fi
	else
		notok "armhf: berth-oci state of a container the host's berth-oci created" \
			"host create: $(cat "$tmp/create.out")"
	fi
fi

echo "$((n - failn)) passed, $failn failed"
[ $failn = 0 ]
