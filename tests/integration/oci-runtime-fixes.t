# berth-oci create/start with a user namespace (the exec fifo is writable
# by the container's mapped root), rootfsPropagation shared/unbindable
# (applied after pivot_root), the /dev symlinks, and a setup failure
# reported on one line.
# qemu: yes
OCI="$(dirname "$BERTH")/berth-oci"
[ -e /proc/self/uid_map ] || skip "kernel without user namespaces"
B=$T/bundle
mkdir -p "$B" && mkrootfs "$B/rootfs"
(cd "$B" && "$OCI" spec) || fail "spec"
sed -i 's/"terminal": true/"terminal": false/' "$B/config.json"
cp "$B/config.json" "$T/config.orig"
config() { # JSON-ARGS [SED-EXPR...]: args replace ["sh"], more sed expressions
	a=$1; shift
	sed -e "s|^\([[:space:]]*\)\"sh\"\$|\1$a|" "$@" "$T/config.orig" >"$B/config.json"
}
run_to_end() { # ID: create, start, wait until stopped; $out = the payload's output
	"$OCI" create --bundle "$B" "$1" >"$T/$1.log" 2>&1 </dev/null ||
		fail "create $1: $(cat "$T/$1.log")"
	"$OCI" start "$1" >>"$T/$1.log" 2>&1 || fail "start $1: $(cat "$T/$1.log")"
	i=0
	while ! "$OCI" state "$1" | grep -q '"stopped"'; do
		i=$((i + 1))
		[ $i -lt 500 ] || fail "$1 never stopped"
		sleep 0.02
	done
	"$OCI" delete "$1" || fail "delete $1"
	out=$(cat "$T/$1.log")
}

# 1. user namespace: root inside is host uid 100000; create/start works
chown -R 100000:100000 "$B/rootfs"
config '"sh", "-c", "cat /proc/self/uid_map; id -u"' \
	-e 's|"namespaces": \[|"uidMappings": [{"containerID": 0, "hostID": 100000, "size": 65536}], "gidMappings": [{"containerID": 0, "hostID": 100000, "size": 65536}], "namespaces": [{"type": "user"},|'
run_to_end u1
assert_contains "$out" "100000" "uid_map inside"
assert_not_contains "$out" "Wait for start" "exec fifo"
chown -R 0:0 "$B/rootfs"

# 2. rootfsPropagation shared / unbindable: the container starts and its /
# has that propagation
for p in shared unbindable private slave; do
	config '"cat", "/proc/self/mountinfo"' \
		-e "s|\"namespaces\": \[|\"rootfsPropagation\": \"$p\", \"namespaces\": [|"
	run_to_end "p$p"
	out=$(printf '%s\n' "$out" | awk '$5 == "/"')
	[ -n "$out" ] || fail "no / in the container's mountinfo"
	case $p in
	shared) assert_contains "$out" " shared:" "rootfsPropagation shared" ;;
	unbindable) assert_contains "$out" " unbindable" "rootfsPropagation unbindable" ;;
	*) assert_not_contains "$out" " shared:" "rootfsPropagation $p" ;;
	esac
done

# 5. the OCI /dev symlinks are made by the runtime (config.json's own /dev)
config '"sh", "-c", "for l in fd stdin stdout stderr ptmx; do echo $l=$(readlink /dev/$l); done"'
run_to_end links
assert_contains "$out" "fd=/proc/self/fd" "/dev/fd"
assert_contains "$out" "stdin=/proc/self/fd/0" "/dev/stdin"
assert_contains "$out" "stderr=/proc/self/fd/2" "/dev/stderr"
assert_contains "$out" "ptmx=pts/ptmx" "/dev/ptmx"

# 4. a failure inside the container's setup: exit 1, exactly one line on
# stderr, nothing left behind
config '"/probe", "info"' -e 's|"type": "proc",|"type": "nosuchfs",|'
"$OCI" create --bundle "$B" bad >"$T/bad.out" 2>"$T/bad.err" </dev/null
rc=$?
assert_eq "$rc" 1 "create with a bad mount"
assert_eq "$(wc -l <"$T/bad.err")" 1 "stderr lines: $(cat "$T/bad.err")"
assert_contains "$(cat "$T/bad.err")" "nosuchfs"
[ ! -e "$BERTH_RUN_DIR/containers/bad" ] || fail "state of a failed create left behind"
exit 0
