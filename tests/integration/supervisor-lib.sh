# Helpers for the supervisor's integration tests (sourced by supervisor-*.t).
need_part supervisor
PODS="$T/pods"
mkdir -p "$PODS"
# A writable image: the test rootfs with a web root.
IMG="$T/img"
mkrootfs "$IMG"
mkdir -p "$IMG/www"
echo ok >"$IMG/www/ok.html"

sv_start() { # [extra daemon args]
	"$BERTH" daemon --foreground --pods-dir "$PODS" "$@" >>"$T/daemon.log" 2>&1 &
	DPID=$!
	wait_for 10 test -S "$BERTH_RUN_DIR/berthd.sock" || { cat "$T/daemon.log"; fail "daemon did not start"; }
}
sv_stop() {
	kill -TERM "$DPID" 2>/dev/null
	wait "$DPID"
}
# pod NAME <<EOF ... : the spec goes to the pods dir (atomically, like an editor)
pod() { cat >"$PODS/.$1.tmp" && mv "$PODS/.$1.tmp" "$PODS/$1.pod"; }
# One field of `berth get pods -o wide`: wide REPLICA CONTAINER COLUMN
# (3 state, 4 ready, 5 restarts, 6 pid, 7 last exit code)
wide() { berth get pods -o wide | awk -v r="$1" -v c="$2" -v f="$3" '$1 == r && $2 == c { print $f }'; }
# wait_wide SECONDS REPLICA CONTAINER COLUMN VALUE
wait_wide() { wait_for "$1" sh -c "[ \"\$($BERTH get pods -o wide | awk -v r=$2 -v c=$3 -v f=$4 '\$1 == r && \$2 == c { print \$f }')\" = '$5' ]"; }
events() { berth describe pod "$1" | sed -n '/^Events:/,$p'; }
dump() { berth describe pod "$1" 2>&1; tail -n 20 "$T/daemon.log"; }
# SIGTERM stops every pod; the daemon exits 0
sv_stop_ok() {
	kill -TERM "$DPID"
	wait "$DPID" || fail "daemon exited $?"
}
