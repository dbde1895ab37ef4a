#!/bin/sh
# The ledger's writer under injected failures (the --enable-failinject
# build; SPEC §15 "a process killed in the middle of a write leaves the old
# or the new ledger"): a first login that registers a new name, with the
# Nth write, fsync and rename failing (EIO) and, separately, the process
# SIGKILLed at that point, for every N the path reaches.  After each try
# every ledger file is the old one or the new one (each line parses, the
# new name is in all three or in none of passwd), the lock is free, and a
# clean login after it registers the name.  A refresh that cannot be
# written is only logged - unless groups come from the token (SPEC §16):
# then the login is refused rather than run with an earlier token's groups.
. "$OPTT_TOP_SRCDIR/tests/lib.sh"
. "$OPTT_TOP_SRCDIR/tests/nss/nss-env.sh"
idp_start
nss_conf "register = yes"
PW=nss-pw-4242
REP="$T_DIR/fi.report"
FAILS="$T_DIR/fi.fails"
: >"$FAILS"
pam_drive nssu-base "$PW"
is "a first user is registered (the old ledger)" "$CODE" PAM_SUCCESS

# the ledger is well-formed: 7, 4 and 6 fields, no temp file after the next writer
check_files() { # NAME: lines of problems on stdout
	awk -F: 'NF != 7 { print FILENAME ": " $0 }' "$NS/ledger/passwd"
	awk -F: 'NF != 4 { print FILENAME ": " $0 }' "$NS/ledger/group"
	awk -F: 'NF != 6 { print FILENAME ": " $0 }' "$NS/ledger/state"
	for f in passwd group state; do
		grep -q '^nssu-base:' "$NS/ledger/$f" || echo "$f lost nssu-base"
	done
}
k=0
for kind in WRITE FSYNC RENAME; do
	for mode in fail kill; do
		n=1
		while [ $n -lt 200 ]; do
			k=$((k + 1))
			name="nssu-fi$k"
			rm -f "$REP"
			printf '%s' "$PW" | in_ns env LD_PRELOAD="$NS_PRELOAD" ASAN_OPTIONS=detect_leaks=0 \
				"OPTT_FAIL_$kind=$n" ${mode:+$([ "$mode" = kill ] && echo OPTT_FAIL_KILL=1)} \
				OPTT_FAIL_REPORT="$REP" "$PAMDRIVE" --confdir "$NS/pamdrive.d" optt "$name" \
				>"$T_DIR/o" 2>"$T_DIR/e"
			rc=$?
			grep -q '^unreached' "$REP" 2>/dev/null && break
			if [ "$mode" = kill ] && [ $rc -ne 137 ]; then
				echo "$kind-$mode N=$n: not killed (rc $rc)" >>"$FAILS"
			fi
			if [ "$mode" = fail ] && grep -q '^PAM_SUCCESS' "$T_DIR/o" && ! grep -q "^$name:" "$NS/ledger/passwd"; then
				echo "$kind-$mode N=$n: PAM_SUCCESS for a name that is not registered" >>"$FAILS"
			fi
			bad=$(check_files)
			[ -n "$bad" ] && echo "$kind-$mode N=$n: $bad" >>"$FAILS"
			in_pw=$(grep -c "^$name:" "$NS/ledger/passwd")
			in_st=$(grep -c "^$name:" "$NS/ledger/state")
			# passwd goes last: a name in passwd is in state too
			[ "$in_pw" = 1 ] && [ "$in_st" != 1 ] && echo "$kind-$mode N=$n: passwd without state" >>"$FAILS"
			# the next writer finds the lock free and the name registrable
			pam_drive "$name" "$PW"
			[ "$CODE" = PAM_SUCCESS ] || echo "$kind-$mode N=$n: the next login: $CODE" >>"$FAILS"
			n=$((n + 1))
		done
		[ $n -gt 1 ] && ok "$kind ($mode): $((n - 1)) on the registration path, each hit once" ||
			not_ok "$kind ($mode): the path reached it" "$(cat "$REP" 2>/dev/null)"
	done
done
is "every try left the old or the new ledger, and the next login worked" "$(cat "$FAILS")" ""
is "no temp file left" "$(ls -A "$NS/ledger" | grep -c '\.tmp$')" 0

# a refresh whose rename fails: logged only, or refused with groups
refresh_failing() { # NAME: sets CODE
	printf '%s' "$PW" | in_ns env LD_PRELOAD="$NS_PRELOAD" ASAN_OPTIONS=detect_leaks=0 OPTT_FAIL_RENAME=1 \
		"$PAMDRIVE" --confdir "$NS/pamdrive.d" optt "$1" >"$T_DIR/o" 2>"$T_DIR/e"
	CODE=$(cut -d' ' -f1 "$T_DIR/o")
}
refresh_failing nssu-base
is "a registered user's refresh cannot be written, no groups configured: PAM_SUCCESS (logged)" "$CODE" PAM_SUCCESS
nss_conf "register = yes
group_map = ADMIN:sudo"
idp_claims nssu-grp access '{"authorities": ["ADMIN"]}'
pam_drive nssu-grp "$PW"
is "with group_map: nssu-grp registered with sudo" "$CODE:$(ledger_file group | grep -c '^sudo:x:[0-9]*:nssu-grp$')" "PAM_SUCCESS:1"
idp_claims nssu-grp access '{"authorities": []}'
refresh_failing nssu-grp
is "... ADMIN dropped, the refresh cannot be written: PAM_SYSTEM_ERR (no session with the old groups)" "$CODE" PAM_SYSTEM_ERR
pam_drive nssu-grp "$PW"
is "... the next login writes it: sudo gone" "$CODE:$(ledger_file group | grep -c nssu-grp,)$(ledger_file group | grep -c ':nssu-grp$')" \
	"PAM_SUCCESS:00"
t_done
