#!/bin/sh
# The example stacks of pam_optt(8), through real libpam (pam_wrapper for
# the service directory only) with the system's users and real pam_unix:
# what each does for an OPTT user and for a local admin while the provider
# is up, unavailable, and with a broken configuration.
. "$OPTT_TOP_SRCDIR/tests/lib.sh"
. "$OPTT_TOP_SRCDIR/tests/pam/pam-env.sh"
need useradd userdel chpasswd
PAM_REAL_NSS=1
OPTT_USER=optt-stk    # an account at the IdP, no local password
ADMIN=optt-stkadm     # a local password, no account at the IdP
ADMIN_PW=adm-local-pw-4242
for u in $OPTT_USER $ADMIN; do test_user "$u"; done
printf '%s:%s\n' "$ADMIN" "$ADMIN_PW" | chpasswd && ok "$ADMIN has a local password" ||
	not_ok "$ADMIN has a local password"
idp_start
pam_conf

# The stacks exactly as pam_optt(8) prints them (@optt: the module + config=).
pam_service a \
	"auth [success=done default=die] @optt profile=optt" \
	"auth requisite pam_deny.so"
pam_service b \
	"auth [success=done default=ignore] pam_unix.so" \
	"auth [success=done default=die] @optt profile=optt use_first_pass" \
	"auth requisite pam_deny.so"
pam_service c \
	"auth [success=done default=ignore] pam_unix.so" \
	"auth [success=done default=die] @optt profile=optt use_first_pass timeout=5 outage_backoff=120" \
	"auth requisite pam_deny.so"
for s in a b c; do
	missing=""
	while IFS= read -r line; do
		line=$(printf '%s' "$line" | sed "s|$PAM_MOD config=$PAM_CONF|pam_optt.so|")
		grep -Fxq "$line" "$OPTT_TOP_SRCDIR/man/pam_optt.8.in" || missing="$missing|$line"
	done <"$PAM_DIR/$s"
	is "stack ($s) is, line by line, the one pam_optt(8) shows" "$missing" ""
done

# row STACK CONDITION USER PASSWORD CODE REQUESTS
row() {
	pam_auth "$1" "$3" "$4"
	is "($1) $2, $3: $5" "$CODE" "$5"
	is "($1) $2, $3: $6 request(s) reached the IdP" "$REQS" "$6"
}
broken() {
	pam_conf
	printf 'no_such_key = 1\n' >>"$PAM_CONF"
}

# (a) OPTT users only
row a "IdP up" $OPTT_USER stk-pw-5151 PAM_SUCCESS 1
row a "IdP up" $OPTT_USER wrong-pw-1 PAM_AUTH_ERR 1
row a "IdP up" $ADMIN $ADMIN_PW PAM_AUTH_ERR 1
idp_ctl "fault?mode=503"
row a "IdP unavailable" $OPTT_USER stk-pw-5151 PAM_AUTHINFO_UNAVAIL 1
row a "IdP unavailable" $ADMIN $ADMIN_PW PAM_AUTHINFO_UNAVAIL 1
idp_ctl "fault?mode=none"
broken
row a "broken config" $OPTT_USER stk-pw-5151 PAM_SERVICE_ERR 0
row a "broken config" $ADMIN $ADMIN_PW PAM_SERVICE_ERR 0
pam_conf

# (b) OPTT users plus local admins: the local password always works, and
# never reaches the IdP
for s in b c; do
	row $s "IdP up" $OPTT_USER stk-pw-5151 PAM_SUCCESS 1
	row $s "IdP up" $OPTT_USER wrong-pw-1 PAM_AUTH_ERR 1
	row $s "IdP up" $ADMIN $ADMIN_PW PAM_SUCCESS 0
	row $s "IdP up" $ADMIN wrong-pw-2 PAM_AUTH_ERR 1
	idp_ctl "fault?mode=503"
	row $s "IdP unavailable" $OPTT_USER stk-pw-5151 PAM_AUTHINFO_UNAVAIL 1
	row $s "IdP unavailable" $ADMIN $ADMIN_PW PAM_SUCCESS 0
	if [ $s = c ]; then
		# sudo: the outage back-off answers the next OPTT user at once
		row $s "IdP unavailable, again" $OPTT_USER stk-pw-5151 PAM_AUTHINFO_UNAVAIL 0
		[ "$ELAPSED" -le 1 ] && ok "(c) ... at once (${ELAPSED}s)" || not_ok "(c) ... at once" "${ELAPSED}s"
	fi
	idp_ctl "fault?mode=none"
	broken
	row $s "broken config" $OPTT_USER stk-pw-5151 PAM_SERVICE_ERR 0
	row $s "broken config" $ADMIN $ADMIN_PW PAM_SUCCESS 0
	pam_conf
done
t_done
