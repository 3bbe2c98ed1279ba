#!/bin/bash
# Install the Debian packages berth's build, tests and benchmarks need.
#   scripts/deps.sh           host packages (scripts/deps/*.list)
#   scripts/deps.sh ARCH      also the target's multiarch -dev packages
#                             (scripts/deps/*.DEBARCH): aarch64 -> arm64,
#                             arm -> armhf, armel -> armel
# Idempotent, and fast when everything is present (no apt-get update then).
set -euo pipefail
cd "$(dirname "$0")/.."

want=()
for f in scripts/deps/*.list; do
	want+=($(sed 's/#.*//' "$f"))
done
debarch=
case "${1:-}" in
"") ;;
aarch64 | arm64) debarch=arm64 ;;
arm | armhf) debarch=armhf ;;
armel) debarch=armel ;;
*) echo "deps: unknown architecture '$1' (aarch64, arm, armel)" >&2; exit 2 ;;
esac
if [ -n "$debarch" ]; then
	for f in scripts/deps/*."$debarch"; do
		[ -e "$f" ] || { echo "deps: no scripts/deps/*.$debarch list" >&2; exit 2; }
		for p in $(sed 's/#.*//' "$f"); do want+=("$p:$debarch"); done
	done
	# and Debian's cross compiler for it, unless this is that architecture
	if [ "$debarch" != "$(dpkg --print-architecture)" ]; then
		case $debarch in
		arm64) want+=(gcc-aarch64-linux-gnu) ;;
		armhf) want+=(gcc-arm-linux-gnueabihf) ;;
		armel) want+=(gcc-arm-linux-gnueabi) ;;
		esac
	fi
fi

missing=()
for p in "${want[@]}"; do
	s=$(dpkg-query -W -f='${db:Status-Abbrev}' "$p" 2>/dev/null || true)
	[ "${s:0:2}" = "ii" ] || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && { echo "  DEPS   all ${#want[@]} packages present"; exit 0; }

if [ "$(id -u)" != 0 ]; then
	echo "deps: missing packages: ${missing[*]}" >&2
	echo "deps: run 'make deps' as root (or: sudo make deps)" >&2
	exit 1
fi
if [ -n "$debarch" ] && ! dpkg --print-foreign-architectures | grep -qx "$debarch"; then
	dpkg --add-architecture "$debarch"
fi
echo "  DEPS   installing: ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
# Packages installed for the tests must not start services (Debian's
# docker-registry would listen on every interface): a policy-rc.d that
# refuses, for this install only, unless the machine already has one.
policy=
if [ ! -e /usr/sbin/policy-rc.d ]; then
	policy=/usr/sbin/policy-rc.d
	printf '#!/bin/sh\nexit 101\n' >"$policy"
	chmod 0755 "$policy"
	trap 'rm -f "$policy"' EXIT
fi
apt-get -o DPkg::Lock::Timeout=600 update -q
apt-get -o DPkg::Lock::Timeout=600 install -y -q --no-install-recommends "${missing[@]}"
