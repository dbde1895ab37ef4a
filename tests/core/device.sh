#!/bin/sh
# SPEC §12 from the CLI: the device authorization grant (RFC 8628) -
# approved, denied, expired, slow_down honoured, never a poll sooner than
# the interval (the IdP counts them), the request count (one device
# request + polls), Ctrl-C leaving the cache as it was; OIDC discovery for
# an issuer-only profile (device and client credentials), a document whose
# issuer is not ours refused, a cached get making no request, check-config
# showing the discovered endpoints (--offline: none); verification URIs
# that are not https URLs refused (device-code phishing, SPEC §19).
. "$OPTT_TOP_SRCDIR/tests/lib.sh"
idp_start
write_conf
cat >>"$OPTT_CONFIG" <<EOC

[profile dev]
grant = device
token_url = $IDP_URL/rfc/token
device_authorization_url = $IDP_URL/rfc/device
client_id = rfc-public

[profile devconf]
grant = device
token_url = $IDP_URL/rfc/token
device_authorization_url = $IDP_URL/rfc/device
client_id = rfc-client
client_secret = rfc-secret-1414&=+

[profile disc]
grant = device
issuer = $IDP_URL/rfc
client_id = rfc-public

[profile disccc]
issuer = $IDP_URL/rfc
client_id = rfc-client
client_secret = rfc-secret-1414&=+
EOC
idp_ctl "config?device_interval=1&device_expires=20"

# login_bg PROFILE: optt-token login in the background; LOGIN_PID, output in $T_DIR/login.*
login_bg() {
	: >"$T_DIR/login.err" # (the wait below must not read the last login's output)
	"$OPTT_TOKEN" login "$1" >"$T_DIR/login.out" 2>"$T_DIR/login.err" </dev/null &
	LOGIN_PID=$!
	i=0
	until grep -q 'enter the code' "$T_DIR/login.err" 2>/dev/null || [ $i -gt 100 ]; do sleep 0.1; i=$((i + 1)); done
}
login_wait() { wait "$LOGIN_PID"; RC=$?; ERR=$(cat "$T_DIR/login.err"); }
cnt() { idp_count "$1"; }

# --- approved after about 2 s: one device request, a few polls, none too fast
idp_ctl reset
idp_ctl "config?device_interval=1&device_expires=20"
login_bg dev
like "login shows the verification URI and the user code on stderr" "$(cat "$T_DIR/login.err")" \
	"To log in, open $IDP_URL/rfc/device/verify and enter the code [0-9]{4}-[0-9]{4} \\(or open $IDP_URL/rfc/device/verify\\?user_code=[0-9]{4}-[0-9]{4}\\)"
is "... nothing on stdout (tokens only go there)" "$(cat "$T_DIR/login.out")" ""
sleep 2
idp_ctl "device?action=approve&user=alice"
login_wait
is "approved: exit 0" "$RC" 0
like "... logged in" "$ERR" 'logged in: profile dev, subject rfc-public'
is "... one device authorization request" "$(cnt rfc_device)" 1
polls=$(cnt device_poll)
[ "$polls" -ge 2 ] && [ "$polls" -le 4 ] && ok "... polls: $polls for about 2 s at a 1 s interval (at most ceil(2/1)+1 +1 for scheduling)" ||
	not_ok "... polls for about 2 s at a 1 s interval" "polls=$polls"
is "... no poll sooner than the interval (the IdP's counter)" "$(cnt device_too_fast)" 0
is "... one token issued" "$(cnt device_token)" 1
run "$OPTT_TOKEN" get dev
is "get prints the token the device login got" "$OUT" \
	"$(idp_curl "$IDP_CTL/issued" | python3 -c 'import json,sys; print(json.load(sys.stdin)["access_token"])')"
n=$(cnt total)
is "get after the login: the cached token, no request" "$("$OPTT_TOKEN" get dev >/dev/null; echo $(($(cnt total) - n)))" 0
unlike "... the user code is not in the verbose log" "$("$OPTT_TOKEN" -v get dev 2>&1)" "enter the code"

# --- slow_down: the interval grows by 5 s, and is honoured
idp_ctl reset
idp_ctl "config?device_interval=1&device_expires=30&slow_down=1"
login_bg devconf
sleep 1
idp_ctl "device?action=approve&user=alice"
login_wait
is "slow_down, then approved (confidential client): exit 0" "$RC" 0
is "... no poll sooner than the (grown) interval" "$(cnt device_too_fast)" 0
is "... two polls: slow_down, then the token 6 s later" "$(cnt device_poll)" 2

# --- denied, expired, the local limit
idp_ctl reset
idp_ctl "config?device_interval=1&device_expires=20"
login_bg dev
idp_ctl "device?action=deny"
login_wait
is "denied at the provider: exit 1" "$RC" 1
like "... says so" "$ERR" 'denied at the provider'
idp_ctl "config?device_interval=1&device_expires=20"
login_bg dev
idp_ctl "device?action=expire"
login_wait
is "code expired at the provider: exit 1" "$RC" 1
like "... says so" "$ERR" 'code expired before it was approved'
idp_ctl "config?device_interval=1&device_expires=3"
t0=$(date +%s)
login_bg dev
login_wait
is "never approved: exit 1 when the code's lifetime is over" "$RC" 1
like "... says so" "$ERR" 'not approved in time \(3 s\)|code expired'
[ $(($(date +%s) - t0)) -le 8 ] && ok "... and stops polling then" || not_ok "... and stops polling then"

# --- device-code phishing (SPEC §19): a verification URI that is not an
# https URL fails the login and nothing is shown
for bad in "verification_uri=javascript:alert(1)" "verification_uri_complete=javascript:alert(1)" \
	"verification_uri=http://127.0.0.1:$IDP_PORT/rfc/device/verify" "verification_uri_complete=data:text/html,x"; do
	idp_ctl reset
	idp_ctl "config?device_interval=1&device_expires=3&$bad"
	run timeout 30 "$OPTT_TOKEN" login dev
	is "$bad: login refused as a bad response (exit 4)" "$RC" 4
	like "... saying which rule" "$ERR" 'verification_uri.* not an https URL'
	unlike "... no instructions shown" "$ERR" "enter the code"
	unlike "... the URI itself never printed" "$ERR" "${bad#*=}"
	is "... and no poll" "$(cnt device_poll)" 0
done
idp_ctl "config?verification_uri=&verification_uri_complete="

# --- Ctrl-C leaves the cache as it was
"$OPTT_TOKEN" logout dev 2>/dev/null
idp_ctl "config?device_interval=1&device_expires=20"
login_bg dev
kill -INT "$LOGIN_PID"
wait "$LOGIN_PID"
[ -e "$XDG_RUNTIME_DIR/optt/dev@rfc-public.json" ] && not_ok "Ctrl-C: no record written" || ok "Ctrl-C: no record written"
run "$OPTT_TOKEN" get dev
is "... get has no token: exit 1, says to log in" "$RC$(printf '%s' "$ERR" | grep -c 'run: optt-token login dev')" 11

# --- discovery
idp_ctl reset
idp_ctl "config?device_interval=1&device_expires=20"
login_bg disc
sleep 1
idp_ctl "device?action=approve&user=alice"
login_wait
is "issuer-only device profile: exit 0" "$RC" 0
is "... one discovery request" "$(cnt discovery)" 1
is "... then the device request and polls at the discovered endpoints" "$(cnt rfc_device)" 1
n=$(cnt total)
"$OPTT_TOKEN" get disc >/dev/null 2>&1
is "a cached get of an issuer profile: no request at all (no discovery)" "$(($(cnt total) - n))$(cnt discovery)" 01
run "$OPTT_TOKEN" login disccc
is "issuer-only client-credentials profile: exit 0" "$RC" 0
is "... one more discovery request, one grant" "$(cnt discovery)$(cnt rfc_token)" "2$(($(cnt device_poll) + 1))"
run "$OPTT_TOKEN" check-config
like "check-config shows the discovered endpoints" "$OUT" "token_url = $IDP_URL/rfc/token"
like "... and the device endpoint" "$OUT" "device_authorization_url = $IDP_URL/rfc/device"
d0=$(cnt discovery)
run "$OPTT_TOKEN" check-config --offline
is "check-config --offline: exit 0" "$RC" 0
is "... makes no request" "$(cnt discovery)" "$d0"
unlike "... and shows no discovered endpoint" "$(printf '%s\n' "$OUT" | sed -n '/^\[profile disc\]/,/^$/p')" "token_url"
idp_ctl "config?discovery_issuer=https://evil.example.com/rfc"
"$OPTT_TOKEN" logout disccc >/dev/null 2>&1
run "$OPTT_TOKEN" login disccc
is "a document whose issuer is not the configured one: refused (exit 4)" "$RC" 4
like "... says so" "$ERR" "issuer is not the configured issuer $IDP_URL/rfc"
idp_ctl "config?discovery_issuer="
for f in 503 html; do
	idp_ctl "fault?mode=$f&endpoint=discovery"
	run "$OPTT_TOKEN" login disccc
	[ "$RC" = 3 ] || [ "$RC" = 4 ] && ok "discovery fault $f: unavailable or bad response (exit $RC)" ||
		not_ok "discovery fault $f: unavailable or bad response" "rc=$RC $ERR"
	idp_ctl "fault?mode=none"
done

# --- configuration rules
bad() { # DESC EXTRA-LINES WANT
	printf '[profile x]\n%s\n' "$2" >"$T_DIR/bad.conf"
	chmod 600 "$T_DIR/bad.conf"
	run "$OPTT_TOKEN" --config "$T_DIR/bad.conf" check-config --offline
	is "$1: exit 2" "$RC" 2
	like "$1: says why" "$ERR" "$3"
}
bad "grant = device without a device endpoint" "grant = device
token_url = $IDP_URL/rfc/token
client_id = c" 'device_authorization_url'
bad "issuer on a seed dialect" "dialect = optt
issuer = $IDP_URL/rfc" 'issuer .* dialect = oauth2'
bad "grant = device in the optt dialect" "dialect = optt
token_url = $IDP_URL/t
grant = device" 'password only'
t_done
