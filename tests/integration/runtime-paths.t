# Masked and read-only paths (Docker's lists), read-only root, binds, tmpfs,
# /etc files from the caller, and mount targets that are symlinks pointing
# out of the rootfs.
mkrootfs "$T/r"

expect_status 0 berth run --rm --rootfs "$T/r" /probe info
mounts=$(printf '%s\n' "$out" | sed -n 's/^mount=//p')
for p in /proc/acpi /sys/firmware; do
	[ -e "$p" ] || continue
	assert_contains "$mounts" "$p tmpfs ro," "masked dir $p"
done
for p in /proc/bus /proc/fs /proc/irq /proc/sys; do
	[ -e "$p" ] || continue
	assert_contains "$mounts" "$p proc ro," "read-only $p"
done
# masked files read as empty, through the real /dev/null
for p in /proc/interrupts /proc/keys /proc/timer_list; do
	[ -e "$p" ] || continue
	expect_status 0 berth run --rm --rootfs "$T/r" /probe stat "$p"
	assert_contains "$out" "rdev:1:3" "masked file $p"
	expect_status 0 berth run --rm --rootfs "$T/r" cat "$p"
	assert_eq "$out" "" "content of $p"
done
expect_status 0 berth run --rm --rootfs "$T/r" /probe ls /sys/firmware
assert_eq "$out" "" "/sys/firmware listing"
expect_status 0 berth run --rm --rootfs "$T/r" /probe write /proc/sys/kernel/domainname
assert_contains "$out" "=EROFS" "write to /proc/sys"

# the root is writable by default, read-only with --read-only (tmpfs and
# /dev/shm stay writable)
expect_status 0 berth run --rm --rootfs "$T/r" /probe write /rw-test
assert_contains "$out" "=ok"
[ -f "$T/r/rw-test" ] || fail "write to a plain rootfs did not land in it"
expect_status 0 berth run --rm --read-only --tmpfs /scratch --rootfs "$T/r" sh -c \
	'/probe write /ro-test; /probe write /scratch/x; /probe write /dev/shm/x; /probe info'
assert_contains "$out" "write /ro-test=EROFS"
assert_contains "$out" "write /scratch/x=ok"
assert_contains "$out" "write /dev/shm/x=ok"
assert_contains "$out" "mount=/scratch tmpfs rw,nosuid,nodev,noexec"
root_opts=$(printf '%s\n' "$out" | sed -n 's|^mount=/ [^ ]* ||p' | head -n 1)
case "$root_opts" in ro,*) ;; *) fail "root mount is not read-only: $root_opts" ;; esac

# binds: rw, ro, a file
mkdir -p "$T/vol" && echo hello >"$T/vol/f" && echo single >"$T/file"
expect_status 0 berth run --rm -v "$T/vol:/data" -v "$T/vol:/rodata:ro" -v "$T/file:/etc/single:ro" \
	--rootfs "$T/r" sh -c 'cat /data/f /etc/single; /probe write /data/new; /probe write /rodata/new'
assert_contains "$out" hello
assert_contains "$out" single
assert_contains "$out" "write /data/new=ok"
assert_contains "$out" "write /rodata/new=EROFS"
[ -f "$T/vol/new" ] || fail "rw bind did not write through"

# /etc/hostname and /etc/hosts provided by berth
expect_status 0 berth run --rm --hostname hh --rootfs "$T/r" sh -c 'cat /etc/hostname; cat /etc/hosts'
assert_contains "$out" "hh"
assert_contains "$out" "127.0.0.1	localhost"
ls "$BERTH_RUN_DIR" | grep -q tmp-etc && fail "temporary /etc files left in the run dir"

# symlinks in the image cannot redirect mounts out of the rootfs
mkdir -p "$T/escape"
ln -s "$T/escape" "$T/r/mnt-link"
ln -s ../../../../../../../../"$T/escape" "$T/r/rel-link"
expect_status 0 berth run --rm -v "$T/vol:/mnt-link/data" -v "$T/vol:/rel-link/data" --rootfs "$T/r" \
	cat /mnt-link/data/f /rel-link/data/f
assert_eq "$out" "hello
hello" "binds through symlinks"
[ ! -e "$T/escape/data" ] || fail "a mount target was created outside the rootfs"
[ -d "$T/r/$T/escape/data" ] || fail "the target was not resolved inside the rootfs"
rm -f "$T/r/etc/hostname" && ln -s "$T/escape/hostname" "$T/r/etc/hostname"
expect_status 125 berth run --rm --rootfs "$T/r" true
assert_contains "$out" "/etc/hostname"
[ ! -e "$T/escape/hostname" ] || fail "a file was created outside the rootfs"
