#!/bin/bash
# Fetch run-time libraries for a foreign architecture that cannot be installed
# through multiarch, without installing them:
#   scripts/fetch-cross-libs.sh ARCH DEST PACKAGE...
# Each PACKAGE and, recursively, each dependency not installed for ARCH is
# unpacked (scripts/fetch-deb.sh) under DEST/pkgs/NAME; DEST/lib gets symlinks
# to every shared library in them (plus the unversioned lib*.so link the linker
# wants), so `-LDEST/lib -Wl,-rpath-link,DEST/lib` links against them.
#
# Why: libcriterion-dev:arm64 does not co-install with the amd64 one on Debian
# 12 (libnanomsg5's binNMU versions differ across architectures and
# libnanomsg-dev is not Multi-Arch: same), yet the unit test binary for
# aarch64 must link Criterion.
set -euo pipefail
arch=$1 dest=$2
shift 2
here=$(cd "$(dirname "$0")" && pwd)
dpkg_arch=$arch
case $arch in x86_64) dpkg_arch=amd64 ;; aarch64) dpkg_arch=arm64 ;; esac

mkdir -p "$dest/pkgs" "$dest/lib"
seen=" "
queue=("$@")
while [ ${#queue[@]} -gt 0 ]; do
	p=${queue[0]}
	queue=("${queue[@]:1}")
	case $seen in *" $p "*) continue ;; esac
	seen="$seen$p "
	s=$(dpkg-query -W -f='${db:Status-Abbrev}' "$p:$dpkg_arch" 2>/dev/null || true)
	[ "${s:0:2}" = ii ] && continue
	"$here/fetch-deb.sh" "$p" "$arch" "$dest/pkgs/$p"
	for d in $(apt-cache depends --no-recommends --no-suggests --no-conflicts --no-breaks \
		--no-replaces --no-enhances --no-pre-depends "$p:$dpkg_arch" |
		sed -n 's/^ *|\{0,1\}Depends: \([^<>]*\)$/\1/p'); do
		queue+=("${d%:*}")
	done
done
find "$dest/pkgs" -name 'lib*.so*' \( -type f -o -type l \) | while read -r f; do
	ln -sfn "$(realpath --relative-to="$dest/lib" "$f")" "$dest/lib/$(basename "$f")"
done
# unversioned links for -lNAME, where only the run-time package was fetched
for f in "$dest"/lib/lib*.so.*; do
	[ -e "$f" ] || continue
	base=${f%%.so.*}.so
	[ -e "$base" ] || ln -sfn "$(basename "$f")" "$base"
done
