#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Packaging tests (make check stage "packaging"): what board/buildroot and
# board/yocto repeat from the rest of the tree must not drift from it.
#   - the Buildroot package's S90berth is board/init's (a link) and keeps
#     Buildroot's start-script rules (utils/check-package: DAEMON, PIDFILE,
#     tabs, not executable)
#   - BERTH_LINUX_CONFIG_FIXUPS (Buildroot) and berth.cfg (Yocto) ask for
#     the options of board/rpi/kernel.fragment, no more, no less
#   - berth.hash and LIC_FILES_CHKSUM match LICENSE and COPYING
#   - every CONFIG_ symbol the two recipes write exists in berth's Kconfig
set -uo pipefail
cd "$(dirname "$0")/../.." || exit 2
br=board/buildroot/package/berth
yo=board/yocto/recipes-containers/berth/berth_git.bb
frag=board/rpi/kernel.fragment

n=0 failn=0
ok() { n=$((n + 1)); echo "ok $n - $1"; }
notok() { n=$((n + 1)); failn=$((failn + 1)); echo "not ok $n - $1"; shift; for l in "$@"; do echo "#   $l"; done; }
check() { # DESCRIPTION DETAIL COMMAND...
	local d=$1 detail=$2
	shift 2
	if "$@"; then ok "$d"; else notok "$d" "$detail"; fi
}
echo "1..8"

# ---- init script ------------------------------------------------------------
check "the Buildroot package's S90berth is board/init/S90berth" \
	"$br/S90berth -> $(readlink "$br/S90berth" 2>/dev/null || echo 'not a link')" \
	test -L "$br/S90berth" -a "$(realpath "$br/S90berth" 2>/dev/null)" = "$(realpath board/init/S90berth)"
s90=board/init/S90berth
why=()
grep -qx 'DAEMON="berth"' "$s90" || why+=('no DAEMON="berth" line (no path: the name must match S90berth)')
# shellcheck disable=SC2016 # a literal $DAEMON
grep -qx 'PIDFILE="/var/run/$DAEMON.pid"' "$s90" || why+=('no PIDFILE="/var/run/$DAEMON.pid" line')
grep -nq '^	* ' "$s90" && why+=("indented with spaces: $(grep -n '^	* ' "$s90" | head -1)")
[ -x "$s90" ] && why+=("executable: Buildroot installs it with -m 0755 itself")
check "S90berth keeps Buildroot's start-script rules" "${why[*]:-}" test ${#why[@]} = 0

# ---- kernel options ------------------------------------------------------------
want=$(sed -n 's/^\(CONFIG_[A-Z0-9_]*=[ym]\)$/\1/p' "$frag" | sort)
have=$(sed -n -e 's/.*KCONFIG_ENABLE_OPT,\(CONFIG_[A-Z0-9_]*\)).*/\1=y/p' \
	-e 's/.*KCONFIG_SET_OPT,\(CONFIG_[A-Z0-9_]*\),\([ym]\)).*/\1=\2/p' "$br/berth.mk" | sort)
check "BERTH_LINUX_CONFIG_FIXUPS asks for the options of $frag" \
	"$(diff <(echo "$want") <(echo "$have") | grep '^[<>]' | tr '\n' ' ')" test "$want" = "$have"
cfg=board/yocto/recipes-kernel/linux/files/berth.cfg
check "the Yocto kernel fragment berth.cfg is $frag" "$cfg -> $(readlink "$cfg" 2>/dev/null || echo 'not a link')" \
	test -L "$cfg" -a "$(realpath "$cfg" 2>/dev/null)" = "$(realpath "$frag")"

# ---- license -------------------------------------------------------------------
why=()
for f in LICENSE COPYING; do
	grep -qx "sha256  $(sha256sum <"$f" | cut -d' ' -f1)  $f" "$br/berth.hash" || why+=("$f: sha256 differs")
done
check "berth.hash holds the sha256 of LICENSE and COPYING" "${why[*]:-}" test ${#why[@]} = 0
why=()
for f in LICENSE COPYING; do
	grep -q "file://$f;md5=$(md5sum <"$f" | cut -d' ' -f1)" "$yo" || why+=("$f: md5 differs")
done
check "LIC_FILES_CHKSUM holds the md5 of LICENSE and COPYING" "${why[*]:-}" test ${#why[@]} = 0

# ---- Kconfig symbols -------------------------------------------------------------
known=$(cat Kconfig ./*/Kconfig | sed -n 's/^\(menu\)\{0,1\}config \([A-Z0-9_]*\)$/\2/p' | sort -u)
for f in "$br/berth.mk" "$yo"; do
	used=$(grep -v 'KCONFIG_[A-Z]*_OPT' "$f" | grep -o 'CONFIG_[A-Z0-9_]*=' | sed 's/^CONFIG_//; s/=$//' | sort -u)
	unknown=$(comm -23 <(echo "$used") <(echo "$known") | tr '\n' ' ')
	check "the CONFIG_ symbols $(basename "$f") writes exist in Kconfig ($(echo "$used" | wc -w))" \
		"unknown: $unknown" test -z "$unknown" -a -n "$used"
done
[ $failn = 0 ]
