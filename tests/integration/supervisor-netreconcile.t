# qemu: yes
# After a kill -9 of the daemon, the next start frees what the crash left on
# the pod network (issue 5): the leases, veths and published ports of
# replicas that died or were removed while the daemon was down, and a lease
# whose namespace died; the leases and ports of live replicas, of `berth run`
# containers and of a namespace someone still holds (say a `berth run`
# between its network setup and its state file) stay.
. "$(dirname "$LIB")/supervisor-lib.sh"
. "$(dirname "$LIB")/net-lib.sh"
need_net
need_nat
pod live <<EOF2
[pod]
publish = 9501:80
[container app]
image = $IMG
command = sleep 1000
EOF2
pod gone <<EOF2
[pod]
publish = 9502:80
[container app]
image = $IMG
command = sleep 1000
EOF2
pod orphan <<EOF2
[pod]
publish = 9505:80
[container app]
image = $IMG
command = sleep 1000
EOF2
sv_start
wait_wide 10 orphan-0 app 3 ready || { dump orphan; fail "orphan-0 not ready"; }
wait_wide 10 live-0 app 3 ready || { dump live; fail "live-0 not ready"; }
wait_wide 10 gone-0 app 3 ready || { dump gone; fail "gone-0 not ready"; }
expect_status 0 berth run -d --name runner --network bridge -p 9503:80 --rootfs "$IMG" /bin/sleep 1000
# a lease whose namespace someone still holds (a bind mount), and one whose
# namespace is gone
attach held -p 9504:80 || fail "attach held"
attach dead -p 9506:80 || fail "attach dead"
podgone dead
orphanveth=$(berth network inspect orphan-0 | sed -n 's/^veth=//p')
[ -n "$orphanveth" ] || fail "no veth for orphan-0"
livepid=$(wide live-0 app 6)
goneveth=$(berth network inspect gone-0 | sed -n 's/^veth=//p')
rules=$(berth network rules)
for p in 9501 9502 9503 9504 9505 9506; do assert_contains "$rules" "$p"; done

kill -9 "$DPID"
wait "$DPID" 2>/dev/null
# while the daemon is down: gone's file is removed and its replica dies
# (holder and container), so its namespace and veth go
rm "$PODS/gone.pod" "$PODS/orphan.pod"
holder=$(awk '$1 == "replica" { print $4 }' "$BERTH_RUN_DIR/supervisor/replicas/gone-0")
ctr=$(awk '$1 == "ctr" { print $5 }' "$BERTH_RUN_DIR/supervisor/replicas/gone-0")
[ -n "$holder" ] && [ -n "$ctr" ] || fail "no pids in the state of gone-0"
kill -9 "$ctr" "$holder"
wait_for 10 sh -c "! busybox ip link show $goneveth" || fail "veth of gone-0 outlived its namespace"
expect_status 0 berth network ls
assert_contains "$out" "gone-0"

sv_start
wait_wide 10 live-0 app 3 ready || { dump live; fail "live-0 not ready after the restart"; }
wait_for 10 grep -q "Freed 3 stale network leases" "$T/daemon.log" || { cat "$T/daemon.log"; fail "no reconcile"; }
expect_status 0 berth network ls
assert_contains "$out" "live-0"
assert_contains "$out" "runner"
assert_not_contains "$out" "gone-0"
assert_contains "$out" "held"
assert_not_contains "$out" "orphan-0"
assert_not_contains "$out" "dead"
busybox ip link show "$orphanveth" >/dev/null 2>&1 && fail "veth $orphanveth of orphan-0 is still there"
rules=$(berth network rules)
assert_contains "$rules" "9501"
assert_contains "$rules" "9503"
assert_contains "$rules" "9504"
assert_not_contains "$rules" "9502"
assert_not_contains "$rules" "9505"
assert_not_contains "$rules" "9506"
# the live ones were not touched
assert_eq "$(wide live-0 app 6)" "$livepid" "live-0 pid after the restart"
assert_eq "$(wide live-0 app 5)" "0" "live-0 restarts"
expect_status 0 berth ps
assert_contains "$out" "runner"
berth kill runner KILL >/dev/null 2>&1
sv_stop_ok
