#!/bin/sh
# Fuzz the pod spec parser with libFuzzer (clang), seeded with examples/.
#   tests/fuzz/podspec.sh [SECONDS]      (default 60)
set -e
cd "$(dirname "$0")/../.."
O=${O:-build}
make --no-print-directory -s "$O/include/generated/autoconf.h"
out="$O/fuzz"
mkdir -p "$out/podspec-corpus"
cp examples/*.pod "$out/podspec-corpus/"
clang -g -O1 -fsanitize=fuzzer,address,undefined -D_GNU_SOURCE -I. -I"$O/include" -Ilib \
	-I/usr/include/iniparser -o "$out/podspec-fuzz" tests/fuzz/podspec_fuzz.c \
	supervisor/podspec.c supervisor/podspec_bspec.c supervisor/ini.c runtime/spec.c store/volume.c store/objects.c \
	lib/err.c lib/fs.c lib/strv.c lib/units.c -liniparser -lcap -lm
"$out/podspec-fuzz" -max_total_time="${1:-60}" -max_len=4096 "$out/podspec-corpus"
