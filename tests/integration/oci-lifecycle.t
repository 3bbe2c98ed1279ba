# berth-oci: spec, create, state, start, exec, ps, kill, delete, run, list
# qemu: yes
OCI="$(dirname "$BERTH")/berth-oci"
B=$T/bundle
mkdir -p "$B" && mkrootfs "$B/rootfs"
(cd "$B" && "$OCI" spec) || fail "spec"
grep -q '"ociVersion"' "$B/config.json" || fail "spec wrote no config.json"
expect_status 1 "$OCI" spec --bundle "$B"
assert_contains "$out" "exists"
sed -i 's/"terminal": true/"terminal": false/' "$B/config.json"
cp "$B/config.json" "$T/config.orig"
set_args() { # JSON-ARGS: replace the default ["sh"]
	sed "s|^\([[:space:]]*\)\"sh\"\$|\1$1|" "$T/config.orig" > "$B/config.json"
}
set_args '"/probe", "sleep", "60"'
# The container inherits berth-oci's stdio (as with runc): never capture it
# with $(...) for a container that outlives the command.
detached() { # NAME CMD...: run CMD with its output in $T/NAME.log, expect success
	n=$1; shift
	"$@" >"$T/$n.log" 2>&1 </dev/null || fail "'$*' failed: $(cat "$T/$n.log")"
}

# create: the process exists, blocked before exec
detached c1 "$OCI" create --bundle "$B" --pid-file "$T/pid" c1
pid=$(cat "$T/pid")
[ -n "$pid" ] && kill -0 "$pid" || fail "pid file \"$(cat "$T/pid")\" names no process"
st=$("$OCI" state c1)
assert_contains "$st" '"status": "created"' state
assert_contains "$st" "\"pid\": $pid" state
assert_contains "$st" "\"bundle\": \"$B\"" state
assert_contains "$st" '"ociVersion": "1.' state
assert_contains "$("$OCI" list --format json)" '"id":"c1"' list
assert_contains "$("$OCI" list)" "created" "list table"

# start from another process; a second start is refused
expect_status 0 "$OCI" start c1
assert_contains "$("$OCI" state c1)" '"status": "running"' state
expect_status 1 "$OCI" start c1
assert_contains "$out" "not created"

# exec: the container's namespaces, its exit code, --process, --env, --cwd
out=$("$OCI" exec c1 /probe info) || fail "exec: $out"
assert_eq "$(kv "$out" hostname)" berth "exec hostname"
[ "$(kv "$out" pid)" -gt 1 ] || fail "exec is pid $(kv "$out" pid)"
expect_status 7 "$OCI" exec c1 /probe exit 7
out=$("$OCI" exec --env FOO=bar --cwd /tmp c1 /probe info)
assert_eq "$(kv "$out" cwd)" /tmp "exec --cwd"
assert_contains "$("$OCI" exec --env FOO=bar c1 /probe env)" "env=FOO=bar" "exec --env"
cat > "$T/process.json" <<'JSON'
{"args": ["/probe", "env"], "env": ["FROM_FILE=1"], "cwd": "/", "user": {"uid": 0, "gid": 0}}
JSON
out=$("$OCI" exec --process "$T/process.json" c1) || fail "exec --process: $out"
assert_contains "$out" "env=FROM_FILE=1" "exec --process"
detached x1 "$OCI" exec --detach --pid-file "$T/xpid" c1 /probe sleep 30
xpid=$(cat "$T/xpid")
kill -0 "$xpid" || fail "exec --detach: pid $xpid is not running"
ps_out=$("$OCI" ps --format json c1)
assert_contains "$ps_out" "$pid" "ps json"
assert_contains "$ps_out" "$xpid" "ps json"

# delete refuses a running container; kill by name, state goes to stopped
expect_status 1 "$OCI" delete c1
assert_contains "$out" "running"
expect_status 1 "$OCI" kill c1 NOSUCHSIG
expect_status 0 "$OCI" kill c1 SIGKILL
wait_for 10 sh -c "\"$OCI\" state c1 | grep -q '\"status\": \"stopped\"'" || fail "not stopped: $("$OCI" state c1)"
expect_status 1 "$OCI" kill c1 KILL
expect_status 0 "$OCI" delete c1
expect_status 1 "$OCI" state c1
[ ! -e "$BERTH_RUN_DIR/oci/configs/c1.json" ] || fail "delete left the saved config"

# run in the foreground: exit status, then the container is gone
set_args '"/probe", "exit", "3"'
expect_status 3 "$OCI" run --bundle "$B" c2
expect_status 1 "$OCI" state c2

# run --detach, kill --all with a number, delete --force of a running one
set_args '"/probe", "sleep", "60"'
detached c3 "$OCI" run -d --bundle "$B" c3
assert_contains "$("$OCI" state c3)" '"status": "running"' state
detached c4 "$OCI" run -d --bundle "$B" c4
expect_status 0 "$OCI" kill --all c3 9
wait_for 10 sh -c "\"$OCI\" state c3 | grep -q stopped" || fail "kill --all 9 did not stop c3"
expect_status 0 "$OCI" delete c3
expect_status 0 "$OCI" delete --force c4
expect_status 0 "$OCI" delete --force never-existed
assert_eq "$("$OCI" list --format json)" "[]" "list after deletes"

# a created container is not stopped: delete needs --force (runtime-spec)
detached c5 "$OCI" create --bundle "$B" c5
expect_status 1 "$OCI" delete c5
assert_contains "$out" "not stopped"
assert_contains "$("$OCI" state c5)" '"status": "created"' "after a refused delete"
expect_status 0 "$OCI" delete --force c5
[ -z "$("$OCI" list -q)" ] || fail "left: $("$OCI" list)"

# the same through `berth oci`
detached c6 "$BERTH" oci --root "$T/other" run -d --bundle "$B" c6
assert_contains "$("$BERTH" oci --root "$T/other" list)" c6 "berth oci list"
expect_status 0 "$BERTH" oci --root "$T/other" delete -f c6
