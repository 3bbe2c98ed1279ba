# CVE-2019-5736 (overwrite the runtime through /proc/PID/exe) and
# CVE-2024-21626 (a leaked host fd as working directory).
mkrootfs "$T/r"
sum_before=$(md5sum "$BERTH" | cut -d' ' -f1)

# a payload whose interpreter is the runtime itself must not get it
printf '#!/proc/self/exe\n' >"$T/r/evil" && chmod 0755 "$T/r/evil"
expect_status 127 berth run --rm --rootfs "$T/r" /evil version
assert_not_contains "$out" "parts:" "the runtime ran inside the container"
# berth's own processes inside the container (the --init, exec joiners)
# are not reachable through /proc/PID/exe
expect_status 0 berth run --rm --init --rootfs "$T/r" sh -c \
	'if cat /proc/1/exe >/dev/null 2>&1; then echo readable; else echo denied; fi; ls -l /proc/1/exe 2>&1'
assert_contains "$out" denied "/proc/1/exe of the init"
assert_not_contains "$out" "$BERTH" "host path of the runtime"
expect_status 0 berth run -d --name cve --rootfs "$T/r" /probe pause
expect_status 0 berth exec cve sh -c 'ls -l /proc/*/exe 2>&1'
assert_not_contains "$out" "$BERTH" "exe links visible from exec"
expect_status 0 berth rm -f cve
# berth re-executes itself from a sealed copy when its binary is writable
# (or runs from a read-only mount): the monitor shows it
expect_status 0 berth run -d --name mon --rootfs "$T/r" /probe pause
mpid=$(sed -n 's/^monitor_pid=//p' "$BERTH_RUN_DIR/containers/mon/state")
exe=$(readlink /proc/$mpid/exe)
case "$exe" in /memfd:berth*) ;; *) grep -q " ro[, ]" /proc/$mpid/mountinfo || fail "monitor runs from $exe" ;; esac
expect_status 0 berth rm -f mon
assert_eq "$(md5sum "$BERTH" | cut -d' ' -f1)" "$sum_before" "runtime binary checksum"

# a host directory fd leaked into berth cannot become the cwd
exec 9<"$T"
expect_status 125 berth run --rm -w /proc/self/fd/9 --rootfs "$T/r" /probe info
assert_contains "$out" "outside the container"
exec 9<&-
