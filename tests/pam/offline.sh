#!/bin/sh
# SPEC §11 through real libpam (pam_wrapper): offline login from a yescrypt
# verifier while the provider is unavailable, its lockout, what deletes or
# voids it, and the outage back-off (no request inside the window).
. "$OPTT_TOP_SRCDIR/tests/lib.sh"
. "$OPTT_TOP_SRCDIR/tests/pam/pam-env.sh"
need stat
idp_start
pam_conf
pam_service off "auth required @optt offline=7 offline_max_failures=3"
VER="$PAM_STATE/offline/optt@alice"

# expect DESC SERVICE USER PASSWORD CODE REQUESTS OUTCOME
expect() {
	pam_auth "$2" "$3" "$4"
	is "$1: $5" "$CODE" "$5"
	is "$1: $6 request(s) reached the IdP" "$REQS" "$6"
	like "$1: outcome=$7" "$LOGLINE" "outcome=$7( |:|$)"
	unlike "$1: the password is not logged" "$(cat "$PAM_LOG")" "$4"
}

# --- the verifier: made by an online success, root's, no password in it
[ -e "$VER" ] && not_ok "no verifier before the first login" || ok "no verifier before the first login"
expect "online login" off alice alice-pw-3141 PAM_SUCCESS 1 success
[ -f "$VER" ] && ok "an online success leaves a verifier" || not_ok "an online success leaves a verifier"
is "verifier: owner root, mode 600" "$(stat -c '%u %a' "$VER" 2>&1)" "0 600"
is "verifier directory: owner root, mode 700" "$(stat -c '%u %a' "$PAM_STATE/offline" 2>&1)" "0 700"
v=$(cat "$VER" 2>/dev/null)
unlike "the verifier does not hold the password" "$v" alice-pw-3141
like "the verifier is a yescrypt hash (crypt(3), \$y\$)" "$v" '^hash \$y\$[./A-Za-z0-9]+\$[./A-Za-z0-9]+\$[./A-Za-z0-9]{43}$'
for algo in md5 sha1 sha256 sha512; do
	d=$(printf '%s' alice-pw-3141 | openssl dgst -"$algo" -r | cut -d' ' -f1)
	unlike "... not a plain $algo digest of it" "$v" "$d"
done
v1=$(sed -n 's/^hash //p' "$VER")
expect "second online login" off alice alice-pw-3141 PAM_SUCCESS 1 success
v2=$(sed -n 's/^hash //p' "$VER")
[ -n "$v1" ] && [ "$v1" != "$v2" ] && ok "each online success makes a fresh salt" ||
	not_ok "each online success makes a fresh salt" "$v1" "$v2"

# --- provider unavailable: the verifier decides
for f in 503 500 429; do
	idp_ctl "fault?mode=$f"
	expect "HTTP $f, right password" off alice alice-pw-3141 PAM_SUCCESS 1 offline-success
	idp_ctl "fault?mode=none"
done
idp_ctl "fault?mode=503"
expect "unavailable, wrong password" off alice wrong-pw-1 PAM_AUTH_ERR 1 offline-rejected
expect "unavailable, right password resets the count" off alice alice-pw-3141 PAM_SUCCESS 1 offline-success
like "... failures back to 0" "$(cat "$VER")" '^failures 0$'
expect "unavailable, another user with no verifier" off bob bob-pw-2718 PAM_AUTHINFO_UNAVAIL 1 unavailable
idp_ctl "fault?mode=malformed"
expect "a 200 with bad JSON does not use the verifier" off alice alice-pw-3141 PAM_AUTHINFO_UNAVAIL 1 bad-response
idp_ctl "fault?mode=none"
idp_stop
expect "IdP down, right password" off alice alice-pw-3141 PAM_SUCCESS 0 offline-success

# --- lockout after offline_max_failures=3 wrong passwords in a row
expect "wrong offline password 1" off alice wrong-pw-1 PAM_AUTH_ERR 0 offline-rejected
expect "wrong offline password 2" off alice wrong-pw-2 PAM_AUTH_ERR 0 offline-rejected
expect "wrong offline password 3 locks" off alice wrong-pw-3 PAM_MAXTRIES 0 offline-locked
expect "locked: even the right password" off alice alice-pw-3141 PAM_MAXTRIES 0 offline-locked
idp_start
pam_conf
expect "IdP back: online success" off alice alice-pw-3141 PAM_SUCCESS 1 success
idp_ctl "fault?mode=503"
expect "... which lifts the lock" off alice alice-pw-3141 PAM_SUCCESS 1 offline-success

# --- SPEC §19: a rejection deletes the verifier only if the rejected
# password is the one it holds (changed at the provider, account disabled)
idp_ctl "fault?mode=none"
expect "IdP up, wrong password" off alice wrong-pw-4 PAM_AUTH_ERR 1 rejected
[ -f "$VER" ] && ok "a wrong password's rejection leaves the verifier" ||
	not_ok "a wrong password's rejection leaves the verifier"
idp_ctl "fault?mode=503"
expect "... which still serves while unavailable" off alice alice-pw-3141 PAM_SUCCESS 1 offline-success
idp_ctl "fault?mode=none"
idp_ctl "account?user=alice&password=alice-new-pw-2718"
expect "the provider rejects the old password" off alice alice-pw-3141 PAM_AUTH_ERR 1 rejected
[ -e "$VER" ] && not_ok "... which deletes the verifier that holds it" ||
	ok "... which deletes the verifier that holds it"
idp_ctl "fault?mode=503"
expect "then unavailable: no offline login" off alice alice-pw-3141 PAM_AUTHINFO_UNAVAIL 1 unavailable
idp_ctl "account?user=alice&password=alice-pw-3141"

# --- too old, other claims, other profile: not used
idp_ctl "fault?mode=none"
expect "online login (fresh verifier)" off alice alice-pw-3141 PAM_SUCCESS 1 success
idp_ctl "fault?mode=503"
PAM_EXTRA_PRELOAD=$FAKETIME_LIB
faketime_watch
[ -n "$FAKETIME_LIB" ] || not_ok "libfaketime is installed (Debian faketime)"
# (days later the IdP's throwaway certificate has expired too: TLS fails, no request)
PAM_EXTRA_ENV="FAKETIME=+8d"
expect "8 days later (offline=7): not used" off alice alice-pw-3141 PAM_AUTHINFO_UNAVAIL 0 unavailable
like "... the log says it is too old" "$LOGLINE" 'older than offline.x3d7 days'
PAM_EXTRA_ENV="FAKETIME=+6d"
expect "6 days later: used" off alice alice-pw-3141 PAM_SUCCESS 0 offline-success
PAM_EXTRA_ENV="" PAM_EXTRA_PRELOAD=""
pam_service claims "auth required @optt offline=7 require_claim=groups=ssh-users"
expect "another require_claim: not used" claims alice alice-pw-3141 PAM_AUTHINFO_UNAVAIL 1 unavailable
like "... the log says why" "$LOGLINE" 'other require_claim'
pam_service rfc "auth required @optt profile=rfc offline=7"
expect "another profile: not used" rfc alice alice-pw-3141 PAM_AUTHINFO_UNAVAIL 1 unavailable
pam_service plain "auth required @optt"
expect "without offline=: unavailable as before" plain alice alice-pw-3141 PAM_AUTHINFO_UNAVAIL 1 unavailable
chown 1000 "$VER"
expect "a verifier not owned by root is ignored" off alice alice-pw-3141 PAM_AUTHINFO_UNAVAIL 1 unavailable
chown 0 "$VER"

# --- outage back-off: no request inside the window, at once
idp_ctl "fault?mode=none"
pam_service bo "auth required @optt outage_backoff=60"
idp_ctl "fault?mode=503&count=1"
expect "first unavailable answer" bo alice alice-pw-3141 PAM_AUTHINFO_UNAVAIL 1 unavailable
BO=$(ls "$PAM_STATE/run/backoff" 2>/dev/null)
[ -n "$BO" ] && ok "the outage is recorded under run_dir/backoff" || not_ok "the outage is recorded under run_dir/backoff"
is "back-off record: owner root, mode 600" "$(stat -c '%u %a' "$PAM_STATE/run/backoff/$BO" 2>&1)" "0 600"
for i in 1 2 3; do
	expect "inside the window, login $i" bo alice alice-pw-3141 PAM_AUTHINFO_UNAVAIL 0 unavailable
	[ "$ELAPSED" -le 1 ] && ok "... answered at once (${ELAPSED}s)" || not_ok "... answered at once" "${ELAPSED}s"
done
like "... the log says why" "$LOGLINE" 'outage back-off'
pam_service bo-off "auth required @optt outage_backoff=60 offline=7"
expect "inside the window with offline=: the verifier, no request" bo-off alice alice-pw-3141 PAM_SUCCESS 0 offline-success
chown 1000 "$PAM_STATE/run/backoff/$BO"
expect "a back-off record not owned by root is ignored" bo alice alice-pw-3141 PAM_SUCCESS 1 success
[ -e "$PAM_STATE/run/backoff/$BO" ] && not_ok "a success clears the back-off" || ok "a success clears the back-off"
idp_ctl "fault?mode=503&count=1"
expect "unavailable again" bo alice alice-pw-3141 PAM_AUTHINFO_UNAVAIL 1 unavailable
PAM_EXTRA_PRELOAD=$FAKETIME_LIB PAM_EXTRA_ENV="FAKETIME=+61s"
expect "after the window the network is tried again" bo alice alice-pw-3141 PAM_SUCCESS 1 success
PAM_EXTRA_ENV="" PAM_EXTRA_PRELOAD=""
[ -e "$PAM_STATE/run/backoff/$BO" ] && not_ok "... and the success clears it" || ok "... and the success clears it"
expect "no back-off left" bo alice alice-pw-3141 PAM_SUCCESS 1 success

# --- arguments
pam_service badarg "auth required @optt offline=0"
expect "offline=0 is refused" badarg alice alice-pw-3141 PAM_SERVICE_ERR 0 bad-argument
pam_service badarg "auth required @optt outage_backoff=soon"
expect "outage_backoff=soon is refused" badarg alice alice-pw-3141 PAM_SERVICE_ERR 0 bad-argument
pam_service badarg "auth required @optt offline_max_failures=-1"
expect "offline_max_failures=-1 is refused" badarg alice alice-pw-3141 PAM_SERVICE_ERR 0 bad-argument
t_done
