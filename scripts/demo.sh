#!/bin/bash
# make demo: build berth and the embedded busybox image, then show what berth
# does today. By default it runs in private mount and network namespaces so
# it leaves this machine exactly as it was (DEMO_HOST_NET=1 runs it in the
# host's network namespace, so the published port is reachable from outside).
# Ctrl-C stops it cleanly.
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
	if [ -n "${DEMO_HOST_NET:-}" ]; then
		exec unshare --mount --propagation private -- "$0"
	fi
	exec unshare --mount --propagation private --net -- "$0"
fi

B=$PWD/build/berth
export BERTH_ROOT=$PWD/build/demo/root BERTH_RUN_DIR=/run/berth-demo
[ -n "${DEMO_HOST_NET:-}" ] || ip link set lo up
cleanup() {
	trap - EXIT INT TERM
	echo
	echo "== cleaning up"
	"$B" stop web >/dev/null 2>&1 || true
	"$B" rm -f web >/dev/null 2>&1 || true
	"$B" network prune >/dev/null 2>&1 || true
	rm -rf "$PWD/build/demo" "$BERTH_RUN_DIR"
	echo "done"
}
trap cleanup EXIT
trap 'exit 130' INT TERM
step() { printf '\n\033[1m$ %s\033[0m\n' "$*"; "$@"; }

step "$B" version
step "$B" image load build/busybox.oci.tar
step "$B" images
step "$B" run --rm --hostname demo busybox sh -c '
	echo "I am pid $$ on $(hostname), as uid $(id -u)"
	echo "processes I can see:"; ps -o pid,comm
	grep -E "^(CapEff|Seccomp|NoNewPrivs)" /proc/self/status
	echo "my root is an overlay:"; grep " / " /proc/mounts
	echo "masked: /proc/timer_list reads $(wc -c </proc/timer_list) bytes, /sys/firmware lists $(ls /sys/firmware | wc -l) entries"'
if "$B" version | grep -q ' net'; then
	step "$B" run -d --name web -p 8080:80 busybox httpd -f -p 80 -h /var/www
	step "$B" ps
	for _ in $(seq 50); do wget -q -O /dev/null http://127.0.0.1:8080/ 2>/dev/null && break; sleep 0.1; done
	step wget -q -O - http://127.0.0.1:8080/
	echo
	echo "The web container keeps serving on port 8080. Ctrl-C (or 15 s) ends the demo."
	sleep 15 &
	wait $! || true
fi
