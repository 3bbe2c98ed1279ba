# Real peers: images written by skopeo and umoci load, and unpack to the
# same tree as `umoci unpack` (paths, types, modes, owners, sizes, content
# hashes, file mtimes). Needs skopeo and umoci (Debian packages): skips
# where they are missing (the QEMU VM).
. "$(dirname "$LIB")/images-lib.sh"
need_part images
command -v skopeo >/dev/null 2>&1 || skip "skopeo not installed"
command -v umoci >/dev/null 2>&1 || skip "umoci not installed"
S="$BERTH_ROOT/images"
sk() { skopeo --insecure-policy "$@" >/dev/null 2>&1 || fail "skopeo $*"; }
um() { umoci "$@" >/dev/null 2>&1 || fail "umoci $*"; }

sk copy oci-archive:"$IMAGE" oci:"$T/oci":busybox:latest
# a second layer made by umoci: a new file, a hard link, a removed file
# (whiteout), a removed-and-recreated directory, a setuid file
um unpack --image "$T/oci":busybox:latest "$T/b"
r="$T/b/rootfs"
echo hello > "$r/etc/motd"
ln "$r/etc/motd" "$r/etc/motd.link"
rm "$r/etc/group"
rm -rf "$r/var/www" && mkdir "$r/var/www" && echo new > "$r/var/www/index.html"
cp "$r/bin/busybox" "$r/bin/suid" && chmod 4755 "$r/bin/suid"
chown 33:33 "$r/var/www/index.html"
um repack --image "$T/oci":v2 "$T/b"
um tag --image "$T/oci":v2 peer:v2 2>/dev/null || true
um unpack --image "$T/oci":v2 "$T/ref"

# load each form: OCI dir, OCI archive (skopeo), docker-archive (skopeo, old form)
sk copy oci:"$T/oci":v2 oci-archive:"$T/v2.oci.tar":peer:v2
sk copy oci:"$T/oci":v2 docker-archive:"$T/v2.docker.tar":peer:v2
expect_status 0 berth image load "$T/v2.oci.tar"
assert_contains "$out" "peer:v2"
expect_status 0 berth image load -t peer:docker "$T/v2.docker.tar"
# the dir holds several images (latest, v2, peer:v2): one name for all is an error
expect_status 125 berth image load -t peer:dir "$T/oci"
assert_contains "$out" "holds 3 images"
sk copy oci:"$T/oci":v2 oci:"$T/oci2":peer:v2
expect_status 0 berth image load -t peer:dir "$T/oci2"

listing "$T/ref/rootfs" > "$T/want"
for name in peer:v2 peer:docker peer:dir; do
	same_tree "$name" "$T/want"
done
# docker-archive and OCI forms give the same image (same config = same ID)
assert_eq "$(berth image inspect peer:docker | grep '"Id"')" "$(berth image inspect peer:v2 | grep '"Id"')" "ID"
# the whiteout is an overlay whiteout in the top layer
top=$("$BERTH" image spec peer:v2 | sed -n 's/^lowers=//p' | cut -d' ' -f1)
[ -c "$top/etc/group" ] || fail "no whiteout for etc/group in $top"
assert_eq "$(stat -c %a "$top/bin/suid")" 4755 "setuid file in the layer"
expect_status 0 berth image fsck --verify
