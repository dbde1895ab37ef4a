#!/bin/sh
# optt-token check-config --pam (SPEC §11): the file as pam_optt reads it -
# root owner, modes, no symbolic link, a password-grant profile, the CA -
# and what a login would do.  Each refusal agrees with the module's own.
. "$OPTT_TOP_SRCDIR/tests/lib.sh"
. "$OPTT_TOP_SRCDIR/tests/pam/pam-env.sh"
idp_start
pam_conf
pam_service optt "auth required @optt"

run "$OPTT_TOKEN" check-config --pam --config "$PAM_CONF"
is "a good file: exit 0" "$RC" 0
like "... says so, naming the file" "$ERR" "configuration OK for pam_optt: $PAM_CONF"
like "... profile optt is usable" "$OUT" '^profile optt: usable by pam_optt profile=optt'
like "... and what a login does" "$OUT" "a login: one POST to $IDP_URL/gateway/uaa/oauth/token \(optt dialect\), at most 5 s"
like "... and where its state goes" "$OUT" "offline verifiers \(offline=\): $PAM_STATE/offline"
like "... a client-credentials profile is marked unusable" "$OUT" '^profile ddi: NOT usable by pam_optt \(grant = client_credentials'
run "$OPTT_TOKEN" check-config --pam --config "$PAM_CONF" ddi
is "naming a profile the module cannot use: exit 2" "$RC" 2
run "$OPTT_TOKEN" check-config --pam --config "$PAM_CONF" nosuch
is "naming a profile that is not there: exit 2" "$RC" 2
like "... says so" "$ERR" "no profile 'nosuch'"

# refusal CHANGE-DESC SETUP-CMD: check-config --pam and the module both refuse
refusal() {
	pam_conf
	eval "$2"
	run "$OPTT_TOKEN" check-config --pam --config "$PAM_CONF"
	is "$1: check-config --pam exit 2" "$RC" 2
	like "$1: ... one line naming the file" "$ERR" "$PAM_CONF"
	pam_auth optt alice alice-pw-3141
	is "$1: the module refuses too (PAM_SERVICE_ERR)" "$CODE" PAM_SERVICE_ERR
}
refusal "owned by a user" 'chown 1000 "$PAM_CONF"'
refusal "group-writable" 'chmod 660 "$PAM_CONF"'
refusal "a symbolic link" 'mv "$PAM_CONF" "$PAM_CONF.real"; ln -s "$PAM_CONF.real" "$PAM_CONF"'
rm -f "$PAM_CONF.real"
refusal "a missing cafile" 'sed -i "s|^cafile = .*|cafile = /nonexistent/ca.pem|" "$PAM_CONF"'
refusal "an unknown key" 'printf "no_such_key = 1\n" >>"$PAM_CONF"'
pam_conf
run "$OPTT_TOKEN" check-config --pam --config "$T_DIR/absent.conf"
is "a missing file: exit 2" "$RC" 2
run "$OPTT_TOKEN" check-config --username x
is "--pam's siblings still refuse options they do not take" "$RC" 2
t_done
