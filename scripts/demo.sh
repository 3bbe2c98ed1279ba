#!/bin/bash
# make demo: build berth and the embedded busybox image, then show the main
# job: the supervisor keeping the example web pod (two busybox httpd replicas
# behind a published port, with probes) running and healing it; before that,
# one isolated container from the image store.
#
# It runs in private mount, pid and network namespaces with a temporary state
# root, so it leaves this machine as it was (DEMO_HOST_NET=1 keeps the host's
# network namespace, so port 8080 is reachable from other machines).
# Ctrl-C stops every pod cleanly; without a terminal it stops after
# DEMO_SECONDS (default 20).
set -euo pipefail
cd "$(dirname "$0")/.."
if [ "$(id -u)" != 0 ]; then
	if command -v sudo >/dev/null; then exec sudo -E make demo; fi
	echo "make demo must run as root (containers need namespaces and mounts)" >&2
	exit 1
fi
if [ -z "${BERTH_DEMO_INNER:-}" ]; then
	make --no-print-directory deps
	make --no-print-directory -j"$(nproc)" all image
	export BERTH_DEMO_INNER=1
	net=--net
	[ -z "${DEMO_HOST_NET:-}" ] || net=
	exec unshare --mount --propagation private --pid --fork --mount-proc $net -- "$0"
fi

B=$PWD/build/berth
T=$(mktemp -d /tmp/berth-demo.XXXXXX)
export BERTH_ROOT=$T/root BERTH_RUN_DIR=$T/run
[ -n "${DEMO_HOST_NET:-}" ] || ip link set lo up
D=
cleanup() {
	trap - EXIT INT TERM
	echo
	if [ -n "$D" ]; then
		echo "== stopping: SIGTERM to the daemon, every pod stops (stop signal, grace, KILL)"
		kill -TERM "$D" 2>/dev/null || true
		wait "$D" 2>/dev/null || true
	fi
	"$B" network prune >/dev/null 2>&1 || true
	rm -rf "$T"
	echo "== done: nothing left behind"
}
trap cleanup EXIT
trap 'exit 130' INT TERM
step() { printf '\n\033[1m$ %s\033[0m\n' "$*"; "$@"; }
wait_until() { # TENTHS CMD... : poll a condition (fine in a demo)
	local n=$1
	shift
	for _ in $(seq "$n"); do "$@" >/dev/null 2>&1 && return 0; sleep 0.1; done
	return 1
}

step "$B" version
step "$B" image load build/busybox.oci.tar
step "$B" run --rm --hostname demo busybox sh -c '
	echo "I am pid $$ on $(hostname), as uid $(id -u); I see these processes:"; ps -o pid,comm
	grep -E "^(CapEff|Seccomp|NoNewPrivs)" /proc/self/status
	echo "my root: $(grep " / " /proc/mounts | cut -d" " -f1-3)"
	echo "masked: /proc/timer_list reads $(wc -c </proc/timer_list) bytes"'

if ! "$B" version | grep -q supervisor; then
	exit 0
fi
mkdir -p "$T/pods"
cp examples/web.pod "$T/pods/"
printf '\n\033[1m$ %s\033[0m\n' "berth daemon --foreground --pods-dir $T/pods &"
"$B" daemon --foreground --pods-dir "$T/pods" &
D=$!
wait_until 300 sh -c "'$B' get pods | grep -q ' 2/2 '" || echo "(pods not ready yet)"
step "$B" get pods -o wide
if "$B" version | grep -q ' net'; then
	wait_until 50 sh -c "printf 'GET / HTTP/1.0\r\n\r\n' | busybox nc -w 2 127.0.0.1 8080 | grep -q 200"
	printf '\n\033[1m$ %s\033[0m\n' "wget -q -O - http://127.0.0.1:8080/"
	timeout 5 wget -q -O - http://127.0.0.1:8080/ || true
fi
pid=$("$B" ps | awk '$1 ~ /web-0/ && $2 == "running" {print $3; exit}')
if [ -n "$pid" ]; then
	printf '\n\033[1m$ %s\033[0m   (self-healing: a replica dies)\n' "kill -9 $pid"
	kill -9 "$pid"
	sleep 1
	wait_until 100 sh -c "'$B' get pods | grep -q ' 2/2 '" || true
	step "$B" get pods -o wide
fi
step "$B" describe pod web
if [ -t 0 ]; then
	echo; echo "The pods keep running. Ctrl-C stops them."
	wait "$D"
else
	sleep "${DEMO_SECONDS:-20}"
fi
