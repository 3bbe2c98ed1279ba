# exec joins everything of a running container: pid namespace, hostname,
# mounts, capabilities, no_new_privs, seccomp; ps/stop/kill/rm around it.
mkrootfs "$T/r"

expect_status 0 berth run -d --name ex --hostname exhost --cap-add NET_ADMIN --rootfs "$T/r" /probe pause
assert_eq "$out" ex "run -d prints the name"
expect_status 0 berth ps
assert_contains "$out" "ex "
assert_contains "$out" running
run_caps=00000000a80435fb

expect_status 0 berth exec ex /probe info
assert_eq "$(kv "$out" hostname)" exhost "hostname in exec"
assert_eq "$(kv "$out" pids_visible)" 2 "processes visible (pid 1 + exec)"
assert_eq "$(kv "$out" ppid)" 0 "exec's parent is outside the namespace"
assert_eq "$(kv "$out" cap_eff)" $run_caps "caps in exec"
assert_eq "$(kv "$out" cap_bnd)" $run_caps "bounding in exec"
assert_eq "$(kv "$out" no_new_privs)" 1 "nnp in exec"
assert_eq "$(kv "$out" fds)" 0,1,2 "fds in exec"
if has_part +seccomp; then
	assert_eq "$(kv "$out" seccomp)" 2 "seccomp in exec"
fi
assert_not_contains "$(printf '%s\n' "$out" | grep '^mount=')" "$T" "mounts in exec"
cpid=$(sed -n 's/^pid=//p' "$BERTH_RUN_DIR/containers/ex/state")
[ "$(readlink /proc/$cpid/ns/pid)" != "$(readlink /proc/self/ns/pid)" ] || fail "container shares our pid ns"
expect_status 0 berth exec ex sh -c 'cat /proc/1/cmdline | tr "\0" " "'
assert_contains "$out" "/probe pause" "pid 1 seen from exec"
expect_status 4 berth exec ex sh -c 'exit 4'
expect_status 127 berth exec ex nosuchprogram
expect_status 0 berth exec -u 1000 -w /tmp ex /probe info
assert_eq "$(kv "$out" uid)" 1000
assert_eq "$(kv "$out" cwd)" /tmp
expect_status 0 berth exec -e X=1 ex /probe env
assert_contains "$out" "env=X=1"
expect_status 125 berth exec nosuch /probe info
assert_contains "$out" nosuch

# rm refuses a running container, stop ends it with the recorded status
expect_status 125 berth rm ex
assert_contains "$out" running
expect_status 0 berth stop -t 5 ex
wait_for 10 grep -q '^exit_status=' "$BERTH_RUN_DIR/containers/ex/state" || fail "exit not recorded"
expect_status 0 berth ps -a
assert_contains "$out" "exited(0)" "status after stop (probe exits 0 on TERM)"
expect_status 125 berth exec ex /probe info
expect_status 0 berth rm ex
[ ! -e "$BERTH_RUN_DIR/containers/ex" ] || fail "state left after rm"

# stop escalates to KILL when TERM is ignored (pid 1 without handler)
expect_status 0 berth run -d --name stubborn --rootfs "$T/r" sleep 100
expect_status 0 berth stop -t 1 stubborn
wait_for 10 grep -q '^exit_status=137' "$BERTH_RUN_DIR/containers/stubborn/state" || fail "KILL after the grace time not recorded"
expect_status 0 berth ps -a
assert_contains "$out" "exited(137)"
expect_status 0 berth rm stubborn

# rm -f of a running container
expect_status 0 berth run -d --name forced --rootfs "$T/r" sleep 100
cpid=$(sed -n 's/^pid=//p' "$BERTH_RUN_DIR/containers/forced/state")
expect_status 0 berth rm -f forced
[ ! -e "$BERTH_RUN_DIR/containers/forced" ] || fail "state left after rm -f"
wait_for 5 sh -c "! kill -0 $cpid" || fail "container process survived rm -f"
