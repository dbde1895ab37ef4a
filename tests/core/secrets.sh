#!/bin/sh
# SPEC §8 and the brief: -v, status, check-config, login and errors never
# print a password, client secret or token; nothing secret lands in a file
# other than the cache.
. "$OPTT_TOP_SRCDIR/tests/lib.sh"
idp_start
write_conf
ALL_OUT="$T_DIR/all-output"
: >"$ALL_OUT"
keep() { printf '%s\n%s\n' "$OUT" "$ERR" >>"$ALL_OUT"; }
keep_err() { printf '%s\n' "$ERR" >>"$ALL_OUT"; } # get: stdout is the token
TOKENS=""

run --stdin alice-pw-3141 "$OPTT_TOKEN" -v login optt --username alice --password-stdin
is "login -v optt: exit 0" "$RC" 0
like "-v shows the request line" "$ERR" 'POST https://127.0.0.1:[0-9]+/gateway/uaa/oauth/token'
unlike "-v hides the query string (it holds the password)" "$ERR" 'password='
keep
run --stdin 'p&=+% x=1&y ünï' "$OPTT_TOKEN" -v login optt --username 'a&grant_type=client_credentials' --password-stdin
is "login -v with special characters: exit 0" "$RC" 0
unlike "... the special password is not shown" "$ERR" 'p&=+% x=1&y'
unlike "... nor its encoding" "$ERR" 'p%26%3D%2B%25'
keep
for p in octo ddi rfc rfc-body; do
	run "$OPTT_TOKEN" -v login "$p"
	is "login -v $p: exit 0" "$RC" 0
	keep
done
for p in rfc-password optt-client; do
	run --stdin alice-pw-3141 "$OPTT_TOKEN" -v login $p --username alice --password-stdin
	is "login -v $p: exit 0" "$RC" 0
	keep
done
for p in octo ddi rfc rfc-body rfc-password optt-client; do
	run "$OPTT_TOKEN" get "$p" --username alice
	TOKENS="$TOKENS $OUT"
	run "$OPTT_TOKEN" -v get "$p" --username alice
	keep_err
done
run "$OPTT_TOKEN" get optt --username alice
TOKENS="$TOKENS $OUT"
# refresh paths too: expire everything, then -v get
sed -i 's/^timeout = 5/timeout = 5\nrefresh_margin = 86400/' "$OPTT_CONFIG"
for p in optt octo rfc-password; do
	run "$OPTT_TOKEN" -v get "$p" --username alice
	is "refresh -v $p: exit 0" "$RC" 0
	like "... did refresh" "$ERR" 'POST'
	keep_err
	TOKENS="$TOKENS $OUT"
done
run "$OPTT_TOKEN" -v status
is "status -v: exit 0" "$RC" 0
keep
run "$OPTT_TOKEN" -v check-config
is "check-config -v: exit 0" "$RC" 0
keep
# error paths: wrong password, revoked client secret, faults
run --stdin wrong-pw-000 "$OPTT_TOKEN" -v login optt --username alice --password-stdin
is "wrong password: exit 1" "$RC" 1
unlike "wrong password not echoed" "$ERR" 'wrong-pw-000'
keep
for f in 500 html malformed; do
	idp_ctl "fault?mode=$f"
	run "$OPTT_TOKEN" -v login ddi
	keep
done
idp_ctl reset

[ -n "$(echo $TOKENS)" ] && ok "tokens collected" || not_ok "tokens collected"
leaks=""
for s in $FIX_SECRETS $TOKENS 'p&=+% x=1&y'; do
	grep -Fq -- "$s" "$ALL_OUT" && leaks="$leaks $s"
done
is "no fixture secret or issued token in any output" "$leaks" ""

# files: only the cache holds tokens; only the config, the secret file and
# this test's stdin file hold fixture secrets
leaks=""
for f in $(find "$T_DIR" "$HOME" -type f ! -path "$XDG_RUNTIME_DIR/optt/*" ! -path "$T_DIR/idp/*" \
	! -name optt.conf ! -name octo.secret ! -name run.in ! -name all-output); do
	for s in $FIX_SECRETS $TOKENS; do
		grep -Fq -- "$s" "$f" && leaks="$leaks $f"
	done
done
is "no secret in any file outside the cache" "$leaks" ""
modes=$(find "$XDG_RUNTIME_DIR/optt" -type f -perm /077 | wc -l)
is "cache files are private (0600)" "$modes" 0
is "cache directory is 0700" "$(stat -c %a "$XDG_RUNTIME_DIR/optt")" 700
t_done
