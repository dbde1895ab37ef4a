#!/bin/sh
# SPEC §19 "every combination ... and [users] register works in any order
# of first use", for names that exist only at the provider: every PAM
# option at once (offline=, outage_backoff=, session_token,
# flow=password,device, the session line) with register = yes, through
# real libpam (pamtester), the system's NSS and libnss_optt.so.2 in a
# private mount namespace (nss-env.sh).  Each story takes a new name and
# runs its steps in another order of first use; the user's own programs
# (staged copies) claim the login's token under the UID the ledger gives.
. "$OPTT_TOP_SRCDIR/tests/lib.sh"
. "$OPTT_TOP_SRCDIR/tests/nss/nss-env.sh"
need pamtester setpriv stat
idp_start
idp_ctl "config?device_interval=1&device_expires=20"
chmod 711 "$T_DIR" # the users reach run_dir, their configuration and the CA
chmod 755 "$T_DIR/idp"
stage_for_users
RUN="$T_DIR/state/run"
OFF="$T_DIR/state/offline"
cat >"$NS/etc-optt/optt.conf" <<EOC
[defaults]
cafile = $IDP_CA
timeout = 5
offline_dir = $OFF
run_dir = $RUN

[profile pwdev]
grant = password
token_url = $IDP_URL/rfc/token
device_authorization_url = $IDP_URL/rfc/device
client_id = rfc-public

[users]
register = yes
ssh_first_login = no
EOC
chmod 644 "$NS/etc-optt/optt.conf"
cp -a /etc/pam.d "$NS/pam.d"
cat >"$NS/pam.d/optt-combo" <<EOP
auth     required  $PAM_MOD_PATH config=$NS_CONF profile=pwdev offline=7 outage_backoff=60 session_token flow=password,device
account  required  pam_permit.so
session  optional  $PAM_MOD_PATH config=$NS_CONF profile=pwdev
EOP
PW=nss-pw-4242

# pt USER ANSWER OPS...: pamtester in the namespace; sets CODE (its exit status), OUT, REQS
pt() {
	n0=$(idp_count total)
	u=$1 ans=$2
	shift 2
	printf '%s\n' "$ans" | in_ns env LD_PRELOAD="$NS_PRELOAD" ASAN_OPTIONS=detect_leaks=0 \
		pamtester -v optt-combo "$u" "$@" >"$T_DIR/pt.out" 2>&1
	CODE=$?
	OUT=$(cat "$T_DIR/pt.out")
	REQS=$(($(idp_count total) - n0))
}
# as_user CMD...: the user's own program under the ledger's UID, in the
# namespace (its name comes from libnss_optt); sets RC, OUT, REQS
as_user() {
	n0=$(idp_count total)
	in_ns setpriv --reuid="$UID_N" --regid="$UID_N" --clear-groups env -C "$STAGE" -i \
		HOME="$UH" XDG_RUNTIME_DIR="$UR" OPTT_CONFIG="$UH/optt.conf" "$@" </dev/null >"$T_DIR/u.out" 2>&1
	RC=$?
	OUT=$(cat "$T_DIR/u.out")
	REQS=$(($(idp_count total) - n0))
}
registered() { grep -q "^$N:" "$NS/ledger/passwd" 2>/dev/null; }

# --- the steps; $N is the story's name, $S its label
step_outage() {
	idp_ctl "fault?mode=503&count=1"
	# (real libpam without a syslog here: the exit status and the state tell)
	if registered && [ -f "$OFF/pwdev@$N" ]; then want=0 out="the verifier logs in"; else want=1 out="refused"; fi
	pt "$N" "$PW" authenticate
	is "$S: outage: $out" "$CODE" "$want"
	lines=$(cat "$NS/ledger/passwd" 2>/dev/null)
	pt "$N" "$PW" authenticate
	is "$S: ... inside the back-off: no request, the ledger unchanged" "$REQS:$(cat "$NS/ledger/passwd" 2>/dev/null)" "0:$lines"
}
step_recover() {
	idp_ctl "fault?mode=none"
	rm -f "$RUN/backoff/"*
	ok "$S: recovery"
}
# the user's side, once the name has a UID
user_side() {
	UID_N=$(grep "^$N:" "$NS/ledger/passwd" | cut -d: -f3)
	UH="$T_DIR/u-$N" UR="$T_DIR/u-$N/run"
	[ -d "$UR" ] && return 0
	mkdir -p "$UR"
	printf '[defaults]\ncafile = %s\ncache = file\nrun_dir = %s\n[profile pwdev]\ngrant = password\ntoken_url = %s/rfc/token\nclient_id = rfc-public\n' \
		"$IDP_CA" "$RUN" "$IDP_URL" >"$UH/optt.conf"
	chown -R "$UID_N:$UID_N" "$UH"
	chmod 700 "$UH" "$UR"
	chmod 600 "$UH/optt.conf"
}
step_online() {
	pt "$N" "$PW" authenticate
	is "$S: online: success" "$CODE" 0
	is "$S: ... one request" "$REQS" 1
	registered && ok "$S: ... registered" || not_ok "$S: ... registered" "$OUT"
	user_side
	[ -f "$OFF/pwdev@$N" ] && ok "$S: ... a verifier" || not_ok "$S: ... a verifier"
	is "$S: ... the token handed over, the user's 600" "$(stat -c '%u %a' "$RUN/session/$UID_N@pwdev" 2>&1)" "$UID_N 600"
}
step_device() {
	: >"$T_DIR/pt.out"
	n0=$(idp_count total)
	printf '\n\n' | in_ns env LD_PRELOAD="$NS_PRELOAD" ASAN_OPTIONS=detect_leaks=0 \
		pamtester -v optt-combo "$N" authenticate >"$T_DIR/pt.out" 2>&1 &
	pid=$!
	i=0
	until grep -q 'enter the code\|pamtester: \(Auth\|succ\|Perm\)' "$T_DIR/pt.out" || [ $i -gt 100 ]; do
		sleep 0.1
		i=$((i + 1))
	done
	idp_ctl "device?action=approve&user=$N"
	wait "$pid"
	CODE=$?
	is "$S: device (empty password): success" "$CODE" 0
	registered && ok "$S: ... registered by the device grant" || not_ok "$S: ... registered" "$(cat "$T_DIR/pt.out")"
	user_side
	[ -s "$RUN/session/$UID_N@pwdev" ] && ok "$S: ... the token handed over" || not_ok "$S: ... the token handed over"
}
step_claim() {
	as_user "$STAGE/optt-token" get pwdev
	[ "$RC" = 0 ] && ok "$S: claim: the user's optt-token get, exit 0" ||
		not_ok "$S: claim: the user's optt-token get, exit 0" "exit $RC" "$OUT"
	is "$S: ... no request" "$REQS" 0
	[ -s "$RUN/session/$UID_N@pwdev" ] && not_ok "$S: ... the hand-off emptied" || ok "$S: ... the hand-off emptied"
}
step_logout() {
	as_user "$STAGE/optt-token" logout pwdev
	is "$S: logout: exit 0" "$RC" 0
	[ -s "$RUN/session/$UID_N@pwdev" ] && not_ok "$S: ... no hand-off left" || ok "$S: ... no hand-off left"
}
step_close() {
	pt "$N" "" open_session close_session
	is "$S: a session closes: exit 0" "$CODE" 0
	if [ -e "$RUN/session/$UID_N@pwdev" ] && [ ! -s "$RUN/session/$UID_N@pwdev" ]; then
		not_ok "$S: ... an emptied record is removed"
	else ok "$S: ... an emptied record is removed (or none was left)"; fi
}
step_reboot() {
	rm -rf "$RUN"
	ok "$S: reboot (run_dir removed)"
}

n=0
for order in "outage recover online claim outage recover logout close" \
	"device outage recover online close claim" \
	"online reboot outage recover device claim logout" \
	"reboot device claim online outage recover close"; do
	n=$((n + 1))
	N="nssu-combo$n-$$"
	S="$N: $(printf '%s' "$order" | tr ' ' '-')"
	for s in $order; do "step_$s"; done
	is "$S: the ledger holds the name once" "$(grep -c "^$N:" "$NS/ledger/passwd")" 1
done
t_done
