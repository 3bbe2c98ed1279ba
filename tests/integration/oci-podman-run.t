# podman --runtime berth-oci: run, exit codes, run -d + exec, logs, stop, -t, -it
# On the host with cgroups hidden, and in the VM with real cgroup v2.
# qemu: yes
. "$(dirname "$TESTFILE")/oci-podman.sh"

out=$(pm run --rm $PM_RUN "$IMG" sh -c 'echo hello; hostname') || fail "run: $out"
assert_contains "$out" hello "run output"
expect_status 42 pm run --rm $PM_RUN "$IMG" sh -c 'exit 42'
expect_status 127 pm run --rm $PM_RUN "$IMG" no-such-command

# run -d, then exec (output and exit code), ps, stop (TERM ignored by pid 1 -> KILL)
pm run -d --name d1 $PM_RUN "$IMG" sleep 1000 >"$T/d1.log" 2>&1 || fail "run -d: $(cat "$T/d1.log")"
assert_contains "$(pm ps --format '{{.Names}} {{.Status}}')" "d1 Up" "podman ps"
out=$(pm exec d1 sh -c 'echo exec-ok; cat /proc/1/cmdline') || fail "exec: $out"
assert_contains "$out" exec-ok "exec"
assert_contains "$out" sleep "exec sees the container's pid 1"
expect_status 5 pm exec d1 sh -c 'exit 5'
assert_contains "$("$OCI" state "$(pm inspect d1 --format '{{.Id}}')")" '"status": "running"' \
	"berth-oci state of a podman container"
pm stop -t 1 d1 >/dev/null 2>&1 || fail "stop"
assert_eq "$(pm inspect d1 --format '{{.State.Status}} {{.State.ExitCode}}')" "exited 137" "after stop"
pm rm d1 >/dev/null || fail "rm"

# a container that stops itself on TERM: exit code 143
pm run -d --name d2 $PM_RUN "$IMG" sh -c 'trap "exit 143" TERM; while :; do sleep 0.1; done' >/dev/null ||
	fail "run -d d2"
pm stop -t 10 d2 >/dev/null 2>&1 || fail "stop d2"
assert_eq "$(pm inspect d2 --format '{{.State.ExitCode}}')" 143 "TERM exit code"
pm rm d2 >/dev/null

# logs
pm run -d --name l1 $PM_RUN "$IMG" sh -c 'echo hello-log; echo to-stderr >&2' >/dev/null || fail "run -d l1"
pm wait l1 >/dev/null
out=$(pm logs l1 2>&1)
assert_contains "$out" hello-log "logs"
assert_contains "$out" to-stderr "logs"
pm rm l1 >/dev/null

# -t: the payload's stdio is a pty (through the console socket)
out=$(pm run --rm -t $PM_RUN "$IMG" sh -c 'tty; [ -t 0 ] && echo on-a-tty')
assert_contains "$out" /dev/pts/0 "run -t"
assert_contains "$out" on-a-tty "run -t"
# -it from a terminal (script(1) gives podman one): typed input, exit code
if command -v script >/dev/null 2>&1; then
	set +e
	printf 'echo typed-$((6*7))\nexit 3\n' | script -qec "podman --root $T/storage --runroot $T/runroot \
--storage-driver vfs --runtime $OCI --cgroup-manager cgroupfs \
--events-backend file run --rm -it $PM_RUN $IMG sh" /dev/null >"$T/it.out" 2>&1
	rc=$?
	set -e 2>/dev/null; set +e
	assert_contains "$(cat "$T/it.out")" typed-42 "run -it"
	assert_eq "$rc" 3 "run -it exit code"
else
	info "no script(1): run -it not tested"
fi
[ -z "$(pm ps -aq)" ] || fail "containers left: $(pm ps -a)"
[ -z "$("$OCI" list -q)" ] || fail "berth-oci state left: $("$OCI" list)"
