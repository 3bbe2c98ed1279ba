# Namespaces: the same app as dev and prod on one board. Names resolve
# within a namespace (backend is dev's backend in dev, prod's in prod),
# pods of different namespaces cannot reach each other (directly or
# through a service address), published ports stay reachable, and the CLI
# takes -n NS / -A.
. "$(dirname "$LIB")/supervisor-lib.sh"
has_part net || skip "berth built without networking"
has_part +nat || skip "berth built without NAT (CONFIG_NET_NAT)"
app() { # NS REPLICAS [PUBLISH]
	pod "backend-$1" <<END
[pod]
name = backend
namespace = $1
replicas = $2
${3:-}
stop-grace = 1s
[container web]
image = $IMG
command = "sh -c 'mkdir -p /tmp/www && hostname >/tmp/www/index.html && exec httpd -f -p 80 -h /tmp/www'"
END
	pod "client-$1" <<END
[pod]
name = client
namespace = $1
stop-grace = 1s
[container c]
image = $IMG
command = sleep 100000
END
}
# wait_wide over every namespace
wait_wide() { wait_for "$1" sh -c "[ \"\$($BERTH -A get pods -o wide | awk -v r=$2 -v c=$3 -v f=$4 '\$1 == r && \$2 == c { print \$f }')\" = '$5' ]"; }
app dev 2
app prod 1 "publish = 18090:80"
printf '[pod]\nnamespace = Dev_1\n[container c]\nimage = %s\n' "$IMG" >"$PODS/bad.pod"
sv_start
for r in backend.dev-0 backend.dev-1 backend.prod-0; do
	wait_wide 30 $r web 4 yes || { dump "${r%-*}"; fail "$r not ready"; }
done
wait_wide 30 client.dev-0 c 4 yes || fail "dev client not ready"
wait_wide 30 client.prod-0 c 4 yes || fail "prod client not ready"
wait_for 10 grep -q 'bad.pod: \[pod\] namespace: "Dev_1" is not a DNS label' "$T/daemon.log" ||
	{ tail -n 5 "$T/daemon.log"; fail "no error for a bad namespace"; }

# the CLI: -n and -A
out=$(berth -n dev get pods)
assert_contains "$out" "backend "
assert_contains "$out" "client "
assert_not_contains "$out" "prod"
assert_eq "$(berth get pods | grep -c -e backend -e client)" 0 "pods of the default namespace"
out=$(berth -A get pods)
assert_contains "$out" "dev              backend"
assert_contains "$out" "prod             backend"
assert_contains "$(berth -n prod describe pod backend)" "Service:   backend.prod 10.89.1."

# names resolve within the namespace
who() { # NS N
	berth exec "client.$1-0-c" sh -c "i=0; while [ \$i -lt $2 ]; do wget -q -O - http://backend/ 2>/dev/null; i=\$((i+1)); done" |
		sort -u | tr '\n' ' '
}
j=0; while [ $j -lt 50 ] && [ "$(who dev 20)" != "backend.dev-0 backend.dev-1 " ]; do sleep 0.2; j=$((j + 1)); done
assert_eq "$(who dev 20)" "backend.dev-0 backend.dev-1 " "dev's backend from dev"
assert_eq "$(who prod 10)" "backend.prod-0 " "prod's backend from prod"
out=$(berth exec client.dev-0-c wget -q -O - http://backend-1.dev/)
assert_eq "$out" "backend.dev-1" "a replica by NAME-N.NS"
out=$(berth exec client.dev-0-c busybox timeout 5 nslookup backend.prod 2>&1)
assert_contains "$out" "NXDOMAIN" "prod's names from dev"

# isolation: dev cannot reach prod, by its service address or its pod address
pvip=$(awk '$2 == "backend" { print $1 }' "$BERTH_RUN_DIR/net/berth/hosts.ns/prod")
paddr=$(awk '$2 == "backend.prod-0" { print $1 }' "$BERTH_RUN_DIR/net/berth/hosts.ns/prod")
case $pvip in 10.89.1.*) ;; *) fail "no prod VIP: $pvip" ;; esac
case $paddr in 10.89.0.*) ;; *) fail "no prod pod address: $paddr" ;; esac
berth exec client.prod-0-c busybox timeout 5 wget -q -O - "http://$pvip/" | grep -q backend.prod-0 ||
	fail "prod cannot reach its own VIP"
berth exec client.dev-0-c busybox timeout 5 wget -q -O - "http://$pvip/" >/dev/null 2>&1 &&
	fail "dev reached prod's service address"
berth exec client.dev-0-c busybox timeout 3 wget -q -O - "http://$paddr/" >/dev/null 2>&1 &&
	fail "dev reached prod's pod address"
# published ports stay reachable: from the board, and from dev through the board
out=$(busybox timeout 5 busybox wget -q -O - http://127.0.0.1:18090/) || fail "prod's published port from the board"
assert_eq "$out" "backend.prod-0" "published port"
out=$(berth exec client.dev-0-c busybox timeout 5 wget -q -O - http://10.89.0.1:18090/)
assert_eq "$out" "backend.prod-0" "prod's published port from dev"

# delete in a namespace
expect_status 0 berth -n dev delete pod client
wait_for 20 sh -c "! $BERTH -n dev get pods | grep -q '^client '" || fail "dev client not deleted"
assert_contains "$(berth -n prod get pods)" "client "
sv_stop_ok
