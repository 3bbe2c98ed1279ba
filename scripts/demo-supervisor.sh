#!/bin/sh
# Proposal for `make demo` (the integrator owns scripts/demo.sh): the
# supervisor running the web example from the embedded busybox image, two
# replicas behind a published port with probes. Runs as root in private
# mount/pid/net namespaces with a temporary state root, so it never touches
# this machine's network or /var/lib/berth. Ctrl-C stops every pod cleanly.
set -e
cd "$(dirname "$0")/.."
O=${O:-build}
[ "$(id -u)" = 0 ] || { echo "make demo needs root" >&2; exit 1; }
[ -x "$O/berth" ] && [ -f "$O/busybox.oci.tar" ] || make --no-print-directory -s -j2 all image
if [ -z "$BERTH_DEMO_INNER" ]; then
	export BERTH_DEMO_INNER=1
	exec unshare --mount --propagation private --net --pid --fork --mount-proc --uts --ipc "$0" "$@"
fi
T=$(mktemp -d /tmp/berth-demo.XXXXXX)
export BERTH_ROOT="$T/root" BERTH_RUN_DIR="$T/run"
B="$PWD/$O/berth"
ip link set lo up
mkdir -p "$T/pods"
cp examples/web.pod "$T/pods/"
echo "== berth image load $O/busybox.oci.tar"
"$B" image load "$O/busybox.oci.tar"
echo "== berth daemon --foreground --pods-dir $T/pods"
"$B" daemon --foreground --pods-dir "$T/pods" &
D=$!
stop() {
	echo
	echo "== stopping (SIGTERM to the daemon: every pod stops cleanly)"
	kill -TERM "$D" 2>/dev/null
	wait "$D"
	rm -rf "$T"
	exit 0
}
trap stop INT TERM
i=0
until "$B" get pods 2>/dev/null | grep -q ' 2/2 '; do
	i=$((i + 1))
	[ $i -lt 300 ] || { echo "pods did not get ready" >&2; stop; }
	sleep 0.1
done
echo "== berth get pods"
"$B" get pods
echo "== berth get pods -o wide"
"$B" get pods -o wide
echo "== wget -q -O - http://127.0.0.1:8080/"
wget -q -T 5 -O - http://127.0.0.1:8080/ | head -n 5
echo "== berth describe pod web"
"$B" describe pod web | tail -n 12
echo "== running; Ctrl-C to stop"
while :; do sleep 3600; done
