#!/bin/sh
# No secret stays in the memory of the process that ran pam_authenticate
# (SPEC §5, audit item 4): after pam_end, pamdrive scans its own writable
# memory for the password and for the tokens the IdP issued (the refresh
# token, the access token and its tail, which OpenSSL's read buffers kept
# before SSL_OP_CLEANSE_PLAINTEXT).  A canary block, freed unwiped by the
# driver itself, shows that the scan sees freed heap.
. "$OPTT_TOP_SRCDIR/tests/lib.sh"
. "$OPTT_TOP_SRCDIR/tests/pam/pam-env.sh"
idp_start
pam_conf
pam_service optt "auth required @optt"
pam_service rfc "auth required @optt profile=rfc"
# SPEC §11: the verifier (crypt_r), the back-off and the session's hand-off
pam_service prod "auth required @optt offline=7 outage_backoff=60 session_token"

# scan SERVICE USER PASSWORD: sets CODE, LEAKS, CANARY
scan() {
	fifo="$T_DIR/needles"
	rm -f "$fifo" "$T_DIR/scan.out"
	mkfifo "$fifo"
	printf '%s' "$3" | pam_env "$PAMDRIVE" --scan "$fifo" "$1" "$2" >"$T_DIR/scan.out" 2>"$PAM_LOG" &
	pid=$!
	i=0
	until [ -s "$T_DIR/scan.out" ] || [ $i -gt 300 ]; do sleep 0.1; i=$((i + 1)); done
	CODE=$(head -1 "$T_DIR/scan.out" | cut -d' ' -f1)
	idp_curl "$IDP_CTL/issued" >"$T_DIR/issued.json" || echo '{}' >"$T_DIR/issued.json"
	python3 - "$3" "$T_DIR/issued.json" >"$fifo" <<'PY'
import json, sys
t = json.load(open(sys.argv[2]))
needles = [sys.argv[1]]
at, rt = t.get("access_token"), t.get("refresh_token")
if at:
    needles += [at, at[-24:]]
if rt:
    needles.append(rt)
sys.stdout.write("\n".join(needles))
PY
	wait "$pid"
	CANARY=$(sed -n 's/^canary=//p' "$T_DIR/scan.out")
	LEAKS=$(sed -n 's/^leaks=//p' "$T_DIR/scan.out")
}

for svc in optt rfc; do
	idp_ctl reset
	scan "$svc" alice alice-pw-3141
	is "[$svc] right password: PAM_SUCCESS" "$CODE" PAM_SUCCESS
	is "[$svc] the scan finds a freed unwiped block (it can see the heap)" "$CANARY" 1
	is "[$svc] password, access token, its tail, refresh token: none left in memory" "$LEAKS" 0
	scan "$svc" alice wrong-pw-5
	is "[$svc] wrong password: PAM_AUTH_ERR" "$CODE" PAM_AUTH_ERR
	is "[$svc] ... the wrong password is not left in memory" "$LEAKS" 0
done
idp_ctl reset
scan prod alice alice-pw-3141
is "[prod] online login with offline=, session_token: PAM_SUCCESS" "$CODE" PAM_SUCCESS
is "[prod] password, tokens: none left in memory (verifier made, token handed over)" "$LEAKS" 0
idp_ctl "fault?mode=503"
scan prod alice alice-pw-3141
is "[prod] offline login: PAM_SUCCESS" "$CODE" PAM_SUCCESS
is "[prod] ... the password is not left in memory (verifier checked)" "$LEAKS" 0
scan prod alice wrong-pw-6
is "[prod] wrong offline password: PAM_AUTH_ERR" "$CODE" PAM_AUTH_ERR
is "[prod] ... not left in memory" "$LEAKS" 0
idp_ctl "fault?mode=none"
t_done
