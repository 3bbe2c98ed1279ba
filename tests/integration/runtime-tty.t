# -t gives the payload a pty from the container's own devpts as its
# controlling terminal; output comes back through berth.
mkrootfs "$T/r"

expect_status 0 berth run --rm -t --rootfs "$T/r" sh -c 'readlink /proc/self/fd/0; readlink /proc/self/fd/1; tty; echo TERM=$TERM' </dev/null
out=$(printf '%s\n' "$out" | tr -d '\r')
assert_contains "$out" "/dev/pts/0" "stdin is a pty"
assert_eq "$(printf '%s\n' "$out" | sed -n 2p)" /dev/pts/0 "stdout is the pty"
assert_contains "$out" "TERM=xterm"
expect_status 1 berth run --rm --rootfs "$T/r" sh -c 'tty' </dev/null
assert_contains "$out" "not a tty" "without -t"
expect_status 0 berth run -d --name tt --rootfs "$T/r" /probe pause
expect_status 0 berth exec -t tt sh -c 'tty' </dev/null
assert_contains "$(printf '%s' "$out" | tr -d '\r')" "/dev/pts/0"
expect_status 0 berth rm -f tt
# /dev/console is the container's pty (as runc/crun do with a terminal)
expect_status 0 berth run --rm -t --rootfs "$T/r" sh -c 'ls -l /dev/console; echo hi >/dev/console' </dev/null
out=$(printf '%s\n' "$out" | tr -d '\r')
assert_contains "$out" " 136, " "/dev/console is a pts device"
assert_contains "$out" "hi" "writing to /dev/console reaches the terminal"
