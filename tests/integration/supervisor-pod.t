# A pod's containers share the network, IPC and UTS namespaces of their
# replica (and the pid namespace with pid = shared); replicas do not.
. "$(dirname "$LIB")/supervisor-lib.sh"
pod duo <<EOF
[pod]
network = none
replicas = 2
pid = shared
hostname = duo-box
[container web]
image = $IMG
command = httpd -f -p 8080 -h /www
[container client]
image = $IMG
command = sleep 1000
[probe client readiness]
exec = wget -q -O /dev/null http://127.0.0.1:8080/ok.html
period = 200ms
EOF
pod solo <<EOF
[pod]
network = none
[container a]
image = $IMG
command = sleep 1000
[container b]
image = $IMG
command = sleep 1001
EOF
sv_start
wait_wide 10 duo-0 client 4 yes || { dump duo; fail "client never reached the web container over 127.0.0.1"; }
wait_wide 10 duo-1 client 4 yes || { dump duo; fail "duo-1 client not ready"; }
out=$(berth exec duo-0-client wget -q -O - http://127.0.0.1:8080/ok.html)
assert_eq "$out" ok "page over the shared loopback"
assert_eq "$(berth exec duo-0-client hostname)" duo-box "shared UTS"
assert_eq "$(berth exec duo-0-web hostname)" duo-box
n0=$(berth exec duo-0-client readlink /proc/self/ns/net)
assert_eq "$(berth exec duo-0-web readlink /proc/self/ns/net)" "$n0" "one netns per replica"
[ "$(berth exec duo-1-web readlink /proc/self/ns/net)" != "$n0" ] || fail "replicas share a netns"
assert_eq "$(berth exec duo-0-web readlink /proc/self/ns/ipc)" "$(berth exec duo-0-client readlink /proc/self/ns/ipc)" "shared IPC"
# pid = shared: the client sees httpd
out=$(berth exec duo-0-client ps)
assert_contains "$out" "httpd -f -p 8080" "shared pid namespace"
# pid = private (default): a does not see b's sleep 1001
wait_wide 10 solo-0 b 3 ready || fail "solo not ready"
out=$(berth exec solo-0-a ps)
assert_not_contains "$out" "sleep 1001" "private pid namespaces"
assert_eq "$(berth exec solo-0-a hostname)" solo-0 "default host name"
# berth exec POD[/CONTAINER] -- CMD
assert_eq "$(berth exec duo/web -- hostname)" duo-box "exec POD/CTR"
n1=$(berth exec duo-1/client -- readlink /proc/self/ns/net)
assert_eq "$n1" "$(berth exec duo-1-client readlink /proc/self/ns/net)" "exec REPLICA/CTR"
[ "$n1" != "$n0" ] || fail "exec duo-1/client ran in duo-0"
out=$(berth exec solo -- sh -c 'echo $HOSTNAME')
assert_eq "$out" solo-0 "exec POD: its first container"
expect_status 125 berth exec duo/nosuch -- true
assert_contains "$out" 'No container "duo/nosuch"'
sv_stop_ok
