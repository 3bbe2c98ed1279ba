# berth-oci refuses bad input: exit 1, one line on stderr (and in --log in
# the requested format), nothing left behind.
OCI="$(dirname "$BERTH")/berth-oci"
B=$T/bundle
mkdir -p "$B" && mkrootfs "$B/rootfs"
"$OCI" spec --bundle "$B" || fail "spec"
sed -i 's/"terminal": true/"terminal": false/' "$B/config.json"
sed -i 's|^\([[:space:]]*\)"sh"$|\1"/probe", "sleep", "60"|' "$B/config.json"
cp "$B/config.json" "$T/good.json"

# nothing of ID may remain: no state, no saved config, no process
nothing_left() { # ID
	expect_status 1 "$OCI" state "$1"
	[ ! -e "$BERTH_RUN_DIR/oci/configs/$1.json" ] || fail "saved config of $1 left behind"
	[ -z "$("$OCI" list -q)" ] || fail "containers left: $("$OCI" list)"
	if ls /proc/[0-9]*/cmdline >/dev/null 2>&1; then
		for c in /proc/[0-9]*/cmdline; do
			case "$(tr '\0' ' ' < "$c" 2>/dev/null)" in "/probe sleep 60"*) fail "a payload is left: $c" ;; esac
		done
	fi
}
# exit 1, exactly one line on stderr that contains WHAT
fails_with() { # WHAT CMD...
	what=$1; shift
	"$@" >"$T/stdout" 2>"$T/stderr" </dev/null
	rc=$?
	[ "$rc" = 1 ] || fail "'$*' exited $rc, expected 1: $(cat "$T/stderr")"
	[ "$(wc -l < "$T/stderr")" = 1 ] || fail "'$*': stderr is not one line: $(cat "$T/stderr")"
	[ ! -s "$T/stdout" ] || fail "'$*' wrote to stdout: $(cat "$T/stdout")"
	assert_contains "$(cat "$T/stderr")" "$what" "stderr of '$*'"
}

# malformed and truncated config.json
echo '{"ociVersion": "1.0.2", "root": {"path": "rootfs"}, ' > "$B/config.json"
fails_with "config.json" "$OCI" create --bundle "$B" bad1
nothing_left bad1
head -c 300 "$T/good.json" > "$B/config.json"
fails_with "Not valid JSON (config.json): line" "$OCI" create --bundle "$B" bad2
nothing_left bad2
: > "$B/config.json"
fails_with "config.json" "$OCI" run --bundle "$B" bad3
nothing_left bad3

# an unknown namespace type, an unknown field (named)
sed 's/"type": "cgroup"/"type": "bogus"/' "$T/good.json" > "$B/config.json"
fails_with 'unknown namespace type "bogus"' "$OCI" create --bundle "$B" bad4
nothing_left bad4
sed 's/"hostname": "berth",/"hostname": "berth", "bogusField": 1,/' "$T/good.json" > "$B/config.json"
fails_with "bogusField is not supported" "$OCI" create --bundle "$B" bad5
nothing_left bad5

# a missing rootfs; a missing bundle; a missing config.json
sed 's/"path": "rootfs"/"path": "nope"/' "$T/good.json" > "$B/config.json"
fails_with "nope" "$OCI" create --bundle "$B" bad6
nothing_left bad6
fails_with "Bundle" "$OCI" create --bundle "$T/no-such-dir" bad7
mkdir "$T/empty"
fails_with "config.json" "$OCI" create --bundle "$T/empty" bad8
nothing_left bad8

# a bundle that is a symlink to elsewhere is refused
cp "$T/good.json" "$B/config.json"
ln -s "$B" "$T/link"
fails_with "symbolic link" "$OCI" create --bundle "$T/link" bad9
nothing_left bad9

# an invalid id; a duplicate id (the first one stays intact)
fails_with "Invalid container id" "$OCI" create --bundle "$B" "../x"
"$OCI" create --bundle "$B" dup >"$T/dup.log" 2>&1 </dev/null || fail "create dup: $(cat "$T/dup.log")"
fails_with 'already exists' "$OCI" create --bundle "$B" dup
assert_contains "$("$OCI" state dup)" '"status": "created"' "first dup"
"$OCI" delete --force dup || fail "delete dup"
nothing_left dup

# state, kill, delete, start, exec, ps of an unknown id
for cmd in state kill delete start ps; do
	fails_with "No such container" "$OCI" $cmd ghost
done
fails_with "No such container" "$OCI" exec ghost /probe info
fails_with "No such container" "$OCI" kill ghost KILL

# flags berth cannot honour
fails_with "systemd-cgroup" "$OCI" --systemd-cgroup state ghost
fails_with "criu" "$OCI" --criu /usr/sbin/criu state ghost
fails_with "log-format" "$OCI" --log-format xml state ghost
fails_with "Unknown command" "$OCI" checkpoint ghost

# --log in runc's formats: JSON lines and logrus text
fails_with "No such container" "$OCI" --log "$T/log.json" --log-format json state ghost
log=$(cat "$T/log.json")
assert_contains "$log" '{"level":"error","msg":"No such container: ghost","time":"' "json log"
[ "$(wc -l < "$T/log.json")" = 1 ] || fail "json log is not one line: $log"
fails_with "No such container" "$OCI" --log "$T/log.txt" state ghost
assert_contains "$(cat "$T/log.txt")" 'level=error msg="No such container: ghost"' "text log"
