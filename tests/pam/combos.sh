#!/bin/sh
# Every PAM option at once (issue 20, SPEC §19): offline=, outage_backoff=,
# session_token, flow=password,device and the session line, on a token_url
# profile and on an issuer-only (discovery) profile, through real libpam.
# The outage -> recovery -> session -> logout story runs in several orders
# of first use, from state directories that do not exist, that exist with
# the modes the packages leave (tmpfiles.d: run_dir 0711; /var/lib/optt
# 0755), and after a reboot (run_dir emptied or gone, the verifiers kept).
# Defects 1, 2 and 4 of issue 20 were each a combination no single-feature
# test made.
. "$OPTT_TOP_SRCDIR/tests/lib.sh"
. "$OPTT_TOP_SRCDIR/tests/pam/pam-env.sh"
need pamtester setpriv stat
idp_start
chmod 711 "$T_DIR" # uid 1000 (alice of the nss_wrapper passwd) reaches run_dir and the CA
chmod 755 "$T_DIR/idp"
pam_conf
cat >>"$PAM_CONF" <<EOC

[profile pwiss]
grant = password
issuer = $IDP_URL/rfc
client_id = rfc-public
EOC
idp_ctl "config?device_interval=1&device_expires=20"
ARGS="offline=7 offline_max_failures=3 outage_backoff=60 session_token flow=password,device debug"
for prof in pwdev pwiss; do
	pam_service "c_$prof" "auth required @optt profile=$prof $ARGS" "account required pam_permit.so" \
		"session optional @optt profile=$prof"
done
RUN="$PAM_STATE/run"
OFF="$PAM_STATE/offline"

# alice's own side: her configuration (same profiles, same run_dir), her
# runtime directory; her programs resolve her name through the same
# nss_wrapper passwd file as the module
A_DIR="$T_DIR/alice"
mkdir -p "$A_DIR/run" "$A_DIR/home"
cat >"$A_DIR/optt.conf" <<EOC
[defaults]
cafile = $IDP_CA
timeout = 5
cache = file
run_dir = $RUN

[profile pwdev]
grant = password
token_url = $IDP_URL/rfc/token
client_id = rfc-public

[profile pwiss]
grant = password
issuer = $IDP_URL/rfc
client_id = rfc-public
EOC
chown -R 1000:1000 "$A_DIR"
chmod 700 "$A_DIR/run" "$A_DIR/home"
chmod 600 "$A_DIR/optt.conf"
stage_for_users # (her programs: a copy she can run, wherever the build tree is)
as_alice() { # CMD...: sets RC, OUT, REQS
	n0=$(idp_count total)
	pam_env setpriv --reuid=1000 --regid=1000 --clear-groups env -C "$STAGE" HOME="$A_DIR/home" \
		XDG_RUNTIME_DIR="$A_DIR/run" OPTT_CONFIG="$A_DIR/optt.conf" "$@" </dev/null >"$T_DIR/a.out" 2>&1
	RC=$?
	OUT=$(cat "$T_DIR/a.out")
	REQS=$(($(idp_count total) - n0))
}

# --- the steps of a story; $P is the profile, $S the story's name
step_outage() { # the gateway says 503: back-off starts; the verifier, if any, logs in
	idp_ctl "fault?mode=503&count=1"
	if [ -f "$OFF/$P@alice" ]; then want=PAM_SUCCESS out=offline-success; else want=PAM_AUTHINFO_UNAVAIL out=unavailable; fi
	pam_auth "c_$P" alice alice-pw-3141
	is "$S: outage: $want" "$CODE" "$want"
	like "$S: ... outcome=$out" "$LOGLINE" "outcome=$out( |:|$)"
	is "$S: ... run_dir 711, backoff/ 700" "$(stat -c '%a' "$RUN" "$RUN/backoff" 2>&1 | tr '\n' ' ')" "711 700 "
	pam_auth "c_$P" alice alice-pw-3141
	is "$S: ... inside the back-off: no request" "$REQS" 0
}
step_recover() { # the fault is gone and the back-off window has passed
	# (its end itself, under faketime: offline.sh)
	idp_ctl "fault?mode=none"
	rm -f "$RUN/backoff/"*
	ok "$S: recovery"
}
step_online() { # the right password: success, a verifier, the session's token
	pam_auth "c_$P" alice alice-pw-3141
	is "$S: online: PAM_SUCCESS" "$CODE" PAM_SUCCESS
	like "$S: ... outcome=success" "$LOGLINE" 'outcome=success( |:|$)'
	unlike "$S: ... no state warning" "$SYSLOG" "not "
	[ -f "$OFF/$P@alice" ] && ok "$S: ... a verifier" || not_ok "$S: ... a verifier"
	is "$S: ... the token handed over: alice's, 600" "$(stat -c '%u %a %s' "$RUN/session/1000@$P" 2>&1 | cut -d' ' -f1,2)" "1000 600"
	is "$S: ... run_dir 711, session/ 711, offline_dir 700" \
		"$(stat -c '%a' "$RUN" "$RUN/session" "$OFF" 2>&1 | tr '\n' ' ')" "711 711 700 "
}
step_device() { # an empty password: the device grant
	device_login "c_$P" alice alice ""
	is "$S: device: success" "$CODE" "successfully authenticated"
	[ -s "$RUN/session/1000@$P" ] && ok "$S: ... the token handed over" ||
		not_ok "$S: ... the token handed over" "$OUT"
}
step_claim() { # alice's own optt-token takes the token: no request
	as_alice "$STAGE/optt-token" get "$P"
	is "$S: claim: optt-token get exit 0" "$RC" 0
	is "$S: ... no request" "$REQS" 0
	[ -s "$RUN/session/1000@$P" ] && not_ok "$S: ... the hand-off emptied" || ok "$S: ... the hand-off emptied"
}
step_logout() {
	as_alice "$STAGE/optt-token" logout "$P"
	is "$S: logout: exit 0" "$RC" 0
	[ -s "$RUN/session/1000@$P" ] && not_ok "$S: ... no hand-off left" || ok "$S: ... no hand-off left"
	as_alice "$STAGE/optt-token" get "$P"
	[ "$RC" != 0 ] && ok "$S: ... then no token, and no request ($REQS)" || not_ok "$S: ... then no token" "$OUT"
}
step_close() { # a session closes: an emptied record goes
	pam_env pamtester "c_$P" alice open_session close_session >"$T_DIR/close.out" 2>&1
	is "$S: close_session: exit 0" "$?" 0
	if [ -e "$RUN/session/1000@$P" ] && [ ! -s "$RUN/session/1000@$P" ]; then
		not_ok "$S: ... an emptied record is removed"
	else ok "$S: ... an emptied record is removed (or none was left)"; fi
}
step_reboot() { # /run is emptied: run_dir goes
	rm -rf "$RUN"
	ok "$S: reboot (run_dir removed)"
}

# state fresh|packaged: where the story starts
state() {
	rm -rf "$PAM_STATE"
	case $1 in
	fresh) ;;
	packaged) # debian/libpam-optt.tmpfiles and .dirs
		mkdir -m 755 "$PAM_STATE"
		mkdir -m 711 "$RUN"
		;;
	esac
	idp_ctl "fault?mode=none"
	as_alice "$STAGE/optt-token" logout "$P"
}

# every order of first use from every starting state; the profile
# alternates (token_url, issuer-only) so each meets each order and state
k=0
for st in fresh packaged rebooted; do
	k=$((k + 1))
	n=$k
	for order in "outage recover online claim outage recover logout close" \
		"online claim outage recover close device claim logout" \
		"device outage recover online close claim" \
		"reboot online outage recover claim close"; do
		n=$((n + 1))
		P=pwdev
		[ $((n % 2)) = 0 ] || P=pwiss
		if [ "$st" = rebooted ]; then
			# the verifiers of an earlier boot are kept; run_dir is made
			# again by tmpfiles.d
			state fresh
			S="$P/rebooted/earlier-boot"
			step_online
			rm -rf "$RUN"
			mkdir -m 711 "$RUN"
		else
			state "$st"
		fi
		S="$P/$st/$(printf '%s' "$order" | tr ' ' '-')"
		for s in $order; do "step_$s"; done
	done
done
t_done
