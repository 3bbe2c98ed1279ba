# berth run IMAGE: the image store, the runtime and the network joined by the CLI.
# qemu: yes
need_part images
berth image load "$IMAGE" >/dev/null || fail "image load"

expect_status 0 berth run --rm busybox echo hello
assert_eq "$out" hello "echo from the image"
expect_status 0 berth run --rm -e FOO=bar busybox sh -c 'echo $FOO'
assert_eq "$out" bar "-e"
expect_status 0 berth run --rm -w /var/www busybox pwd
assert_eq "$out" /var/www "-w"
expect_status 0 berth run --rm -u www-data busybox id -u
assert_eq "$out" 33 "-u resolved in the image's /etc/passwd"
expect_status 0 berth run --rm busybox sh -c 'echo $PATH'
assert_contains "$out" /usr/bin "the image's Env"
expect_status 3 berth run --rm busybox sh -c 'exit 3'
expect_status 127 berth run --rm busybox no-such-command

# nothing left behind by --rm: the image can be removed again
[ -z "$(ls "$BERTH_ROOT/containers" 2>/dev/null)" ] || fail "container dirs left: $(ls "$BERTH_ROOT/containers")"

# bad input: unknown image, nothing left
expect_status 125 berth run --rm no-such-image:1 true
assert_contains "$out" "no-such-image"
[ -z "$(ls "$BERTH_ROOT/containers" 2>/dev/null)" ] || fail "a failed run left a container dir"

if has_part net; then
	# published port on the bridge, reached from the host namespace
	expect_status 0 berth run -d --name web -p 8080:80 busybox httpd -f -p 80 -h /var/www
	wait_for 10 wget -q -O /dev/null http://127.0.0.1:8080/ || fail "published port 8080 does not answer"
	page=$(wget -q -O - http://127.0.0.1:8080/)
	assert_contains "$page" "hello from berth" "page through -p 8080:80"
	expect_status 0 berth stop web
	expect_status 0 berth rm web
	timeout 3 wget -q -O /dev/null http://127.0.0.1:8080/ 2>/dev/null && fail "port still published after rm"
	expect_status 125 berth run --rm -p 99999:80 busybox true
	assert_contains "$out" "99999"
fi
expect_status 0 berth image rm busybox
