#!/bin/sh
# SPEC §4: concurrent processes for one expired record take the record lock
# first, so N simultaneous lookups cause exactly one request.
. "$OPTT_TOP_SRCDIR/tests/lib.sh"
idp_start
write_conf

idp_ctl "config?lifetime=30"          # expires_in < refresh_margin (60): stale at once
login_alice optt
is "login exit 0" "$RC" 0
idp_ctl "config?lifetime=3600"
idp_ctl "fault?mode=latency&delay=0.5"   # a slow refresh keeps the others waiting

pids=""
for i in 1 2 3 4 5 6 7 8; do
	"$OPTT_TOKEN" get optt >"$T_DIR/get.$i.out" 2>"$T_DIR/get.$i.err" &
	pids="$pids $!"
done
fails=0
for p in $pids; do wait "$p" || fails=$((fails + 1)); done
idp_ctl "fault?mode=none"
is "8 concurrent gets all succeed" "$fails" 0
is "8 concurrent gets on an expired record: exactly one refresh" "$(idp_count optt_refresh)" 1
is "... and no other token request" "$(idp_count optt_token)" 2
distinct=$(cat "$T_DIR"/get.*.out | sort -u | wc -l)
is "all 8 printed the same fresh token" "$distinct" 1

# the same for a client-credentials profile with no record at all
pids=""
for i in 1 2 3 4 5 6 7 8; do
	"$OPTT_TOKEN" get ddi >/dev/null 2>&1 &
	pids="$pids $!"
done
for p in $pids; do wait "$p"; done
is "8 concurrent first gets (client credentials): exactly one grant" "$(idp_count ddi_token)" 1

# different records do not wait for each other's lock
idp_ctl "fault?mode=latency&delay=4&endpoint=octo_apilogin"
"$OPTT_TOKEN" login octo >/dev/null 2>&1 &
slow=$!
sleep 0.5
run "$OPTT_TOKEN" login rfc
is "another profile's login is not blocked by a slow one" "$RC" 0
if kill -0 "$slow" 2>/dev/null; then ok "... it finished while the slow one still waits"; else
	not_ok "... it finished while the slow one still waits"; fi
wait $slow
idp_ctl "fault?mode=none"
t_done
