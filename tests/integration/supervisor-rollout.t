# Rolling updates: a changed container spec in a pod with several replicas
# moves one replica at a time, each waited for until ready, so the others
# keep serving; an update that never gets ready stops after one replica,
# and the next good spec finishes the job. Settings that need no restart
# apply at once.
. "$(dirname "$LIB")/supervisor-lib.sh"
spec() { # VERSION [READY-COMMAND]
	pod roll <<EOF
[pod]
replicas = 3
network = none
backoff = 100ms
stop-grace = 1s
[container app]
image = $IMG
env = VERSION=$1
command = "sh -c 'echo \$VERSION >/tmp/version; sleep 0.5; ${2:-touch /tmp/ready}; exec sleep 1000'"
[probe app readiness]
exec = test -f /tmp/ready
period = 200ms
failure-threshold = 1
EOF
}
ready_count() { berth get pods -o wide | awk '$1 ~ /^roll-/ && $2 == "app" && $4 == "yes"' | wc -l; }
versions() { for r in 0 1 2; do berth exec roll-$r-app cat /tmp/version 2>/dev/null || echo -; done | tr '\n' ' '; }
spec 1
sv_start
for r in 0 1 2; do wait_wide 30 roll-$r app 4 yes || { dump roll; fail "roll-$r not ready"; }; done
assert_eq "$(versions)" "1 1 1 " "first version"

# v2: one replica at a time; at least two ready all along
spec 2
min=3 i=0
while [ "$(versions)" != "2 2 2 " ] && [ $i -lt 150 ]; do
	n=$(ready_count)
	[ "$n" -lt "$min" ] && min=$n
	sleep 0.1
	i=$((i + 1))
done
assert_eq "$(versions)" "2 2 2 " "rolled out to v2"
[ "$min" -ge 2 ] || { dump roll; fail "only $min replicas were ready during the rollout"; }
wait_for 10 sh -c "$BERTH describe pod roll | grep -q 'rollout: done'" || { dump roll; fail "no rollout: done"; }
ev=$(events roll)
assert_contains "$ev" "rollout: roll-0 to the new spec (3 of the replicas left)"
assert_contains "$ev" "rollout: roll-2 to the new spec (1 of the replicas left)"

# v3 never gets ready: one replica moves and the other two stay on v2, ready
spec 3 "true"
wait_for 20 sh -c "$BERTH exec roll-0-app cat /tmp/version 2>/dev/null | grep -qx 3" || { dump roll; fail "v3 not started"; }
sleep 3
assert_eq "$(versions)" "3 2 2 " "a bad update stops after one replica"
assert_eq "$(ready_count | tr -d ' ')" 2 "two replicas still ready"

# v4 (good) moves everything, the stuck replica first
spec 4
wait_for 40 sh -c "[ \"\$(for r in 0 1 2; do $BERTH exec roll-\$r-app cat /tmp/version 2>/dev/null; done | tr '\n' ' ')\" = '4 4 4 ' ]" ||
	{ dump roll; fail "v4 did not roll out: $(versions)"; }
for r in 0 1 2; do wait_wide 30 roll-$r app 4 yes || { dump roll; fail "roll-$r not ready on v4"; }; done

# a pod setting that needs no restart (stop-grace) applies to all at once
p0=$(wide roll-0 app 6) p1=$(wide roll-1 app 6) p2=$(wide roll-2 app 6)
before=$(events roll)
sed 's/^stop-grace = 1s/stop-grace = 2s/' "$PODS/roll.pod" >"$T/roll.pod"
mv "$T/roll.pod" "$PODS/roll.pod"
i=0
until [ "$(events roll)" != "$before" ] && events roll | tail -n 2 | grep -q "spec changed" &&
	events roll | tail -n 1 | grep -q "rollout: done"; do
	i=$((i + 1))
	[ $i -lt 100 ] || { dump roll; fail "the stop-grace change was not applied"; }
	sleep 0.1
done
assert_eq "$(wide roll-0 app 6) $(wide roll-1 app 6) $(wide roll-2 app 6)" "$p0 $p1 $p2" "no restart for a probe change"
sv_stop_ok
