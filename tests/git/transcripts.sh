#!/bin/sh
# SPEC §6 as transcripts: stdin -> exact stdout, stderr, exit status of
# git-credential-optt, for every branch (profile choice, Bearer/Basic,
# capability and wwwauth[] combinations, expiry, erase -> refresh, store,
# prompting through askpass, GIT_TERMINAL_PROMPT=0, bad input).
. "$OPTT_TOP_SRCDIR/tests/lib.sh"
HELPER="$OPTT_TOP_BUILDDIR/git_helper/git-credential-optt"
[ -x "$HELPER" ] || { not_ok "git-credential-optt is built"; t_done; }
idp_start
write_conf
{
	ddi_profile forge 'hosts=forge.example.com/team registry.example.com:5000' username=ci-bot
	ddi_profile bearer hosts=bearer.example.com git_auth=bearer
	ddi_profile basic hosts=basic.example.com git_auth=basic
} >>"$OPTT_CONFIG"

# tx DESC WANT-STDOUT WANT-STDERR-REGEX [ARGS...] <stdin: one transcript.
# In WANT-STDOUT, TOKEN and EXPIRY stand for the values `optt-token get`
# and the cache hold; "~REGEX" matches instead (a token not known yet);
# '' for WANT-STDERR-REGEX means "empty".
tx() {
	d=$1 want=$2 werr=$3
	shift 3
	cat >"$T_DIR/tx.in"
	"$HELPER" "$@" <"$T_DIR/tx.in" >"$T_DIR/tx.out" 2>"$T_DIR/tx.err"
	rc=$?
	TX_OUT=$(cat "$T_DIR/tx.out")
	TX_ERR=$(cat "$T_DIR/tx.err")
	got=$TX_OUT
	if [ -n "${TOKEN:-}" ]; then
		got=$(printf '%s' "$got" | sed "s|=$TOKEN\$|=TOKEN|")
	fi
	got=$(printf '%s' "$got" | sed 's/^password_expiry_utc=[0-9]\{10\}$/password_expiry_utc=EXPIRY/')
	is "$d: exit 0" "$rc" 0
	case "$want" in
	"~"*) like "$d: stdout" "$TX_OUT" "${want#"~"}" ;;
	*) is "$d: stdout" "$got" "$want" ;;
	esac
	if [ -z "$werr" ]; then is "$d: stderr empty" "$TX_ERR" ""; else
		like "$d: stderr" "$TX_ERR" "$werr"
		is "$d: one line on stderr" "$(printf '%s\n' "$TX_ERR" | wc -l)" 1
	fi
}
BASIC_OAUTH2='username=oauth2
password=TOKEN
password_expiry_utc=EXPIRY'
ANY_BASIC='~^username=oauth2
password=[A-Za-z0-9._-]{20,}
password_expiry_utc=[0-9]{10}$'
BEARER='capability[]=authtype
authtype=Bearer
credential=TOKEN
ephemeral=1
password_expiry_utc=EXPIRY'

tx "unconfigured host" "" "" get <<'EOF2'
protocol=https
host=other.example.com

EOF2
is "... no request" "$(idp_count total)" 0
GIT_TERMINAL_PROMPT=0 tx "configured password profile, nothing cached, no prompting" "" \
	'^optt: no token for profile optt; run: optt-token login optt$' get <<'EOF2'
protocol=https
host=git.example.com
EOF2
export GIT_TERMINAL_PROMPT=0
login_alice
TOKEN=$("$OPTT_TOKEN" get optt)
tx "git 2.39 (no capability): Basic with the profile's user name" "$BASIC_OAUTH2" "" get <<'EOF2'
protocol=https
host=git.example.com
EOF2
exp=$(sed -n 's/.*"expires_at": *\([0-9]*\).*/\1/p' "$(cache_file optt alice)")
like "password_expiry_utc is the token's expiry" "$TX_OUT" "password_expiry_utc=$exp\$"
is "a cached token: no request" "$(idp_count optt_token)" 1
tx "git sent a user name: kept (and it is the OPTT user)" "username=alice
password=TOKEN
password_expiry_utc=EXPIRY" "" get <<'EOF2'
protocol=https
host=git.example.com
username=alice
EOF2
tx "capability + wwwauth Bearer: Bearer answer" "$BEARER" "" get <<'EOF2'
capability[]=authtype
protocol=https
host=git.example.com
wwwauth[]=Basic realm="git"
wwwauth[]=Bearer realm="git", scope="repo"
EOF2
tx "capability + wwwauth lower-case bearer" "$BEARER" "" get <<'EOF2'
capability[]=authtype
protocol=https
host=git.example.com
wwwauth[]=bearer
EOF2
tx "capability, only Basic offered: Basic" "$BASIC_OAUTH2" "" get <<'EOF2'
capability[]=authtype
protocol=https
host=git.example.com
wwwauth[]=Basic realm="git"
EOF2
tx "capability, no wwwauth, git_auth=auto: Basic" "$BASIC_OAUTH2" "" get <<'EOF2'
capability[]=authtype
protocol=https
host=git.example.com
EOF2
tx "Bearer offered but no capability: never authtype" "$BASIC_OAUTH2" "" get <<'EOF2'
protocol=https
host=git.example.com
wwwauth[]=Bearer realm="git"
EOF2
tx "a scheme that merely starts with Bearer is not Bearer" "$BASIC_OAUTH2" "" get <<'EOF2'
capability[]=authtype
protocol=https
host=git.example.com
wwwauth[]=BearerX realm="git"
EOF2
tx "unknown keys and capabilities are ignored" "$BASIC_OAUTH2" "" get <<'EOF2'
capability[]=state
protocol=https
host=git.example.com
state[]=foo:bar
frobnicate=1
EOF2
tx "a blank line ends the attributes" "" "" get <<'EOF2'
protocol=https

host=git.example.com
EOF2
tx "CRLF line ends" "$BASIC_OAUTH2" "" get <<EOF2
protocol=https$(printf '\r')
host=git.example.com$(printf '\r')
EOF2

# client credentials, host:port, path prefixes (credential.useHttpPath)
TOKEN=$("$OPTT_TOKEN" get forge)
CI_BASIC='username=ci-bot
password=TOKEN
password_expiry_utc=EXPIRY'
tx "host/path-prefix, git sends path" "$CI_BASIC" "" get <<'EOF2'
protocol=https
host=forge.example.com
path=team/repo.git
EOF2
tx "... another path: not ours" "" "" get <<'EOF2'
protocol=https
host=forge.example.com
path=teammate/repo.git
EOF2
tx "... no path (useHttpPath off): not ours" "" "" get <<'EOF2'
protocol=https
host=forge.example.com
EOF2
# audit item 7: dot segments and escapes are resolved before prefix matching
for pth in 'team/%2e%2e/teammate/repo.git' 'team/%2E%2E/teammate/repo.git' 'team%2f..%2fteammate/repo.git' \
	'team/../teammate/repo.git' 'team/sub/../../teammate/repo.git' '../team/repo.git' 'team/%2' 'team/%00/x'; do
	tx "path $pth: not team's token" "" "" get <<EOF2
protocol=https
host=forge.example.com
path=$pth
EOF2
done
for pth in 'team/./repo.git' 'team/sub/../repo.git' '/team//repo.git' 'team%2frepo.git'; do
	tx "path $pth: resolves into team/" "$CI_BASIC" "" get <<EOF2
protocol=https
host=forge.example.com
path=$pth
EOF2
done

# audit item 3: https only, http only to loopback hosts
for proto in http ftp smtp imap ''; do
	tx "protocol '$proto' for a profile host: nothing" "" "" get <<EOF2
protocol=$proto
host=registry.example.com:5000
EOF2
done
tx "no protocol at all: nothing" "" "" get <<'EOF2'
host=registry.example.com:5000
EOF2
tx "protocol http, --profile named: still nothing" "" "" --profile forge get <<'EOF2'
protocol=http
host=registry.example.com:5000
EOF2
tx "protocol http, -v: nothing on stdout, says why" "" 'https only' -v get <<'EOF2'
protocol=http
host=registry.example.com:5000
EOF2
ddi_profile loop 'hosts=127.0.0.1:9418 [::1]:9418 localhost:9418' username=ci-bot >>"$OPTT_CONFIG"
for h in 127.0.0.1:9418 '[::1]:9418' localhost:9418; do
	tx "protocol http to loopback $h: answered" "$ANY_BASIC" "" get <<EOF2
protocol=http
host=$h
EOF2
done
tx "host:port" "$CI_BASIC" "" get <<'EOF2'
protocol=https
host=registry.example.com:5000
EOF2
tx "host without the configured port: not ours" "" "" get <<'EOF2'
protocol=https
host=registry.example.com
EOF2
tx "--profile beats hosts" "$CI_BASIC" "" --profile forge get <<'EOF2'
protocol=https
host=unrelated.example.com
EOF2
tx "--profile naming no profile" "" "no profile 'nosuch'" --profile nosuch get <<'EOF2'
protocol=https
host=git.example.com
EOF2
TOKEN=$("$OPTT_TOKEN" get bearer)
tx "git_auth=bearer with the capability: Bearer without wwwauth" "$BEARER" "" get <<'EOF2'
capability[]=authtype
protocol=https
host=bearer.example.com
EOF2
tx "git_auth=bearer without the capability: Basic" "$BASIC_OAUTH2" "" get <<'EOF2'
protocol=https
host=bearer.example.com
EOF2
TOKEN=$("$OPTT_TOKEN" get basic)
tx "git_auth=basic even when Bearer is offered" "$BASIC_OAUTH2" "" get <<'EOF2'
capability[]=authtype
protocol=https
host=basic.example.com
wwwauth[]=Bearer
EOF2

# store is a no-op; erase drops the access token if it is the one git erases
TOKEN=$("$OPTT_TOKEN" get optt)
before=$(sha256sum <"$(cache_file optt alice)")
n=$(idp_count total)
tx "store: nothing out, nothing stored" "" "" store <<EOF2
protocol=https
host=git.example.com
username=oauth2
password=$TOKEN
EOF2
is "store: cache unchanged" "$(sha256sum <"$(cache_file optt alice)")" "$before"
tx "erase of another password: nothing dropped" "" "" erase <<'EOF2'
protocol=https
host=git.example.com
username=oauth2
password=not-our-token
EOF2
is "... cache unchanged" "$(sha256sum <"$(cache_file optt alice)")" "$before"
is "store and erase made no request" "$(idp_count total)" "$n"
tx "erase of the cached token" "" "" erase <<EOF2
protocol=https
host=git.example.com
username=oauth2
password=$TOKEN
EOF2
like "... the refresh token is kept" "$(cat "$(cache_file optt alice)")" '"refresh_token"'
unlike "... the access token is gone" "$(cat "$(cache_file optt alice)")" "$TOKEN"
r=$(idp_count optt_refresh)
old=$TOKEN
TOKEN=""
tx "get after erase" "$ANY_BASIC" "" get <<'EOF2'
protocol=https
host=git.example.com
EOF2
is "... refreshed with one request" "$(idp_count optt_refresh)" $((r + 1))
like "... a new token" "$TX_OUT" '^username=oauth2'
unlike "... not the erased one" "$TX_OUT" "$old"
TOKEN=$("$OPTT_TOKEN" get bearer)
tx "erase of a Bearer credential (git >= 2.46)" "" "" erase <<EOF2
capability[]=authtype
protocol=https
host=bearer.example.com
authtype=Bearer
credential=$TOKEN
EOF2
[ ! -e "$(cache_file bearer ab5a442c7d57bd3dcbdc0675e9bdd9f6e6d67d1171b043939ff5)" ] &&
	ok "... a record without refresh token is removed" || not_ok "... a record without refresh token is removed"

# expiry: inside refresh_margin the helper refreshes before answering
set_default refresh_margin 86400
r=$(idp_count optt_refresh)
TOKEN=""
tx "token inside refresh_margin" "$ANY_BASIC" "" get <<'EOF2'
protocol=https
host=git.example.com
EOF2
is "... refreshed first" "$(idp_count optt_refresh)" $((r + 1))
sed -i '/^refresh_margin = /d' "$OPTT_CONFIG"

# prompting: GIT_ASKPASS / SSH_ASKPASS, unless GIT_TERMINAL_PROMPT=0
"$OPTT_TOKEN" logout optt 2>/dev/null
cat >"$T_DIR/askpass" <<EOA
#!/bin/sh
printf '%s\n' "\$1" >>"$T_DIR/askpass.log"
case "\$1" in
Username*) echo bob ;;
Password*) cat "$T_DIR/askpass.pw" ;;
*) exit 1 ;;
esac
EOA
chmod 700 "$T_DIR/askpass"
printf 'bob-pw-2718\n' >"$T_DIR/askpass.pw"
tx "no token, GIT_TERMINAL_PROMPT=0: no prompt" "" 'run: optt-token login optt' get <<'EOF2'
protocol=https
host=git.example.com
EOF2
[ ! -e "$T_DIR/askpass.log" ] && ok "... askpass not run" || not_ok "... askpass not run"
unset GIT_TERMINAL_PROMPT
n=$(idp_count optt_password)
GIT_ASKPASS="$T_DIR/askpass" tx "GIT_ASKPASS asks user name and password" "$ANY_BASIC" "" get <<'EOF2'
protocol=https
host=git.example.com
EOF2
is "... one password grant" "$(idp_count optt_password)" $((n + 1))
like "... askpass asked for the user name" "$(cat "$T_DIR/askpass.log")" "^Username for https://git.example.com"
like "... then for the password" "$(cat "$T_DIR/askpass.log")" "Password for 'bob' at https://git.example.com"
unlike "... the password is not in the cache" "$(cat "$XDG_RUNTIME_DIR"/optt/*)" bob-pw-2718
[ -e "$(cache_file optt bob)" ] && ok "... bob's token is cached" || not_ok "... bob's token is cached"
rm -f "$T_DIR/askpass.log"
prev=$TX_OUT
tx "the next get uses the cache: no prompt" "$ANY_BASIC" "" get <<'EOF2'
protocol=https
host=git.example.com
EOF2
is "... the same token" "$TX_OUT" "$prev"
[ ! -e "$T_DIR/askpass.log" ] && ok "... askpass not run" || not_ok "... askpass not run"
"$OPTT_TOKEN" logout optt 2>/dev/null
printf 'wrong-pw-9\n' >"$T_DIR/askpass.pw"
SSH_ASKPASS="$T_DIR/askpass" tx "SSH_ASKPASS, wrong password" "" 'rejected by the provider' get <<'EOF2'
protocol=https
host=git.example.com
username=bob
EOF2
is "... only the password was asked (git sent the user)" "$(grep -c . "$T_DIR/askpass.log")" 1
printf 'bob-pw-2718\n' >"$T_DIR/askpass.pw"
GIT_ASKPASS=/nonexistent/askpass tx "askpass program missing" "" 'askpass' get <<'EOF2'
protocol=https
host=git.example.com
username=bob
EOF2

# bad input: refused cleanly, nothing out
export GIT_TERMINAL_PROMPT=0
tx "a line without '='" "" 'line 2: expected key=value' get <<'EOF2'
protocol=https
host
EOF2
head -c 70000 /dev/zero | tr '\0' 'a' | sed 's/^/x=/' >"$T_DIR/big"
tx "input over 64 KiB" "" 'larger than 65536 bytes' get <"$T_DIR/big"
printf 'protocol=https\nhost=git.example.com\0\n' >"$T_DIR/nul"
tx "a NUL byte" "" 'NUL' get <"$T_DIR/nul"
tx "empty input" "" "" get </dev/null
"$HELPER" >/dev/null 2>&1
is "no operation: usage, exit 2" "$?" 2
printf 'protocol=https\nhost=git.example.com\n' | "$HELPER" frobnicate >"$T_DIR/o" 2>&1
is "an unknown operation is ignored (exit 0, nothing out)" "$?:$(cat "$T_DIR/o")" "0:"

# the IdP down with an expired token: a clear line, no output, no hang
login_alice
set_default refresh_margin 86400
idp_stop
TOKEN=""
tx "IdP down, token expired" "" 'unavailable|connect' get <<'EOF2'
protocol=https
host=git.example.com
EOF2

# SPEC §13: wildcard hosts - one or more labels, never the bare domain or
# a look-alike, the port exactly, case-insensitive; a literal entry wins
idp_start
sed -i "s|https://127.0.0.1:[0-9]*|$IDP_URL|" "$OPTT_CONFIG"
{
	ddi_profile wild 'hosts=*.wild.example.com *.ports.example.com:8443' username=wild-bot
	ddi_profile tame 'hosts=tame.wild.example.com' username=tame-bot
} >>"$OPTT_CONFIG"
for h in a.wild.example.com a.b.wild.example.com A.WILD.Example.COM a.wild.example.com. x.ports.example.com:8443; do
	tx "wildcard: $h" '~^username=wild-bot
password=[A-Za-z0-9._-]{20,}
password_expiry_utc=[0-9]{10}$' "" get <<EOF2
protocol=https
host=$h
EOF2
done
tx "wildcard: a literal entry wins" '~^username=tame-bot' "" get <<'EOF2'
protocol=https
host=tame.wild.example.com
EOF2
for h in wild.example.com evil-wild.example.com evilwild.example.com wild.example.com.evil.net \
	a.wild.example.com.evil.net x.ports.example.com x.ports.example.com:8444 .wild.example.com; do
	tx "wildcard: not '$h'" "" "" get <<EOF2
protocol=https
host=$h
EOF2
done
t_done
