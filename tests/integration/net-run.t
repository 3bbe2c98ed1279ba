# Real containers on the bridge: berth run --network bridge|none|host|
# container:NAME, -p, names between containers, teardown by the namespace.
. "$(dirname "$LIB")/net-lib.sh"
need_net
need_nat
base=$(snapshot)
mkrootfs "$T/r"
mkdir -p "$T/r/www" && echo hello-from-web >"$T/r/www/index.html"

expect_status 0 berth run -d --name web --rootfs "$T/r" -p 8080:80 --hostname site \
	/bin/busybox httpd -f -p 80 -h /www
wait_for 10 sh -c 'busybox wget -q -O - http://127.0.0.1:8080/ >/dev/null' || fail "web never answered on 8080"
assert_eq "$(http http://127.0.0.1:8080/)" hello-from-web "localhost -> web's published port"

# another container finds web by name and host name, through its /etc/hosts
expect_status 0 berth run --rm --name client --network bridge --rootfs "$T/r" /bin/sh -c \
	'wget -q -O - http://web/ && wget -q -O - http://site/ && cat /etc/hosts /etc/resolv.conf && ip -o addr show dev eth0 && ip route'
assert_contains "$out" "hello-from-web
hello-from-web" "client -> web by name and host name"
assert_contains "$out" "client" "client's hosts file"
assert_contains "$out" "default via 10.89.0.1" "client's route"
assert_not_contains "$out" "nameserver 127." "client's resolv.conf"
assert_contains "$out" "inet 10.89.0." "client's address"
# the client exited: its lease went with it
expect_status 0 berth network ls
assert_not_contains "$out" client

# a container that comes later shows up in web's /etc/hosts at once (the
# shared file is rewritten in place under the bind mount), and goes again
expect_status 0 berth run -d --name db --network bridge --rootfs "$T/r" /bin/sleep 1000
expect_status 0 berth exec web /bin/cat /etc/hosts
assert_contains "$out" "	db" "web's /etc/hosts after db started"
expect_status 0 berth exec web /bin/busybox ping -c 1 -W 3 db
# (stop, then rm: `rm -f` of a running container sometimes races the
# monitor in this runtime: "Remove the state of db: Directory not empty")
berth kill db >/dev/null 2>&1
wait_for 10 berth rm db || fail "berth rm db"
expect_status 0 berth exec web /bin/cat /etc/hosts
assert_not_contains "$out" "	db" "web's /etc/hosts after db went"

# the modes (bridge is berth run's default, as Docker's)
expect_status 0 berth run --rm --rootfs "$T/r" --network none /bin/busybox ip -o link
assert_eq "$(printf '%s\n' "$out" | wc -l)" 1 "--network none: lo only"
expect_status 0 berth run --rm --rootfs "$T/r" /bin/busybox ip -o -4 addr show eth0
assert_contains "$out" "10.89.0." "default: an address on the bridge"
expect_status 0 berth run --rm --rootfs "$T/r" --network host /bin/busybox ip -o link
assert_contains "$out" berth0 "--network host sees the bridge"
expect_status 0 berth run --rm --rootfs "$T/r" --network container:web /bin/busybox wget -q -O - http://127.0.0.1/
assert_eq "$out" hello-from-web "--network container:web shares web's loopback"
expect_status 125 berth run --rm --rootfs "$T/r" --network container:nosuch /bin/true
assert_contains "$out" nosuch
expect_status 125 berth run --rm --rootfs "$T/r" --network bogus /bin/true
assert_contains "$out" 'Network "bogus" is not bridge, none, host or container:NAME'

# bad input: one line, and nothing of it left. The --rm runs above drop
# their namespaces, which take their veths in the kernel's own time: wait
# until web's is the only one left before taking the reference.
wait_for 10 sh -c '[ "$(busybox ip -o link | grep -c ": bv")" = 1 ]' ||
	fail "veths of the --rm runs left: $(busybox ip -o link)"
before=$(snapshot)
expect_status 125 berth run --rm --rootfs "$T/r" -p 70000:80 /bin/true
assert_contains "$out" "port out of range"
expect_status 125 berth run --rm --rootfs "$T/r" -p 8080:80 /bin/true
assert_contains "$out" 'already published by pod "web"'
expect_status 125 berth run --rm --rootfs "$T/r" --network none -p 9000:80 /bin/true
assert_contains "$out" "-p and --ip need --network bridge"
expect_status 127 berth run --rm --rootfs "$T/r" /nonexistent
# a dropped namespace takes its veth with it, in the kernel's own time
i=0
while [ "$(snapshot)" != "$before" ] && [ $i -lt 50 ]; do sleep 0.1; i=$((i + 1)); done
assert_eq "$(snapshot)" "$before" "state after failed runs"

# web goes: berth rm releases its lease and port, the namespace took the veth
berth kill web >/dev/null 2>&1
wait_for 10 berth rm web || fail "berth rm web"
expect_status 0 berth network ls
assert_contains "$out" "PODS 0"
berth network prune -q || fail prune
assert_eq "$(snapshot)" "$base" "state at the end"
