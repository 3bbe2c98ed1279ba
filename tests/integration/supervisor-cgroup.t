# cgroup v2 (QEMU VMs): one cgroup per replica with a child per container,
# limits applied, and an OOM kill recorded as OOMKilled with status 137.
. "$(dirname "$LIB")/supervisor-lib.sh"
need_cgroup2 memory pids
pod hog <<EOF
[pod]
network = none
restart = never
[container app]
image = $IMG
command = sleep 1000
memory = 32M
pids = 20
[container eater]
image = $IMG
command = "sh -c 'sleep 1; dd if=/dev/zero of=/dev/null bs=128M count=1'"
memory = 16M
EOF
sv_start
wait_wide 10 hog-0 app 3 ready || { dump hog; fail "not ready"; }
cg=$(sed -n 's/^0:://p' "/proc/$(wide hog-0 app 6)/cgroup")
case "$cg" in */hog-0/app) ;; *) fail "cgroup of hog-0/app: $cg" ;; esac
assert_eq "$(cat "/sys/fs/cgroup$cg/memory.max")" 33554432 "memory.max"
assert_eq "$(cat "/sys/fs/cgroup$cg/pids.max")" 20 "pids.max"
wait_wide 20 hog-0 eater 3 exited || { dump hog; fail "eater did not die"; }
assert_eq "$(wide hog-0 eater 7)" "137" "exit status of an OOM kill"
assert_contains "$(berth get pods -o wide)" "137 (OOMKilled)"
assert_contains "$(events hog)" "exited with status 137 (OOMKilled)"
sv_stop_ok
