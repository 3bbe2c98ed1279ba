#!/bin/bash
# Build-configuration tests (make check stage "build-config"). They run in a
# temporary copy of the source tree, so .config, ./defconfig and build/ of the
# checkout are never touched.
#   - a defconfig (or .config) naming an unknown symbol fails
#   - defconfig -> savedefconfig -> defconfig gives the same .config, for
#     every board/configs/*_defconfig; olddefconfig is idempotent
#   - the minimal defconfig builds, links and runs without the optional
#     libraries (nothing on the link line, nothing in NEEDED)
#   - the checkout's build (make check builds it first) does not load the
#     libraries opened on first use (lib/dl.h) at start
set -uo pipefail
src=$(cd "$(dirname "$0")/../.." && pwd)
tmp=$(mktemp -d "${TMPDIR:-/tmp}/berth-kconfig.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
(cd "$src" && git ls-files -co --exclude-standard -z | tar --null -cf - -T -) | tar -xf - -C "$tmp"
cd "$tmp" || exit 2
export MAKEFLAGS='' KCONFIG_CONFIG=.config
unset O ARCH CROSS_COMPILE
m() { make --no-print-directory -s "$@"; }

n=0 failn=0
ok() { n=$((n + 1)); echo "ok $n - $1"; }
notok() { n=$((n + 1)); failn=$((failn + 1)); echo "not ok $n - $1"; shift; for l in "$@"; do echo "#   $l"; done; }
config_body() { grep -v '^# berth configuration' "$1"; } # drop the header naming the source

boards=$(ls board/configs/*_defconfig | sed 's|.*/||; s|_defconfig$||')
echo "1..$(($(echo $boards | wc -w) * 2 + 8))"

# ---- unknown symbols --------------------------------------------------------
printf 'CONFIG_NET=y\nCONFIG_NO_SUCH_SYMBOL=y\n' >board/configs/bogus_defconfig
out=$(m bogus_defconfig 2>&1)
if [ $? != 0 ] && grep -q NO_SUCH_SYMBOL <<<"$out"; then
	ok "a defconfig with an unknown symbol fails, naming it"
else
	notok "a defconfig with an unknown symbol fails, naming it" "$out"
fi
rm -f board/configs/bogus_defconfig .config
m defconfig >/dev/null 2>&1
echo 'CONFIG_NO_SUCH_SYMBOL=y' >>.config
out=$(m -j2 2>&1)
if [ $? != 0 ] && grep -q NO_SUCH_SYMBOL <<<"$out"; then
	ok "a .config with an unknown symbol fails the build"
else
	notok "a .config with an unknown symbol fails the build" "$out"
fi
rm -rf .config build

# ---- savedefconfig round trip -------------------------------------------------
for b in $boards; do
	m "${b}_defconfig" >/dev/null && cp .config A &&
		m savedefconfig >/dev/null && cp defconfig board/configs/rt_defconfig &&
		m rt_defconfig >/dev/null
	if [ $? = 0 ] && diff <(config_body A) <(config_body .config) >diff.out; then
		ok "$b: defconfig -> savedefconfig -> defconfig round trip"
	else
		notok "$b: defconfig -> savedefconfig -> defconfig round trip" "$(cat diff.out 2>/dev/null)"
	fi
	cp .config B
	m olddefconfig >/dev/null
	if diff <(config_body B) <(config_body .config) >diff.out; then
		ok "$b: olddefconfig leaves the .config as it is"
	else
		notok "$b: olddefconfig leaves the .config as it is" "$(cat diff.out)"
	fi
	rm -f A B board/configs/rt_defconfig defconfig
done
m defconfig >/dev/null && m savedefconfig >/dev/null
if [ -f defconfig ] && ! grep -q '^CONFIG_' defconfig; then
	ok "savedefconfig of the default configuration writes ./defconfig with nothing in it but comments"
else
	notok "savedefconfig of the default configuration writes ./defconfig with nothing in it but comments" \
		"$(cat defconfig 2>/dev/null)"
fi
rm -f defconfig .config

# ---- menuconfig: open, save, quit on a pty -> the same configuration ---------
m minimal_defconfig >/dev/null && cp .config A && rm -f .config.old
timeout 60 "${PYTHON:-/usr/bin/python3}" - <<'PY' >menuconfig.out 2>&1
import os, pty, select, sys, time
pid, fd = pty.fork()
if pid == 0:
    os.environ.update(TERM="xterm", LINES="40", COLUMNS="120")
    os.execvp("make", ["make", "-s", "menuconfig"])
def drain(t):
    end = time.time() + t
    while time.time() < end:
        if select.select([fd], [], [], 0.1)[0]:
            try:
                os.read(fd, 65536)
            except OSError:
                return
for keys in ["S", "\r", "\r", "Q"]:  # save, confirm the name, ok, quit
    drain(1.5)
    os.write(fd, keys.encode())
drain(2)
sys.exit(os.waitstatus_to_exitcode(os.waitpid(pid, 0)[1]))
PY
rc=$?
if [ $rc = 0 ] && [ -f .config.old ] && diff <(config_body A) <(config_body .config) >diff.out; then
	ok "menuconfig saves the configuration it loaded unchanged"
else
	notok "menuconfig saves the configuration it loaded unchanged" "rc=$rc" "$(cat diff.out 2>/dev/null)"
fi
rm -f A .config .config.old menuconfig.out diff.out

# ---- the minimal configuration links without the optional libraries ----------
optional="seccomp archive nl-3 nl-route-3 curl jansson iniparser nftables"
m minimal_defconfig >/dev/null
out=$(make --no-print-directory -j2 V=1 all 2>&1)
rc=$?
link=$(grep -- '-o build/berth ' <<<"$out")
bad=""
for l in $optional; do
	grep -q -- "-l$l\b" <<<"$link" && bad="$bad -l$l"
done
if [ $rc = 0 ] && [ -n "$link" ] && [ -z "$bad" ]; then
	ok "minimal: builds, the link line names no optional library"
else
	notok "minimal: builds, the link line names no optional library" "rc=$rc${bad:+, links$bad}" "$link"
	[ $rc = 0 ] || printf '%s\n' "$out" | tail -n 20 | sed 's/^/#   /'
fi
# needed_none BINARY "LIB..." WHAT: ok when BINARY's NEEDED names none of LIB
needed_none() {
	local needed bad="" l
	needed=$(readelf -d "$1" 2>/dev/null | sed -n 's/.*(NEEDED).*\[\(.*\)\]/\1/p' | tr '\n' ' ')
	for l in $2; do
		case " $needed" in *" lib$l.so"*) bad="$bad lib$l" ;; esac
	done
	if [ -n "$needed" ] && [ -z "$bad" ]; then
		ok "$3 ($needed)"
	else
		notok "$3" "NEEDED: $needed"
	fi
}
needed_none build/berth "$optional" "minimal: NEEDED holds no optional library"
ver=$(build/berth version 2>&1)
parts=$(sed -n 's/^parts: //p' <<<"$ver")
case " $parts " in
*" runtime "*) case " $parts " in
	*" images"* | *" net"* | *" supervisor"* | *" oci"* | *"+seccomp"*)
		notok "minimal: berth version lists only the runtime" "$ver" ;;
	*) ok "minimal: berth version lists only the runtime ($parts)" ;;
	esac ;;
*) notok "minimal: berth version lists only the runtime" "$ver" ;;
esac

# ---- the default build opens the heavy libraries on first use -----------------
# (lib/dl.h: libarchive, libcurl, libcrypto, libnftables, libnl; each would cost
# every berth and berth-oci start)
if [ -x "$src/build/berth" ]; then
	needed_none "$src/build/berth" "archive curl crypto nftables nl-3 nl-route-3" \
		"build/berth: NEEDED holds none of the libraries opened on first use"
else
	ok "build/berth: NEEDED holds none of the libraries opened on first use # SKIP no build/berth (run make)"
fi

echo "$((n - failn)) passed, $failn failed"
[ $failn = 0 ]
