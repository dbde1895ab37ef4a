#!/bin/sh
# SPEC §3 and §8, authorization code: the loopback listener (state checked),
# --code, Octorate's grant_type=code exchange and refresh, and RFC 6749.
. "$OPTT_TOP_SRCDIR/tests/lib.sh"
idp_start
REDIRECT_PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
write_conf

# wait_url FILE: the authorize URL the CLI printed on stderr
wait_url() {
	i=0
	while ! grep -q '^https://' "$1" 2>/dev/null; do
		i=$((i + 1))
		[ $i -gt 100 ] && return 1
		sleep 0.1
	done
	grep -m1 '^https://' "$1"
}

# squat FAMILY ADDR: another program holds ADDR:REDIRECT_PORT (30 s at the
# most); returns once it listens; sets SQUAT (its pid)
squat() {
	rm -f "$T_DIR/squat.ready"
	python3 -c 'import socket, sys, time
s = socket.socket(getattr(socket, sys.argv[1]))
if sys.argv[1] == "AF_INET6":
    s.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_V6ONLY, 1)
else:
    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind((sys.argv[2], int(sys.argv[3])))
s.listen(1)
open(sys.argv[4], "w").close()
time.sleep(30)' "$1" "$2" "$REDIRECT_PORT" "$T_DIR/squat.ready" &
	SQUAT=$!
	T_PIDS="$T_PIDS $SQUAT"
	i=0
	until [ -e "$T_DIR/squat.ready" ] || [ $i -gt 100 ]; do sleep 0.1; i=$((i + 1)); done
}

# browser URL: what a browser does - follow the IdP's redirect to the listener
browser() {
	loc=$(idp_curl -o /dev/null -w '%{redirect_url}' "$1") || return 1
	curl -s --max-time 10 -o "$T_DIR/browser.out" -w '%{http_code}' "$loc"
}

for p in octo-code rfc-code; do
	: >"$T_DIR/login.err" # (wait_url must not read the last login's URL)
	"$OPTT_TOKEN" login "$p" </dev/null >"$T_DIR/login.out" 2>"$T_DIR/login.err" &
	pid=$!
	url=$(wait_url "$T_DIR/login.err") || not_ok "$p: authorize URL printed" "$(cat "$T_DIR/login.err")"
	like "$p: the URL carries client_id, redirect_uri and state" "$url" 'client_id=.*redirect_uri=http%3A%2F%2F127.0.0.1%3A[0-9]+.*state=[A-Za-z0-9_-]{16,}'
	like "$p: response_type=code" "$url" 'response_type=code'
	# a redirect with the wrong state is refused and the listener keeps waiting
	code=$(curl -s --max-time 10 -o "$T_DIR/bad.out" -w '%{http_code}' \
		"http://127.0.0.1:$REDIRECT_PORT/$( [ $p = octo-code ] && echo callback || echo cb)?code=forged&state=wrong")
	is "$p: wrong state: 400" "$code" 400
	kill -0 $pid 2>/dev/null && ok "$p: still waiting after a forged redirect" || not_ok "$p: still waiting after a forged redirect"
	is "$p: browser lands on the listener: 200" "$(browser "$url")" 200
	like "$p: the browser page says to return to the terminal" "$(cat "$T_DIR/browser.out")" 'terminal|close'
	wait $pid
	is "$p: login exit 0" "$?" 0
	like "$p: logged in" "$(cat "$T_DIR/login.err")" "logged in: profile $p"
	run "$OPTT_TOKEN" get "$p"
	is "$p: get: exit 0" "$RC" 0
done
is "octorate code exchanged with grant_type=code (IdP counted it)" "$(idp_count octo_token)" 1
is "rfc code exchanged once" "$(idp_count rfc_token)" 1

# --code - : the code from stdin (never argv)
url="$IDP_URL/rest/v1/identity/authorize?client_id=octo-client&redirect_uri=http%3A%2F%2F127.0.0.1%3A$REDIRECT_PORT%2Fcallback&state=s1"
loc=$(idp_curl -o /dev/null -w '%{redirect_url}' "$url")
c=$(printf '%s' "$loc" | sed -n 's/.*[?&]code=\([^&]*\).*/\1/p')
run --stdin "$c" "$OPTT_TOKEN" login octo-code --code -
is "--code -: exit 0" "$RC" 0
run --stdin "$c" "$OPTT_TOKEN" login octo-code --code -
is "a used code is refused: exit 1" "$RC" 1
run --stdin "never-issued" "$OPTT_TOKEN" login octo-code --code -
is "an unknown code: exit 1" "$RC" 1
run --stdin "" "$OPTT_TOKEN" login octo-code --code -
is "an empty code: exit 2" "$RC" 2

# Octorate refresh (form body, grant_type=refresh_token with the code client)
set_default refresh_margin 86400
n=$(idp_count octo_refresh_ok)
run "$OPTT_TOKEN" get octo-code
is "expired octorate code token: refreshed, exit 0" "$RC" 0
is "... by one refresh request" "$(idp_count octo_refresh_ok)" $((n + 1))

# the listener gives up after the wait, and a port in use is a clear error
squat AF_INET 127.0.0.1
run timeout 60 "$OPTT_TOKEN" login rfc-code
is "redirect port in use: exit 3" "$RC" 3
like "... saying so" "$ERR" "cannot listen on 127.0.0.1:$REDIRECT_PORT"
kill "$SQUAT" 2>/dev/null
wait "$SQUAT" 2>/dev/null

# --- PKCE (RFC 7636, audit item 2): the oauth2 dialect sends S256 ----------
# login_bg PROFILE [ENV...]: start a browser login in the background; sets
# LPID and URL (the authorize URL it printed)
login_bg() {
	p=$1
	shift
	: >"$T_DIR/login.err"
	env "$@" "$OPTT_TOKEN" login "$p" </dev/null >"$T_DIR/login.out" 2>"$T_DIR/login.err" &
	LPID=$!
	URL=$(wait_url "$T_DIR/login.err") || not_ok "$p: authorize URL printed" "$(cat "$T_DIR/login.err")"
}
idp_ctl reset
login_bg rfc-code
like "rfc-code: the authorize URL carries an S256 challenge" "$URL" 'code_challenge=[A-Za-z0-9_-]{43}&code_challenge_method=S256'
is "rfc-code: browser lands on the listener: 200" "$(browser "$URL")" 200
wait $LPID
is "rfc-code with PKCE: login exit 0" "$?" 0
is "... the IdP verified the verifier" "$(idp_count pkce_verified)" 1
is "... no redemption without a verifier" "$(idp_count pkce_missing)" 0
# a fresh verifier per login
c1=$(printf '%s' "$URL" | sed -n 's/.*code_challenge=\([^&]*\).*/\1/p')
login_bg rfc-code
c2=$(printf '%s' "$URL" | sed -n 's/.*code_challenge=\([^&]*\).*/\1/p')
[ -n "$c1" ] && [ "$c1" != "$c2" ] && ok "a fresh challenge per login" || not_ok "a fresh challenge per login" "$c1 / $c2"
# an intercepted code alone redeems nothing: another program takes the
# redirect's code and tries it without the verifier
loc=$(idp_curl -o /dev/null -w '%{redirect_url}' "$URL")
stolen=$(printf '%s' "$loc" | sed -n 's/.*[?&]code=\([^&]*\).*/\1/p')
kill $LPID 2>/dev/null
wait $LPID 2>/dev/null
run --stdin "$stolen" "$OPTT_TOKEN" login rfc-code --code -
is "an intercepted code without its verifier: rejected (exit 1)" "$RC" 1
is "... the IdP refused it" "$(idp_count pkce_failed)" 1
# octorate: exactly its documented parameters
login_bg octo-code
unlike "octo-code: no PKCE parameters (octorate sends what it documents)" "$URL" code_challenge
kill $LPID 2>/dev/null
wait $LPID 2>/dev/null
# pkce = off: none; pkce = S256 refuses --code (the request was not ours)
sed -i '/^\[profile rfc-code\]/a pkce = off' "$OPTT_CONFIG"
login_bg rfc-code
unlike "pkce = off: no challenge" "$URL" code_challenge
is "pkce = off: browser lands on the listener: 200" "$(browser "$URL")" 200
wait $LPID
is "pkce = off: login exit 0" "$?" 0
is "... redeemed without a verifier" "$(idp_count pkce_missing)" 2
sed -i 's/^pkce = off$/pkce = S256/' "$OPTT_CONFIG"
run --stdin "some-code" "$OPTT_TOKEN" login rfc-code --code -
is "pkce = S256 with --code: exit 2" "$RC" 2
like "... saying why" "$ERR" 'pkce = S256 needs the browser login'
sed -i '/^pkce = S256$/d' "$OPTT_CONFIG"

# --- an issuer-only authorization_code profile (SPEC §19, issue 20 item 10):
# authorize_url comes from discovery before the browser is sent anywhere
cat >>"$OPTT_CONFIG" <<EOC

[profile rfc-code-iss]
issuer = $IDP_URL/rfc
grant = authorization_code
redirect_uri = http://127.0.0.1:$REDIRECT_PORT/cb
client_id = rfc-client
client_secret = rfc-secret-1414&=+
EOC
idp_ctl reset
login_bg rfc-code-iss
like "issuer-only code profile: the authorize URL is the discovered one" "$URL" "^$IDP_URL/rfc/authorize\\?response_type=code&client_id=rfc-client"
is "... browser lands on the listener: 200" "$(browser "$URL")" 200
wait $LPID
is "... login exit 0" "$?" 0
unlike "... no 'authorize_url is not set'" "$(cat "$T_DIR/login.err")" "authorize_url is not set"
is "... one discovery request for the whole login" "$(idp_count discovery)" 1
run "$OPTT_TOKEN" get rfc-code-iss
is "... get: exit 0" "$RC" 0
# a provider without a discovery document: a clear error at once, no URL
idp_ctl "fault?mode=404&endpoint=discovery"
run timeout 20 "$OPTT_TOKEN" login rfc-code-iss
is "issuer-only code profile, no discovery document: exit 4" "$RC" 4
like "... saying so" "$ERR" "discovery: no OpenID configuration at $IDP_URL/rfc"
unlike "... and no browser address printed" "$ERR" "open this address"
idp_ctl "fault?mode=none"
# --- the listener (RFC 8252, audit items 2 and 6) -------------------------
# localhost resolving to both 127.0.0.1 and ::1 (nss_wrapper's hosts file,
# as Debian's default /etc/hosts has it)
printf '127.0.0.1 localhost\n::1 localhost\n' >"$T_DIR/hosts"
NSSW="LD_PRELOAD=libnss_wrapper.so NSS_WRAPPER_HOSTS=$T_DIR/hosts"
[ "${OPTT_SANITIZERS:-no}" = yes ] && NSSW="LD_PRELOAD=$(${CC:-cc} -print-file-name=libasan.so):libnss_wrapper.so NSS_WRAPPER_HOSTS=$T_DIR/hosts"
sed -i "s#^redirect_uri = http://127.0.0.1:$REDIRECT_PORT/cb#redirect_uri = http://localhost:$REDIRECT_PORT/cb#" "$OPTT_CONFIG"
# another local program holds [::1]:PORT: refused, not half-served
squat AF_INET6 ::1
t0=$(date +%s)
run env $NSSW timeout 20 "$OPTT_TOKEN" login rfc-code
is "localhost redirect, [::1]:PORT held by another program: refused (exit 3)" "$RC" 3
like "... saying which address" "$ERR" "cannot listen on \[::1\]:$REDIRECT_PORT"
[ $(($(date +%s) - t0)) -le 5 ] && ok "... at once" || not_ok "... at once"
kill "$SQUAT" 2>/dev/null
wait "$SQUAT" 2>/dev/null
# both addresses served: the browser that tries ::1 first gets the login
for addr in '[::1]' 127.0.0.1; do
	login_bg rfc-code $NSSW
	loc=$(idp_curl -o /dev/null -w '%{redirect_url}' "$URL" | sed "s#//localhost:#//$addr:#")
	is "localhost redirect delivered to $addr: 200" "$(curl -s -g --max-time 10 -o /dev/null -w '%{http_code}' "$loc")" 200
	wait $LPID
	is "... login exit 0" "$?" 0
done
sed -i "s#^redirect_uri = http://localhost:$REDIRECT_PORT/cb#redirect_uri = http://127.0.0.1:$REDIRECT_PORT/cb#" "$OPTT_CONFIG"

# slow clients (a byte every second) cannot hold the listener: the real
# redirect is served while ten of them dribble, within the per-connection bound
login_bg rfc-code
rm -f "$T_DIR/slow.ready"
python3 - "$REDIRECT_PORT" "$T_DIR/slow.ready" <<'PY' &
import socket, sys, time
socks = []
for _ in range(10):
    s = socket.create_connection(("127.0.0.1", int(sys.argv[1])))
    socks.append(s)
open(sys.argv[2], "w").close()
end = time.time() + 25
while time.time() < end:
    for s in socks:
        try:
            s.send(b"G")
        except OSError:
            pass
    time.sleep(1)
PY
slow=$!
i=0
until [ -e "$T_DIR/slow.ready" ] || [ $i -gt 100 ]; do sleep 0.1; i=$((i + 1)); done
t0=$(date +%s)
is "ten slow clients: the browser's redirect still lands: 200" "$(browser "$URL")" 200
wait $LPID
is "... login exit 0" "$?" 0
el=$(($(date +%s) - t0))
[ "$el" -le 12 ] && ok "... within the per-connection bound (${el}s)" || not_ok "... within the per-connection bound" "took ${el}s"
kill $slow 2>/dev/null
wait $slow 2>/dev/null
t_done
