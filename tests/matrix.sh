#!/bin/sh
# The fault and hostile-environment matrix of docs/SECURITY.md: one row,
# one check per client (PAM module, git helper, docker helper, CLI).
# Expected, for every IdP fault: PAM_AUTHINFO_UNAVAIL (never success);
# git: nothing on stdout, one line on stderr, exit 0; docker: exit 1, one
# line, no Secret; CLI: exit 3 (unavailable) or 4 (bad response); no
# cache record created; all within timeout + 3 s.
. "$OPTT_TOP_SRCDIR/tests/lib.sh"
. "$OPTT_TOP_SRCDIR/tests/pam/pam-env.sh"
. "$OPTT_TOP_SRCDIR/tests/keyring-env.sh"
GITH="$OPTT_TOP_BUILDDIR/git_helper/git-credential-optt"
DOCKH="$OPTT_TOP_BUILDDIR/docker_helper/docker-credential-optt"
idp_start
write_conf "timeout = 2"
sed -i 's/^timeout = 5$//' "$OPTT_CONFIG"
ddi_profile mx 'hosts=git.mx.example.com registry.mx.example.com:5000' >>"$OPTT_CONFIG"
pam_conf "timeout = 2"
pam_service optt "auth required @optt"
REC=$(cache_file mx ab5a442c7d57bd3dcbdc0675e9bdd9f6e6d67d1171b043939ff5)

git_get() {
	printf 'protocol=https\nhost=git.mx.example.com\n' | "$GITH" get >"$T_DIR/g.out" 2>"$T_DIR/g.err"
	G_RC=$? G_OUT=$(cat "$T_DIR/g.out") G_ERR=$(cat "$T_DIR/g.err")
}
docker_get() {
	printf 'registry.mx.example.com:5000\n' | "$DOCKH" get >"$T_DIR/d.out" 2>"$T_DIR/d.err"
	D_RC=$? D_OUT=$(cat "$T_DIR/d.out")
}
# the clock moved with libfaketime (lib.sh's fake_time)
faketime_watch
[ -n "$FAKETIME_LIB" ] || not_ok "libfaketime is installed (Debian faketime)"
elapsed_ok() { [ $(($(date +%s) - $1)) -le 5 ]; }

# fault_row FAULT CLI-EXIT
fault_row() {
	f=$1 want=$2
	idp_ctl "fault?mode=$f"
	rm -f "$REC"
	t0=$(date +%s)
	pam_auth optt alice alice-pw-3141
	is "[$f] PAM: PAM_AUTHINFO_UNAVAIL" "$CODE" PAM_AUTHINFO_UNAVAIL
	git_get
	is "[$f] git: nothing on stdout, exit 0" "$G_RC:$G_OUT" "0:"
	is "[$f] git: one line on stderr" "$(printf '%s\n' "$G_ERR" | grep -c '^optt: ')" 1
	docker_get
	is "[$f] docker: exit 1" "$D_RC" 1
	unlike "[$f] docker: no Secret" "$D_OUT" Secret
	run "$OPTT_TOKEN" get mx
	is "[$f] CLI: exit $want" "$RC" "$want"
	[ ! -e "$REC" ] && ok "[$f] no cache record created" || not_ok "[$f] no cache record created"
	elapsed_ok "$t0" && ok "[$f] all four within timeout + 3 s" || not_ok "[$f] all four within timeout + 3 s"
	idp_ctl "fault?mode=none"
}
for f in 500 503 429 close reset wrongca wronghost; do fault_row "$f" 3; done
for f in malformed noaccess emptyaccess nonobject html big redirect expires_negative expires_garbage; do fault_row "$f" 4; done
idp_ctl "fault?mode=slow&delay=20"
t0=$(date +%s)
pam_auth optt alice alice-pw-3141
is "[slow] PAM: PAM_AUTHINFO_UNAVAIL" "$CODE" PAM_AUTHINFO_UNAVAIL
run "$OPTT_TOKEN" get mx
is "[slow] CLI: exit 3" "$RC" 3
[ $(($(date +%s) - t0)) -le 10 ] && ok "[slow] both within 2 × (timeout + 3 s)" || not_ok "[slow] both within 2 × (timeout + 3 s)"
idp_ctl "fault?mode=none"

# expires_in zero: a token that is already stale is still handed out once
idp_ctl "fault?mode=expires_zero"
rm -f "$REC"
run "$OPTT_TOKEN" get mx
is "[expires_in 0] CLI: exit 0 (the fresh token)" "$RC" 0
n=$(idp_count total)
run "$OPTT_TOKEN" get mx
is "[expires_in 0] the next get asks again" "$(idp_count total)" $((n + 1))
idp_ctl "fault?mode=expires_huge"
rm -f "$REC"
run "$OPTT_TOKEN" get mx
like "[expires_in huge] clamped to ten years" "$(cat "$REC")" '"expires_at":'
[ "$(sed -n 's/.*"expires_at":\([0-9]*\).*/\1/p' "$REC")" -le $(($(date +%s) + 315360000 + 5)) ] &&
	ok "[expires_in huge] ... not beyond" || not_ok "[expires_in huge] ... not beyond"
idp_ctl "fault?mode=none"

# --- the cache, hostile or damaged ---------------------------------------
fresh() { rm -f "$REC"; "$OPTT_TOKEN" get mx >/dev/null 2>&1; }
all_get() { # ROW: each helper answers with a token, the CLI exits 0
	git_get
	like "[$1] git answers" "$G_OUT" '^username=oauth2'
	docker_get
	is "[$1] docker answers" "$D_RC" 0
	run "$OPTT_TOKEN" get mx
	is "[$1] CLI answers" "$RC" 0
}
for damage in corrupt truncated foreign mode; do
	fresh
	case $damage in
	corrupt) printf 'not json at all' >"$REC" ;;
	truncated) head -c 30 "$REC" >"$T_DIR/t" && cat "$T_DIR/t" >"$REC" ;;
	foreign) chown 12345 "$REC" ;;
	mode) chmod 644 "$REC" ;;
	esac
	n=$(idp_count ddi_token)
	all_get "cache record $damage"
	is "[cache record $damage] treated as a miss: one new grant" "$(idp_count ddi_token)" $((n + 1))
	is "[cache record $damage] replaced by a private record of ours" "$(stat -c '%u %a' "$REC")" "0 600"
done
# a symlinked or open cache directory is refused, never followed
mv "$XDG_RUNTIME_DIR/optt" "$T_DIR/elsewhere"
ln -s "$T_DIR/elsewhere" "$XDG_RUNTIME_DIR/optt"
git_get
is "[symlinked cache dir] git: nothing on stdout" "$G_OUT" ""
like "[symlinked cache dir] git: says why" "$G_ERR" 'refused'
docker_get
is "[symlinked cache dir] docker: exit 1" "$D_RC" 1
run "$OPTT_TOKEN" get mx
is "[symlinked cache dir] CLI: exit 3" "$RC" 3
like "[symlinked cache dir] CLI: says why" "$ERR" 'symbolic link'
rm "$XDG_RUNTIME_DIR/optt"
mv "$T_DIR/elsewhere" "$XDG_RUNTIME_DIR/optt"
chmod 755 "$XDG_RUNTIME_DIR/optt"
run "$OPTT_TOKEN" get mx
is "[cache dir mode 755] CLI: exit 3" "$RC" 3
like "[cache dir mode 755] CLI: says how to fix" "$ERR" 'chmod 700'
git_get
is "[cache dir mode 755] git: nothing on stdout" "$G_OUT" ""
chmod 700 "$XDG_RUNTIME_DIR/optt"
# no XDG_RUNTIME_DIR: ~/.cache/optt
(
	unset XDG_RUNTIME_DIR
	git_get
	like "[XDG_RUNTIME_DIR unset] git answers" "$G_OUT" '^username=oauth2'
	docker_get
	is "[XDG_RUNTIME_DIR unset] docker answers" "$D_RC" 0
	run "$OPTT_TOKEN" get mx
	is "[XDG_RUNTIME_DIR unset] CLI answers" "$RC" 0
	[ -d "$HOME/.cache/optt" ] && ok "[XDG_RUNTIME_DIR unset] the cache is in ~/.cache/optt" ||
		not_ok "[XDG_RUNTIME_DIR unset] the cache is in ~/.cache/optt"
	echo "$T_NUM" >"$T_DIR/num"
)
T_NUM=$(cat "$T_DIR/num")

# a process SIGKILLed while it holds the refresh lock: the others go on
fresh
set_default refresh_margin 86400
idp_ctl "fault?mode=latency&delay=3"
"$OPTT_TOKEN" get mx >/dev/null 2>&1 &
victim=$!
sleep 1
kill -9 $victim
wait $victim 2>/dev/null
idp_ctl "fault?mode=none"
t0=$(date +%s)
all_get "lock holder SIGKILLed"
elapsed_ok "$t0" && ok "[lock holder SIGKILLed] no wait on the dead holder" || not_ok "[lock holder SIGKILLed] no wait"
sed -i '/^refresh_margin = /d' "$OPTT_CONFIG"

# the clock: far after the token's expiry -> refresh; far before -> served
fresh
n=$(idp_count ddi_token)
printf 'registry.mx.example.com:5000\n' | fake_time +1h "$DOCKH" get >"$T_DIR/o" 2>&1
like "[clock +1 hour] docker gets a new token" "$(cat "$T_DIR/o")" '"Secret":"[0-9a-f]{20,}"'
is "[clock +1 hour] ... by one new grant" "$(idp_count ddi_token)" $((n + 1))
fresh
n=$(idp_count total)
run fake_time -365d "$OPTT_TOKEN" get mx
is "[clock -1 year] the cached token is served (CLI exit 0)" "$RC" 0
is "[clock -1 year] ... without a request" "$(idp_count total)" "$n"
# issue 20 item 16: in the sanitizer build this get hung for good whenever
# the process had 23 to 30 environment variables (ASan and libfaketime both
# waiting on the allocator's lock): every size from 20 to 34, each bounded
hung=""
for size in $(seq 20 34); do
	set -- HOME="$HOME" XDG_RUNTIME_DIR="$XDG_RUNTIME_DIR" OPTT_CONFIG="$OPTT_CONFIG" PATH="$PATH" $(faketime_vars -365d)
	while [ $# -lt "$size" ]; do set -- "$@" "OPTT_PAD$#=x"; done
	timeout -s KILL 30 env -i "$@" "$OPTT_TOKEN" get mx >/dev/null 2>&1 || hung="$hung $size:exit$?"
done
is "[clock -1 year] with 20 to 34 environment variables: every get ends, exit 0" "$hung" ""

# D-Bus and the keyring
set_default cache keyring
run "$OPTT_TOKEN" get mx
is "[no D-Bus, cache = keyring] CLI: exit 3" "$RC" 3
like "[no D-Bus, cache = keyring] CLI: says why" "$ERR" 'no session bus'
git_get
like "[no D-Bus, cache = keyring] git: says why" "$G_ERR" 'no session bus'
set_default cache auto
all_get "no D-Bus, cache = auto (file)"
keyring_start
dbus-send --session --dest=org.freedesktop.secrets --print-reply /org/freedesktop/secrets \
	org.freedesktop.Secret.Service.Lock array:objpath:/org/freedesktop/secrets/collection/login >/dev/null 2>&1
t0=$(date +%s)
all_get "locked keyring, cache = auto (file)"
elapsed_ok "$t0" && ok "[locked keyring] no prompt, no wait" || not_ok "[locked keyring] no prompt, no wait"
set_default cache keyring
rm -f "$XDG_RUNTIME_DIR"/optt/mx@*
run "$OPTT_TOKEN" get mx
is "[locked keyring, cache = keyring] CLI: exit 3" "$RC" 3
like "[locked keyring, cache = keyring] CLI: says locked" "$ERR" 'locked'
t_done
