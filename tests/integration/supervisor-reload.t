# SIGHUP reloads: an env-file lives outside the pods directory, so editing
# it is seen on SIGHUP (or berth apply), and only the container using it is
# recreated. An idle daemon changes nothing on a reload without changes.
. "$(dirname "$LIB")/supervisor-lib.sh"
echo "COLOUR=blue" >"$T/app.env"
pod env <<EOF
[pod]
network = none
[container app]
image = $IMG
command = "sh -c 'echo \$COLOUR; exec sleep 1000'"
env-file = $T/app.env
[container other]
image = $IMG
command = sleep 1000
EOF
sv_start
wait_wide 10 env-0 app 3 ready || { dump env; fail "not ready"; }
wait_for 10 sh -c "$BERTH logs env/app | grep -qx blue" || fail "env-file value not seen"
app=$(wide env-0 app 6)
other=$(wide env-0 other 6)
kill -HUP "$DPID"
sleep 1
assert_eq "$(wide env-0 app 6)" "$app" "a reload without changes recreated app"
echo "COLOUR=green" >"$T/app.env"
sleep 1
assert_eq "$(wide env-0 app 6)" "$app" "an env-file edit is applied only on reload"
kill -HUP "$DPID"
wait_for 10 sh -c "$BERTH logs env/app | grep -qx green" || { dump env; fail "SIGHUP did not apply the env-file"; }
[ "$(wide env-0 app 6)" != "$app" ] || fail "app not recreated"
assert_eq "$(wide env-0 other 6)" "$other" "other container untouched"
assert_eq "$(wide env-0 app 5)" "0" "a recreate is not a restart"
sv_stop_ok
