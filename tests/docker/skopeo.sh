#!/bin/sh
# skopeo (Debian) through docker-credential-optt against Debian's
# docker-registry on 127.0.0.1 with htpasswd auth whose password is the
# token the bundled IdP issues to a fixture client: copy in, inspect, copy
# out; an unknown registry (no auth) goes anonymous; IdP down -> a clear
# failure, no hang.
. "$OPTT_TOP_SRCDIR/tests/lib.sh"
need skopeo docker-registry htpasswd
HELPER_DIR="$OPTT_TOP_BUILDDIR/docker_helper"
[ -x "$HELPER_DIR/docker-credential-optt" ] || { not_ok "docker-credential-optt is built"; t_done; }
export PATH="$HELPER_DIR:$PATH"
idp_start
FIXED=reg-token-6180339887-4989484820

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
# registry NAME PORT [auth]: a docker-registry on 127.0.0.1:PORT
registry() {
	mkdir -p "$T_DIR/$1"
	{
		printf 'version: 0.1\nlog:\n  level: warn\nstorage:\n  filesystem:\n    rootdirectory: %s\n' "$T_DIR/$1/data"
		printf 'http:\n  addr: 127.0.0.1:%s\n  secret: test-only-%s\n' "$2" "$1"
		[ "${3:-}" = auth ] && printf 'auth:\n  htpasswd:\n    realm: optt-test\n    path: %s\n' "$T_DIR/htpasswd"
	} >"$T_DIR/$1/config.yml"
	docker-registry serve "$T_DIR/$1/config.yml" >"$T_DIR/$1/log" 2>&1 &
	T_PIDS="$T_PIDS $!"
	i=0
	until curl -s -o /dev/null "http://127.0.0.1:$2/v2/" || [ $i -gt 100 ]; do sleep 0.1; i=$((i + 1)); done
	curl -s -o /dev/null "http://127.0.0.1:$2/v2/" && ok "registry $1 listens on 127.0.0.1:$2" ||
		not_ok "registry $1 starts" "$(cat "$T_DIR/$1/log")"
}
printf '%s\n' "$FIXED" | htpasswd -iBc "$T_DIR/htpasswd" ci-bot 2>/dev/null
RP=$(free_port)
AP=$(free_port)
registry authreg "$RP" auth
registry anonreg "$AP"
is "the auth registry refuses anonymous pushes" \
	"$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$RP/v2/")" 401

export OPTT_CONFIG="$T_DIR/optt.conf"
cat >"$OPTT_CONFIG" <<EOC
[defaults]
cafile = $IDP_CA
timeout = 3
cache = file

[profile registry]
token_url = $IDP_URL/rfc/token
client_id = registry-client
client_secret = registry-secret-4669
hosts = 127.0.0.1:$RP
username = ci-bot
EOC
chmod 600 "$OPTT_CONFIG"
AUTH="$T_DIR/auth.json"
printf '{"credHelpers": {"127.0.0.1:%s": "optt"}, "credsStore": "optt"}\n' "$RP" >"$AUTH"
chmod 600 "$AUTH"
python3 "$OPTT_TOP_SRCDIR/tests/docker/mkimage.py" "$T_DIR/oci" tiny >/dev/null ||
	not_ok "test image written"

sk() { run timeout 120 skopeo --registries-conf /dev/null "$@"; }
sk copy --authfile "$AUTH" --dest-tls-verify=false "oci:$T_DIR/oci:tiny" "docker://127.0.0.1:$RP/test/tiny:1"
is "skopeo copy into the auth registry through the helper: exit 0" "$RC" 0
[ "$RC" -ne 0 ] && echo "# $ERR" | head -5
is "... the helper minted exactly one token" "$(idp_count rfc_token)" 1
sk inspect --authfile "$AUTH" --tls-verify=false "docker://127.0.0.1:$RP/test/tiny:1"
is "skopeo inspect: exit 0" "$RC" 0
like "... shows the image" "$OUT" '"Architecture": "amd64"'
sk copy --authfile "$AUTH" --src-tls-verify=false "docker://127.0.0.1:$RP/test/tiny:1" "oci:$T_DIR/pulled:tiny"
is "skopeo copy out (pull) of it: exit 0" "$RC" 0
is "the pull used the cached token: no new grant" "$(idp_count rfc_token)" 1
printf '{}\n' >"$T_DIR/empty-auth.json"
sk inspect --authfile "$T_DIR/empty-auth.json" --tls-verify=false "docker://127.0.0.1:$RP/test/tiny:1"
[ "$RC" -ne 0 ] && ok "without the helper the registry refuses" || not_ok "without the helper the registry refuses"

# an unknown registry: the helper (as credsStore) has nothing, skopeo goes anonymous
sk copy --authfile "$AUTH" --dest-tls-verify=false "oci:$T_DIR/oci:tiny" "docker://127.0.0.1:$AP/test/tiny:1"
is "copy to a registry the helper does not know: anonymous, exit 0" "$RC" 0
sk inspect --authfile "$AUTH" --tls-verify=false "docker://127.0.0.1:$AP/test/tiny:1"
is "... inspect exit 0" "$RC" 0

# IdP down with no usable token: a clear failure, quickly
"$OPTT_TOKEN" logout registry 2>/dev/null
idp_stop
sk inspect --authfile "$AUTH" --tls-verify=false "docker://127.0.0.1:$RP/test/tiny:1"
[ "$RC" -ne 0 ] && ok "IdP down: skopeo fails" || not_ok "IdP down: skopeo fails"
like "... with the helper's reason" "$ERR" '(unavailable|connect|Connection refused)'
[ "$ELAPSED" -le 30 ] && ok "... no hang (${ELAPSED}s)" || not_ok "... no hang" "${ELAPSED}s"
unlike "no token in skopeo's messages" "$OUT$ERR" "$FIXED"
t_done
