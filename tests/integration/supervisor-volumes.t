# Named volumes: berth volume ls/inspect/rm/prune. Sizes are what du
# counts (allocated blocks, hard links once); a volume a pod uses is never
# removed (rm names the pod; prune keeps it), with or without the daemon.
. "$(dirname "$LIB")/supervisor-lib.sh"
pod db <<EOF
[pod]
network = none
stop-grace = 1s
[container app]
image = $IMG
volumes = data:/data
command = "sh -c 'dd if=/dev/urandom of=/data/blob bs=64k count=16 2>/dev/null; ln /data/blob /data/link; echo x >/data/small; exec /probe pause'"
EOF
pod tmp <<EOF
[pod]
network = none
stop-grace = 1s
[container app]
image = $IMG
volumes = scratch:/scratch
command = "sh -c 'echo hi >/scratch/f; exec /probe pause'"
EOF
# the same volume name in namespace dev is another directory
pod devdb <<EOF
[pod]
namespace = dev
network = none
stop-grace = 1s
[container app]
image = $IMG
volumes = data:/data
command = "sh -c 'echo dev >/data/who; exec /probe pause'"
EOF
sv_start
wait_for 30 test -f "$BERTH_ROOT/volumes-ns/dev/data/who" || fail "devdb did not write ROOT/volumes-ns/dev/data"
wait_wide 30 db-0 app 4 yes || { dump db; fail "db not ready"; }
wait_wide 30 tmp-0 app 4 yes || { dump tmp; fail "tmp not ready"; }
wait_for 10 test -f "$BERTH_ROOT/volumes/data/small" || fail "db did not write its volume"

out=$(berth volume ls)
assert_contains "$out" "NAMESPACE"
line=$(printf '%s\n' "$out" | awk '$2 == "data"')
assert_contains "$line" "default"
assert_contains "$line" "db"
# the size is du's: allocated blocks, the hard link counted once
want=$(du -s -B1 "$BERTH_ROOT/volumes/data" | cut -f1)
got=$(berth volume inspect data -o json | sed -n 's/.*"bytes": \([0-9]*\).*/\1/p')
assert_eq "$got" "$want" "volume size (du -B1)"
[ "$got" -ge 1048576 ] || fail "size $got is less than the 1 MiB written"
out=$(berth volume inspect data)
assert_contains "$out" "Path:       $BERTH_ROOT/volumes/data"
assert_contains "$out" "Used by:    db"
expect_status 125 berth volume inspect nosuch
assert_contains "$out" "No volume \"nosuch\" in namespace \"default\""

out=$(berth volume ls -A)
printf '%s\n' "$out" | awk '$1 == "dev" && $2 == "data"' | grep -q devdb.dev || fail "volume ls -A: $out"
assert_not_contains "$(berth volume ls)" "devdb"
[ -f "$BERTH_ROOT/volumes/data/who" ] && fail "namespaces share a volume"
expect_status 125 berth -n dev volume rm data
assert_contains "$out" "Volume \"data\" is used by pod devdb.dev: not removed"
berth -n dev delete pod devdb >/dev/null
wait_for 30 sh -c "! $BERTH -n dev get pods devdb >/dev/null 2>&1" || fail "devdb not deleted"
expect_status 0 berth volume rm data -n dev
[ -d "$BERTH_ROOT/volumes-ns/dev/data" ] && fail "rm -n dev left the volume"
[ -f "$BERTH_ROOT/volumes/data/blob" ] || fail "rm -n dev removed the default namespace's volume"

# in use: rm refused naming the pod, prune keeps it
expect_status 125 berth volume rm data
assert_contains "$out" "Volume \"data\" is used by pod db: not removed"
[ -f "$BERTH_ROOT/volumes/data/blob" ] || fail "rm removed a volume in use"

# unused after its pod is deleted: prune removes it, keeps the used one
berth delete pod tmp >/dev/null
wait_for 30 sh -c "! $BERTH get pods tmp >/dev/null 2>&1" || fail "tmp not deleted"
mkdir -p "$BERTH_ROOT/volumes/orphan"
out=$(berth volume prune)
assert_contains "$out" "volume/scratch removed"
assert_contains "$out" "volume/orphan removed"
assert_not_contains "$out" "volume/data"
[ -d "$BERTH_ROOT/volumes/scratch" ] && fail "prune left scratch"
[ -f "$BERTH_ROOT/volumes/data/blob" ] || fail "prune removed a volume in use"

# without the daemon, the pod files say who uses what
sv_stop_ok
export BERTH_PODS_DIR="$PODS"
expect_status 125 berth volume rm data
assert_contains "$out" "used by pod db"
rm "$PODS/db.pod"
expect_status 0 berth volume rm data
assert_contains "$out" "volume/data removed"
[ -d "$BERTH_ROOT/volumes/data" ] && fail "rm left data"
expect_status 125 berth volume inspect data -n Bad_NS
assert_contains "$out" "Namespace \"Bad_NS\" is not a DNS label"
out=$(berth volume ls -A -o json)
assert_eq "$out" "[]" "no volume left"
