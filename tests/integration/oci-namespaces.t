# berth-oci: a container that inherits the runtime's mount namespace (no
# "mount" entry: chroot, nothing left mounted after delete, exec enters its
# root), joins a mount and a UTS namespace by path (hostname set in the
# joined one).
# qemu: yes
OCI="$(dirname "$BERTH")/berth-oci"
B=$T/bundle
mkdir -p "$B" && mkrootfs "$B/rootfs"
echo inside >"$B/rootfs/marker"
(cd "$B" && "$OCI" spec) || fail "spec"
sed -i -e 's/"terminal": true/"terminal": false/' \
	-e 's|^\([[:space:]]*\)"sh"$|\1"/probe", "pause"|' "$B/config.json"
cp "$B/config.json" "$T/config.orig"
ns_of() { readlink "/proc/$1/ns/$2"; }
start() { # ID
	"$OCI" create --bundle "$B" "$1" >"$T/$1.log" 2>&1 </dev/null || fail "create $1: $(cat "$T/$1.log")"
	"$OCI" start "$1" || fail "start $1"
	pid=$("$OCI" state "$1" | sed -n 's/.*"pid": \([0-9]*\).*/\1/p')
	[ -n "$pid" ] || fail "no pid for $1"
}
mounted() { grep -c " $B/rootfs" /proc/self/mountinfo; }
assert_eq "$(mounted)" 0 "mounts on the rootfs before"

# inherit: the "mount" entry removed
sed -e '/^[[:space:]]*{$/{N;/"type": "mount"$/{N;d;};}' "$T/config.orig" >"$B/config.json"
grep -q '"type": "mount"' "$B/config.json" && fail "sed left the mount namespace in"
start inh
assert_eq "$(ns_of "$pid" mnt)" "$(ns_of $$ mnt)" "inherited mount namespace"
[ "$(mounted)" -gt 0 ] || fail "no mount of the container in the runtime's namespace"
expect_status 0 "$OCI" exec inh cat /marker
assert_eq "$out" inside "exec sees the container's root"
expect_status 0 "$OCI" exec inh /probe info
assert_eq "$(kv "$out" hostname)" berth "hostname in the created uts namespace"
[ "$(kv "$out" pids_visible)" -le 3 ] || fail "exec does not see the container's /proc"
expect_status 0 "$OCI" delete --force inh
assert_eq "$(mounted)" 0 "mounts left on the rootfs after delete"
[ "$(cat /proc/$$/root/proc/self/comm 2>/dev/null)" = cat ] || fail "the runtime's root moved"

# join by path: a mount and a UTS namespace held by a sleeping process
unshare -m -u sleep 600 &
holder=$!
i=0
while [ "$(ns_of $holder mnt)" = "$(ns_of $$ mnt)" ]; do
	i=$((i + 1))
	[ $i -lt 250 ] || fail "unshare made no namespace"
	sleep 0.02
done
sed -e "s|\"type\": \"mount\"|\"type\": \"mount\", \"path\": \"/proc/$holder/ns/mnt\"|" \
	-e "s|\"type\": \"uts\"|\"type\": \"uts\", \"path\": \"/proc/$holder/ns/uts\"|" \
	"$T/config.orig" >"$B/config.json"
start join
assert_eq "$(ns_of "$pid" mnt)" "$(ns_of $holder mnt)" "joined mount namespace"
assert_eq "$(ns_of "$pid" uts)" "$(ns_of $holder uts)" "joined uts namespace"
expect_status 0 "$OCI" exec join /probe info
assert_eq "$(kv "$out" hostname)" berth "hostname set in the joined uts namespace"
expect_status 0 "$OCI" exec join cat /marker
assert_eq "$out" inside "exec in the joined mount namespace"
expect_status 0 "$OCI" delete --force join
kill $holder
wait $holder 2>/dev/null
assert_eq "$(mounted)" 0 "mounts in the runtime's namespace"

# a new user namespace cannot be made from the chroot of an inherited one
sed -e '/^[[:space:]]*{$/{N;/"type": "mount"$/{N;d;};}' \
	-e 's|"namespaces": \[|"uidMappings": [{"containerID": 0, "hostID": 100000, "size": 65536}], "gidMappings": [{"containerID": 0, "hostID": 100000, "size": 65536}], "namespaces": [{"type": "user"},|' \
	"$T/config.orig" >"$B/config.json"
expect_status 1 "$OCI" create --bundle "$B" inhuser
assert_contains "$out" "user namespace needs a mount namespace"
assert_eq "$(mounted)" 0 "mounts left by a refused create"

# the runtime's own UTS namespace cannot get a hostname
sed -e '/^[[:space:]]*{$/{N;/"type": "uts"$/{N;d;};}' "$T/config.orig" >"$B/config.json"
expect_status 1 "$OCI" create --bundle "$B" nouts
assert_contains "$out" "uts"
exit 0
