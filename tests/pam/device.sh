#!/bin/sh
# SPEC §12 through real libpam (pamtester under pam_wrapper): flow=device
# and flow=password,device.  The instructions are in the prompt text (what
# sshd shows); the user presses Enter, the module polls; the token must be
# the PAM user's (user_claim of the ID token), else PAM_PERM_DENIED;
# denied and expired codes are PAM_AUTH_ERR.  password,device falls back
# to the device grant for an empty answer and for a provider that wants
# more than a password (interaction_required), never for a wrong password.
# With the argument qr the prompt holds the QR code of the direct link.
. "$OPTT_TOP_SRCDIR/tests/lib.sh"
. "$OPTT_TOP_SRCDIR/tests/pam/pam-env.sh"
need pamtester
idp_start
pam_conf
idp_ctl "config?device_interval=1&device_expires=20"
pam_service dev "auth required @optt profile=dev flow=device" "session required pam_permit.so"
pam_service devsess "auth required @optt profile=dev flow=device session_token offline=7" \
	"session required pam_permit.so"
pam_service pwdev "auth required @optt profile=pwdev flow=password,device"
pam_service sub "auth required @optt profile=dev flow=device user_claim=sub"

device_login dev alice alice
like "flow=device: the prompt shows the verification URI and the user code" "$OUT" \
	"To log in, open $IDP_URL/rfc/device/verify and enter the code [0-9]{4}-[0-9]{4}.*then press Enter"
is "flow=device, approved as the PAM user: success" "$CODE" "successfully authenticated"
like "... logged" "$LOGLINE" 'outcome=success.*by the device grant'
is "... no poll sooner than the interval" "$(idp_count device_too_fast)" 0
unlike "... the user code is not in the log" "$(printf '%s\n' "$OUT" | sed -n 's/.*SYSLOG([0-9]*): //p')" "enter the code"
device_login dev alice bob
is "approved as another user: refused" "$CODE" "Permission denied"
like "... PAM_PERM_DENIED, saying why" "$LOGLINE" 'outcome=claim-not-met.*not this user'
device_login dev alice deny
is "denied at the provider: refused" "$CODE" "Authentication failure"
like "... PAM_AUTH_ERR, rejected" "$LOGLINE" 'outcome=rejected.*denied at the provider'
device_login dev alice expire
is "expired: refused" "$CODE" "Authentication failure"
like "... saying so" "$LOGLINE" 'outcome=rejected.*expired'
# the decision line carries the last poll's HTTP status and error, never
# the device start's 200 (issue 20 item 13); a local timeout has none
device_login dev alice deny
like "denied: the last poll's status and error are logged" "$LOGLINE" 'http=400 error=access_denied:'
device_login dev alice expire
like "expired: the last poll's status and error are logged" "$LOGLINE" 'http=400 error=expired_token:'
idp_ctl "config?device_interval=2&device_expires=3"
device_login dev alice none
is "not approved in time (local limit): refused" "$CODE" "Authentication failure"
like "... saying so" "$LOGLINE" 'outcome=rejected.*not approved in time'
unlike "... without the device start's http=200" "$LOGLINE" "http=200"
unlike "... and without an HTTP status at all (no answer ended it)" "$LOGLINE" "http="
idp_ctl "config?device_interval=1&device_expires=20"
device_login sub alice alice
is "user_claim=sub: approved as the user, success" "$CODE" "successfully authenticated"

# device-code phishing (SPEC §19): a verification URI that is not an https
# URL fails the login, and nothing reaches the prompt
for bad in "verification_uri=javascript:alert(1)" "verification_uri_complete=javascript:alert(1)"; do
	idp_ctl "config?$bad"
	device_login dev alice none
	is "$bad: refused (PAM_AUTHINFO_UNAVAIL)" "$CODE" "Authentication service cannot retrieve authentication info"
	unlike "... nothing shown in the prompt" "$OUT" "enter the code"
	unlike "... the URI is nowhere in the output" "$OUT" "javascript"
	like "... logged as a bad response" "$LOGLINE" 'outcome=bad-response.*verification_uri.* not an https URL'
	idp_ctl "config?verification_uri=&verification_uri_complete="
done

# --- password,device
device_login pwdev alice none alice-pw-3141
is "password,device, the right password: success by the password grant" "$CODE" "successfully authenticated"
is "... no device request" "$(printf '%s' "$OUT" | grep -c 'enter the code')" 0
d0=$(idp_count rfc_device)
device_login pwdev alice none wrong-pw-1
is "password,device, a wrong password: refused" "$CODE" "Authentication failure"
is "... and no device request" "$(idp_count rfc_device)" "$d0"
device_login pwdev mfa-user mfa-user mfa-pw-4040
like "the MFA account (interaction_required): the device grant follows" "$OUT" 'enter the code'
is "... approved: success" "$CODE" "successfully authenticated"
device_login pwdev alice alice ""
like "an empty password: the device grant" "$OUT" 'enter the code'
is "... approved: success" "$CODE" "successfully authenticated"

# --- session token for device logins that pass the binding; never a verifier
device_login devsess alice alice
is "flow=device with session_token: success" "$CODE" "successfully authenticated"
[ -s "$PAM_STATE/run/session/1000@dev" ] && ok "... the token handed to the session" ||
	not_ok "... the token handed to the session" "$(ls -R "$PAM_STATE/run" 2>&1)"
[ -e "$PAM_STATE/offline/dev@alice" ] && not_ok "... and no offline verifier" || ok "... and no offline verifier"
rm -f "$PAM_STATE/run/session/1000@dev"
device_login devsess alice bob
is "binding fails: refused" "$CODE" "Permission denied"
[ -e "$PAM_STATE/run/session/1000@dev" ] && not_ok "... no token handed over" || ok "... no token handed over"

# --- qr (SPEC §18): the direct link's QR code in the prompt text, above the
# instructions; libqrencode is loaded only then (tests/symbols.sh: never linked)
need zbarimg
pam_service devqr "auth required @optt profile=dev flow=device qr"
device_login devqr alice alice
is "flow=device qr: success" "$CODE" "successfully authenticated"
uri=$(printf '%s' "$OUT" | grep -o '(or open [^)]*' | cut -d' ' -f3)
like "... the direct link in the prompt" "$uri" 'user_code=[0-9]{4}-[0-9]{4}$'
is "... and its QR code above the instructions (decoded)" \
	"$(printf '%s' "$OUT" | python3 "$OPTT_TOP_SRCDIR/tests/qrdecode.py" 2>&1)" "$uri"
unlike "... never in the log" "$(printf '%s\n' "$OUT" | sed -n 's/.*SYSLOG([0-9]*): //p')" "$(printf '\342\226\210')"
device_login dev alice alice
is "without qr: no block in the prompt" "$(printf '%s\n' "$OUT" | grep -c "$(printf '\342\226\210\342\226\210')")" 0
idp_ctl "config?device_complete=0"
device_login devqr alice alice
is "qr, but the provider gives no direct link: success" "$CODE" "successfully authenticated"
is "... no block" "$(printf '%s\n' "$OUT" | grep -c "$(printf '\342\226\210\342\226\210')")" 0
idp_ctl "config?device_complete=1"

# --- arguments and configuration
pam_service bad1 "auth required @optt profile=dev flow=sms"
pam_auth bad1 alice x
is "flow=sms is refused" "$CODE" PAM_SERVICE_ERR
pam_service bad2 "auth required @optt profile=optt flow=device"
pam_auth bad2 alice x
is "flow=device on a profile without a device endpoint: PAM_SERVICE_ERR" "$CODE" PAM_SERVICE_ERR
is "... and no request" "$REQS" 0
t_done
