# Real peers: images built by buildah (Debian package) load, in every form
# buildah writes offline (OCI dir gzip and zstd, OCI archive, docker-archive),
# and unpack to the same tree as `umoci unpack` of the same image (paths,
# types, modes, owners, sizes, content hashes, file mtimes). Two images:
# one FROM the busybox image with a second layer (file, hard link, directory,
# symlink, removed file and directory), one FROM scratch with a few files of
# the test rootfs. No `buildah run` (no runtime needed), no registry, all of
# buildah's state in $T. Skips where buildah or umoci is missing (the QEMU VM).
. "$(dirname "$LIB")/images-lib.sh"
need_part images
command -v buildah >/dev/null 2>&1 || skip "buildah not installed"
command -v umoci >/dev/null 2>&1 || skip "umoci not installed"

# buildah's storage (vfs), configuration and temp files live in $B; no
# registry is configured and only local transports are used. What it writes
# regardless under /var (blob-info cache, short-name alias lock, archive
# extraction) goes to $T through overlays in this test's own mount namespace.
B="$T/buildah"
mkdir -p "$B/tmp" "$B/cni"
contain() { # DIR
	c="$T/contain$(echo "$1" | tr / -)"
	mkdir -p "$c.u" "$c.w"
	mount -t overlay overlay -o "lowerdir=$1,upperdir=$c.u,workdir=$c.w" "$1" ||
		fail "Cannot keep buildah's writes to $1 in $T (overlay mount failed)"
}
for d in /var/lib /var/cache /var/tmp; do contain "$d"; done
printf 'unqualified-search-registries = []\n' > "$B/registries.conf"
printf '{"default":[{"type":"insecureAcceptAnything"}]}\n' > "$B/policy.json"
printf '[storage]\ndriver = "vfs"\ngraphroot = "%s"\nrunroot = "%s"\n' "$B/root" "$B/run" > "$B/storage.conf"
printf '[network]\nnetwork_backend = "cni"\nnetwork_config_dir = "%s"\n[engine]\nimage_copy_tmp_dir = "%s"\n' \
	"$B/cni" "$B/tmp" > "$B/containers.conf"
export CONTAINERS_REGISTRIES_CONF="$B/registries.conf" CONTAINERS_CONF="$B/containers.conf" \
	CONTAINERS_STORAGE_CONF="$B/storage.conf" TMPDIR="$B/tmp" HOME="$B" \
	XDG_RUNTIME_DIR="$B/run" XDG_CONFIG_HOME="$B/config" XDG_DATA_HOME="$B/data" XDG_CACHE_HOME="$B/cache"
# inside $(...) the caller adds || exit 1
bh() {
	buildah --root "$B/root" --runroot "$B/run" --storage-driver vfs "$@" 2>"$T/bh.err" && return 0
	echo "FAIL: buildah $*: $(tail -n 3 "$T/bh.err")" >&2
	exit 1
}
P="--signature-policy=$B/policy.json"
um() { umoci "$@" >/dev/null 2>&1 || fail "umoci $*"; }

# (a) FROM busybox: a file (copied, owner and mode set), a hard link to it,
# a directory with its own owner and mode, a symlink, a removed file and a
# removed directory (whiteouts)
c=$(bh from -q $P oci-archive:"$IMAGE") || exit 1
echo hello > "$T/motd"
bh copy --chown 10:20 --chmod 0640 "$c" "$T/motd" /etc/motd >/dev/null
r=$(bh mount "$c") || exit 1
[ -f "$r/etc/group" ] && [ -d "$r/home" ] || fail "busybox image has no etc/group or home"
ln "$r/etc/motd" "$r/etc/motd.link"
mkdir -p "$r/srv/www" && echo page > "$r/srv/www/index.html"
chown -R 33:33 "$r/srv/www" && chmod 0750 "$r/srv/www"
ln -s ../srv/www "$r/var/web"
rm "$r/etc/group"
rmdir "$r/home"
bh umount "$c" >/dev/null
bh config --cmd /bin/sh --env GREETING=hello --workingdir /srv --user 33 "$c"
bh commit -q $P "$c" localhost/bb:v2 >/dev/null

# (b) FROM scratch: a few files of the test rootfs, docker-format config
s=$(bh from -q scratch) || exit 1
r=$(bh mount "$s") || exit 1
mkdir -p "$r/bin" "$r/etc"
cp -a "$ROOTFS/bin/busybox" "$r/bin/"
ln -s busybox "$r/bin/sh"
cp -a "$ROOTFS/etc/passwd" "$ROOTFS/etc/group" "$r/etc/"
bh umount "$s" >/dev/null
bh config --entrypoint '["/bin/busybox"]' --cmd sh "$s"
bh commit -q --format docker $P "$s" localhost/small:v1 >/dev/null

# each image in each form, loaded under its own name; the gzip OCI dir is
# the reference for `umoci unpack`
for n in bb:v2 small:v1; do
	i=${n%:*}
	bh push -q $P localhost/$n oci:"$T/$i.oci":ref
	bh push -q $P --compression-format zstd localhost/$n oci:"$T/$i.zst":ref
	bh push -q $P localhost/$n oci-archive:"$T/$i.oci.tar":$n
	bh push -q $P -D localhost/$n oci-archive:"$T/$i.plain.oci.tar":$n
	bh push -q $P localhost/$n docker-archive:"$T/$i.docker.tar":$n
	um unpack --image "$T/$i.oci":ref "$T/ref-$i"
	listing "$T/ref-$i/rootfs" > "$T/want-$i"
	for f in oci zst oci.tar plain.oci.tar docker.tar; do
		expect_status 0 berth image load -t "$i:$f" "$T/$i.$f"
		same_tree "$i:$f" "$T/want-$i"
	done
	# the OCI forms carry the same config: one image ID
	id=$(berth image inspect "$i:oci" | grep '"Id"')
	[ -n "$id" ] || fail "no Id in berth image inspect $i:oci"
	for f in zst oci.tar plain.oci.tar; do
		assert_eq "$(berth image inspect "$i:$f" | grep '"Id"')" "$id" "ID of $i:$f"
	done
done

# the trees compared above hold buildah's changes (so a wrong unpack on
# both sides or an empty image would not pass)
w="$T/want-bb"
grep -q '^\./etc/motd f 640 10:20 6 2 ' "$w" || fail "etc/motd (640 10:20, 2 links) missing: $(grep motd "$w")"
grep -q '^\./etc/motd\.link f 640 10:20 6 2 ' "$w" || fail "etc/motd.link missing"
grep -q '^\./srv/www d 750 33:33$' "$w" || fail "srv/www (750 33:33) missing"
grep -q '^\./srv/www/index\.html f [0-7]* 33:33 5 ' "$w" || fail "srv/www/index.html missing"
grep -q '^\./var/web l \.\./srv/www ' "$w" || fail "symlink var/web missing"
grep -q '^\./bin/busybox f ' "$w" || fail "busybox layer missing"
grep -q -e '^\./etc/group ' -e '^\./home ' "$w" && fail "etc/group or home not removed"
top=$("$BERTH" image spec bb:oci | sed -n 's/^lowers=//p' | cut -d' ' -f1)
[ -c "$top/etc/group" ] || fail "no whiteout for etc/group in $top"
[ -c "$top/home" ] || fail "no whiteout for home in $top"
assert_eq "$(sed -n 's/^\.\/[^ ]* \([a-z]\).*/\1/p' "$T/want-small" | LC_ALL=C sort | uniq -c | tr -s ' ')" \
	" 2 d
 3 f
 1 l" "small image: 2 dirs, 3 files, 1 symlink"
assert_eq "$(sha256sum < "$ROOTFS/bin/busybox")" "$(sha256sum < "$T/ref-small/rootfs/bin/busybox")" "busybox in small"

# buildah's config reaches berth, from every form
for n in bb:oci bb:docker.tar; do
	out=$(berth image inspect "$n")
	assert_contains "$out" '"/srv"' "$n WorkingDir"
	assert_contains "$out" 'GREETING=hello' "$n Env"
done
out=$(berth image inspect small:docker.tar)
assert_contains "$out" '"/bin/busybox"' "small Entrypoint"
expect_status 0 berth image fsck --verify
