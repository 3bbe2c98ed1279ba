#!/bin/bash
# Fetch a Debian package for an architecture and unpack it (dpkg -x), without
# installing it:  scripts/fetch-deb.sh PACKAGE ARCH DESTDIR
# Debian's archive only (apt-get download). Cached: does nothing when DESTDIR
# already holds the same version.
set -euo pipefail
pkg=$1 arch=$2 dest=$3
dpkg_arch=$arch
case $arch in x86_64) dpkg_arch=amd64 ;; aarch64) dpkg_arch=arm64 ;; arm) dpkg_arch=armhf ;; esac

if [ "$dpkg_arch" != "$(dpkg --print-architecture)" ] &&
	! dpkg --print-foreign-architectures | grep -qx "$dpkg_arch"; then
	dpkg --add-architecture "$dpkg_arch"
	apt-get update -q >/dev/null
fi
ver=$(apt-cache policy "$pkg:$dpkg_arch" 2>/dev/null | sed -n 's/^  Candidate: //p')
if [ -z "$ver" ] || [ "$ver" = "(none)" ]; then
	apt-get update -q >/dev/null
	ver=$(apt-cache policy "$pkg:$dpkg_arch" | sed -n 's/^  Candidate: //p')
fi
[ -n "$ver" ] && [ "$ver" != "(none)" ] || { echo "fetch-deb: no package $pkg:$dpkg_arch" >&2; exit 1; }
if [ -f "$dest/.deb-version" ] && [ "$(cat "$dest/.deb-version")" = "$pkg=$ver" ]; then
	exit 0
fi
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
# apt's _apt sandbox user cannot write into a private mktemp dir
sandbox=()
[ "$(id -u)" = 0 ] && sandbox=(-o APT::Sandbox::User=root)
(cd "$tmp" && apt-get download -q "${sandbox[@]}" "$pkg:$dpkg_arch=$ver" >/dev/null)
rm -rf "$dest"
mkdir -p "$dest"
dpkg -x "$tmp"/*.deb "$dest"
echo "$pkg=$ver" >"$dest/.deb-version"
