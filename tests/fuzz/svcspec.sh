#!/bin/sh
# Fuzz the service file parser (NAME.svc) with libFuzzer (clang), seeded
# with examples/*.svc.
#   tests/fuzz/svcspec.sh [SECONDS]      (default 60)
set -e
cd "$(dirname "$0")/../.."
O=${O:-build}
make --no-print-directory -s "$O/include/generated/autoconf.h"
out="$O/fuzz"
mkdir -p "$out/svcspec-corpus"
cp examples/*.svc "$out/svcspec-corpus/"
clang -g -O1 -fsanitize=fuzzer,address,undefined -D_GNU_SOURCE -I. -I"$O/include" -Ilib \
	-I/usr/include/iniparser -I/usr/include/libnl3 -o "$out/svcspec-fuzz" tests/fuzz/svcspec_fuzz.c \
	supervisor/svcspec.c supervisor/podspec.c supervisor/podspec_bspec.c supervisor/ini.c runtime/spec.c \
	lib/err.c lib/fs.c lib/strv.c lib/units.c -liniparser -lcap -lm
"$out/svcspec-fuzz" -max_total_time="${1:-60}" -max_len=4096 "$out/svcspec-corpus"
