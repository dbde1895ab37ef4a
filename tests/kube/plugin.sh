#!/bin/sh
# SPEC §18: optt-token kube PROFILE, kubectl's credential plugin, without
# kubectl (tests/kube/kubectl.sh runs the real one).  The ExecCredential
# for both API versions (the fields of the client.authentication.k8s.io
# schema, RFC 3339 UTC, the token's expiry less refresh_margin), from the
# cache (the front alone) and past it (the full CLI: a grant, a refresh);
# the version kubectl names in KUBERNETES_EXEC_INFO, else v1beta1; no
# usable token and interactive false or missing: one line naming the
# login command, nothing on stdout, exit 1 (3 unavailable), never a
# prompt even on a terminal; interactive true on a terminal: the device
# grant's instructions, or user name and password, then the credential.
. "$OPTT_TOP_SRCDIR/tests/lib.sh"
need python3 strace
idp_start
write_conf
device_profile dev >>"$OPTT_CONFIG"
V1='client.authentication.k8s.io/v1'
V1B='client.authentication.k8s.io/v1beta1'
# check_cred DESC JSON API TOKEN EXPECTED-EXPIRY-EPOCH: the ExecCredential's fields
check_cred() {
	got=$(printf '%s' "$2" | python3 -c '
import datetime, json, re, sys
d = json.load(sys.stdin)
st = d["status"]
ts = st["expirationTimestamp"]
assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", ts), ts
epoch = int(datetime.datetime.strptime(ts, "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=datetime.timezone.utc).timestamp())
print(d["apiVersion"], d["kind"], type(d.get("spec", {})).__name__, sorted(st), st["token"], epoch)' 2>&1)
	is "$1" "$got" "$3 ExecCredential dict ['expirationTimestamp', 'token'] $4 $5"
}
record_expiry() { python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["expires_at"])' "$(cache_file "$1" "$2")"; }

# --- past the cache: a client-credentials grant through the full CLI
n=$(idp_count total)
run "$OPTT_TOKEN" kube ddi
is "kube ddi, nothing cached: exit 0" "$RC" 0
is "... one grant" "$(($(idp_count total) - n))" 1
tok=$("$OPTT_TOKEN" get ddi)
exp=$(($(record_expiry ddi ab5a442c7d57bd3dcbdc0675e9bdd9f6e6d67d1171b043939ff5) - 60))
check_cred "... a v1beta1 ExecCredential: the cached token, its expiry less refresh_margin (60 s)" "$OUT" "$V1B" "$tok" "$exp"
is "... nothing on stderr" "$ERR" ""
# --- cached: the front alone, no request
n=$(idp_count total)
run "$OPTT_TOKEN" kube ddi
check_cred "cached: the same credential" "$OUT" "$V1B" "$tok" "$exp"
is "... no request" "$(($(idp_count total) - n))" 0
export KUBERNETES_EXEC_INFO="{\"kind\":\"ExecCredential\",\"apiVersion\":\"$V1\",\"spec\":{\"interactive\":false}}"
run "$OPTT_TOKEN" kube ddi
check_cred "KUBERNETES_EXEC_INFO names v1: a v1 ExecCredential" "$OUT" "$V1" "$tok" "$exp"
export KUBERNETES_EXEC_INFO="{\"kind\":\"ExecCredential\",\"apiVersion\":\"$V1B\",\"spec\":{}}"
run "$OPTT_TOKEN" kube ddi
check_cred "... names v1beta1 (kubectl 1.20's, no interactive): v1beta1" "$OUT" "$V1B" "$tok" "$exp"
export KUBERNETES_EXEC_INFO="{\"apiVersion\":\"client.authentication.k8s.io/v1alpha1\"}"
run "$OPTT_TOKEN" kube ddi
check_cred "... names another version: v1beta1" "$OUT" "$V1B" "$tok" "$exp"
export KUBERNETES_EXEC_INFO="not json"
run "$OPTT_TOKEN" kube ddi
is "KUBERNETES_EXEC_INFO that is not JSON: exit 2, nothing on stdout" "$RC:$OUT" "2:"
like "... says so" "$ERR" '^optt: KUBERNETES_EXEC_INFO is not a JSON object$'
unset KUBERNETES_EXEC_INFO
run "$OPTT_TOKEN" --config "$OPTT_CONFIG" kube ddi
check_cred "--config before kube (the front reads it too)" "$OUT" "$V1B" "$tok" "$exp"
# the cached answer is the front's alone: no optt-cli, no request
strace -f -qq -e trace=execve -o "$T_DIR/exec.trace" "$OPTT_TOKEN" kube ddi >/dev/null 2>&1
is "... the front answered alone (one execve: itself)" "$(grep -c 'execve(' "$T_DIR/exec.trace")" 1
# a refresh: the full CLI under the record's lock, once
python3 - "$(cache_file ddi ab5a442c7d57bd3dcbdc0675e9bdd9f6e6d67d1171b043939ff5)" <<'PY'
import json, sys
r = json.load(open(sys.argv[1])); r["expires_at"] = 0; json.dump(r, open(sys.argv[1], "w"))
PY
n=$(idp_count total)
run "$OPTT_TOKEN" kube ddi
is "an expired record: exit 0" "$RC" 0
is "... one request (a new grant: ddi has no refresh token)" "$(($(idp_count total) - n))" 1
tok2=$("$OPTT_TOKEN" get ddi)
[ "$tok2" != "$tok" ] && ok "... a new token" || not_ok "... a new token"
check_cred "... in the credential" "$OUT" "$V1B" "$tok2" "$(($(record_expiry ddi ab5a442c7d57bd3dcbdc0675e9bdd9f6e6d67d1171b043939ff5) - 60))"
set_default refresh_margin 300
run "$OPTT_TOKEN" kube ddi
check_cred "refresh_margin = 300: the expiry less 300 s" "$OUT" "$V1B" "$tok2" "$(($(record_expiry ddi ab5a442c7d57bd3dcbdc0675e9bdd9f6e6d67d1171b043939ff5) - 300))"
sed -i '/^refresh_margin = /d' "$OPTT_CONFIG"

# --- no usable token, not interactive: one line, exit 1, no prompt
for info in "" "{\"apiVersion\":\"$V1B\",\"spec\":{}}" "{\"apiVersion\":\"$V1\",\"spec\":{\"interactive\":false}}"; do
	n=$(idp_count total)
	KUBERNETES_EXEC_INFO=$info run "$OPTT_TOKEN" kube optt
	is "password profile, no token, info '${info:-unset}': exit 1, nothing on stdout" "$RC:$OUT" "1:"
	is "... one line naming the login command" "$ERR" "optt: no token for profile optt; run: optt-token login optt"
	is "... no request" "$(($(idp_count total) - n))" 0
done
# on a terminal too (the prompt would wait for an answer that never comes)
cat >"$T_DIR/never" <<'EOS'
#!/bin/sh
exit 0
EOS
chmod 755 "$T_DIR/never"
KUBERNETES_EXEC_INFO="{\"apiVersion\":\"$V1\",\"spec\":{\"interactive\":false}}" \
	run timeout 30 python3 "$OPTT_TOP_SRCDIR/tests/ptyrun.py" --when "Password" --run "$T_DIR/never" -- "$OPTT_TOKEN" kube dev
is "device profile on a terminal, interactive false: exit 1" "$RC" 1
is "... one line naming the login command, no instructions" "$(printf '%s' "$OUT" | tr -d '\r')" \
	"optt: no token for profile dev; run: optt-token login dev"
is "... and no device request" "$(idp_count rfc_device)" 0
KUBERNETES_EXEC_INFO="{\"apiVersion\":\"$V1\",\"spec\":{\"interactive\":false}}" \
	run timeout 30 python3 "$OPTT_TOP_SRCDIR/tests/ptyrun.py" --when "Password" --run "$T_DIR/never" -- "$OPTT_TOKEN" kube optt
is "password profile on a terminal, interactive false: exit 1, no prompt" "$RC:$(printf '%s' "$OUT" | tr -d '\r')" \
	"1:optt: no token for profile optt; run: optt-token login optt"

# --- interactive true on a terminal: the device grant's instructions, then the credential
idp_ctl "config?device_interval=1&device_expires=30"
approve=$(idp_approve_script alice)
KUBERNETES_EXEC_INFO="{\"apiVersion\":\"$V1\",\"spec\":{\"interactive\":true}}" \
	run timeout 60 python3 "$OPTT_TOP_SRCDIR/tests/ptyrun.py" --when "enter the code" --run "$approve" -- "$OPTT_TOKEN" kube dev
is "device profile, interactive true, on a terminal: exit 0 once approved" "$RC" 0
like "... the instructions were shown" "$OUT" "To log in, open $IDP_URL/rfc/device/verify and enter the code [0-9]{4}-[0-9]{4}"
cred=$(printf '%s\n' "$OUT" | tr -d '\r' | grep '^{')
check_cred "... then the v1 credential" "$cred" "$V1" "$("$OPTT_TOKEN" get dev)" \
	"$(($(record_expiry dev rfc-public) - 60))"

# ... a password profile: user name and password asked on the terminal
n=$(idp_count total)
KUBERNETES_EXEC_INFO="{\"apiVersion\":\"$V1\",\"spec\":{\"interactive\":true}}" \
	run timeout 60 python3 "$OPTT_TOP_SRCDIR/tests/ptyrun.py" --reply "User name for optt: " alice \
	--reply "Password for alice@optt: " alice-pw-3141 -- "$OPTT_TOKEN" kube optt
is "password profile, interactive true, on a terminal: exit 0" "$RC" 0
like "... asked for the user name, then the password" "$(printf '%s' "$OUT" | tr -d '\r' | tr '\n' ' ')" \
	'User name for optt: alice Password for alice@optt: '
unlike "... the password not echoed" "$OUT" "alice-pw-3141"
cred=$(printf '%s\n' "$OUT" | tr -d '\r' | grep '^{')
check_cred "... then the credential" "$cred" "$V1" "$("$OPTT_TOKEN" get optt)" "$(($(record_expiry optt alice) - 60))"
is "... one grant" "$(($(idp_count total) - n))" 1
# the terminal goes quiet before the password prompt shows: an answer
# typed at once is neither echoed nor flushed away (it was, by TCSAFLUSH,
# when the prompt came first: a hang one run in a few)
"$OPTT_TOKEN" logout optt >/dev/null 2>&1
KUBERNETES_EXEC_INFO="{\"apiVersion\":\"$V1\",\"spec\":{\"interactive\":true}}" \
	run timeout 60 python3 "$OPTT_TOP_SRCDIR/tests/ptyrun.py" --reply "User name for optt: " alice \
	--reply "Password for alice@optt: " alice-pw-3141 -- env ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0" \
	strace -f -qq -e trace=ioctl,write -o "$T_DIR/prompt.trace" "$OPTT_TOKEN" kube optt
is "... again, traced: exit 0" "$RC" 0
order=$(grep -nE 'TCSETSF|write\([0-9]+, "Password for' "$T_DIR/prompt.trace" | sed -E 's/^[0-9]+:.*(TCSETSF).*/quiet/; s/^[0-9]+:.*Password for.*/prompt/' | head -2 | tr '\n' ' ')
is "... echo off (TCSETSF), then the password prompt" "$order" "quiet prompt "

# --- unavailable, unknown profile
"$OPTT_TOKEN" logout ddi >/dev/null 2>&1
idp_ctl "fault?mode=503"
run "$OPTT_TOKEN" kube ddi
is "provider unavailable: exit 3, nothing on stdout" "$RC:$OUT" "3:"
is "... one line" "$(printf '%s\n' "$ERR" | wc -l)" 1
idp_ctl "fault?mode=none"
run "$OPTT_TOKEN" kube nosuch
is "an unknown profile: exit 2" "$RC:$OUT" "2:"
like "... names the profiles" "$ERR" "no profile 'nosuch' \\(profiles: "
run "$OPTT_TOKEN" kube ddi extra
is "two profiles: a usage error" "$RC" 2
t_done
