#!/bin/sh
# Every expiry source is clamped like expires_in, and comparisons do not
# overflow (SPEC §14, audit item 8): a record or an IdP-issued JWT `exp`
# of -2^63 must not make a stale token valid forever; far-future JWT
# `exp` and expireDate stop at ten years.
. "$OPTT_TOP_SRCDIR/tests/lib.sh"
idp_start
write_conf
CID=ab5a442c7d57bd3dcbdc0675e9bdd9f6e6d67d1171b043939ff5
REC=$(cache_file ddi "$CID")
GITH="$OPTT_TOP_BUILDDIR/git_helper/git-credential-optt"
printf '\n[profile ddi-git]\ndialect = ddi\ntoken_url = %s/oauth2/token/\nclient_id = %s\nclient_secret = 8c7f2eb1609125d43e945cee63501dff80c461166ccfe15291\nhosts = git.expiry.example.com\n' \
	"$IDP_URL" "$CID" >>"$OPTT_CONFIG"
expires_at() { sed -n 's/.*"expires_at":\(-\{0,1\}[0-9]*\).*/\1/p' "$1"; }
now() { date +%s; }

# a planted record, its expiry the most negative 64-bit number
for who in cli git; do
	mkdir -p "$XDG_RUNTIME_DIR/optt" && chmod 700 "$XDG_RUNTIME_DIR/optt"
	for p in ddi ddi-git; do
		printf '{"v":1,"expires_at":-9223372036854775808,"access_token":"stale-token-%s","token_type":"bearer"}\n' "$p" \
			>"$(cache_file "$p" "$CID")"
		chmod 600 "$(cache_file "$p" "$CID")"
	done
	n=$(idp_count ddi_token)
	if [ $who = cli ]; then
		run "$OPTT_TOKEN" get ddi
		is "[record -2^63] optt-token get: exit 0" "$RC" 0
		unlike "[record -2^63] optt-token get: the stale token is not printed" "$OUT" stale-token
	else
		printf 'protocol=https\nhost=git.expiry.example.com\n' >"$T_DIR/git.in"
		"$GITH" get <"$T_DIR/git.in" >"$T_DIR/git.out" 2>"$T_DIR/git.err"
		OUT=$(cat "$T_DIR/git.out")
		like "[record -2^63] git helper: answers" "$OUT" '^username=oauth2'
		unlike "[record -2^63] git helper: the stale token is not printed" "$OUT" stale-token
	fi
	is "[record -2^63] $who: a new grant was made" "$(idp_count ddi_token)" $((n + 1))
	rm -f "$REC" "$(cache_file ddi-git "$CID")"
done

# IdP-issued expiry sources at the extremes (ddi: no expires_in given)
idp_ctl "fault?mode=jwt_exp_min&count=1"
run "$OPTT_TOKEN" get ddi
is "[JWT exp -2^63] get: exit 0 (the fresh token)" "$RC" 0
is "[JWT exp -2^63] stored as already expired (0)" "$(expires_at "$REC")" 0
n=$(idp_count ddi_token)
run "$OPTT_TOKEN" get ddi
is "[JWT exp -2^63] the next get asks again" "$(idp_count ddi_token)" $((n + 1))
for f in jwt_exp_huge expiredate_far; do
	rm -f "$REC"
	idp_ctl "fault?mode=$f&count=1"
	run "$OPTT_TOKEN" get ddi
	is "[$f] get: exit 0" "$RC" 0
	e=$(expires_at "$REC")
	if [ -n "$e" ] && [ "$e" -le $(($(now) + 315360000 + 5)) ] && [ "$e" -gt $(($(now) + 315360000 - 60)) ]; then
		ok "[$f] clamped to ten years ($e)"
	else
		not_ok "[$f] clamped to ten years" "expires_at=$e"
	fi
done
t_done
