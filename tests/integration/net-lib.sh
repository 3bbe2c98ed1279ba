# Helpers for the net-*.t tests (sourced by them). Only busybox tools and
# build/tests/netprobe: the QEMU VMs have nothing else. The test's own
# network namespace plays the board's host; every other namespace is a file
# under $T/ns bind-mounted by `busybox unshare --net=FILE`, and dropping it
# (umount) is how a pod "dies".
NETPROBE=$(dirname "$BERTH")/tests/netprobe
NS=$T/ns
NETRUN=$BERTH_RUN_DIR/net/berth
mkdir -p "$NS"

need_net() {
	command -v busybox >/dev/null 2>&1 || skip "busybox is not installed"
	[ -x "$NETPROBE" ] || fail "no $NETPROBE (make all builds it)"
	need_part net
	[ -d /sys/class/net ] || skip "no network stack"
}

need_nat() {
	has_part +nat || skip "berth built without NAT (CONFIG_NET_NAT)"
}

mkns() { # NAME
	: >"$NS/$1" && busybox unshare --net="$NS/$1" busybox ip link set lo up ||
		fail "cannot create network namespace $1"
}
dropns() { umount "$NS/$1" && rm -f "$NS/$1"; }
# Pod POD dies: drop its namespace and wait until the kernel has destroyed
# it (asynchronously), and the veth with it.
podgone() { # POD
	v=$(berth network inspect "$1" 2>/dev/null | sed -n 's/^veth=//p')
	dropns "$1" || fail "drop namespace $1"
	[ -z "$v" ] || wait_for 10 sh -c "! busybox ip link show $v" || fail "veth $v of $1 outlived its namespace"
}
inns() { # NAME CMD...
	n=$1; shift
	busybox nsenter --net="$NS/$n" "$@"
}
# CMD in pod NAME with the hosts and resolv.conf files berth wrote for it
# over /etc/hosts and /etc/resolv.conf (what the runtime bind-mounts).
inpod() { # NAME CMD...
	n=$1; shift
	busybox nsenter --net="$NS/$n" busybox unshare -m sh -c \
		'mount --bind "$1" /etc/hosts && { [ ! -e /etc/resolv.conf ] || mount --bind "$2" /etc/resolv.conf; } &&
		 shift 2 && exec "$@"' \
		sh "$NETRUN/hosts" "$NETRUN/$n.resolv" "$@"
}
# A namespace NAME wired to the host: host side HOSTIF with HOSTADDR/24, the
# namespace's eth0 with NSADDR/24 and no default route.
wire() { # NAME HOSTIF HOSTADDR NSADDR
	mkns "$1"
	"$NETPROBE" veth "$2" eth0 "$NS/$1" || fail "veth $2"
	busybox ip addr add "$3/24" dev "$2" && busybox ip link set "$2" up || fail "address $3"
	inns "$1" busybox ip addr add "$4/24" dev eth0 && inns "$1" busybox ip link set eth0 up ||
		fail "address $4"
}
attach() { # POD [ARGS...]
	p=$1; shift
	[ -e "$NS/$p" ] || mkns "$p"
	berth network attach -q "$p" --netns "$NS/$p" "$@"
}
# What must come back to its first state: links, addresses, rules, leases.
snapshot() {
	busybox ip -o link | sed 's/^[0-9]*: //; s/[:@].*//' | sort
	# IPv6 link-local addresses come and go with carrier, asynchronously: not ours
	busybox ip -o addr | awk '{print $2, $4}' | grep -v ' fe80:' | sort
	berth network rules
	ls "$BERTH_ROOT/net/berth" 2>/dev/null | grep -v -e '^lock$' -e '^last_reserved_ip$'
	ls "$NETRUN" 2>/dev/null
}
# http GET through busybox wget (its -T crashes in Debian's 1.35: timeout instead)
http() { busybox timeout 5 busybox wget -q -O - "$@"; }
serve_http() { # NS DIR PORT TEXT
	mkdir -p "$2" && echo "$4" >"$2/index.html"
	inns "$1" busybox httpd -p "$3" -h "$2" || fail "httpd in $1"
}
