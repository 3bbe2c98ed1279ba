# A bad spec is rejected with its message, and the running pod stays
# untouched (same pid, no restart); berth apply refuses it too.
. "$(dirname "$LIB")/supervisor-lib.sh"
pod web <<EOF
[pod]
network = none
[container app]
image = $IMG
command = sleep 1000
EOF
sv_start
wait_wide 10 web-0 app 3 ready || { dump web; fail "not ready"; }
pid=$(wide web-0 app 6)
check_untouched() {
	assert_eq "$(wide web-0 app 6)" "$pid" "pid after a bad spec"
	assert_eq "$(wide web-0 app 5)" "0" "restarts after a bad spec"
	assert_eq "$(wide web-0 app 3)" "ready"
}
n=0
for bad in 'memory = 12Q|[container app] memory: "12Q" is not a size' \
	'colour = red|[container app] colour: unknown key' \
	'entrypoint = sh -c '"'"'x|[container app] entrypoint: "sh -c '"'"'x" has an unclosed quote' \
	'image = other|line 6: [container app] image: key appears twice'; do
	n=$((n + 1))
	line=${bad%%|*}
	msg=${bad#*|}
	printf '[pod]\nnetwork = none\n[container app]\nimage = %s\ncommand = sleep 1000\n%s\n' "$IMG" "$line" >"$T/bad.pod"
	mv "$T/bad.pod" "$PODS/web.pod"
	wait_for 10 grep -qF "$msg" "$T/daemon.log" || { tail "$T/daemon.log"; fail "case $n: no message '$msg'"; }
	check_untouched
	expect_status 1 berth apply -f "$PODS/web.pod"
	assert_contains "$out" "$msg" "apply of bad case $n"
	check_untouched
done
# no [container]: the whole pod spec is invalid, still untouched
printf '[pod]\nreplicas = 3\n' >"$PODS/web.pod"
wait_for 10 grep -qF "no [container NAME] section (not applied)" "$T/daemon.log" || fail "no message for an empty pod"
check_untouched
# a second file with the same pod name is refused
printf '[pod]\nname = web\nnetwork = none\n[container app]\nimage = %s\ncommand = sleep 1000\n' "$IMG" >"$PODS/web.pod"
cp "$PODS/web.pod" "$PODS/zz.pod"
wait_for 10 grep -qF 'zz.pod: [pod] name: "web" is already used by' "$T/daemon.log" || fail "duplicate name not reported"
check_untouched
sv_stop_ok
