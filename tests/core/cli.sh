#!/bin/sh
# SPEC §8: the command line itself - usage errors (exit 2), help, version,
# profile and subject choice, status and logout.
. "$OPTT_TOP_SRCDIR/tests/lib.sh"
idp_start
write_conf

run "$OPTT_TOKEN" --help
is "--help: exit 0" "$RC" 0
for c in login get status logout check-config --config --verbose --version; do
	like "--help mentions $c" "$OUT" "$c"
done
run "$OPTT_TOKEN" --version
is "--version: exit 0" "$RC" 0
like "--version prints name and version" "$OUT" '^optt-token [0-9]+\.[0-9]+\.[0-9]+$'

usage() { # DESC PATTERN CMD...
	d=$1 p=$2
	shift 2
	n=$(idp_count total)
	run "$@"
	is "$d: exit 2" "$RC" 2
	like "$d: one-line message" "$ERR" "$p"
	is "$d: one line only" "$(printf '%s\n' "$ERR" | wc -l)" 1
	is "$d: no request" "$(idp_count total)" "$n"
}
usage "no command" 'no command given' "$OPTT_TOKEN"
usage "unknown command" 'unknown command' "$OPTT_TOKEN" frobnicate
usage "unknown global option" 'unknown option' "$OPTT_TOKEN" --frob get optt
usage "unknown command option" 'unknown option' "$OPTT_TOKEN" get optt --frob
usage "--code on get" 'get does not take that option' "$OPTT_TOKEN" get octo-code --code x
usage "--password-stdin on status" 'status does not take that option' "$OPTT_TOKEN" status --password-stdin
usage "two profiles" 'too many arguments|one profile' "$OPTT_TOKEN" get optt ddi
usage "check-config with an argument" 'takes no argument' "$OPTT_TOKEN" check-config optt
printf '[profile a]\ndialect = optt\ntoken_url = https://127.0.0.1:1/x\n[profile b]\ndialect = optt\ntoken_url = https://127.0.0.1:1/x\n' >"$T_DIR/two.conf"
usage "no profile named, several configured, none named optt" 'several profiles configured: name one' \
	"$OPTT_TOKEN" --config "$T_DIR/two.conf" get
usage "--password-stdin without --username" 'username' "$OPTT_TOKEN" login optt --password-stdin
usage "--code for a non-code profile" 'code' "$OPTT_TOKEN" login ddi --code abc

# one profile configured: it is the default
printf '[defaults]\ncafile = %s\ncache = file\n[profile only]\ndialect = ddi\ntoken_url = %s/oauth2/token/\nclient_id = ab5a442c7d57bd3dcbdc0675e9bdd9f6e6d67d1171b043939ff5\nclient_secret = 8c7f2eb1609125d43e945cee63501dff80c461166ccfe15291\n' \
	"$IDP_CA" "$IDP_URL" >"$T_DIR/one.conf"
chmod 600 "$T_DIR/one.conf"
run "$OPTT_TOKEN" --config "$T_DIR/one.conf" get
is "single profile is the default: exit 0" "$RC" 0
like "... prints a token" "$OUT" '^[A-Za-z0-9._~+/=-]{16,}$'

# without a profile name, several configured: the profile named optt (as in PAM)
run "$OPTT_TOKEN" get
is "no profile named: profile optt is used (no token yet: exit 1)" "$RC" 1
like "... and named" "$ERR" 'no token for profile optt'

# get on a password-grant profile never prompts: it needs a login first
run "$OPTT_TOKEN" get optt
is "get without a cached password-grant token: exit 1" "$RC" 1
like "... says to log in" "$ERR" 'optt-token login'
login_alice
is "login alice: exit 0" "$RC" 0
like "login reports the subject on stderr" "$ERR" 'subject alice'
is "login prints nothing on stdout" "$OUT" ""
run --stdin bob-pw-2718 "$OPTT_TOKEN" login optt --username bob --password-stdin
is "login bob: exit 0" "$RC" 0
run "$OPTT_TOKEN" get optt
is "two users cached, no --username: exit 2" "$RC" 2
like "... names the way out" "$ERR" 'several users have tokens for profile optt: name one'
run "$OPTT_TOKEN" get optt --username bob
is "get --username bob: exit 0" "$RC" 0
tok_bob=$OUT
run "$OPTT_TOKEN" get optt --username alice
is "get --username alice: exit 0" "$RC" 0
[ "$OUT" != "$tok_bob" ] && ok "users get different tokens" || not_ok "users get different tokens"

run "$OPTT_TOKEN" status
is "status: exit 0" "$RC" 0
like "status lists alice" "$OUT" 'subject: alice'
like "status lists bob" "$OUT" 'subject: bob'
like "status shows backend" "$OUT" 'file'
like "status shows expiry as UTC" "$OUT" '[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9:]{8}Z'
like "status shows whether a refresh token is held" "$OUT" 'refresh'
run "$OPTT_TOKEN" status ddi
is "status of a profile with no record: exit 0" "$RC" 0

run "$OPTT_TOKEN" logout optt
is "logout: exit 0" "$RC" 0
[ ! -e "$(cache_file optt alice)" ] && [ ! -e "$(cache_file optt bob)" ] &&
	ok "logout deleted both records" || not_ok "logout deleted both records" "$(ls "$XDG_RUNTIME_DIR/optt")"
run "$OPTT_TOKEN" get optt --username alice
is "get after logout: exit 1" "$RC" 1
run "$OPTT_TOKEN" logout optt
is "logout with nothing cached: exit 0" "$RC" 0

# password from a pipe that is empty: refused, nothing sent
n=$(idp_count total)
run --stdin "" "$OPTT_TOKEN" login optt --username alice --password-stdin
is "empty password: exit 2" "$RC" 2
is "empty password: no request" "$(idp_count total)" "$n"
t_done
