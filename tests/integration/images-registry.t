# Pull from Debian's docker-registry on 127.0.0.1 (this test's own network
# namespace), images pushed by skopeo: anonymous, Bearer tokens from a tiny
# issuer (busybox httpd CGI signing JWTs with openssl), basic credentials
# for the token endpoint, verification, resume after kill -9. Skips where
# docker-registry or skopeo is missing (the QEMU VM).
need_part images
has_part "+pull" || skip "berth built without CONFIG_IMAGES_PULL"
for t in docker-registry skopeo openssl curl busybox; do
	command -v $t >/dev/null 2>&1 || skip "$t not installed"
done

registry() { # NAME PORT [AUTH-YAML]
	mkdir -p "$T/$1"
	cat > "$T/$1.yml" <<EOC
version: 0.1
log:
  level: error
storage:
  filesystem:
    rootdirectory: $T/$1
http:
  addr: 127.0.0.1:$2
${3:-}
EOC
	docker-registry serve "$T/$1.yml" > "$T/$1.log" 2>&1 &
	wait_for 20 curl -s -o /dev/null "http://127.0.0.1:$2/v2/" || fail "registry $1 did not start: $(cat "$T/$1.log")"
}
cleanup() { kill $(jobs -p) 2>/dev/null; }
trap cleanup EXIT

# ---- anonymous ----
registry open 5000
skopeo --insecure-policy copy --dest-tls-verify=false oci-archive:"$IMAGE" \
	docker://127.0.0.1:5000/busybox:latest >/dev/null 2>&1 || fail "skopeo push"
expect_status 0 berth image load "$IMAGE"
image_id=$(berth images -q)
expect_status 0 berth image pull --insecure 127.0.0.1:5000/busybox:latest
assert_contains "$out" "Pulled 127.0.0.1:5000/busybox:latest"
expect_status 0 berth images
assert_contains "$out" "127.0.0.1:5000/busybox"
assert_eq "$(berth images -q | sort -u)" "$image_id" "pulled image ID"
# https only unless --insecure (or a per-registry setting)
expect_status 125 berth --root "$T/r2" image pull 127.0.0.1:5000/busybox:latest
printf '127.0.0.1:5000 insecure\n' > "$T/registries"
expect_status 0 berth --root "$T/r2" image pull -q --credentials "$T/registries" 127.0.0.1:5000/busybox
expect_status 125 berth --root "$T/r2" image pull --insecure 127.0.0.1:5000/nothing:here
assert_contains "$out" "404"
expect_status 0 berth --root "$T/r2" image fsck --verify
# nothing listening: retried with backoff, then a clear error
expect_status 125 berth --root "$T/r2" image pull --insecure 127.0.0.1:5999/busybox
assert_contains "$out" "Retrying in 500 ms"
assert_contains "$out" "Retrying in 1000 ms"
assert_contains "$out" "127.0.0.1:5999"

# ---- resume: a slow download killed half way, then finished ----
BERTH_PULL_MAX_RATE=200000 "$BERTH" --root "$T/r3" image pull -q --insecure 127.0.0.1:5000/busybox >/dev/null 2>&1 &
pid=$!
wait_for 20 sh -c "[ -n \"\$(find '$T/r3/images/partial' -type f -size +100k 2>/dev/null)\" ]" ||
	fail "no partial download appeared"
kill -9 $pid
wait $pid 2>/dev/null
part=$(find "$T/r3/images/partial" -type f)
expect_status 0 berth --root "$T/r3" image pull --insecure 127.0.0.1:5000/busybox
assert_contains "$out" "Resuming"
[ ! -e "$part" ] || fail "partial file left after the pull"
expect_status 0 berth --root "$T/r3" image fsck --verify
assert_eq "$(berth --root "$T/r3" images -q)" "$image_id" "resumed image ID"

# ---- Bearer tokens ----
openssl req -x509 -newkey rsa:2048 -nodes -keyout "$T/key.pem" -out "$T/cert.pem" \
	-subj /CN=berth-test -days 2 >/dev/null 2>&1 || fail "openssl req"
openssl x509 -in "$T/cert.pem" -outform DER | openssl base64 -A > "$T/cert.b64"
mkdir -p "$T/www/cgi-bin"
ossl=$(command -v openssl)
cat > "$T/www/cgi-bin/token" <<EOC
#!/bin/sh
b64() { $ossl base64 -A | tr '+/' '-_' | tr -d '='; }
scope=\$(echo "\$QUERY_STRING" | sed -n 's/.*scope=\([^&]*\).*/\1/p' | sed 's/%3A/:/g; s/%2F/\//g; s/%2C/,/g')
name=\$(echo "\$scope" | cut -d: -f2)
now=\$(date +%s)
hdr=\$(printf '{"typ":"JWT","alg":"RS256","x5c":["%s"]}' "\$(cat $T/cert.b64)" | b64)
clm=\$(printf '{"iss":"berth-test","sub":"%s","aud":"berth-registry","exp":%d,"nbf":%d,"iat":%d,"jti":"%s","access":[{"type":"repository","name":"%s","actions":["pull","push"]}]}' "\$REMOTE_USER" \$((now + 600)) \$((now - 10)) \$now "\$now\$\$" "\$name" | b64)
sig=\$(printf '%s.%s' "\$hdr" "\$clm" | $ossl dgst -sha256 -sign $T/key.pem | b64)
echo "\$REMOTE_USER \$QUERY_STRING" >> $T/token.log
printf 'Content-Type: application/json\r\n\r\n{"token":"%s.%s.%s"}\n' "\$hdr" "\$clm" "\$sig"
EOC
chmod 755 "$T/www/cgi-bin/token"
echo "/cgi-bin:tester:secret" > "$T/httpd.conf"
busybox httpd -f -p 127.0.0.1:5001 -h "$T/www" -c "$T/httpd.conf" &
registry auth 5002 "auth:
  token:
    realm: http://127.0.0.1:5001/cgi-bin/token
    service: berth-registry
    issuer: berth-test
    rootcertbundle: $T/cert.pem"
skopeo --insecure-policy copy --dest-tls-verify=false --dest-creds tester:secret oci-archive:"$IMAGE" \
	docker://127.0.0.1:5002/team/bb:v1 >"$T/push.log" 2>&1 || fail "skopeo push with a token: $(tail -3 "$T/push.log")"
# without credentials the issuer refuses
expect_status 125 berth --root "$T/r4" image pull --insecure 127.0.0.1:5002/team/bb:v1
assert_contains "$out" "401"
printf '# test registry\n127.0.0.1:5002 tester:secret insecure\n' > "$T/creds"
expect_status 0 berth --root "$T/r4" image pull --credentials "$T/creds" 127.0.0.1:5002/team/bb:v1
assert_contains "$out" "Pulled 127.0.0.1:5002/team/bb:v1"
grep -q "^tester .*scope=repository%3Ateam%2Fbb%3Apull" "$T/token.log" || fail "no token asked for team/bb: $(cat "$T/token.log")"
assert_eq "$(berth --root "$T/r4" images -q)" "$image_id" "image ID through Bearer auth"
expect_status 0 berth --root "$T/r4" image fsck --verify
