#!/bin/sh
# End to end with OpenSSH: a private sshd on 127.0.0.1 (own config, host
# key, UsePAM, keyboard-interactive only) whose PAM service uses
# pam_optt.so through real libpam (/etc/pam.d, no wrapper).  The right
# password logs in and runs a command; the wrong one and an IdP outage
# are refused.  With session_token, the command run in the session gets
# the login's token from optt-token with no request of its own (SPEC §11).
# A dedicated local user is created and removed if needed; the command in
# its session runs a staged optt-token (lib.sh's stage_for_users: the build
# tree may be where the user cannot enter).
. "$OPTT_TOP_SRCDIR/tests/lib.sh"
need sshd ssh sshpass ssh-keygen useradd userdel
MOD="$OPTT_TOP_BUILDDIR/pam_module/.libs/pam_optt.so"
[ -f "$MOD" ] || { not_ok "pam_optt.so is built"; t_done; }
[ "$(id -u)" = 0 ] || { not_ok "the sshd test runs as root"; t_done; }
idp_start
E2E_USER=optt-e2e
SVC=optt-test-sshd-$$
created_user=""
ssh_cleanup() {
	[ -f "$T_DIR/sshd.pid" ] && kill "$(cat "$T_DIR/sshd.pid")" 2>/dev/null
	rm -f "/etc/pam.d/$SVC"
	t_cleanup
}
trap ssh_cleanup EXIT
test_user "$E2E_USER"
stage_for_users

conf="$T_DIR/pam-optt.conf"
printf '[defaults]\ncafile = %s\ntimeout = 3\nrun_dir = %s\n[profile optt]\ndialect = optt\ntoken_url = %s/gateway/uaa/oauth/token\n' \
	"$IDP_CA" "$T_DIR/state/run" "$IDP_URL" >"$conf"
printf '[profile dev]\ngrant = device\nissuer = %s/rfc\nclient_id = rfc-public\n' "$IDP_URL" >>"$conf"
chmod 600 "$conf"
# the user's side: its own config (same profile, same run_dir) and runtime dir
chmod 711 "$T_DIR"
chmod 755 "$T_DIR/idp"
mkdir -m 700 "$T_DIR/e2e-run"
chown "$E2E_USER" "$T_DIR/e2e-run"
printf '[defaults]\ncafile = %s\ncache = file\nrun_dir = %s\n[profile optt]\ndialect = optt\ntoken_url = %s/gateway/uaa/oauth/token\n' \
	"$IDP_CA" "$T_DIR/state/run" "$IDP_URL" >"$T_DIR/e2e.conf"
chown "$E2E_USER" "$T_DIR/e2e.conf"
chmod 600 "$T_DIR/e2e.conf"
cat >"/etc/pam.d/$SVC" <<EOP
# written by optt-auth's tests/pam/sshd.sh; removed when it ends
auth     [success=done authinfo_unavail=ignore default=die] $MOD config=$conf require_claim=groups=ssh-users session_token
auth     requisite pam_deny.so
account  required  pam_permit.so
session  required  pam_permit.so
EOP

# sshd names its PAM service after the program name
ln -s "$(command -v sshd)" "$T_DIR/$SVC"
ssh-keygen -q -t ed25519 -N '' -f "$T_DIR/hostkey" >/dev/null
PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
cat >"$T_DIR/sshd_config" <<EOC
Port $PORT
ListenAddress 127.0.0.1
HostKey $T_DIR/hostkey
PidFile $T_DIR/sshd.pid
UsePAM yes
KbdInteractiveAuthentication yes
PasswordAuthentication no
PubkeyAuthentication no
AuthenticationMethods keyboard-interactive
PermitRootLogin no
StrictModes no
AuthorizedKeysFile none
MaxAuthTries 1
LogLevel VERBOSE
EOC
mkdir -p /run/sshd
preload=""
[ "${OPTT_SANITIZERS:-no}" = yes ] && preload="$(${CC:-cc} -print-file-name=libasan.so)"
env LD_PRELOAD="$preload" ASAN_OPTIONS=detect_leaks=0 "$T_DIR/$SVC" -D -e -f "$T_DIR/sshd_config" \
	2>"$T_DIR/sshd.log" &
T_PIDS="$T_PIDS $!"
i=0
until [ -s "$T_DIR/sshd.pid" ] || [ $i -gt 50 ]; do sleep 0.1; i=$((i + 1)); done
[ -s "$T_DIR/sshd.pid" ] && ok "sshd started on 127.0.0.1:$PORT" || not_ok "sshd started" "$(cat "$T_DIR/sshd.log")"

ssh_login() { # PASSWORD: sets RC, OUT, ERR
	printf '%s\n' "$1" >"$T_DIR/sshpass"
	chmod 600 "$T_DIR/sshpass"
	run timeout 60 sshpass -f "$T_DIR/sshpass" ssh -F none -p "$PORT" \
		-o StrictHostKeyChecking=no -o UserKnownHostsFile=/dev/null -o LogLevel=ERROR \
		-o PreferredAuthentications=keyboard-interactive -o PubkeyAuthentication=no \
		-o NumberOfPasswordPrompts=1 -o ConnectTimeout=10 \
		"$E2E_USER@127.0.0.1" "echo logged-in-as-\$(id -un); XDG_RUNTIME_DIR=$T_DIR/e2e-run OPTT_CONFIG=$T_DIR/e2e.conf $STAGE/optt-token get optt"
}
ssh_login e2e-pw-1618
is "right password: ssh exit 0" "$RC" 0
is "... the command ran as the user" "$(printf '%s\n' "$OUT" | head -1)" "logged-in-as-$E2E_USER"
is "... one grant reached the IdP" "$(idp_count optt_password)" 1
AT=$(idp_curl "$IDP_CTL/issued" | python3 -c 'import json,sys; print(json.load(sys.stdin)["access_token"])')
is "session_token: optt-token get in the session prints the login's token" \
	"$(printf '%s\n' "$OUT" | sed -n 2p)" "$AT"
is "... and no other request reached the IdP" "$(idp_count total)" 1
ssh_login wrong-e2e-pw
[ "$RC" -ne 0 ] && ok "wrong password: refused (ssh exit $RC)" || not_ok "wrong password: refused"
unlike "... no command ran" "$OUT" logged-in-as
idp_stop
ssh_login e2e-pw-1618
[ "$RC" -ne 0 ] && ok "IdP down: refused (ssh exit $RC), no fail-open" || not_ok "IdP down: refused"
unlike "... no command ran" "$OUT" logged-in-as
[ "$ELAPSED" -le 30 ] && ok "IdP down: sshd answered within 30 s (${ELAPSED}s)" || not_ok "IdP down: no hang" "took ${ELAPSED}s"

# SPEC §12: a keyboard-interactive login by the device grant - the prompt
# shows the code, the user approves and presses Enter
idp_start
sed -i "s|https://127.0.0.1:[0-9]*|$IDP_URL|" "$conf"
idp_ctl "config?device_interval=1&device_expires=30"
cat >"/etc/pam.d/$SVC" <<EOP
# written by optt-auth's tests/pam/sshd.sh; removed when it ends
auth     required  $MOD config=$conf profile=dev flow=device
account  required  pam_permit.so
session  required  pam_permit.so
EOP
device_ssh() { # APPROVE-AS: sets RC, OUT
	run timeout 90 python3 "$OPTT_TOP_SRCDIR/tests/ptyrun.py" --when "then press Enter" \
		--run "$(idp_approve_script "$1")" --answer -- ssh -F none -p "$PORT" -o StrictHostKeyChecking=no -o UserKnownHostsFile=/dev/null -o LogLevel=ERROR \
		-o PreferredAuthentications=keyboard-interactive -o PubkeyAuthentication=no \
		-o NumberOfPasswordPrompts=1 -o ConnectTimeout=10 "$E2E_USER@127.0.0.1" 'echo logged-in-as-$(id -un)'
}
device_ssh "$E2E_USER"
is "device grant through sshd: ssh exit 0" "$RC" 0
like "... the keyboard-interactive prompt showed the code" "$OUT" 'enter the code [0-9]{4}-[0-9]{4}'
like "... the command ran as the user" "$OUT" "logged-in-as-$E2E_USER"
is "... no poll sooner than the interval" "$(idp_count device_too_fast)" 0
device_ssh alice
[ "$RC" -ne 0 ] && ok "approved as another user: refused (ssh exit $RC)" || not_ok "approved as another user: refused"
unlike "... no command ran" "$OUT" logged-in-as
like "sshd's log shows the PAM decision path" "$(cat "$T_DIR/sshd.log")" "$E2E_USER"
unlike "sshd's log holds no password" "$(cat "$T_DIR/sshd.log")" e2e-pw-1618
t_done
