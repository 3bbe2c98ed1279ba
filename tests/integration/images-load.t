# Image store: load the embedded image in every form, list, inspect, tag,
# save, rm, prune, fsck; the store is private; what berth run gets.
need_part images
S="$BERTH_ROOT/images"

expect_status 0 berth image load "$IMAGE"
assert_contains "$out" "Loaded image: busybox:latest"
expect_status 0 berth images
assert_contains "$out" "busybox"
assert_contains "$out" "latest"
id=$(berth images -q)
[ ${#id} = 12 ] || fail "image ID: '$id'"

# private store: layers can hold setuid files (CVE-2021-41091)
for d in "$S" "$S/blobs" "$S/layers" "$S/tmp" "$S/refs"; do
	assert_eq "$(stat -c %a "$d")" 700 "mode of $d"
done
# the layer is an overlay-ready tree
layer=$(ls "$S/layers")
[ -x "$S/layers/$layer/bin/busybox" ] || fail "no bin/busybox in the layer"
assert_eq "$(readlink "$S/layers/$layer/bin/sh")" /bin/busybox "bin/sh link"
assert_eq "$(stat -c %a "$S/layers/$layer/tmp")" 1777 "mode of /tmp in the layer"

expect_status 0 berth image inspect busybox
assert_contains "$out" '"Cmd"'
assert_contains "$out" '"80/tcp"'
assert_contains "$out" "$layer"

# again: everything reused, one record
expect_status 0 berth load "$IMAGE"
assert_eq "$(berth images -q | wc -l)" 1 "records after a second load"

# stdin, a gzipped archive, and an OCI layout directory
gzip -c "$IMAGE" > "$T/bb.tar.gz"
expect_status 0 sh -c "\"$BERTH\" image load -t from-stdin:1 - < \"$T/bb.tar.gz\""
mkdir "$T/dir" && tar -xf "$IMAGE" -C "$T/dir"
expect_status 0 berth image load -t from-dir:1 "$T/dir"
expect_status 0 berth images
assert_contains "$out" "from-stdin"
assert_contains "$out" "from-dir"

# save (docker 25+ form and OCI) and load into a fresh store: same ID
expect_status 0 berth image save -o "$T/d.tar" busybox
expect_status 0 berth image save --format oci -o "$T/o.tar" busybox
tar -tf "$T/d.tar" | grep -qx manifest.json || fail "docker form without manifest.json"
tar -tf "$T/o.tar" | grep -qx index.json || fail "OCI form without index.json"
for f in d o; do
	expect_status 0 env BERTH_ROOT="$T/root-$f" "$BERTH" load "$T/$f.tar"
	assert_contains "$out" "busybox:latest"
	assert_eq "$(BERTH_ROOT="$T/root-$f" "$BERTH" images -q)" "$id" "ID after save/load ($f)"
done

# Docker 25+ form: the OCI side is read (the manifest digest is kept); an
# entry without a name takes manifest.json's RepoTags
digest=$(berth image inspect busybox | sed -n 's/.*"Digest": "\(sha256:[0-9a-f]*\)".*/\1/p' | head -n 1)
[ ${#digest} = 71 ] || fail "manifest digest: '$digest'"
mkdir "$T/d25" && tar -xf "$T/d.tar" -C "$T/d25"
sed -i 's/,"annotations":{[^}]*}//' "$T/d25/index.json"
grep -q annotations "$T/d25/index.json" && fail "annotations not stripped"
expect_status 0 env BERTH_ROOT="$T/root-25" "$BERTH" load "$T/d25"
assert_contains "$out" "Loaded image: busybox:latest"
assert_contains "$(BERTH_ROOT="$T/root-25" "$BERTH" image inspect busybox)" "$digest" "manifest digest"

# tag, rm by name keeps other names, prune
expect_status 0 berth image tag busybox mine/bb:v1
expect_status 0 berth image rm busybox
expect_status 0 berth images
assert_contains "$out" "mine/bb"
assert_not_contains "$out" "busybox "
[ -d "$S/layers/$layer" ] || fail "layer removed while another name uses it"

# what berth run IMAGE gets; a referenced image cannot be removed
expect_status 0 berth image spec --keep --name web1 mine/bb:v1 echo hi
assert_eq "$(kv "$out" args)" "echo hi" "args"
assert_eq "$(kv "$out" lowers)" "$S/layers/$layer" "lowers"
assert_eq "$(kv "$out" uid)" 0 "uid"
assert_eq "$(kv "$out" stop_signal)" 15 "stop signal"
[ -d "$BERTH_ROOT/containers/web1/upper" ] || fail "no upper dir"
# untagging goes on while other names remain; the last name is refused
expect_status 125 berth image rm mine/bb:v1 from-stdin:1 from-dir:1
assert_contains "$out" 'used by container "web1"'
assert_eq "$(berth images -q | wc -l)" 1 "names left"
expect_status 0 berth image spec -u www-data from-dir:1
assert_eq "$(kv "$out" uid)" 33 "uid of www-data"
assert_eq "$(kv "$out" args)" "sh" "default Cmd"
expect_status 0 berth image spec --release --name web1
[ ! -e "$BERTH_ROOT/containers/web1" ] || fail "container dir left after release"
# a container deleted without a release (its dir gone): the reference is stale
expect_status 0 berth image spec --keep --name web2 from-dir:1
expect_status 125 berth image rm from-dir:1
rm -rf "$BERTH_ROOT/containers/web2"
expect_status 0 berth image rm from-dir:1
expect_status 0 berth image prune
[ ! -d "$S/layers/$layer" ] || fail "prune kept an unused layer"
assert_eq "$(ls "$S/blobs/sha256" | wc -l)" 0 "blobs after prune"

# the layer dir is usable as an overlay lower
expect_status 0 berth load "$IMAGE"
mkdir -p "$T/ov/u" "$T/ov/w" "$T/ov/m"
if mount -t overlay overlay -o "lowerdir=$S/layers/$layer,upperdir=$T/ov/u,workdir=$T/ov/w" "$T/ov/m" 2>/dev/null; then
	[ -x "$T/ov/m/bin/busybox" ] || fail "overlay of the layer has no busybox"
	umount "$T/ov/m"
else
	info "overlay mount not possible here: skipped that check"
fi

# broken input: a clear error and an intact store
echo "not an image" > "$T/junk.tar"
expect_status 125 berth image load "$T/junk.tar"
expect_status 0 berth image fsck --verify
