# The web example as it is: the embedded busybox image from the store, two
# qemu: yes
# replicas with http probes, a published port on the bridge network.
. "$(dirname "$LIB")/supervisor-lib.sh"
has_part net || skip "berth built without networking"
expect_status 0 berth image load "$IMAGE"
ex=$(cd "$(dirname "$LIB")/../../examples" && pwd)
cp "$ex/web.pod" "$PODS/web.pod"
sv_start
wait_wide 30 web-0 httpd 3 ready || { dump web; fail "web-0 not ready"; }
wait_wide 30 web-1 httpd 3 ready || { dump web; fail "web-1 not ready"; }
assert_contains "$(berth get pods)" "2/2"
# a raw GET with nc (busybox's, on the host and in the VM)
nc_cmd=nc
command -v nc >/dev/null 2>&1 || nc_cmd="busybox nc"
out=$(printf 'GET / HTTP/1.0\r\nHost: localhost\r\n\r\n' | $nc_cmd -w 5 127.0.0.1 8080 2>&1) || { dump web; fail "nc to the published port: $out"; }
assert_contains "$out" " 200 OK" "status line"
page=$(berth exec web-0-httpd cat /var/www/index.html)
assert_contains "$out" "$page" "page"
# each replica has its own address and host name
h0=$(berth exec web-0-httpd hostname)
h1=$(berth exec web-1-httpd hostname)
assert_eq "$h0" web-0
assert_eq "$h1" web-1
# the pod holds a reference on its image: rm refuses while the pod exists
expect_status 125 berth image rm busybox:latest
assert_contains "$out" "is used by container \"pod.web.httpd\""
expect_status 0 berth delete pod web
wait_for 20 sh -c "! $BERTH get pods | grep -q '^web '" || fail "web not deleted"
berth image rm busybox:latest >/dev/null || fail "image still referenced after the pod was deleted"
sv_stop_ok
