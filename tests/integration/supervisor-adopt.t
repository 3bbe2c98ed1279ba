# kill -9 of the daemon leaves the containers running; the restarted daemon
# qemu: yes
# adopts them without a restart, and records with its status an exit that
# happened while it was down. Logs keep flowing through the shims.
. "$(dirname "$LIB")/supervisor-lib.sh"
printf '#!/bin/sh\nwhile [ ! -f /tmp/go ]; do sleep 0.1; done\nexit 7\n' >"$IMG/waitgo"
chmod +x "$IMG/waitgo"
pod keep <<EOF
[pod]
network = none
replicas = 2
[container app]
image = $IMG
command = sleep 1000
init = false
[container side]
image = $IMG
command = sleep 1000
EOF
pod quit <<EOF
[pod]
network = none
restart = never
[container app]
image = $IMG
command = /waitgo
EOF
pod chg <<EOF
[pod]
network = none
[container app]
image = $IMG
command = sleep 1000
EOF
sv_start
wait_wide 10 chg-0 app 3 ready || { dump chg; fail "chg-0 not ready"; }
chgpid=$(wide chg-0 app 6)
wait_wide 10 keep-0 app 3 ready || { dump keep; fail "keep-0 not ready"; }
wait_wide 10 keep-1 side 3 ready || { dump keep; fail "keep-1 not ready"; }
wait_wide 10 quit-0 app 3 ready || { dump quit; fail "quit-0 not ready"; }
before=$(berth get pods -o wide | awk 'NR > 1 && $1 != "chg-0" { print $1, $2, $6 }' | sort)
kill -9 "$DPID"
wait "$DPID" 2>/dev/null
for p in $(echo "$before" | awk '{ print $3 }'); do
	kill -0 "$p" 2>/dev/null || fail "container $p died with the daemon"
done
# a spec changed while the daemon is down is applied after adoption
sed -i 's/sleep 1000/sleep 1001/' "$PODS/chg.pod"
# an exit while the daemon is down
berth exec quit-0-app touch /tmp/go
wait_for 10 sh -c "! kill -0 $(echo "$before" | awk '$1 == "quit-0" { print $3 }') 2>/dev/null" || fail "quit-0 did not exit"
sv_start
wait_wide 10 keep-0 app 3 ready || { dump keep; fail "keep-0 not ready after adoption"; }
wait_wide 10 keep-1 side 3 ready || { dump keep; fail "keep-1 not ready after adoption"; }
after=$(berth get pods -o wide | awk 'NR > 1 && $1 != "quit-0" && $1 != "chg-0" { print $1, $2, $6 }' | sort)
assert_eq "$after" "$(echo "$before" | grep -v '^quit-0')" "pids after adoption"
for r in keep-0 keep-1; do
	for c in app side; do
		assert_eq "$(wide $r $c 5)" "0" "$r/$c restarts"
	done
done
wait_wide 10 quit-0 app 3 exited || { dump quit; fail "quit-0 exit not recorded"; }
assert_eq "$(wide quit-0 app 7)" "7" "exit status recorded after the daemon's restart"
assert_eq "$(wide quit-0 app 5)" "0" "restart=never respected after adoption"
assert_contains "$(events keep)" "adopted"
wait_for 10 sh -c "[ \"\$($BERTH get pods -o wide | awk '\$1 == \"chg-0\" { print \$6 }')\" != $chgpid ]" || { dump chg; fail "chg-0 not recreated"; }
assert_contains "$(events chg)" "spec changed while the daemon was down: recreating"
wait_wide 10 chg-0 app 3 ready || { dump chg; fail "chg-0 not ready after recreate"; }
# the shim still writes the logs
berth exec keep-0-app sh -c 'echo after-adoption >/proc/1/fd/1'
wait_for 10 sh -c "$BERTH logs keep/app | grep -q after-adoption" || fail "logs lost after adoption"
# and the adopted containers still stop cleanly
sv_stop_ok
for p in $(echo "$before" | awk '{ print $3 }'); do
	kill -0 "$p" 2>/dev/null && fail "container $p survived the stop"
done
true
