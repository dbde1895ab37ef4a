#!/bin/sh
# SPEC §5 through real libpam (pam_wrapper): every row of the outcome
# table, the order of the steps (no request for unknown users, empty
# passwords, sshd's placeholder), arguments, the log line, and values
# that must arrive intact.
. "$OPTT_TOP_SRCDIR/tests/lib.sh"
. "$OPTT_TOP_SRCDIR/tests/pam/pam-env.sh"
idp_start
pam_conf
pam_service optt "auth required @optt"

# expect DESC USER PASSWORD CODE REQUESTS OUTCOME [SERVICE]
expect() {
	pam_auth "${7:-optt}" "$2" "$3"
	is "$1: $4" "$CODE" "$4"
	is "$1: $5 request(s) reached the IdP" "$REQS" "$5"
	like "$1: one syslog decision line, outcome=$6" "$LOGLINE" "outcome=$6( |:|$)"
	is "$1: exactly one decision line" "$(printf '%s\n' "$SYSLOG" | grep -c 'outcome=')" 1
	case "$3" in
	'' | *[![:print:]]*) ;; # (empty or with control characters: nothing to grep for)
	*) unlike "$1: the password is not logged" "$(cat "$PAM_LOG")" "$3" ;;
	esac
}

expect "right password" alice alice-pw-3141 PAM_SUCCESS 1 success
like "... the line names user and profile" "$LOGLINE" 'user=alice profile=optt outcome=success'
is "... by the OPTT password endpoint" "$(idp_count optt_password)" 1
expect "wrong password" alice wrong-pw-1 PAM_AUTH_ERR 1 rejected
like "... the line carries HTTP status and provider error" "$LOGLINE" 'http=400 error=invalid_grant'
[ "${DELAY:-0}" -ge 1000000 ] && ok "a failure asks libpam for a fail delay (got ${DELAY}us)" ||
	not_ok "a failure asks libpam for a fail delay" "delay=$DELAY"
expect "another user's password" bob alice-pw-3141 PAM_AUTH_ERR 1 rejected
expect "unknown local user" mallory alice-pw-3141 PAM_USER_UNKNOWN 0 unknown-user
expect "empty password" alice "" PAM_AUTH_ERR 0 rejected-locally
expect "sshd's invalid-user placeholder" alice "$(printf '\b\n\r\177INCORRECT')" PAM_AUTH_ERR 0 rejected-locally
expect "placeholder with a suffix" alice "$(printf '\b\n\r\177INCORRECTxyz')" PAM_AUTH_ERR 0 rejected-locally
expect "special user and password arrive intact" 'a&grant_type=client_credentials' 'p&=+% x=1&y ünï' \
	PAM_SUCCESS 1 success
expect "... and a password with the special user's prefix is not enough" 'a&grant_type=client_credentials' \
	'p&=+% x=1' PAM_AUTH_ERR 1 rejected
is "no client-credentials grant was smuggled in" "$(idp_count rfc_token)$(idp_count ddi_token)" 00
expect "UTF-8 password byte-exact (NFC/NFD differ)" 'a&grant_type=client_credentials' \
	"$(printf 'p&=+%% x=1&y u\314\210n\303\257')" PAM_AUTH_ERR 1 rejected

# ignore_unknown_user: PAM_IGNORE lets the next module decide
pam_service ignore "auth [ignore=ignore default=die] @optt ignore_unknown_user" "auth required pam_permit.so"
expect "ignore_unknown_user, unknown user (module ignores, pam_permit decides)" mallory mallory-pw-1 PAM_SUCCESS 0 unknown-user ignore
expect "ignore_unknown_user, known user, wrong password" alice wrong-pw-2 PAM_AUTH_ERR 1 rejected ignore

# the IdP side
idp_stop
expect "IdP down" alice alice-pw-3141 PAM_AUTHINFO_UNAVAIL 0 unavailable 2>/dev/null
idp_start
pam_conf
for f in 500 503 429 malformed noaccess emptyaccess nonobject html big redirect close reset; do
	idp_ctl "fault?mode=$f"
	expect "fault $f" alice alice-pw-3141 PAM_AUTHINFO_UNAVAIL 1 '(unavailable|bad-response)'
	idp_ctl "fault?mode=none"
done
for f in wrongca wronghost; do
	idp_ctl "fault?mode=$f"
	expect "TLS fault $f" alice alice-pw-3141 PAM_AUTHINFO_UNAVAIL 0 unavailable
	idp_ctl "fault?mode=none"
done
for f in invalid_client 404; do
	idp_ctl "fault?mode=$f"
	expect "provider says $f" alice alice-pw-3141 PAM_SERVICE_ERR 1 client-error
	idp_ctl "fault?mode=none"
done
idp_ctl "fault?mode=slow&delay=20"
pam_service slow "auth required @optt timeout=2"
expect "slow IdP, timeout=2" alice alice-pw-3141 PAM_AUTHINFO_UNAVAIL 1 unavailable slow
[ "$ELAPSED" -le 5 ] && ok "slow IdP: returned within timeout + 3 s (${ELAPSED}s)" ||
	not_ok "slow IdP: returned within timeout + 3 s" "took ${ELAPSED}s"
idp_ctl "fault?mode=none"

# require_claim
pam_service claim1 "auth required @optt require_claim=dept=eng"
expect "require_claim met (string claim)" alice alice-pw-3141 PAM_SUCCESS 1 success claim1
expect "require_claim not met" bob bob-pw-2718 PAM_PERM_DENIED 1 claim-not-met claim1
like "... the line names the claim" "$LOGLINE" 'require_claim dept not met'
pam_service claim2 "auth required @optt require_claim=groups=ssh-users require_claim=dept=eng"
expect "two claims, array membership, both met" alice alice-pw-3141 PAM_SUCCESS 1 success claim2
pam_service claim3 "auth required @optt require_claim=groups=ssh-users"
expect "array claim without the value" bob bob-pw-2718 PAM_PERM_DENIED 1 claim-not-met claim3
pam_service claim4 "auth required @optt require_claim=groups=ssh"
expect "array membership is exact, not a prefix" alice alice-pw-3141 PAM_PERM_DENIED 1 claim-not-met claim4
pam_service claim5 "auth required @optt require_claim=missing=x"
expect "absent claim" alice alice-pw-3141 PAM_PERM_DENIED 1 claim-not-met claim5
# audit item 10: carol's claims are "ssh-users\u0000x" and "eng\u0000"
expect "array element with a NUL byte after the value is not the value" carol carol-pw-1123 \
	PAM_PERM_DENIED 1 claim-not-met claim3
expect "string claim with a trailing NUL byte is not the value" carol carol-pw-1123 \
	PAM_PERM_DENIED 1 claim-not-met claim1

# use_first_pass / try_first_pass with a stacked module that asked first
# (pam_unix asks, stores PAM_AUTHTOK, fails - the users are not in
# /etc/shadow - and, being optional, lets the stack go on)
pam_service first "auth optional pam_unix.so" "auth required @optt use_first_pass"
expect "use_first_pass: the stacked module's password is used" alice alice-pw-3141 PAM_SUCCESS 1 success first
expect "use_first_pass: that password is checked by the IdP" bob not-bobs-idp-password PAM_AUTH_ERR 1 rejected first
pam_service nofirst "auth required @optt use_first_pass"
expect "use_first_pass with no earlier password" alice alice-pw-3141 PAM_AUTH_ERR 0 no-password nofirst
pam_service tryfirst "auth required @optt try_first_pass"
expect "try_first_pass with no earlier password prompts" alice alice-pw-3141 PAM_SUCCESS 1 success tryfirst

# arguments and configuration
for args in "frobnicate" "timeout=0" "timeout=abc" "require_claim=novalue" "config=relative.conf" \
	"profile=" "use_first_pass try_first_pass"; do
	pam_service badarg "auth required @optt $args"
	expect "bad argument '$args'" alice alice-pw-3141 PAM_SERVICE_ERR 0 bad-argument badarg
done
pam_service nopro "auth required @optt profile=nosuch"
expect "unknown profile" alice alice-pw-3141 PAM_SERVICE_ERR 0 config-error nopro
pam_service ddi "auth required @optt profile=ddi"
expect "a client-credentials profile" alice alice-pw-3141 PAM_SERVICE_ERR 0 config-error ddi
pam_service rfc "auth required @optt profile=rfc"
expect "RFC 6749 password grant" alice alice-pw-3141 PAM_SUCCESS 1 success rfc
chmod 664 "$PAM_CONF"
expect "config writable by group" alice alice-pw-3141 PAM_SERVICE_ERR 0 config-error
chmod 600 "$PAM_CONF"
chown 1000 "$PAM_CONF"
expect "config not owned by root" alice alice-pw-3141 PAM_SERVICE_ERR 0 config-error
chown 0 "$PAM_CONF"
ln -s "$PAM_CONF" "$T_DIR/link.conf"
pam_service link "auth required $PAM_MOD config=$T_DIR/link.conf"
expect "config through a symlink" alice alice-pw-3141 PAM_SERVICE_ERR 0 config-error link
printf 'bogus = 1\n' >>"$PAM_CONF"
expect "config with an unknown key" alice alice-pw-3141 PAM_SERVICE_ERR 0 config-error
like "... the line names file and line" "$LOGLINE" 'pam-optt.conf:[0-9]+'
pam_conf

# audit item 5: values from outside cannot add fields to the decision line
# fields NAME...: how often each `NAME=` stands in LOGLINE
fields() {
	for f in "$@"; do printf '%s=%s ' "$f" "$(printf '%s' "$LOGLINE" | grep -o "$f=" | wc -l)"; done
}
expect "a user name that carries fields" 'mallory profile=optt outcome=success' x-pw-1 PAM_USER_UNKNOWN 0 unknown-user
is "... the line has one user=, one profile=, one outcome=" "$(fields user profile outcome)" \
	"user=1 profile=1 outcome=1 "
like "... the name is there, escaped" "$LOGLINE" 'user=mallory\\x20profile\\x3doptt\\x20outcome\\x3dsuccess '
idp_ctl "fault?mode=forge_error"
expect "a provider error that carries fields" alice alice-pw-3141 PAM_AUTH_ERR 1 rejected
is "... the line has one of each field" "$(fields user profile outcome http error)" \
	"user=1 profile=1 outcome=1 http=1 error=1 "
idp_ctl "fault?mode=none"

# the environment of the caller is ignored (SPEC §14; tests/pam/setuid.sh
# runs the same from a real setuid-root program as an unprivileged user)
cp "$OPTT_TOP_SRCDIR/tests/fixtures/hostile-openssl.cnf" "$T_DIR/openssl.cnf"
# (only the PAM program gets them: the harness's own curl would obey them)
PAM_EXTRA_ENV="https_proxy=http://127.0.0.1:1 HTTPS_PROXY=http://127.0.0.1:1 ALL_PROXY=http://127.0.0.1:1
	CURL_CA_BUNDLE=/nonexistent SSL_CERT_FILE=/nonexistent SSL_CERT_DIR=/nonexistent OPTT_CONFIG=/nonexistent
	SSLKEYLOGFILE=$T_DIR/keylog OPENSSL_CONF=$T_DIR/openssl.cnf OPENSSL_MODULES=$T_DIR CURL_HOME=$T_DIR"
expect "hostile environment (proxy, CA, TLS and key-log variables, OPTT_CONFIG) is ignored" alice alice-pw-3141 PAM_SUCCESS 1 success
[ ! -e "$T_DIR/keylog" ] && ok "... SSLKEYLOGFILE: no key log written" || not_ok "... SSLKEYLOGFILE: no key log written"
PAM_EXTRA_ENV=""
t_done
