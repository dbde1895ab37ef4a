#!/bin/sh
# SPEC §11 `session_token` through real libpam (pamtester under pam_wrapper,
# the system's users): the token of an online login is handed to that
# user, whose own programs - run as that user (setpriv) with only the HOME
# and XDG_RUNTIME_DIR a login session has - answer it with no prompt and
# no IdP request: optt-token get, a real git clone through the helper, the
# docker helper; the keyring backend takes it too.  Nobody else can read
# it, the user has no directory to write into (SPEC §19); a claim empties
# it, logout too, and the session that made it removes it at close; it is
# never claimed for another user name or after its refresh token expired;
# offline and failed logins leave none.  The user runs staged copies of the
# programs (lib.sh's stage_for_users): the build tree may be where the user
# cannot enter.
. "$OPTT_TOP_SRCDIR/tests/lib.sh"
. "$OPTT_TOP_SRCDIR/tests/pam/pam-env.sh"
need setpriv useradd userdel pamtester git stat
PAM_REAL_NSS=1
SUSER=optt-sess
U_DIR=$(mktemp -d /tmp/optt-sess.XXXXXX)
sess_cleanup() {
	rm -rf "$U_DIR"
	t_cleanup
}
trap sess_cleanup EXIT
test_user "$SUSER"
stage_for_users
SUID=$(id -u "$SUSER")
UH="$U_DIR/home" UR="$U_DIR/run"
mkdir -p "$UH" "$UR"
chown -R "$SUSER:$(id -g "$SUSER")" "$U_DIR"
chmod 700 "$U_DIR" "$UH" "$UR"
chmod 755 "$U_DIR"
chmod 711 "$T_DIR" # the user reaches the IdP's CA and the run_dir below it
idp_start
chmod 755 "$T_DIR/idp"
pam_conf
pam_service sess "auth required @optt session_token" "account required pam_permit.so" \
	"session required pam_permit.so"
pam_service sessclose "auth required @optt session_token" "account required pam_permit.so" \
	"session optional @optt session_token"
pam_service nosess "auth required @optt" "account required pam_permit.so" "session required pam_permit.so"
HANDOFF="$PAM_STATE/run/session/$SUID@optt"

# login SERVICE PASSWORD [PAMTESTER-OPERATION...]: pamtester (by default
# authenticate open_session); sets RC, REQS
login() {
	n0=$(idp_count total)
	svc=$1 pw=$2
	shift 2
	[ $# -gt 0 ] || set -- authenticate open_session
	printf '%s\n' "$pw" | pam_env pamtester -v "$svc" "$SUSER" "$@" >"$T_DIR/pamtester.out" 2>&1
	RC=$?
	REQS=$(($(idp_count total) - n0))
}
# as_user CMD...: the user's own program, with a login session's
# environment, from the user's home (the staged programs on PATH)
as_user() {
	setpriv --reuid="$SUSER" --regid="$(id -g "$SUSER")" --init-groups \
		env -i -C "$UH" HOME="$UH" XDG_RUNTIME_DIR="$UR" PATH="$STAGE:/usr/bin:/bin" \
		ASAN_OPTIONS=detect_leaks=0 "$@"
}
# as_user_run CMD...: sets RC, OUT, ERR, REQS
as_user_run() {
	n0=$(idp_count total)
	as_user "$@" </dev/null >"$T_DIR/u.out" 2>"$T_DIR/u.err"
	RC=$?
	OUT=$(cat "$T_DIR/u.out")
	ERR=$(cat "$T_DIR/u.err")
	REQS=$(($(idp_count total) - n0))
}
ucache() { # CACHE: the user's own configuration (the same profile as the module's)
	mkdir -p "$UH/.config/optt"
	cat >"$UH/.config/optt/optt.conf" <<EOC
[defaults]
cafile = $IDP_CA
timeout = 5
cache = $1
run_dir = $PAM_STATE/run

[profile optt]
dialect = optt
token_url = $IDP_URL/gateway/uaa/oauth/token
hosts = 127.0.0.1:$GPORT registry.optt.test:5000
EOC
	chown -R "$SUSER" "$UH/.config"
	chmod 600 "$UH/.config/optt/optt.conf"
}
issued() { idp_curl "$IDP_CTL/issued" | python3 -c 'import json,sys; print(json.load(sys.stdin)[sys.argv[1]])' "$1"; }

# the git server: accepts live tokens only
gitsrv_start repo.git
ucache file
as_user git config --global "credential.http://127.0.0.1:$GPORT.helper" optt

# --- without session_token: nothing is handed over
login nosess sess-pw-2236
is "login without session_token: PAM_SUCCESS" "$RC" 0
[ -e "$HANDOFF" ] && not_ok "... leaves no hand-off" || ok "... leaves no hand-off"

# --- a failed login leaves none either
login sess wrong-pw-1
[ "$RC" != 0 ] && ok "wrong password: refused" || not_ok "wrong password: refused"
[ -e "$HANDOFF" ] && not_ok "... and no hand-off" || ok "... and no hand-off"

# --- the login's token, handed over
login sess sess-pw-2236
is "authenticate open_session with session_token: exit 0" "$RC" 0
is "... one request (the password grant)" "$REQS" 1
AT=$(issued access_token)
RT=$(issued refresh_token)
is "session directory: root's, 711" "$(stat -c '%u %a' "$PAM_STATE/run/session" 2>&1)" "0 711"
is "the hand-off: the user's, 600" "$(stat -c '%u %a' "$HANDOFF" 2>&1)" "$SUID 600"
is "no directory under run_dir is the user's" "$(find "$PAM_STATE/run" -type d -user "$SUSER" | wc -l)" 0
if setpriv --reuid="$SUSER" --regid="$(id -g "$SUSER")" --clear-groups touch "$PAM_STATE/run/session/x" 2>/dev/null ||
	setpriv --reuid="$SUSER" --regid="$(id -g "$SUSER")" --clear-groups touch "$PAM_STATE/run/x" 2>/dev/null; then
	not_ok "the user cannot create files under run_dir"
else ok "the user cannot create files under run_dir"; fi
h=$(cat "$HANDOFF" 2>/dev/null)
like "... holds the access token" "$h" "$AT"
like "... and the refresh token" "$h" "$RT"
unlike "... never the password" "$h" sess-pw-2236
if setpriv --reuid=nobody --regid=nogroup --clear-groups cat "$HANDOFF" >/dev/null 2>&1; then
	not_ok "another user cannot read it"
else ok "another user cannot read it"; fi
if setpriv --reuid=nobody --regid=nogroup --clear-groups ls "$PAM_STATE/run/session" >/dev/null 2>&1; then
	not_ok "another user cannot list the session directory"
else ok "another user cannot list the session directory"; fi

# --- the user's programs answer it, no prompt, no request
as_user_run "$STAGE/optt-token" get optt
is "optt-token get: exit 0" "$RC" 0
is "... prints the login's token" "$OUT" "$AT"
is "... with no IdP request" "$REQS" 0
[ -s "$HANDOFF" ] && not_ok "... which took the hand-off into its cache (and emptied it)" ||
	ok "... which took the hand-off into its cache (and emptied it)"
[ -f "$UR/optt/optt@$SUSER.json" ] && ok "... the file cache in XDG_RUNTIME_DIR holds it" ||
	not_ok "... the file cache in XDG_RUNTIME_DIR holds it" "$(ls -la "$UR/optt" 2>&1)"
as_user_run env GIT_TERMINAL_PROMPT=0 timeout 60 git clone -q "http://127.0.0.1:$GPORT/repo.git" "$UH/clone"
is "git clone through the helper: exit 0" "$RC" 0 
is "... with no IdP request" "$REQS" 0
[ -f "$UH/clone/README" ] && ok "... the clone has the file" || not_ok "... the clone has the file" "$ERR"
as_user_run sh -c 'printf registry.optt.test:5000 | docker-credential-optt get'
is "docker-credential-optt get: exit 0" "$RC" 0
like "... answers the login's token" "$OUT" "\"Secret\":\"$AT\""
is "... with no IdP request" "$REQS" 0

# --- renewed with the refresh token
idp_ctl "config?lifetime=30" # inside refresh_margin: due for a refresh at once
login sess sess-pw-2236
is "a login whose token is due: exit 0" "$RC" 0
p0=$(idp_count optt_password)
as_user_run "$STAGE/optt-token" get optt
is "optt-token get: exit 0" "$RC" 0
is "... refreshed: one request" "$REQS" 1
is "... no password grant" "$(idp_count optt_password)" "$p0"
is "... the refreshed token" "$OUT" "$(issued access_token)"
idp_ctl "config?lifetime=3600"

# --- logout removes it, claimed or not
login sess sess-pw-2236
[ -s "$HANDOFF" ] && ok "a new login's hand-off" || not_ok "a new login's hand-off"
as_user_run "$STAGE/optt-token" logout optt
is "optt-token logout: exit 0" "$RC" 0
[ -s "$HANDOFF" ] && not_ok "... empties the hand-off" || ok "... empties the hand-off"
[ -e "$UR/optt/optt@$SUSER.json" ] && not_ok "... and the cached record" || ok "... and the cached record"
as_user_run "$STAGE/optt-token" get optt
[ "$RC" != 0 ] && ok "after logout, get has no token" || not_ok "after logout, get has no token" "$OUT"
is "... and asks nobody" "$REQS" 0

# --- the keyring backend takes it on first use
login sess sess-pw-2236
AT=$(issued access_token)
ucache keyring
cat >"$U_DIR/keyring.sh" <<'EOK'
# runs as the user: a private bus, gnome-keyring, then the test's command
set -u
cat >"$HOME/bus.conf" <<EOB
<!DOCTYPE busconfig PUBLIC "-//freedesktop//DTD D-Bus Bus Configuration 1.0//EN"
 "http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd">
<busconfig><type>session</type><listen>unix:path=$HOME/bus</listen>
<policy context="default"><allow send_destination="*" eavesdrop="true"/><allow eavesdrop="true"/><allow own="*"/></policy></busconfig>
EOB
pid=$(dbus-daemon --config-file="$HOME/bus.conf" --fork --print-pid) || exit 90
export DBUS_SESSION_BUS_ADDRESS="unix:path=$HOME/bus"
mkdir -p "$HOME/.local/share/keyrings"
printf 'test-keyring-password' | gnome-keyring-daemon --unlock --components=secrets --foreground \
	>"$HOME/keyring.log" 2>&1 &
kpid=$!
i=0
until secret-tool search --all probe probe >/dev/null 2>&1 && [ -n "$(ls "$HOME/.local/share/keyrings")" ]; do
	i=$((i + 1)); [ $i -gt 100 ] && { kill $kpid $pid; exit 91; }
	sleep 0.1
done
"$@"
rc=$?
[ $rc = 0 ] && secret-tool lookup profile optt subject optt-sess >"$HOME/stored" 2>/dev/null
kill $kpid $pid 2>/dev/null
exit $rc
EOK
chmod 755 "$U_DIR/keyring.sh"
as_user_run sh "$U_DIR/keyring.sh" "$STAGE/optt-token" get optt
is "keyring backend: optt-token get: exit 0" "$RC" 0
is "... prints the login's token" "$OUT" "$AT"
is "... with no IdP request" "$REQS" 0
like "... the keyring now holds the record" "$(cat "$UH/stored" 2>/dev/null)" "$AT"
[ -s "$HANDOFF" ] && not_ok "... the hand-off is emptied" || ok "... the hand-off is emptied"
ucache file

# --- an offline login hands nothing over
pam_service sessoff "auth required @optt session_token offline=7" "account required pam_permit.so" \
	"session required pam_permit.so"
login sessoff sess-pw-2236
as_user_run "$STAGE/optt-token" logout optt
idp_ctl "fault?mode=503"
login sessoff sess-pw-2236
is "offline login: exit 0" "$RC" 0
[ -s "$HANDOFF" ] && not_ok "... leaves no hand-off" || ok "... leaves no hand-off"
idp_ctl "fault?mode=none"

# --- SPEC §19: the session that made the record removes it at close; a
# close of another session leaves it
login sess sess-pw-2236
[ -s "$HANDOFF" ] && ok "a login's hand-off, its session still open" || not_ok "a login's hand-off, its session still open"
login sessclose "" open_session close_session
is "another session's open/close: exit 0" "$RC" 0
[ -s "$HANDOFF" ] && ok "... leaves that record" || not_ok "... leaves that record" "$(cat "$T_DIR/pamtester.out")"
login sessclose sess-pw-2236 authenticate open_session close_session
is "a login whose session closes: exit 0" "$RC" 0
[ -e "$HANDOFF" ] && not_ok "... its record is removed at close_session" "$(cat "$T_DIR/pamtester.out")" ||
	ok "... its record is removed at close_session"
login sess sess-pw-2236
as_user_run "$STAGE/optt-token" get optt
login sessclose "" open_session close_session
[ -e "$HANDOFF" ] && not_ok "a claimed (empty) record is removed by any close" || ok "a claimed (empty) record is removed by any close"

# --- SPEC §19: made for this user name, not only this UID (a later
# account that reuses the UID gets nothing)
as_user_run "$STAGE/optt-token" logout optt # (the cache holds nothing either)
login sess sess-pw-2236
sed -i "1s/\"user\":\"$SUSER\"/\"user\":\"former-user\"/" "$HANDOFF"
like "a record made for another name with this UID" "$(head -1 "$HANDOFF")" '"user":"former-user"'
as_user_run "$STAGE/optt-token" get optt
[ "$RC" != 0 ] && ok "... is not claimed" || not_ok "... is not claimed" "$OUT"
is "... and asks nobody" "$REQS" 0
[ -s "$HANDOFF" ] && ok "... and is left where it is" || not_ok "... and is left where it is"
rm -f "$HANDOFF"

# --- SPEC §19: never claimed once its refresh token has expired
idp_ctl "config?refresh_lifetime=1"
login sess sess-pw-2236
until_t=$(head -1 "$HANDOFF" | python3 -c 'import json,sys; print(json.load(sys.stdin)["claim_until"])')
like "the record's claim_until is the refresh token's expiry" "$until_t" '^[0-9]+$'
i=0
until [ "$(date +%s)" -gt "${until_t:-0}" ] || [ $i -gt 50 ]; do sleep 0.1; i=$((i + 1)); done
as_user_run "$STAGE/optt-token" get optt
[ "$RC" != 0 ] && ok "... after it, the record is not claimed" || not_ok "... after it, the record is not claimed" "$OUT"
is "... and asks nobody" "$REQS" 0
[ -s "$HANDOFF" ] && not_ok "... and is emptied" || ok "... and is emptied"
idp_ctl "config?refresh_lifetime=0"

# --- what is in its place is not followed or trusted
rm -f "$HANDOFF"
ln -s "$UH/target" "$HANDOFF"
login sess sess-pw-2236
[ -e "$UH/target" ] && not_ok "a symbolic link in its place is not followed" ||
	ok "a symbolic link in its place is not followed"
[ -L "$HANDOFF" ] && not_ok "... it is replaced by the record" || ok "... it is replaced by the record"
rm -f "$HANDOFF"
t_done
