# 50 pods at once: all come up, and all stop on SIGTERM.
. "$(dirname "$LIB")/supervisor-lib.sh"
i=0
while [ $i -lt 50 ]; do
	pod p$i <<EOF
[pod]
network = none
stop-grace = 1s
[container app]
image = $IMG
command = sleep 1000
EOF
	i=$((i + 1))
done
sv_start
wait_for 60 sh -c "[ \$($BERTH get pods | grep -c ' 1/1 ') = 50 ]" || { berth get pods; tail -n 20 "$T/daemon.log"; fail "not all 50 pods ready"; }
n=$(berth get pods -o wide | awk 'NR > 1 && $3 == "ready"' | wc -l)
assert_eq "$n" 50 "ready containers"
sv_stop_ok
assert_contains "$(cat "$T/daemon.log")" "Every pod stopped"
