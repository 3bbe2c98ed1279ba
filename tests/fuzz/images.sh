#!/bin/sh
# Fuzz the image store's parsers (layers, manifests/configs, references)
# with libFuzzer (clang), seeded with the embedded image's layer and JSON.
#   tests/fuzz/images.sh [SECONDS]      (default 60; run as root: owners)
set -e
cd "$(dirname "$0")/../.."
O=${O:-build}
make --no-print-directory -s "$O/include/generated/autoconf.h" image
out="$O/fuzz"
corpus="$out/images-corpus"
mkdir -p "$corpus" "$out/images-x"
tar -xf "$O/busybox.oci.tar" -C "$out/images-x"
for b in "$out"/images-x/blobs/sha256/*; do
	if head -c 1 "$b" | grep -q '{'; then
		{ printf '\001'; cat "$b"; } > "$corpus/json-$(basename "$b" | cut -c1-12)"
	elif [ "$(stat -c %s "$b")" -lt 200000 ]; then
		{ printf '\000'; cat "$b"; } > "$corpus/layer-$(basename "$b" | cut -c1-12)"
	fi
done
printf '\000' > "$corpus/layer-empty"
printf '\002docker.io/library/busybox:1.36' > "$corpus/ref"
printf '\002linux/arm/v7' > "$corpus/platform"
clang -g -O1 -fsanitize=fuzzer,address,undefined -D_GNU_SOURCE -I. -I"$O/include" -Ilib \
	-o "$out/images-fuzz" tests/fuzz/images_fuzz.c images/unpack.c images/image.c images/user.c \
	images/digest.c images/ref.c images/platform.c images/store.c images/dl_archive.c \
	lib/err.c lib/fs.c lib/strv.c lib/units.c lib/dl.c -ljansson -lcrypto -ldl
"$out/images-fuzz" -max_total_time="${1:-60}" -max_len=65536 -timeout=10 "$corpus"
