# Probes: startup gates the others, readiness flips ready, liveness kills
# and restarts; exec, http and tcp checks.
. "$(dirname "$LIB")/supervisor-lib.sh"
pod web <<EOF
[pod]
network = none
backoff = 100ms
stop-grace = 1s
[container app]
image = $IMG
command = httpd -f -p 8080 -h /www
[probe app startup]
exec = test -f /tmp/started
period = 200ms
failure-threshold = 100
[probe app readiness]
exec = test -f /tmp/ready
period = 200ms
failure-threshold = 1
[probe app liveness]
http = 8080
path = /ok.html
period = 200ms
failure-threshold = 2
[container side]
image = $IMG
command = sleep 1000
[probe side readiness]
tcp = 8080
period = 200ms
EOF
sv_start
wait_wide 10 web-0 app 3 starting || { dump web; fail "app not starting"; }
sleep 1
assert_eq "$(wide web-0 app 3)" "starting" "startup gate holds"
wait_wide 10 web-0 side 4 yes || { dump web; fail "tcp readiness did not pass"; }
berth exec web-0-app touch /tmp/started || fail "exec touch"
wait_wide 10 web-0 app 3 running || { dump web; fail "startup did not pass"; }
assert_eq "$(wide web-0 app 4)" "no" "not ready before the readiness file"
berth exec web-0-app touch /tmp/ready
wait_wide 10 web-0 app 4 yes || { dump web; fail "readiness did not flip to ready"; }
assert_contains "$(berth get pods)" "1/1"
berth exec web-0-app rm /tmp/ready
wait_wide 10 web-0 app 4 no || { dump web; fail "readiness did not flip to not ready"; }
assert_eq "$(wide web-0 app 5)" "0" "readiness failure restarts nothing"
pid=$(wide web-0 app 6)
berth exec web-0-app rm /www/ok.html
wait_for 15 sh -c "[ \"\$($BERTH get pods -o wide | awk '\$1 == \"web-0\" && \$2 == \"app\" { print \$5 }')\" = 1 ]" || { dump web; fail "liveness did not restart"; }
ev=$(events web)
assert_contains "$ev" "liveness probe failed (2/2): HTTP status 404"
assert_contains "$ev" "startup probe failed (1/100): exit status 1"
# a fresh start: startup gates again
wait_wide 10 web-0 app 3 starting || { dump web; fail "restarted app not gated by startup"; }
[ "$(wide web-0 app 6)" != "$pid" ] || fail "same pid after liveness restart"
sv_stop_ok
