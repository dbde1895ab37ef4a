#!/bin/sh
# Every dialect x grant of SPEC §3 against the bundled IdP, which refuses
# requests of the wrong shape: a login succeeds only if the request is
# exactly as the seed documents say.
. "$OPTT_TOP_SRCDIR/tests/lib.sh"
idp_start
write_conf

login_alice optt
is "optt password grant: login exit 0" "$RC" 0
is "optt password grant: one request" "$(idp_count optt_password)" 1
run "$OPTT_TOKEN" get optt
is "optt: get exit 0" "$RC" 0
like "optt: get prints a JWT" "$OUT" '^eyJ[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$'
is "optt: cached get makes no request" "$(idp_count optt_token)" 1

run --stdin alice-pw-3141 "$OPTT_TOKEN" login optt-client --username alice --password-stdin
is "optt with client_id/secret as HTTP Basic: login exit 0" "$RC" 0

# user name and password with &, =, +, %, spaces and UTF-8 stay one value
run --stdin 'p&=+% x=1&y ünï' "$OPTT_TOKEN" login optt --username 'a&grant_type=client_credentials' --password-stdin
is "optt: special characters arrive intact (exit 0)" "$RC" 0
run "$OPTT_TOKEN" get optt --username 'a&grant_type=client_credentials'
like "optt: special-character user has a token" "$OUT" '^eyJ'

run "$OPTT_TOKEN" login octo
is "octorate apilogin: login exit 0" "$RC" 0
is "octorate apilogin: one request" "$(idp_count octo_apilogin)" 1
run "$OPTT_TOKEN" status octo
like "octorate: expiry from expireDate" "$OUT" 'expires: [0-9-]+T[0-9:]+Z \(in (35[0-9][0-9]|3600) s\)'

run "$OPTT_TOKEN" login ddi
is "ddi client credentials (JSON body): login exit 0" "$RC" 0
run "$OPTT_TOKEN" get ddi
like "ddi: get prints the hex token" "$OUT" '^[0-9a-f]{56}$'
run "$OPTT_TOKEN" status ddi
like "ddi: expires_in 1800 honoured" "$OUT" '\(in (1799|1800) s\)'

run "$OPTT_TOKEN" login rfc
is "oauth2 client credentials, Basic auth: exit 0" "$RC" 0
run "$OPTT_TOKEN" login rfc-body
is "oauth2 client credentials, body auth: exit 0" "$RC" 0
run --stdin alice-pw-3141 "$OPTT_TOKEN" login rfc-password --username alice --password-stdin
is "oauth2 password grant (public client): exit 0" "$RC" 0
is "oauth2: three token requests" "$(idp_count rfc_token)" 3

# client credentials need no login step: get obtains a token itself
run "$OPTT_TOKEN" logout ddi
run "$OPTT_TOKEN" get ddi
is "ddi: get without login obtains a token" "$RC" 0
is "ddi: that took one more request" "$(idp_count ddi_token)" 2

# wrong shapes are refused by the IdP (it is strict): prove it with curl
code=$(curl -s -o /dev/null -w '%{http_code}' --cacert "$IDP_CA" -H 'Accept: application/json' \
	-d 'username=alice&password=alice-pw-3141&grant_type=password' "$IDP_URL/gateway/uaa/oauth/token")
is "IdP refuses OPTT parameters in a form body" "$code" 400
code=$(curl -s -o /dev/null -w '%{http_code}' --cacert "$IDP_CA" -H 'Accept: application/json' \
	-d '{"client_id":"ab5a442c7d57bd3dcbdc0675e9bdd9f6e6d67d1171b043939ff5","client_secret":"8c7f2eb1609125d43e945cee63501dff80c461166ccfe15291","grant_type":"client_credentials"}' \
	"$IDP_URL/oauth2/token/")
is "IdP refuses DDI without a JSON content type" "$code" 415
code=$(curl -s -o /dev/null -w '%{http_code}' --cacert "$IDP_CA" -H 'Accept: application/json' \
	-d 'client_id=octo-client&client_secret=octo-secret-1618&grant_type=authorization_code&code=x&redirect_uri=x' \
	"$IDP_URL/rest/v1/identity/token")
is "IdP refuses Octorate grant_type=authorization_code" "$code" 400
code=$(curl -s -o /dev/null -w '%{http_code}' --cacert "$IDP_CA" -X POST \
	"$IDP_URL/gateway/uaa/oauth/token?username=alice&password=alice-pw-3141&grant_type=yourpassword" -H 'Accept: application/json')
is "IdP refuses grant_type=yourpassword (the guide's example)" "$code" 400

# plain http is allowed to loopback only
idp_stop
idp_start --plain
write_conf
sed -i '/^cafile = /d' "$OPTT_CONFIG"
run "$OPTT_TOKEN" login ddi
is "plain http to 127.0.0.1 is allowed" "$RC" 0
sed -i "s#^token_url = http://127.0.0.1:#token_url = http://localhost.example.com:#" "$OPTT_CONFIG"
run "$OPTT_TOKEN" login ddi
is "plain http to another host is a config error (exit 2)" "$RC" 2
like "... naming token_url and https" "$ERR" 'token_url: plain http is allowed only to loopback hosts; use https'
t_done
