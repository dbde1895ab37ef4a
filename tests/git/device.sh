#!/bin/sh
# SPEC §12 through real git: a device-grant profile with no usable token.
# GIT_TERMINAL_PROMPT=0: the one-line "run: optt-token login" message,
# nothing for git on stdout, no request.  With a terminal (a pty, as a user
# at a shell has): the helper shows the verification URI and user code on
# the terminal, waits for the approval, and the clone succeeds; the token
# is cached, so the next fetch asks nobody.  Through GIT_ASKPASS's channel
# when git has one.
. "$OPTT_TOP_SRCDIR/tests/lib.sh"
need git python3
HELPER_DIR="$OPTT_TOP_BUILDDIR/git_helper"
idp_start
idp_ctl "config?device_interval=1&device_expires=30"
gitsrv_start dev/repo.git
BASE=$GBASE
export OPTT_CONFIG="$T_DIR/optt.conf" PATH="$HELPER_DIR:$PATH" GIT_CONFIG_NOSYSTEM=1
cat >"$OPTT_CONFIG" <<EOC
[defaults]
cafile = $IDP_CA
timeout = 5
cache = file

[profile gitdev]
grant = device
issuer = $IDP_URL/rfc
client_id = rfc-public
hosts = 127.0.0.1:$GPORT
EOC
chmod 600 "$OPTT_CONFIG"
git config --global "credential.$BASE.helper" optt

# --- GIT_TERMINAL_PROMPT=0: the message, no prompt, no request
n=$(idp_count total)
GIT_TERMINAL_PROMPT=0 run timeout 60 git clone -q "$BASE/dev/repo.git" "$T_DIR/c0"
[ "$RC" -ne 0 ] && ok "GIT_TERMINAL_PROMPT=0: the clone fails" || not_ok "GIT_TERMINAL_PROMPT=0: the clone fails"
like "... with the helper's one line" "$ERR" '^optt: no token for profile gitdev; run: optt-token login gitdev$'
is "... and no request to the IdP (no device code asked for)" "$(($(idp_count total) - n))" 0
printf 'protocol=http\nhost=127.0.0.1:%s\n\n' "$GPORT" | GIT_TERMINAL_PROMPT=0 "$HELPER_DIR/git-credential-optt" get \
	>"$T_DIR/h.out" 2>"$T_DIR/h.err"
is "... the helper itself: exit 0, nothing on stdout" "$?:$(cat "$T_DIR/h.out")" "0:"

# --- a terminal: git runs under a pty; the user approves when the code shows
approve=$(idp_approve_script alice)
d0=$(idp_count rfc_device)
run python3 "$OPTT_TOP_SRCDIR/tests/ptyrun.py" --when "enter the code" --run "$approve" -- env -u GIT_ASKPASS -u SSH_ASKPASS git clone -q "$BASE/dev/repo.git" "$T_DIR/c1"
is "on a terminal: the clone succeeds after the approval" "$RC" 0
like "... the terminal showed the verification URI and the user code" "$OUT" \
	"optt: To log in, open $IDP_URL/rfc/device/verify and enter the code [0-9]{4}-[0-9]{4}"
is "... one device request" "$(($(idp_count rfc_device) - d0))" 1
is "... no poll sooner than the interval" "$(idp_count device_too_fast)" 0
[ -f "$T_DIR/c1/README" ] && ok "... the clone has the file" || not_ok "... the clone has the file" "$OUT"
n=$(idp_count total)
GIT_TERMINAL_PROMPT=0 run timeout 60 git -C "$T_DIR/c1" fetch -q
is "the next fetch: exit 0 with the cached token" "$RC" 0
is "... no request to the IdP" "$(($(idp_count total) - n))" 0

# --- GIT_ASKPASS: the instructions in the askpass prompt, Enter to go on
"$OPTT_TOKEN" logout gitdev >/dev/null 2>&1
cat >"$T_DIR/askpass" <<EOA
#!/bin/sh
printf '%s\n' "\$1" >>"$T_DIR/askpass.log"
"$approve"
echo
EOA
chmod 755 "$T_DIR/askpass"
GIT_ASKPASS="$T_DIR/askpass" run timeout 60 git clone -q "$BASE/dev/repo.git" "$T_DIR/c2"
is "GIT_ASKPASS: the clone succeeds" "$RC" 0
like "... the askpass prompt held the instructions" "$(cat "$T_DIR/askpass.log" 2>/dev/null)" \
	'enter the code [0-9]{4}-[0-9]{4}.*Press Enter once approved'
t_done
