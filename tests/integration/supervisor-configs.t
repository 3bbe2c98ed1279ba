# Configs and secrets: stored by the CLI without a daemon, mounted into a
# container (config read-only, secret on a tmpfs, 0400, owned by the
# container's user), env-from; the secret's value never shows outside the
# container and the secret store; a changed config rolls the pod; with
# reload = SIGHUP the mounted directory is swapped (..data) and the
# container gets SIGHUP; bad references are refused with the pods
# untouched; apply writes pod files 0600 and warns about a readable env-file.
. "$(dirname "$LIB")/supervisor-lib.sh"
SECRET=hunter2-Zq8vX3pL
printf 'listen 8080\n' >"$T/app.conf"
printf '%s' "$SECRET" >"$T/pw"
chmod 0600 "$T/pw"
# cenv CONTAINER VAR: VAR in the environment of the container's processes
cenv() { "$BERTH" exec "$1" sh -c "cat /proc/[0-9]*/environ 2>/dev/null | tr '\\0' '\\n' | sed -n 's/^$2=//p' | head -n 1"; }

# the store works without a daemon
berth config create app --from-file "$T/app.conf" --from-literal mode=prod >/dev/null || fail "config create"
berth secret create db --from-file password="$T/pw" >/dev/null || fail "secret create"
berth secret create tok --from-literal token=one >/dev/null || fail "secret create tok"
# namespaces scope names: dev has an "app" of its own
berth -n dev config create app --from-literal mode=staging >/dev/null || fail "config create -n dev"
assert_contains "$(berth config ls -A)" "dev "
assert_not_contains "$(berth config ls)" "dev "
assert_eq "$(stat -c %a "$BERTH_ROOT/secrets/default/db/current/password")" 600 "secret file mode at rest"
assert_eq "$(stat -c %a "$BERTH_ROOT/secrets/default/db")" 700 "secret dir mode at rest"
out=$(berth secret inspect db)
assert_contains "$out" "password"
assert_contains "$out" "16 bytes"
assert_not_contains "$out" "$SECRET" "secret inspect"
expect_status 125 berth secret create big --from-file /dev/zero
assert_contains "$out" "not a regular file"
mkfifo "$T/fifo"
expect_status 125 timeout 5 "$BERTH" secret create f --from-file "$T/fifo"
assert_contains "$out" "\"$T/fifo\" is not a regular file"

pod web <<EOF
[pod]
network = none
stop-grace = 1s
[container app]
image = $IMG
user = 1000:1000
configs = app:/etc/app
secrets = db
env-from = config:app
command = /probe pause
EOF
pod rel <<EOF
[pod]
network = none
stop-grace = 1s
[container app]
image = $IMG
secrets = tok:/etc/tok
reload = SIGHUP
command = /probe pause
EOF
pod devweb <<EOF
[pod]
namespace = dev
network = none
stop-grace = 1s
[container app]
image = $IMG
configs = app:/etc/app
command = /probe pause
EOF
pod multi <<EOF
[pod]
replicas = 2
network = none
stop-grace = 1s
[container app]
image = $IMG
configs = app:/etc/app
command = /probe pause
EOF
sv_start
wait_for 30 sh -c "$BERTH -n dev get pods -o wide | awk '\$1 == \"devweb.dev-0\" && \$4 == \"yes\"' | grep -q ." ||
	{ "$BERTH" -n dev describe pod devweb; fail "devweb not ready"; }
assert_eq "$(berth exec devweb.dev-0-app cat /etc/app/mode)" staging "the config of namespace dev"
wait_wide 30 multi-0 app 4 yes || { dump multi; fail "multi-0 not ready"; }
wait_wide 30 multi-1 app 4 yes || { dump multi; fail "multi-1 not ready"; }
wait_wide 30 web-0 app 4 yes || { dump web; fail "web not ready"; }
wait_wide 30 rel-0 app 4 yes || { dump rel; fail "rel not ready"; }

# the config: its file, read-only, env-from
assert_eq "$(berth exec web-0-app cat /etc/app/app.conf)" "listen 8080" "config file"
assert_eq "$(cenv web-0-app mode)" prod "env-from config"
berth exec web-0-app sh -c 'echo x >/etc/app/new' 2>/dev/null && fail "/etc/app is writable"
# the secret: tmpfs inside, 0400, the container's user
mnt=$(berth exec web-0-app cat /proc/mounts)
printf '%s\n' "$mnt" | grep -q '^[^ ]* /run/secrets/db tmpfs ' || fail "no tmpfs at /run/secrets/db: $mnt"
printf '%s\n' "$mnt" | grep -q '^[^ ]* /etc/app [^ ]* ro,' || fail "/etc/app is not read-only: $mnt"
assert_eq "$(berth exec web-0-app stat -L -c '%a %u %g' /run/secrets/db/password)" "400 1000 1000" "secret mode and owner"
assert_eq "$(berth exec web-0-app cat /run/secrets/db/password)" "$SECRET" "secret value inside"
assert_eq "$(berth exec web-0-app readlink /run/secrets/db/password)" "..data/password" "kubelet layout"

# the value is nowhere else: describe, -o json, logs, events, state files, argv
for cmd in "describe pod web" "describe pod web -o json" "get pods -o json" "get pods -o wide" "logs web"; do
	out=$(berth $cmd 2>&1)
	assert_not_contains "$out" "$SECRET" "berth $cmd"
done
assert_not_contains "$(cat "$T/daemon.log")" "$SECRET" "daemon log"
hits=$(grep -rlsF --exclude-dir=secrets "$SECRET" "$BERTH_ROOT" "$BERTH_RUN_DIR" "$PODS" 2>/dev/null)
[ -z "$hits" ] || fail "secret value found in $hits"
for f in /proc/[0-9]*/cmdline; do
	tr '\0' ' ' <"$f" 2>/dev/null | grep -qF "$SECRET" && fail "secret value in the argv of $f"
done

# a secret in use cannot be removed
expect_status 125 berth secret rm db
assert_contains "$out" "used by pod web"

# a changed config rolls the pod (env-from and the mount follow)
pid=$(wide web-0 app 6)
berth config create app --from-file "$T/app.conf" --from-literal mode=dev --replace >/dev/null
i=0
while [ "$(cenv web-0-app mode 2>/dev/null)" != dev ] && [ $i -lt 150 ]; do sleep 0.2; i=$((i + 1)); done
assert_eq "$(cenv web-0-app mode)" dev "env-from after the config changed"
[ "$(wide web-0 app 6)" != "$pid" ] || fail "web kept its pid"
assert_contains "$(events web)" "spec changed"
# with two replicas: a rolling update, one replica at a time
for r in 0 1; do
	wait_for 30 sh -c "[ \"\$($BERTH exec multi-$r-app cat /etc/app/mode 2>/dev/null)\" = dev ]" ||
		{ dump multi; fail "multi-$r still has the old config"; }
done
wait_for 20 sh -c "$BERTH describe pod multi | grep -q 'rollout: done'" || { dump multi; fail "no rollout: done"; }
assert_contains "$(events multi)" "rollout: multi-0 to the new spec (2 of the replicas left)"

# reload = SIGHUP: the same container, ..data flipped, SIGHUP received
rpid=$(wide rel-0 app 6)
old=$(berth exec rel-0-app readlink /etc/tok/..data)
berth secret create tok --from-literal token=two --replace >/dev/null
wait_for 20 sh -c "[ \"\$($BERTH exec rel-0-app cat /etc/tok/token 2>/dev/null)\" = two ]" || { dump rel; fail "tok not swapped"; }
new=$(berth exec rel-0-app readlink /etc/tok/..data)
[ "$old" != "$new" ] || fail "..data still points at $old"
wait_for 10 sh -c "$BERTH logs rel | grep -q 'signal=1'" || { dump rel; fail "no SIGHUP in rel's logs"; }
assert_eq "$(wide rel-0 app 6)" "$rpid" "rel kept its pid"
assert_eq "$(wide rel-0 app 5)" 0 "rel restarts"
assert_contains "$(events rel)" "reload: sent signal 1"
printf '%s\n' "$(berth exec rel-0-app cat /proc/mounts)" | grep -q '^[^ ]* /etc/tok tmpfs ' || fail "/etc/tok is not a tmpfs"

# bad input: one line naming file, section and key; running pods untouched
pid=$(wide web-0 app 6)
cat >"$T/bad1.pod" <<EOF
[pod]
name = web
network = none
[container app]
image = $IMG
configs = nosuch:/etc/app
command = /probe pause
EOF
expect_status 1 berth apply -f "$T/bad1.pod"
assert_contains "$out" "bad1.pod: [container app] configs: config \"nosuch\" does not exist in namespace \"default\""
assert_eq "$(printf '%s\n' "$out" | wc -l)" 1 "one line"
expect_status 1 berth validate "$T/bad1.pod"
assert_contains "$out" "configs: config \"nosuch\" does not exist"
sed 's|configs = nosuch:/etc/app|secrets = db:/proc/x|' "$T/bad1.pod" >"$T/bad2.pod"
expect_status 1 berth apply -f "$T/bad2.pod"
assert_contains "$out" "bad2.pod: [container app] secrets: \"/proc/x\" is inside /proc"
sed 's|configs = nosuch:/etc/app|secrets = db:/dev|' "$T/bad1.pod" >"$T/bad3.pod"
expect_status 1 berth apply -f "$T/bad3.pod"
assert_contains "$out" "secrets: \"/dev\" is inside /dev"
# db exists in default only
sed 's|configs = nosuch:/etc/app|secrets = db|; s|^name = web|name = web\nnamespace = dev|' "$T/bad1.pod" >"$T/bad5.pod"
expect_status 1 berth apply -f "$T/bad5.pod"
assert_contains "$out" "bad5.pod: [container app] secrets: secret \"db\" does not exist in namespace \"dev\""
sed 's|configs = nosuch:/etc/app|env-from = secret:Nope|' "$T/bad1.pod" >"$T/bad4.pod"
expect_status 1 berth apply -f "$T/bad4.pod"
assert_contains "$out" "env-from: \"Nope\" is not a secret name"
# the same error through the pods dir: the running pod stays
cp "$PODS/web.pod" "$T/web.good"
cp "$T/bad1.pod" "$PODS/.web.tmp" && mv "$PODS/.web.tmp" "$PODS/web.pod"
sleep 1
assert_eq "$(wide web-0 app 6)" "$pid" "web untouched by a bad spec"
assert_contains "$(cat "$T/daemon.log")" "configs: config \"nosuch\" does not exist"
cp "$T/web.good" "$PODS/.web.tmp" && mv "$PODS/.web.tmp" "$PODS/web.pod"
sleep 1
assert_eq "$(wide web-0 app 6)" "$pid" "web untouched by the good spec back"

# apply writes 0600; an env-file others can read is a warning and an event
printf 'PASSWORD=%s\n' "$SECRET" >"$T/env"
chmod 0644 "$T/env"
cat >"$T/ef.pod" <<EOF
[pod]
network = none
stop-grace = 1s
[container app]
image = $IMG
env-file = $T/env
env-from = secret:db
command = /probe pause
EOF
expect_status 0 berth apply -f "$T/ef.pod"
assert_contains "$out" "Warning: $T/ef.pod: [container app] env-file: \"$T/env\" is readable by others"
assert_eq "$(stat -c %a "$PODS/ef.pod")" 600 "mode of an applied pod file"
wait_wide 30 ef-0 app 4 yes || { dump ef; fail "ef not ready"; }
assert_contains "$(events ef)" "is readable by others"
assert_eq "$(cenv ef-0-app password)" "$SECRET" "env-from secret"
# env-from a secret: in that container's environment, still nowhere else
hits=$(grep -rlsF --exclude-dir=secrets "$SECRET" "$BERTH_ROOT" "$BERTH_RUN_DIR" "$PODS" 2>/dev/null)
[ -z "$hits" ] || fail "secret value found in $hits"
for f in /proc/[0-9]*/cmdline; do
	tr '\0' ' ' <"$f" 2>/dev/null | grep -qF "$SECRET" && fail "secret value in the argv of $f"
done
for cmd in "describe pod ef" "describe pod ef -o json" "get pods -o json" "logs ef"; do
	assert_not_contains "$(berth $cmd 2>&1)" "$SECRET" "berth $cmd"
done
out=$(berth validate "$T/ef.pod" 2>&1)
assert_contains "$out" "Warning:"
chmod 0600 "$T/env"
out=$(berth validate "$T/ef.pod" 2>&1)
assert_not_contains "$out" "Warning:"

# a daemon killed with -9 adopts them again: same spec hash, same mounts
pid=$(wide web-0 app 6)
kill -9 "$DPID"; wait "$DPID" 2>/dev/null
sv_start
wait_wide 30 web-0 app 4 yes || { dump web; fail "web not adopted"; }
assert_eq "$(wide web-0 app 6)" "$pid" "web adopted, not restarted"
assert_eq "$(berth exec web-0-app cat /run/secrets/db/password)" "$SECRET" "secret after the daemon restart"
[ "$(grep -c " $BERTH_RUN_DIR/secrets tmpfs " /proc/mounts)" = 1 ] || fail "the secrets tmpfs is mounted $(grep -c " $BERTH_RUN_DIR/secrets tmpfs " /proc/mounts) times"

sv_stop_ok
# the projections went with their containers
[ -z "$(ls "$BERTH_RUN_DIR/secrets" 2>/dev/null)" ] || fail "secrets left in $BERTH_RUN_DIR/secrets: $(ls "$BERTH_RUN_DIR/secrets")"
berth secret rm tok >/dev/null || fail "secret rm after the pods stopped"
expect_status 125 berth secret inspect tok
assert_contains "$out" "No secret \"tok\""
