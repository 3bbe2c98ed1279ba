#!/bin/bash
# Before the first compile of a build directory: does the target compiler
# find every header and library the configured parts need? If not, one line
# naming the first missing one and what installs it, e.g.
#   berth: archive.h not found by arm-linux-gnueabihf-gcc (Debian: libarchive-dev:armhf, make deps-armhf)
# instead of a compile error deep in the build.
#   scripts/check-libs.sh DEPS-TARGET DEBARCH CC [FLAG...] -- h:HEADER:PACKAGE... l:LIB:PACKAGE...
# DEPS-TARGET is deps for a native build, deps-DEBARCH for a cross build.
set -u
target=$1 debarch=$2
shift 2
cc=()
while [ $# -gt 0 ] && [ "$1" != -- ]; do cc+=("$1"); shift; done
shift
tgt() { [ "$target" = deps ] && echo "$1" || echo "$1:$debarch"; }
if ! command -v "${cc[0]}" >/dev/null; then
	case $target in
	deps) echo "berth: no compiler ${cc[0]} (Debian: build-essential, make deps)" >&2 ;;
	*) echo "berth: no compiler ${cc[0]} (Debian: make $target installs Debian's cross compiler and libraries)" >&2 ;;
	esac
	exit 1
fi
hdrs=() libs=()
for a in "$@"; do
	case $a in h:*) hdrs+=("${a#h:}") ;; l:*) libs+=("${a#l:}") ;; esac
done
# all headers in one run of the preprocessor; one by one only to name the missing one
src=$(for h in "${hdrs[@]}"; do echo "#include <${h%%:*}>"; done)
if ! "${cc[@]}" -E -x c - <<<"$src" >/dev/null 2>&1; then
	for h in "${hdrs[@]}"; do
		if ! "${cc[@]}" -E -x c - <<<"#include <${h%%:*}>" >/dev/null 2>&1; then
			echo "berth: ${h%%:*} not found by ${cc[0]} (Debian: $(tgt "${h#*:}"), make $target)" >&2
			exit 1
		fi
	done
fi
for l in "${libs[@]}"; do
	f=$("${cc[@]}" -print-file-name="lib${l%%:*}.so" 2>/dev/null)
	if [ "${f#*/}" = "$f" ]; then
		f=$("${cc[@]}" -print-file-name="lib${l%%:*}.a" 2>/dev/null)
	fi
	if [ "${f#*/}" = "$f" ]; then
		echo "berth: -l${l%%:*} not found by ${cc[0]} (Debian: $(tgt "${l#*:}"), make $target)" >&2
		exit 1
	fi
done
exit 0
