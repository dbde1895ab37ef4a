#!/bin/sh
# SPEC §7 as transcripts: every command of docker-credential-optt, every
# normalisation case, stored credentials (file backend), erase -> refresh,
# bad JSON, empty and oversized input.  Errors on stdout, exit 1.
. "$OPTT_TOP_SRCDIR/tests/lib.sh"
HELPER="$OPTT_TOP_BUILDDIR/docker_helper/docker-credential-optt"
[ -x "$HELPER" ] || { not_ok "docker-credential-optt is built"; t_done; }
idp_start
write_conf
cat >>"$OPTT_CONFIG" <<EOC

[profile hub]
dialect = optt
token_url = $IDP_URL/gateway/uaa/oauth/token
hosts = index.docker.io
EOC
{
	ddi_profile reg 'hosts=registry.example.com:5000 forge.example.com/team' username=ci-bot
} >>"$OPTT_CONFIG"

# dx DESC WANT-RC WANT-STDOUT(regex, anchored) CMD [STDIN]
dx() {
	printf '%s' "${5:-}" >"$T_DIR/dx.in"
	"$HELPER" "$4" <"$T_DIR/dx.in" >"$T_DIR/dx.out" 2>"$T_DIR/dx.err"
	rc=$?
	DX_OUT=$(cat "$T_DIR/dx.out")
	is "$1: exit $2" "$rc" "$2"
	like "$1: stdout" "$DX_OUT" "^$3\$"
	is "$1: stderr empty" "$(cat "$T_DIR/dx.err")" ""
}
NF='credentials not found in native keychain'

dx "version" 0 'docker-credential-optt \(optt-auth\) [0-9.]+' version
dx "list, nothing stored: the profile registries" 0 '\{"git.example.com":"oauth2","index.docker.io":"oauth2","registry.example.com:5000":"ci-bot"\}' list
TOKEN=$("$OPTT_TOKEN" get reg)
for u in registry.example.com:5000 https://registry.example.com:5000 https://registry.example.com:5000/ \
	https://registry.example.com:5000/v2/ http://registry.example.com:5000 REGISTRY.Example.COM:5000 \
	registry.example.com:5000/team/app " registry.example.com:5000 "; do
	dx "get profile registry as '$u' (blanks trimmed)" 0 \
		"\\{\"ServerURL\":\"$(printf '%s' "$u" | sed 's/[.[\*^$/]/\\&/g; s/^ //; s/ $//')\",\"Username\":\"ci-bot\",\"Secret\":\"$TOKEN\"\\}" get "$u
"
done
n=$(idp_count total)
dx "get: a cached token makes no request" 0 '.*' get registry.example.com:5000
is "... (IdP counter)" "$(idp_count total)" "$n"
dx "get without the configured port: not a profile registry" 1 "$NF" get registry.example.com
dx "get of a git-only path entry's host: not a registry" 1 "$NF" get forge.example.com
dx "get unknown registry" 1 "$NF" get other.example.com
dx "get password profile (Docker Hub) before login" 1 \
	'no token for profile hub; run: optt-token login hub' get https://index.docker.io/v1/
for u in docker.io registry-1.docker.io index.docker.io https://index.docker.io/v1/; do
	dx "Docker Hub spelling '$u' is the hub profile" 1 'no token for profile hub.*' get "$u"
done

# stored credentials (credsStore role), file backend
set_default cache file
dx "store a plain registry" 0 '' store '{"ServerURL":"https://plain.example.com/","Username":"u1","Secret":"s3cret-1"}'
f="$HOME/.local/share/optt/docker-credentials.json"
is "one 0600 file" "$(stat -c %a "$f" 2>/dev/null)" 600
is "... in a 0700 directory" "$(stat -c %a "$(dirname "$f")")" 700
is "... no temp file left" "$(ls -A "$(dirname "$f")" | grep -c tmp)" 0
for u in plain.example.com https://plain.example.com https://plain.example.com/ plain.example.com/v2/ \
	PLAIN.example.com plain.example.com/some/repo; do
	dx "get stored as '$u'" 0 \
		"\\{\"ServerURL\":\"$(printf '%s' "$u" | sed 's/[.[\*^$/]/\\&/g')\",\"Username\":\"u1\",\"Secret\":\"s3cret-1\"\\}" get "$u"
done
dx "store again under another spelling replaces" 0 '' store '{"ServerURL":"plain.example.com","Username":"u2","Secret":"s3cret-2"}'
dx "... get sees the new one" 0 '\{"ServerURL":"plain.example.com","Username":"u2","Secret":"s3cret-2"\}' get plain.example.com
dx "list: profiles and the stored one, once" 0 \
	'\{"git.example.com":"oauth2","index.docker.io":"oauth2","registry.example.com:5000":"ci-bot","plain.example.com":"u2"\}' list
# every key list prints is one get accepts
"$HELPER" list </dev/null >"$T_DIR/list.json"
for k in $(python3 -c 'import json,sys; print(" ".join(json.load(open(sys.argv[1]))))' "$T_DIR/list.json"); do
	case $k in *docker.io* | git.example.com) continue ;; esac # (password profiles: no login here)
	printf '%s\n' "$k" | "$HELPER" get >/dev/null 2>&1
	is "list key '$k' is accepted by get" "$?" 0
done
dx "store credentials for a profile registry: accepted, ignored" 0 '' store \
	'{"ServerURL":"registry.example.com:5000","Username":"x","Secret":"ignored-secret"}'
unlike "... not stored" "$(cat "$f")" ignored-secret
dx "store with a non-ASCII and quoted secret" 0 '' store '{"ServerURL":"q.example.com","Username":"ü \"q\"","Secret":"a\"b\\\\c ünï"}'
dx "... read back exactly" 0 '\{"ServerURL":"q.example.com","Username":"ü \\"q\\"","Secret":"a\\"b\\\\\\\\c ünï"\}' get q.example.com
dx "store an empty Username (identity tokens)" 0 '' store '{"ServerURL":"id.example.com","Username":"","Secret":"idtok"}'
dx "... read back" 0 '\{"ServerURL":"id.example.com","Username":"","Secret":"idtok"\}' get id.example.com
before=$(sha256sum <"$f")
dx "store bad JSON" 1 'store: expected a JSON object.*' store '{"ServerURL":'
dx "store a JSON array" 1 'store: expected a JSON object.*' store '["x"]'
dx "store without Secret" 1 'store: Secret missing or not a string' store '{"ServerURL":"n.example.com","Username":"u"}'
dx "store with a numeric Secret" 1 'store: Secret missing or not a string' store '{"ServerURL":"n.example.com","Username":"u","Secret":5}'
dx "store without ServerURL" 1 'store: ServerURL missing or not a string' store '{"Username":"u","Secret":"s"}'
dx "store with an empty ServerURL" 1 'store: ServerURL is empty' store '{"ServerURL":"","Username":"u","Secret":"s"}'
dx "store with trailing garbage" 1 'store: expected a JSON object.*' store '{"ServerURL":"n.example.com","Username":"u","Secret":"s"} x'
dx "store empty stdin" 1 'store: expected a JSON object.*' store ''
head -c 70000 /dev/zero | tr '\0' 'a' >"$T_DIR/big"
dx "store oversized input" 1 'input larger than 65536 bytes' store "$(cat "$T_DIR/big")"
dx "get oversized input" 1 'input larger than 65536 bytes' get "$(cat "$T_DIR/big")"
dx "get empty stdin" 1 'no server URL on standard input' get ''
dx "get a URL with a user part" 1 'not a registry server URL' get 'https://user@x.example.com'
is "bad stores changed nothing" "$(sha256sum <"$f")" "$before"
dx "erase a stored credential" 0 '' erase https://plain.example.com/
dx "... gone" 1 "$NF" get plain.example.com
dx "erase something never stored" 0 '' erase nothing.example.com
dx "unknown command" 1 'unknown command.*' frobnicate

# erase of a profile registry drops the cached token; the next get grants anew
n=$(idp_count ddi_token)
dx "erase the profile registry" 0 '' erase registry.example.com:5000
dx "get after erase" 0 '.*"Secret":"[^"]+".*' get registry.example.com:5000
is "... one new grant" "$(idp_count ddi_token)" $((n + 1))
unlike "... a new token" "$DX_OUT" "$TOKEN"
# a password profile keeps its refresh token across erase
login_alice hub
n=$(idp_count optt_refresh)
dx "erase Docker Hub (password profile)" 0 '' erase docker.io
dx "get Docker Hub after erase" 0 '.*"Username":"oauth2".*' get https://index.docker.io/v1/
is "... refreshed once" "$(idp_count optt_refresh)" $((n + 1))

# the IdP down with an expired token: one line, exit 1, no hang
set_default refresh_margin 86400
idp_stop
t0=$(date +%s)
dx "IdP down, token expired" 1 '.*(unavailable|connect).*' get registry.example.com:5000
[ $(($(date +%s) - t0)) -le 10 ] && ok "... within timeout + 3 s" || not_ok "... within timeout + 3 s"
is "... one line" "$(printf '%s\n' "$DX_OUT" | wc -l)" 1

# SPEC §13: wildcard registries - one or more labels, never the bare
# domain or a look-alike, the port exactly; a literal entry wins
[ -n "$IDP_PID" ] || { idp_start; sed -i "s|https://127.0.0.1:[0-9]*|$IDP_URL|" "$OPTT_CONFIG"; }
ddi_profile wild 'hosts=*.wild.example.com:5000' username=wild-bot >>"$OPTT_CONFIG"
ddi_profile tame 'hosts=tame.wild.example.com:5000' username=tame-bot >>"$OPTT_CONFIG"
for u in a.wild.example.com:5000 https://a.b.wild.example.com:5000/v2/ A.Wild.Example.Com:5000/team/app; do
	dx "wildcard registry '$u'" 0 '\{"ServerURL":"[^"]*","Username":"wild-bot","Secret":"[A-Za-z0-9._-]{20,}"\}' get "$u"
done
dx "wildcard: a literal entry wins" 0 '\{"ServerURL":"tame.wild.example.com:5000","Username":"tame-bot",.*' get tame.wild.example.com:5000
for u in wild.example.com:5000 evil-wild.example.com:5000 a.wild.example.com a.wild.example.com:5001 \
	wild.example.com.evil.net:5000 a.wild.example.com.evil.net:5000; do
	dx "wildcard: not '$u'" 1 "$NF" get "$u"
done
dx "list: a wildcard entry names no registry" 0 '\{[^*]*"tame.wild.example.com:5000":"tame-bot"[^*]*\}' list
# SPEC §12: docker never prompts - a device profile with no token says what to run
printf '\n[profile devreg]\ngrant = device\ntoken_url = %s/rfc/token\ndevice_authorization_url = %s/rfc/device\nclient_id = rfc-public\nhosts = devreg.example.com:5000\n' \
	"$IDP_URL" "$IDP_URL" >>"$OPTT_CONFIG"
d0=$(idp_count rfc_device)
dx "device profile, no token: one line, exit 1, no prompt" 1 \
	'no token for profile devreg; run: optt-token login devreg' get devreg.example.com:5000
is "... and no device request" "$(idp_count rfc_device)" "$d0"
t_done
