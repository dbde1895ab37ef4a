#!/bin/sh
# Injected failures (the --enable-failinject build, with ASan + LSan):
# for every N along the path, the Nth allocation fails once, and the Nth
# libcurl call, and for the helper the Nth read and write of the cache:
# never a crash, never a leak, never
# PAM_SUCCESS for a wrong password, never a token printed that the IdP
# does not hold live, the cache old or new (never torn, never losing its
# refresh token); kubectl's plugin prints a whole live credential or
# nothing.
. "$OPTT_TOP_SRCDIR/tests/lib.sh"
. "$OPTT_TOP_SRCDIR/tests/pam/pam-env.sh"
idp_start
pam_conf
pam_service optt "auth required @optt"
export ASAN_OPTIONS="detect_leaks=1:exitcode=86"
REP="$T_DIR/fi.report"
FAILS="$T_DIR/fi.fails"
: >"$FAILS"
live() { idp_curl -o /dev/null -H "Authorization: Bearer $1" "$IDP_CTL/introspect"; }

# fi_loop NAME KIND CHECK-FUNCTION: N = 1, 2, ... until the report says
# the Nth was never reached; CHECK runs after each attempt (RC, OUT, ERR set)
fi_loop() {
	name=$1 kind=$2 check=$3
	n=1
	while [ $n -lt 100000 ]; do
		rm -f "$REP"
		FI_N=$n
		"$check" run
		grep -q '^unreached' "$REP" 2>/dev/null && break
		grep -q '^hit' "$REP" 2>/dev/null || echo "$name: N=$n: no report (crashed?) rc=$RC $(printf '%s' "$ERR" | grep -m1 -E 'ERROR|SUMMARY')" >>"$FAILS"
		if [ "$RC" = 86 ] || printf '%s' "$ERR" | grep -qE 'ERROR: (Address|Leak|Undefined)Sanitizer|runtime error'; then
			echo "$name: N=$n: sanitizer report: $(printf '%s' "$ERR" | grep -m2 -E 'ERROR|SUMMARY|runtime error' | tr '\n' ' ')" >>"$FAILS"
		fi
		"$check" verify
		n=$((n + 1))
	done
	[ $n -gt 1 ] && ok "$name: $((n - 1)) ${kind}s on the path, each failed once" ||
		not_ok "$name: the path was exercised" "$(cat "$REP" 2>/dev/null)"
	bad=$(grep -c "^$name:" "$FAILS")
	is "$name: no crash, no sanitizer report, every check held" "$bad" 0
	[ "$bad" != 0 ] && grep "^$name:" "$FAILS" | head -10 | sed 's/^/# /'
}

pam_check_right() {
	case $1 in
	run) printf '%s' alice-pw-3141 >"$T_DIR/pw" && run_pam <"$T_DIR/pw" ;;
	verify) case $OUT in PAM_*) ;; *) echo "pam-right: N=$FI_N: no PAM code ($OUT)" >>"$FAILS" ;; esac ;;
	esac
}
pam_check_wrong() {
	case $1 in
	run) printf '%s' wrong-pw-5 >"$T_DIR/pw" && run_pam <"$T_DIR/pw" ;;
	verify)
		case $OUT in PAM_SUCCESS*) echo "$name: N=$FI_N: PAM_SUCCESS for a wrong password" >>"$FAILS" ;; PAM_*) ;;
		*) echo "$name: N=$FI_N: no PAM code ($OUT)" >>"$FAILS" ;; esac ;;
	esac
}
run_pam() {
	env "${FI_VAR:-OPTT_FAIL_ALLOC}=$FI_N" OPTT_FAIL_REPORT="$REP" sh -c 'exec "$@"' - \
		env LD_PRELOAD="$PAM_PRELOAD" PAM_WRAPPER=1 PAM_WRAPPER_SERVICE_DIR="$PAM_DIR" PAM_WRAPPER_DEBUGLEVEL=2 \
		NSS_WRAPPER_PASSWD="$T_DIR/passwd" NSS_WRAPPER_GROUP="$T_DIR/group" "$PAMDRIVE" "${PAM_SVC:-optt}" alice \
		>"$T_DIR/o" 2>"$T_DIR/e"
	RC=$?
	OUT=$(cat "$T_DIR/o")
	ERR=$(cat "$T_DIR/e")
}
fi_loop pam-right allocation pam_check_right
fi_loop pam-wrong allocation pam_check_wrong
FI_VAR=OPTT_FAIL_CURL
fi_loop pam-wrong-curl "libcurl call" pam_check_wrong
FI_VAR=OPTT_FAIL_ALLOC
# SPEC §11: the verifier and the session's hand-off on the online path
# (no back-off here: an injected failure that reads as an outage would
# switch the later runs to the offline path); then the offline path, with
# the IdP unavailable and the back-off running
pam_service prod "auth required @optt offline=7 session_token"
PAM_SVC=prod
fi_loop pam-prod-right allocation pam_check_right
FI_VAR=OPTT_FAIL_WRITE
fi_loop pam-prod-right-write write pam_check_right
FI_VAR=OPTT_FAIL_ALLOC
fi_loop pam-prod-wrong allocation pam_check_wrong
FI_N=0
printf '%s' alice-pw-3141 >"$T_DIR/pw" && run_pam <"$T_DIR/pw"
like "a clean login makes the verifier again" "$OUT" "^PAM_SUCCESS"
pam_service offline "auth required @optt offline=7 outage_backoff=60"
PAM_SVC=offline
idp_ctl "fault?mode=503"
fi_loop pam-offline-right allocation pam_check_right
fi_loop pam-offline-wrong allocation pam_check_wrong
idp_ctl "fault?mode=none"
PAM_SVC=optt

# the git helper's obtain path: an expired record, a refresh, the store
write_conf
set_default refresh_margin 86400
login_alice
REC=$(cache_file optt alice)
helper_check() { # allocation|write|read|curl, run|verify
	case $2 in
	run)
		printf 'protocol=https\nhost=git.example.com\n' >"$T_DIR/in"
		case $1 in allocation) var=OPTT_FAIL_ALLOC ;; *) var=OPTT_FAIL_$(echo "$1" | tr a-z A-Z) ;; esac
		env "$var=$FI_N" OPTT_FAIL_REPORT="$REP" "$OPTT_TOP_BUILDDIR/git_helper/optt-git-helper" get \
			<"$T_DIR/in" >"$T_DIR/o" 2>"$T_DIR/e"
		RC=$?
		OUT=$(cat "$T_DIR/o")
		ERR=$(cat "$T_DIR/e")
		;;
	verify)
		[ "$RC" = 0 ] || echo "helper-$1: N=$FI_N: exit $RC" >>"$FAILS"
		if [ -n "$OUT" ]; then
			tok=$(printf '%s\n' "$OUT" | sed -n 's/^password=//p')
			printf '%s\n' "$OUT" | grep -qE '^password_expiry_utc=[0-9]+$' && [ -n "$tok" ] && live "$tok" ||
				echo "helper-$1: N=$FI_N: printed something that is not a live token answer" >>"$FAILS"
		fi
		python3 -c 'import json,sys; r=json.load(open(sys.argv[1])); assert r["refresh_token"] and r["access_token"]' \
			"$REC" 2>/dev/null || echo "helper-$1: N=$FI_N: cache record torn or lost its tokens" >>"$FAILS"
		;;
	esac
}
helper_alloc() { helper_check allocation "$1"; }
helper_write() { helper_check write "$1"; }
helper_read() { helper_check read "$1"; }
helper_curl() { helper_check curl "$1"; }
fi_loop helper-allocation allocation helper_alloc
fi_loop helper-write write helper_write
fi_loop helper-read read helper_read
fi_loop helper-curl "libcurl call" helper_curl
# kubectl's plugin (issue 24): the front's cached answer, and its hand-over
# to optt-cli (which inherits the injection): a whole live credential or
# nothing on stdout, never a crash or a leak
sed -i '/^refresh_margin = /d' "$OPTT_CONFIG"
"$OPTT_TOKEN" login ddi >/dev/null 2>&1
kube_check() { # allocation|read, run|verify
	case $2 in
	run)
		case $1 in allocation) var=OPTT_FAIL_ALLOC ;; *) var=OPTT_FAIL_READ ;; esac
		env "$var=$FI_N" OPTT_FAIL_REPORT="$REP" "$OPTT_TOKEN" kube ddi >"$T_DIR/o" 2>"$T_DIR/e" </dev/null
		RC=$?
		OUT=$(cat "$T_DIR/o")
		ERR=$(cat "$T_DIR/e")
		;;
	verify)
		if [ -n "$OUT" ]; then
			tok=$(printf '%s' "$OUT" | python3 -c 'import json,sys; d=json.load(sys.stdin); assert d["kind"] == "ExecCredential"; print(d["status"]["token"])' 2>/dev/null)
			[ "$RC" = 0 ] && [ -n "$tok" ] && live "$tok" ||
				echo "kube-$1: N=$FI_N: printed something that is not a whole live credential (rc=$RC)" >>"$FAILS"
		elif [ "$RC" = 0 ]; then
			echo "kube-$1: N=$FI_N: exit 0 with nothing on stdout" >>"$FAILS"
		fi
		;;
	esac
}
kube_alloc() { kube_check allocation "$1"; }
kube_read() { kube_check read "$1"; }
fi_loop kube-allocation allocation kube_alloc
fi_loop kube-read read kube_read
# the docker helper's credential file: a failed write leaves the old file
printf '{"ServerURL":"fi.example.com","Username":"u","Secret":"old-secret-1"}' >"$T_DIR/in"
"$OPTT_TOP_BUILDDIR/docker_helper/optt-docker-helper" store <"$T_DIR/in" >/dev/null 2>&1
CF="$HOME/.local/share/optt/docker-credentials.json"
before=$(sha256sum <"$CF")
printf '{"ServerURL":"fi.example.com","Username":"u","Secret":"new-secret-2"}' >"$T_DIR/in"
OPTT_FAIL_WRITE=1 OPTT_FAIL_REPORT="$REP" "$OPTT_TOP_BUILDDIR/docker_helper/optt-docker-helper" store <"$T_DIR/in" >"$T_DIR/o" 2>&1
is "docker store with a failing write: exit 1" "$?" 1
like "... saying why" "$(cat "$T_DIR/o")" 'cannot write'
is "... the credential file is the old one" "$(sha256sum <"$CF")" "$before"
is "... and no temp file is left" "$(ls -A "$(dirname "$CF")" | grep -c tmp)" 0
like "the record still works after all that" "$("$OPTT_TOKEN" get optt 2>&1)" '^eyJ'
t_done
