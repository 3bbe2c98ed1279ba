#!/bin/bash
# Fetch run-time libraries (and programs) for a foreign architecture that
# cannot be installed through multiarch, without installing them:
#   scripts/fetch-cross-libs.sh ARCH DEST PACKAGE...
# Each PACKAGE and, recursively, each dependency not installed for ARCH is
# unpacked (dpkg -x) under DEST/pkgs/NAME; DEST/lib gets symlinks to every
# shared library in them (plus the unversioned lib*.so link the linker
# wants), so `-LDEST/lib -Wl,-rpath-link,DEST/lib` links against them.
# Debian's archive only (apt-get download). Cached: a package whose
# DEST/pkgs/NAME/.deb-version names the candidate version is kept.
#
# Why: libcriterion-dev:arm64 does not co-install with the amd64 one on Debian
# 12 (libnanomsg5's binNMU versions differ across architectures and
# libnanomsg-dev is not Multi-Arch: same), yet the unit test binary for
# aarch64 must link Criterion; the aarch64 VM runs Debian's arm64 podman.
#
# apt-cache takes about a second per call on a multiarch system, so every
# step asks about all the packages of a level at once.
set -euo pipefail
arch=$1 dest=$2
shift 2
dpkg_arch=$arch
case $arch in x86_64) dpkg_arch=amd64 ;; aarch64) dpkg_arch=arm64 ;; arm) dpkg_arch=armhf ;; esac

if [ "$dpkg_arch" != "$(dpkg --print-architecture)" ] &&
	! dpkg --print-foreign-architectures | grep -qx "$dpkg_arch"; then
	dpkg --add-architecture "$dpkg_arch"
	apt-get update -q >/dev/null
fi
mkdir -p "$dest/pkgs" "$dest/lib"

qual() { printf "%s:$dpkg_arch\n" "$@"; }
# PACKAGE=VERSION for each candidate, of the packages named on stdin
candidates() {
	xargs apt-cache policy 2>/dev/null | awk '
		/^[^ ].*:$/ { p = $0; sub(/:$/, "", p); sub(/:[^:]*$/, "", p) }
		/^  Candidate: / && p != "" { if ($2 != "(none)") print p "=" $2; p = "" }'
}

# the closure: breadth first, one apt-cache call per level, stopping at
# packages installed for ARCH (their libraries are on the system already)
seen=" " want=() level=("$@")
while [ ${#level[@]} -gt 0 ]; do
	new=()
	for p in "${level[@]}"; do
		case $seen in *" $p "*) continue ;; esac
		seen="$seen$p "
		new+=("$p")
	done
	[ ${#new[@]} -gt 0 ] || break
	fetch=()
	for p in "${new[@]}"; do
		s=$(dpkg-query -W -f='${db:Status-Abbrev}' "$p:$dpkg_arch" 2>/dev/null || true)
		[ "${s:0:2}" = ii ] || fetch+=("$p")
	done
	[ ${#fetch[@]} -gt 0 ] || break
	want+=("${fetch[@]}")
	mapfile -t level < <(qual "${fetch[@]}" | xargs apt-cache depends --no-recommends \
		--no-suggests --no-conflicts --no-breaks --no-replaces --no-enhances --no-pre-depends |
		sed -n 's/^ *|\{0,1\}Depends: \([^<>]*\)$/\1/p' | sed 's/:.*//' | sort -u)
done

mapfile -t vers < <(qual "${want[@]}" | candidates)
if [ ${#vers[@]} -lt ${#want[@]} ]; then
	apt-get update -q >/dev/null
	mapfile -t vers < <(qual "${want[@]}" | candidates)
fi
get=()
for p in "${want[@]}"; do
	v=
	for pv in "${vers[@]}"; do [ "${pv%%=*}" = "$p" ] && v=${pv#*=}; done
	[ -n "$v" ] || { echo "fetch-cross-libs: no package $p:$dpkg_arch" >&2; exit 1; }
	[ "$(cat "$dest/pkgs/$p/.deb-version" 2>/dev/null)" = "$p=$v" ] || get+=("$p:$dpkg_arch=$v")
done

if [ ${#get[@]} -gt 0 ]; then
	tmp=$(mktemp -d)
	trap 'rm -rf "$tmp"' EXIT
	# apt's _apt sandbox user cannot write into a private mktemp dir
	sandbox=()
	[ "$(id -u)" = 0 ] && sandbox=(-o APT::Sandbox::User=root)
	(cd "$tmp" && apt-get download -q "${sandbox[@]}" "${get[@]}" >/dev/null)
	for deb in "$tmp"/*.deb; do
		p=$(dpkg-deb -f "$deb" Package) v=$(dpkg-deb -f "$deb" Version)
		rm -rf "$dest/pkgs/$p"
		mkdir -p "$dest/pkgs/$p"
		dpkg -x "$deb" "$dest/pkgs/$p"
		echo "$p=$v" >"$dest/pkgs/$p/.deb-version"
	done
fi

find "$dest/pkgs" -name 'lib*.so*' \( -type f -o -type l \) | while read -r f; do
	ln -sfn "$(realpath --relative-to="$dest/lib" "$f")" "$dest/lib/$(basename "$f")"
done
# unversioned links for -lNAME, where only the run-time package was fetched
for f in "$dest"/lib/lib*.so.*; do
	[ -e "$f" ] || continue
	base=${f%%.so.*}.so
	[ -e "$base" ] || ln -sfn "$(basename "$f")" "$base"
done
