# OCI hooks: order, the state on stdin, args/env, createContainer in the
# container's namespaces, a failing or slow hook undoes create.
OCI="$(dirname "$BERTH")/berth-oci"
# the hooks run busybox: static, so it also runs inside the container's namespaces
BB=$(command -v busybox) || skip "no static busybox on the host for the hooks"
case $BB in /*) ;; *) BB=$(which busybox 2>/dev/null || echo /bin/busybox) ;; esac
[ -x "$BB" ] || skip "no static busybox at an absolute path for the hooks"
B=$T/bundle
mkdir -p "$B" && mkrootfs "$B/rootfs"
"$OCI" spec --bundle "$B" || fail "spec"
sed -i 's/"terminal": true/"terminal": false/; s/"readonly": true/"readonly": false/' "$B/config.json"
sed -i 's|^\([[:space:]]*\)"sh"$|\1"/probe", "sleep", "60"|' "$B/config.json"
cp "$B/config.json" "$T/good.json"
hook() { # NAME SHELL-CODE: one hook object running busybox sh -c CODE
	printf '{"path": "%s", "args": ["busybox", "sh", "-c", "%s"], "env": ["HOOK=%s"]}' "$BB" "$2" "$1"
}
with_hooks() { # JSON-HOOKS
	sed "s|^\([[:space:]]*\)\"hostname\": \"berth\",|\1\"hostname\": \"berth\", \"hooks\": {$1},|" \
		"$T/good.json" > "$B/config.json"
}
L=$T/order
with_hooks "\"prestart\": [$(hook pre "cat > $T/prestart.json; echo pre-\$HOOK >> $L")], \"createRuntime\": [$(hook cr "echo createRuntime >> $L")], \"createContainer\": [$(hook cc "hostname > /tmp/cc-host; echo cc > /tmp/cc")], \"startContainer\": [$(hook sc "echo sc > /tmp/sc")], \"poststart\": [$(hook ps "echo poststart >> $L")], \"poststop\": [$(hook stop "cat > $T/poststop.json; echo poststop >> $L")]"

"$OCI" create --bundle "$B" h1 >"$T/c.log" 2>&1 </dev/null || fail "create: $(cat "$T/c.log")"
assert_eq "$(cat "$L")" "pre-pre
createRuntime" "hooks after create"
st=$(cat "$T/prestart.json")
assert_contains "$st" '"id":"h1"' "prestart state"
assert_contains "$st" "\"bundle\":\"$B\"" "prestart state"
# createContainer ran in the container's mount and uts namespaces
assert_eq "$(cat "$B/rootfs/tmp/cc-host")" berth "createContainer hostname"
[ ! -e /tmp/cc ] || [ -e "$B/rootfs/tmp/cc" ] || fail "createContainer ran on the host"
[ ! -e "$B/rootfs/tmp/sc" ] || fail "startContainer ran before start"
"$OCI" start h1 || fail "start"
[ -e "$B/rootfs/tmp/sc" ] || fail "startContainer did not run in the container"
assert_eq "$(tail -n 1 "$L")" poststart "poststart"
"$OCI" delete --force h1 || fail "delete"
assert_eq "$(tail -n 1 "$L")" poststop "poststop"
assert_contains "$(cat "$T/poststop.json")" '"status":"stopped"' "poststop state"

# a failing prestart hook: create fails and leaves nothing
with_hooks "\"prestart\": [$(hook bad "exit 3")]"
expect_status 1 "$OCI" create --bundle "$B" h2
assert_contains "$out" "exited with status 3"
expect_status 1 "$OCI" state h2
# a hook that outlives its timeout is killed
with_hooks "\"createRuntime\": [{\"path\": \"$BB\", \"args\": [\"busybox\", \"sleep\", \"30\"], \"timeout\": 1}]"
expect_status 1 "$OCI" create --bundle "$B" h3
assert_contains "$out" "timed out"
expect_status 1 "$OCI" state h3
[ -z "$("$OCI" list -q)" ] || fail "left: $("$OCI" list)"
