#!/bin/bash
# Fetch a Debian package for an architecture and unpack it (dpkg -x), without
# installing it:  scripts/fetch-deb.sh PACKAGE ARCH DESTDIR
# Debian's archive only (apt-get download). Cached: does nothing when DESTDIR
# already holds the same version.
set -euo pipefail
pkg=$1 arch=$2 dest=$3
# make -j and the VMs of make check run side by side: one fetch at a time
# (apt's lists, and two unpacks into one DESTDIR, must not race)
mkdir -p "$(dirname "$dest")"
exec 9>"$(dirname "$dest")/.fetch-deb.lock"
flock 9
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
tmp=$(mktemp -d "$(dirname "$dest")/.fetch-deb.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
# apt's _apt sandbox user cannot write into a private mktemp dir
sandbox=()
[ "$(id -u)" = 0 ] && sandbox=(-o APT::Sandbox::User=root)
(cd "$tmp" && apt-get download -q "${sandbox[@]}" "$pkg:$dpkg_arch=$ver" >/dev/null)
mkdir -p "$tmp/root"
dpkg -x "$tmp"/*.deb "$tmp/root"
echo "$pkg=$ver" >"$tmp/root/.deb-version"
rm -rf "$dest"
chmod 0755 "$tmp/root"
mv "$tmp/root" "$dest"
