#!/bin/sh
# The Part II defects found by the second audit (issue 20, SPEC §19),
# through real libpam (pam_wrapper): one block per defect, each of which
# failed before its fix.  The session hand-off (defect 6) is in
# session.sh, the rejection rule (defect 5) in offline.sh, every feature
# at once in combos.sh.
. "$OPTT_TOP_SRCDIR/tests/lib.sh"
. "$OPTT_TOP_SRCDIR/tests/pam/pam-env.sh"
need pamtester stat sha256sum
idp_start
# pam_conf plus an issuer-only password profile and a device profile whose
# issuer is known
conf_all() {
	pam_conf
	cat >>"$PAM_CONF" <<EOC

[profile iss]
grant = password
issuer = $IDP_URL/rfc

[profile deviss]
grant = device
issuer = $IDP_URL/rfc
client_id = rfc-public
EOC
}
conf_all
BACKOFF="$PAM_STATE/run/backoff"

# expect DESC SERVICE USER PASSWORD CODE REQUESTS OUTCOME
expect() {
	pam_auth "$2" "$3" "$4"
	is "$1: $5" "$CODE" "$5"
	is "$1: $6 request(s) reached the IdP" "$REQS" "$6"
	like "$1: outcome=$7" "$LOGLINE" "outcome=$7( |:|$)"
}

# --- 1. an issuer-only profile with outage_backoff= and offline= (was a
# SIGSEGV on every login: the back-off name and the verifier binding
# hashed the unset token_url)
pam_service iss "auth required @optt profile=iss offline=7 outage_backoff=60"
pam_service iss_nooff "auth required @optt profile=iss outage_backoff=60"
expect "issuer-only, offline= outage_backoff=, provider up" iss alice alice-pw-3141 PAM_SUCCESS 1 success
like "... discovery then the grant" "$(idp_count discovery) $(idp_count rfc_token)" '^1 1$'
idp_stop
expect "... provider down: the verifier" iss alice alice-pw-3141 PAM_SUCCESS 0 offline-success
name=$(printf '%s' "$IDP_URL/rfc" | sha256sum | cut -d' ' -f1)
[ -f "$BACKOFF/$name" ] && ok "... the back-off is recorded under the issuer's name" ||
	not_ok "... the back-off is recorded under the issuer's name" "$(ls -la "$BACKOFF" 2>&1)"
expect "... inside the back-off: the verifier, no request" iss alice alice-pw-3141 PAM_SUCCESS 0 offline-success
expect "... without offline=: unavailable, no crash" iss_nooff alice alice-pw-3141 PAM_AUTHINFO_UNAVAIL 0 unavailable
rm -rf "$PAM_STATE"
idp_start
conf_all

# --- 2. back-off first, then a session hand-off (the back-off made
# run_dir 0755 as a by-product; the hand-off then refused it until reboot)
pam_service bs "auth required @optt offline=7 outage_backoff=2 session_token"
idp_ctl "fault?mode=503&count=1"
expect "outage first (run_dir made by the back-off)" bs alice alice-pw-3141 PAM_AUTHINFO_UNAVAIL 1 unavailable
is "... run_dir: root's, 711" "$(stat -c '%u %a' "$PAM_STATE/run" 2>&1)" "0 711"
is "... run_dir/backoff: root's, 700" "$(stat -c '%u %a' "$BACKOFF" 2>&1)" "0 700"
rm -f "$BACKOFF"/*
expect "then an online login" bs alice alice-pw-3141 PAM_SUCCESS 1 success
is "... run_dir/session: root's, 711" "$(stat -c '%u %a' "$PAM_STATE/run/session" 2>&1)" "0 711"
[ -s "$PAM_STATE/run/session/1000@optt" ] && ok "... the token was handed over" ||
	not_ok "... the token was handed over" "$SYSLOG"
unlike "... no warning about run_dir" "$SYSLOG" "not handed over"

# --- 3. offline lockout under concurrency: the failure is counted before
# the password is checked, under a lock (40 parallel guesses got 26-40
# checks with offline_max_failures=5)
pam_service lock "auth required @optt offline=7 offline_max_failures=5"
expect "a verifier for the guesses" lock alice alice-pw-3141 PAM_SUCCESS 1 success
idp_stop
i=0
pids=""
while [ $i -lt 40 ]; do
	printf 'guess-%s' "$i" | pam_env "$PAMDRIVE" lock alice >"$T_DIR/g.out.$i" 2>"$T_DIR/g.log.$i" &
	pids="$pids $!"
	i=$((i + 1))
done
for p in $pids; do wait "$p"; done
rejected=$(cat "$T_DIR"/g.log.* | grep -c 'outcome=offline-rejected')
locked=$(cat "$T_DIR"/g.log.* | grep -c 'outcome=offline-locked')
is "40 parallel wrong guesses: 40 answers" "$((rejected + locked))" 40
is "... 4 said wrong, the 5th and every later one locked" "$rejected $locked" "4 36"
like "... the verifier counts exactly 5 failures" "$(cat "$PAM_STATE/offline/optt@alice")" '^failures 5$'
expect "... the right password is locked out too" lock alice alice-pw-3141 PAM_MAXTRIES 0 offline-locked
idp_start
conf_all

# --- 4. only an outage starts the back-off for everyone: transport
# failures and 502/503/504; a 429, a 500 or any answer of the device
# endpoint is that login's alone (one 429 used to start it for all)
pam_service bo "auth required @optt offline=7 outage_backoff=60"
pam_service bodev "auth required @optt profile=pwdev flow=password,device outage_backoff=60"
expect "fresh verifiers (this IdP's port is new): alice" bo alice alice-pw-3141 PAM_SUCCESS 1 success
expect "... and bob" bo bob bob-pw-2718 PAM_SUCCESS 1 success
for f in 429 500; do
	idp_ctl "fault?mode=$f&count=1"
	expect "HTTP $f for one login" bo alice alice-pw-3141 PAM_SUCCESS 1 offline-success
	[ -n "$(ls "$BACKOFF" 2>/dev/null)" ] && not_ok "... starts no back-off" "$(ls "$BACKOFF")" ||
		ok "... starts no back-off"
	expect "... the next login asks the provider" bo bob bob-pw-2718 PAM_SUCCESS 1 success
done
idp_ctl "account?user=bob"
idp_ctl "fault?mode=429&count=1"
expect "one account's 429" bo alice alice-pw-3141 PAM_SUCCESS 1 offline-success
expect "... then an account disabled at the provider: rejected, no offline login" bo bob bob-pw-2718 \
	PAM_AUTH_ERR 1 rejected
idp_ctl "account?user=bob&password=bob-pw-2718"
for f in 429 500; do
	idp_ctl "fault?mode=$f&count=1&endpoint=rfc_device"
	device_login bodev root none ""
	[ -n "$(ls "$BACKOFF" 2>/dev/null)" ] && not_ok "device endpoint answers $f (empty password for root): no back-off" ||
		ok "device endpoint answers $f (empty password for root): no back-off"
done
expect "... the next password login asks the provider" bo alice alice-pw-3141 PAM_SUCCESS 1 success
for f in 502 503 504; do
	idp_ctl "fault?mode=$f&count=1"
	expect "HTTP $f (the gateway: an outage)" bo alice alice-pw-3141 PAM_SUCCESS 1 offline-success
	expect "... the back-off holds the next login" bo alice alice-pw-3141 PAM_SUCCESS 0 offline-success
	rm -f "$BACKOFF"/*
done

# --- 7. OPENSSL_CONF has no effect whatever touches OpenSSL first (with
# offline= and outage_backoff= a digest came before the hermetic window)
rm -f "$BACKOFF"/*
cp "$OPTT_TOP_SRCDIR/tests/fixtures/hostile-openssl.cnf" "$T_DIR/openssl.cnf"
PAM_EXTRA_ENV="OPENSSL_CONF=$T_DIR/openssl.cnf"
expect "OPENSSL_CONF with offline= outage_backoff=" bo alice alice-pw-3141 PAM_SUCCESS 1 success
PAM_EXTRA_ENV=

# --- 8. discovered endpoints must be https: a document naming plain http
# on a loopback port made root post the password there in clear
python3 - "$T_DIR/listener" >/dev/null 2>&1 <<'EOP' &
import socket, sys, os
d = sys.argv[1]
os.makedirs(d, exist_ok=True)
s = socket.socket()
s.bind(("127.0.0.1", 0))
s.listen(8)
with open(d + "/port.tmp", "w") as f:
    f.write(str(s.getsockname()[1]))
os.rename(d + "/port.tmp", d + "/port")
while True:
    c, _ = s.accept()
    data = c.recv(65536)
    with open(d + "/hit", "ab") as f:
        f.write(data or b"(connected)")
    c.close()
EOP
T_PIDS="$T_PIDS $!"
i=0
until [ -s "$T_DIR/listener/port" ] || [ $i -gt 100 ]; do sleep 0.1; i=$((i + 1)); done
LPORT=$(cat "$T_DIR/listener/port")
rm -f "$BACKOFF"/*
idp_ctl "config?discovery_token_endpoint=http://127.0.0.1:$LPORT/token"
d0=$(idp_count discovery)
pam_service iss_plain "auth required @optt profile=iss"
expect "discovery names an http token endpoint" iss_plain alice alice-pw-3141 PAM_AUTHINFO_UNAVAIL 0 bad-response
is "... after the discovery request" "$(($(idp_count discovery) - d0))" 1
like "... refused as not https" "$LOGLINE" 'token_endpoint refused \(not https\)'
[ -e "$T_DIR/listener/hit" ] && not_ok "... nothing reached the http port" "$(head -c 300 "$T_DIR/listener/hit")" ||
	ok "... nothing reached the http port"
idp_ctl "config?discovery_token_endpoint="

# --- 9. the device binding's ID token is checked (iss, aud, exp)
idp_ctl "config?device_interval=1&device_expires=20"
pam_service deviss "auth required @optt profile=deviss flow=device"
device_login deviss alice alice
is "device login, a good ID token: success" "$CODE" "successfully authenticated"
for f in iss aud exp; do
	idp_ctl "fault?mode=idtoken_$f&endpoint=device_id_token"
	device_login deviss alice alice
	is "an ID token with a wrong $f: refused" "$CODE" "Permission denied"
	like "... PAM_PERM_DENIED, saying why" "$LOGLINE" "outcome=claim-not-met.*the ID token .*\\($f\\)"
	idp_ctl "fault?mode=none"
done
t_done
