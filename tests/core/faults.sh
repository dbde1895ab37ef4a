#!/bin/sh
# Every fault of the test IdP -> the right exit code (SPEC §8) within
# timeout + 3 s, a one-line message, and the cache unchanged.
. "$OPTT_TOP_SRCDIR/tests/lib.sh"
idp_start
write_conf

run "$OPTT_TOKEN" login ddi
is "baseline login exit 0" "$RC" 0
record=$(cache_file ddi ab5a442c7d57bd3dcbdc0675e9bdd9f6e6d67d1171b043939ff5)
before=$(sha256sum "$record")

# fault  exit  message pattern
while read -r fault want pattern; do
	idp_ctl "fault?mode=$fault"
	run "$OPTT_TOKEN" login ddi
	idp_ctl "fault?mode=none"
	is "fault $fault: exit $want" "$RC" "$want"
	like "fault $fault: message" "$ERR" "$pattern"
	lines=$(printf '%s\n' "$ERR" | wc -l)
	is "fault $fault: one line on stderr" "$lines" 1
	if [ "$ELAPSED" -le 8 ]; then ok "fault $fault: done within timeout + 3 s"; else
		not_ok "fault $fault: done within timeout + 3 s" "took $ELAPSED s"; fi
	is "fault $fault: cache unchanged" "$(sha256sum "$record")" "$before"
done <<'EOT'
500 3 unavailable \(HTTP 500\)
503 3 unavailable \(HTTP 503\)
429 3 unavailable \(HTTP 429\)
404 1 not found \(HTTP 404\)
invalid_client 1 client refused by the provider \(HTTP 401, invalid_client
slow 3 no answer within 5 s
malformed 4 bad response: not JSON
noaccess 4 no access_token
emptyaccess 4 no access_token
nonobject 4 not a JSON object
html 4 not JSON
big 4 larger than 1048576 bytes
redirect 4 redirect refused \(HTTP 302\)
close 3 ^optt: .+
reset 3 ^optt: .+
wrongca 3 (certificate|SSL)
wronghost 3 (certificate|SSL|match)
expires_negative 4 invalid expires_in
expires_garbage 4 invalid expires_in
EOT

# odd but valid expiries are accepted
idp_ctl "fault?mode=expires_string"
run "$OPTT_TOKEN" login ddi
is "expires_in as a numeric string is accepted" "$RC" 0
run "$OPTT_TOKEN" status ddi
like "... and used" "$OUT" '\(in (119|120) s\)'
idp_ctl "fault?mode=expires_huge"
run "$OPTT_TOKEN" login ddi
is "a huge expires_in is accepted (clamped)" "$RC" 0
run "$OPTT_TOKEN" status ddi
like "... to ten years" "$OUT" 'expires: 20(3|4)[0-9]-'
idp_ctl "fault?mode=none"

# a wrong password is a rejection, not an outage
run --stdin wrong "$OPTT_TOKEN" login optt --username alice --password-stdin
is "wrong password: exit 1" "$RC" 1
like "... invalid_grant named" "$ERR" 'rejected by the provider \(HTTP 400, invalid_grant: Bad credentials\)'

# the IdP is down: connection refused
run "$OPTT_TOKEN" login ddi
before=$(sha256sum "$record")
idp_stop
run "$OPTT_TOKEN" login ddi
is "IdP down: exit 3" "$RC" 3
like "... message" "$ERR" '(onnect|refused)'
is "IdP down: cache unchanged" "$(sha256sum "$record")" "$before"
run "$OPTT_TOKEN" get ddi
is "IdP down: a still-valid cached token is served" "$RC" 0
t_done
