#!/bin/sh
# SPEC §4: cached -> refresh -> grant; a rejected refresh drops the refresh
# token, an unavailable one keeps the record.
. "$OPTT_TOP_SRCDIR/tests/lib.sh"
idp_start
write_conf

login_alice optt
is "login exit 0" "$RC" 0
run "$OPTT_TOKEN" get optt
first=$OUT
is "get after login: no request" "$(idp_count optt_token)" 1

set_default refresh_margin 86400          # every cached token now counts as expiring
run "$OPTT_TOKEN" get optt
is "expiring token: get exit 0" "$RC" 0
is "expiring token: exactly one refresh request" "$(idp_count optt_refresh)" 1
if [ -n "$OUT" ] && [ "$OUT" != "$first" ]; then ok "refresh returned a new token"; else not_ok "refresh returned a new token"; fi
set_default refresh_margin 60
run "$OPTT_TOKEN" get optt
is "refreshed token is cached: no further request" "$(idp_count optt_token)" 2
run "$OPTT_TOKEN" status optt
like "refresh token kept after a refresh without a new one" "$OUT" 'refresh token: yes'

# unavailable refresh: record kept unchanged, exit 3
before=$(sha256sum "$(cache_file optt alice)")
set_default refresh_margin 86400
idp_ctl "fault?mode=503"
run "$OPTT_TOKEN" get optt
idp_ctl "fault?mode=none"
is "refresh while the IdP answers 503: exit 3" "$RC" 3
like "... with a clear message" "$ERR" 'unavailable \(HTTP 503\)'
is "... and the record is unchanged" "$(sha256sum "$(cache_file optt alice)")" "$before"

# rejected refresh: refresh token dropped; a password grant needs a login
idp_ctl "revoke?what=refresh"
run "$OPTT_TOKEN" get optt
is "rejected refresh with no password at hand: exit 1" "$RC" 1
like "... telling what to run" "$ERR" 'run: optt-token login optt'
run "$OPTT_TOKEN" status optt
like "rejected refresh dropped the refresh token" "$OUT" 'refresh token: no'
n=$(idp_count optt_token)
run "$OPTT_TOKEN" get optt
is "no refresh token left: no further refresh attempt" "$(idp_count optt_token)" "$n"
set_default refresh_margin 60
login_alice optt
is "login again works" "$RC" 0
run "$OPTT_TOKEN" status optt
like "... and brings a refresh token" "$OUT" 'refresh token: yes'

# oauth2 refresh (form body) for the password grant
run --stdin alice-pw-3141 "$OPTT_TOKEN" login rfc-password --username alice --password-stdin
set_default refresh_margin 86400
run "$OPTT_TOKEN" get rfc-password
is "oauth2 refresh_token grant: exit 0" "$RC" 0
is "oauth2 refresh request accepted" "$(idp_count rfc_refresh_ok)" 1
set_default refresh_margin 60

# client credentials re-grant instead of refreshing (DDI has no refresh)
run "$OPTT_TOKEN" login ddi
set_default refresh_margin 86400
run "$OPTT_TOKEN" get ddi
is "ddi: expiring token -> new client-credentials grant" "$(idp_count ddi_token)" 2
set_default refresh_margin 60

# cache = none: nothing stored, every get asks the IdP
set_default cache none
run "$OPTT_TOKEN" get ddi
run "$OPTT_TOKEN" get ddi
is "cache = none: every get is a request" "$(idp_count ddi_token)" 4
set_default cache file

# logout deletes the records
run "$OPTT_TOKEN" logout optt
is "logout exit 0" "$RC" 0
if [ -e "$(cache_file optt alice)" ]; then not_ok "logout removed the record"; else ok "logout removed the record"; fi
run "$OPTT_TOKEN" get optt --username alice
is "get after logout: exit 1" "$RC" 1
t_done
