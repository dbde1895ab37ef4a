#!/bin/sh
# 1,000 authentications in one process; libpam loads and unloads the
# module every time (pam_start/pam_end).  In the sanitizer build this runs
# under ASan with LeakSanitizer on: no leak, no crash.  RSS is reported.
. "$OPTT_TOP_SRCDIR/tests/lib.sh"
. "$OPTT_TOP_SRCDIR/tests/pam/pam-env.sh"
idp_start
pam_conf
pam_service optt "auth required @optt"
export ASAN_OPTIONS="detect_leaks=1:exitcode=23"
export LSAN_OPTIONS="print_suppressions=0"
for pw in alice-pw-3141 wrong-pw-3; do
	n0=$(idp_count optt_token)
	printf '%s' "$pw" | pam_env /usr/bin/time -f 'maxrss_kb=%M' "$PAMDRIVE" optt alice 1000 \
		>"$T_DIR/loop.out" 2>"$T_DIR/loop.err"
	rc=$?
	is "1000 authentications ($pw): exit 0 (no crash, no leak report)" "$rc" 0
	[ $rc -ne 0 ] && grep -A15 -E 'ERROR: (Leak|Address)Sanitizer' "$T_DIR/loop.err" | head -40 | sed 's/^/# /'
	want=PAM_SUCCESS
	[ "$pw" = alice-pw-3141 ] || want=PAM_AUTH_ERR
	like "... every one $want" "$(cat "$T_DIR/loop.out")" "^$want "
	is "... 1000 requests" "$(($(idp_count optt_token) - n0))" 1000
	echo "# $(grep maxrss "$T_DIR/loop.err")"
done
t_done
