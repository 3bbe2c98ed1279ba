# The Debian package, end to end: dpkg-buildpackage builds berth's .deb
# from a copy of this tree and lintian finds no error in it; dpkg installs
# it (maintainer scripts and all) into a copy-on-write overlay of this
# host's root, in this test's mount namespace; `dpkg -V` proves the
# installed files are the package's; the packaged init script runs the
# packaged daemon, which runs a pod from the busybox image; reinstalling the
# package (an upgrade) hands the pod to a new daemon without restarting it;
# purge stops and removes everything.
#
# The objects of the last package build are kept in BUILD/tests/deb-cache
# (reused only when debian/rules and the make files are unchanged, so with
# the same flags); make's own dependencies rebuild what changed. A first
# build on a busy 2-core machine takes minutes:
# timeout: 900
need_part supervisor
for c in dpkg-buildpackage dh git start-stop-daemon; do
	command -v "$c" >/dev/null || skip "$c is not installed (make deps: scripts/deps/pkg.list)"
done
top=$(cd "$(dirname "$LIB")/../.." && pwd)
[ -f "$top/debian/control" ] || skip "no debian/ in $top"
git -C "$top" rev-parse --git-dir >/dev/null 2>&1 || skip "$top is not a git checkout (the test copies the files git knows)"
arch=$(dpkg --print-architecture)

# ---- build ------------------------------------------------------------
src="$T/src/berth"
mkdir -p "$src"
(cd "$top" && git ls-files -co --exclude-standard | grep -v '^debian/build/' | tar -cf - -T -) |
	tar -xf - -C "$src" || fail "copy of the tree"
cache="$(dirname "$BERTH")/tests/deb-cache"
key=$(cd "$src" && cat debian/rules Makefile ./*/build.mk scripts/targets.mk | md5sum | cut -d' ' -f1)
if [ -f "$cache/key" ] && [ "$(cat "$cache/key")" = "$key" ]; then
	mkdir -p "$src/debian/build" && cp -a "$cache/$arch" "$src/debian/build/" && nc=-nc
	info "reusing the objects of the last package build"
fi
(cd "$src" && DEB_BUILD_OPTIONS="nocheck noautodbgsym" dpkg-buildpackage -us -uc -b ${nc:-}) >"$T/build.log" 2>&1 ||
	{ tail -n 30 "$T/build.log"; fail "dpkg-buildpackage failed"; }
deb=$(ls "$T"/src/berth_*_"$arch".deb) || fail "no .deb: $(ls "$T/src")"
rm -rf "$cache" && mkdir -p "$cache" && cp -a "$src/debian/build/$arch" "$cache/" && echo "$key" >"$cache/key"
dpkg-deb -c "$deb" >"$T/contents"
for f in ./usr/bin/berth ./usr/bin/berthd ./usr/bin/berth-oci ./lib/systemd/system/berth.service \
	./etc/init.d/berth ./etc/default/berth ./usr/share/doc/berth/copyright \
	./usr/share/man/man1/berth.1.gz ./usr/share/man/man8/berthd.8.gz ./usr/share/man/man8/berth-oci.8.gz; do
	grep -q " $f\( ->.*\)\{0,1\}$" "$T/contents" || fail "$f not in the package: $(cat "$T/contents")"
done
grep -q '^drwx------ .* ./etc/berth/pods/$' "$T/contents" || fail "/etc/berth/pods is not 0700"
dpkg-deb -f "$deb" Recommends | grep -q libarchive13 || fail "no Recommends for the dlopen()ed libraries"
# lintian: no errors (the warnings left are listed in docs/decisions/debian-package.md)
if command -v lintian >/dev/null; then
	lintian --fail-on error "$deb" >"$T/lintian.log" 2>&1 || fail "lintian: $(cat "$T/lintian.log")"
	info "lintian: $(grep -c '^[EW]:' "$T/lintian.log") errors and warnings: $(grep '^[EW]:' "$T/lintian.log" | cut -d' ' -f3 | tr '\n' ' ')"
fi

# ---- install into an overlay of / -------------------------------------
R="$T/sysroot"
mkdir -p "$T/ovl" "$R"
mount -t tmpfs tmpfs "$T/ovl" && mkdir "$T/ovl/upper" "$T/ovl/work" || fail "tmpfs for the overlay"
mount -t overlay overlay -o "lowerdir=/,upperdir=$T/ovl/upper,workdir=$T/ovl/work" "$R" ||
	fail "overlay of / on $R"
[ ! -e "$R/usr/bin/berth" ] || fail "this host has a berth in /usr/bin: cannot prove the package's"
mount -t proc proc "$R/proc" && mount --rbind /sys "$R/sys" &&
	mount -t tmpfs tmpfs "$R/run" && mount -t tmpfs tmpfs "$R/tmp" &&
	mkdir -p "$R/var/lib/berth" && mount -t tmpfs tmpfs "$R/var/lib/berth" || fail "mounts in $R"
# a /dev of its own (no /dev/log: the daemon's syslog never reaches the host's)
mount -t tmpfs -o mode=0755 tmpfs "$R/dev" || fail "tmpfs on $R/dev"
for n in null zero full random urandom tty; do
	touch "$R/dev/$n" && mount --bind "/dev/$n" "$R/dev/$n" || fail "/dev/$n in $R"
done
inroot() { env -u BERTH_ROOT -u BERTH_RUN_DIR -u BERTH_PODS_DIR PATH=/usr/sbin:/usr/bin:/sbin:/bin chroot "$R" "$@"; }

# this root's own policy-rc.d (the host's may come and go): allow services
printf '#!/bin/sh\nexit 0\n' >"$R/usr/sbin/policy-rc.d" && chmod 0755 "$R/usr/sbin/policy-rc.d"
dpkg --root="$R" -i "$deb" >"$T/dpkg.log" 2>&1 || fail "dpkg -i: $(cat "$T/dpkg.log")"
dpkg --root="$R" -V berth || fail "dpkg -V: installed files differ from the package's"
assert_eq "$(dpkg-query --admindir="$R/var/lib/dpkg" -W -f='${db:Status-Abbrev}' berth)" "ii " "package status"
# the maintainer scripts ran: the unit enabled, the init script linked
[ -L "$R/etc/systemd/system/multi-user.target.wants/berth.service" ] || fail "berth.service not enabled"
ls "$R"/etc/rc2.d/S??berth >/dev/null 2>&1 || fail "no rc2.d link for /etc/init.d/berth"
assert_eq "$(stat -c %a "$R/etc/berth/pods")" "700" "mode of /etc/berth/pods"

# ---- run a pod with the installed files ------------------------------
# Debian starts a service at install: the postinst ran /etc/init.d/berth
# start (there is no systemd here); stop it to restart it with a log file
out=$(inroot /etc/init.d/berth status 2>&1) || fail "not started at install: $out $(cat "$T/dpkg.log")"
out=$(inroot /etc/init.d/berth stop 2>&1) || fail "init script stop: $out"
assert_eq "$out" "Stopping berth: OK" "init script stop"
cp "$IMAGE" "$R/tmp/busybox.oci.tar"
inroot berth image load /tmp/busybox.oci.tar >"$T/load.log" 2>&1 || fail "image load: $(cat "$T/load.log")"
echo 'BERTHD_LOG=/run/berthd.log' >>"$R/etc/default/berth"
cat >"$R/etc/berth/pods/hello.pod" <<'EOF'
[pod]
network = none
[container app]
image = busybox:latest
command = "sh -c 'echo hello from the package; exec sleep 1000'"
EOF
out=$(inroot /etc/init.d/berth start 2>&1) || fail "init script start: $out $(cat "$R/run/berthd.log")"
assert_eq "$out" "Starting berth: OK" "init script start"
d1=$(cat "$R/run/berthd.pid")
# in the chroot, whose only /usr/bin/berth is the package's (the daemon
# runs from a sealed memfd copy of it: CVE-2019-5736)
assert_eq "$(readlink "/proc/$d1/root")" "$R" "the daemon's root"
inwide() { inroot berth get pods -o wide | awk -v f="$1" '$1 == "hello-0" && $2 == "app" { print $f }'; }
inready() { wait_for 15 sh -c "[ \"\$(env -u BERTH_ROOT -u BERTH_RUN_DIR chroot $R berth get pods -o wide | awk '\$1 == \"hello-0\" && \$2 == \"app\" { print \$3 }')\" = ready ]"; }
inready || fail "pod not ready after start: $(inroot berth get pods -o wide 2>&1)"
wait_for 10 sh -c "env -u BERTH_ROOT -u BERTH_RUN_DIR chroot $R berth logs hello | grep -q 'hello from the package'" ||
	fail "no output of the pod: $(inroot berth logs hello 2>&1)"
cpid=$(inwide 6)

# ---- upgrade: the same package again, pods handed over -----------------
dpkg --root="$R" -i "$deb" >"$T/dpkg2.log" 2>&1 || fail "dpkg -i again: $(cat "$T/dpkg2.log")"
wait_for 15 sh -c "[ -s $R/run/berthd.pid ] && [ \"\$(cat $R/run/berthd.pid)\" != $d1 ]" ||
	fail "no new daemon after the upgrade: $(cat "$R/run/berthd.log")"
wait_for 15 sh -c "env -u BERTH_ROOT -u BERTH_RUN_DIR chroot $R berth get pods >/dev/null" ||
	fail "new daemon not serving: $(cat "$R/run/berthd.log")"
inready || fail "pod not ready after the upgrade: $(inroot berth get pods -o wide 2>&1)"
assert_eq "$(inwide 6)" "$cpid" "container pid after the upgrade (not restarted)"
assert_eq "$(inwide 5)" "0" "restarts after the upgrade"

# ---- purge: the prerm stops the daemon and the pod ---------------------
loop=$(cat "$R/run/berth.pid")
d2=$(cat "$R/run/berthd.pid")
rm -f "$R/etc/berth/pods/hello.pod"
dpkg --root="$R" --purge berth >"$T/dpkg3.log" 2>&1 || fail "dpkg --purge: $(cat "$T/dpkg3.log")"
gone() { ! kill -0 "$1" 2>/dev/null || grep -q '^State:.*zombie' "/proc/$1/status"; }
gone "$d2" || fail "daemon still running after purge: $(cat "$T/dpkg3.log")"
gone "$loop" || fail "supervise loop still running after purge"
gone "$cpid" || fail "container still running after purge"
[ ! -e "$R/usr/bin/berth" ] || fail "/usr/bin/berth left after purge"
[ ! -e "$R/etc/default/berth" ] || fail "/etc/default/berth left after purge"
