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

# browser URL: what a browser does - follow the IdP's redirect to the listener
browser() {
	loc=$(idp_curl -o /dev/null -w '%{redirect_url}' "$1") || return 1
	curl -s --max-time 10 -o "$T_DIR/browser.out" -w '%{http_code}' "$loc"
}

for p in octo-code rfc-code; do
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
python3 -c 'import socket,time; s=socket.socket(); s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1); s.bind(("127.0.0.1", '"$REDIRECT_PORT"')); s.listen(1); time.sleep(30)' &
T_PIDS="$T_PIDS $!"
sleep 0.5
run "$OPTT_TOKEN" login rfc-code
is "redirect port in use: exit 3" "$RC" 3
like "... saying so" "$ERR" "cannot listen on 127.0.0.1:$REDIRECT_PORT"
t_done
