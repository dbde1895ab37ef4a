# pam-env.sh - real libpam under pam_wrapper (service files from a private
# directory) and nss_wrapper (a private passwd file).  Sourced after lib.sh.
PAM_MOD="$OPTT_TOP_BUILDDIR/pam_module/.libs/pam_optt.so"
PAMDRIVE="$OPTT_TOP_BUILDDIR/tests/pam/pamdrive"
PAM_DIR="$T_DIR/pam.d"
PAM_CONF="$T_DIR/pam-optt.conf"
PAM_LOG="$T_DIR/pam.log"
# the module's own state (SPEC §11) stays in this test's directory
PAM_STATE="$T_DIR/state"

[ -f "$PAM_MOD" ] || { not_ok "pam_optt.so is built at $PAM_MOD"; t_done; }
[ -x "$PAMDRIVE" ] || { not_ok "pamdrive is built at $PAMDRIVE"; t_done; }
for lib in libpam_wrapper.so libnss_wrapper.so; do
	ls /usr/lib/*/"$lib" >/dev/null 2>&1 ||
		{ not_ok "$lib is installed (Debian libpam-wrapper, libnss-wrapper)"; t_done; }
done
if [ "$(id -u)" != 0 ]; then
	not_ok "PAM tests run as root (the module's config must be root-owned)"
	t_done
fi

mkdir -p "$PAM_DIR"
cat >"$T_DIR/passwd" <<'EOP'
root:x:0:0:root:/root:/bin/sh
alice:x:1000:1000:alice:/home/alice:/bin/sh
bob:x:1001:1001:bob:/home/bob:/bin/sh
a&grant_type=client_credentials:x:1002:1002:special:/home/special:/bin/sh
carol:x:1003:1003:carol:/home/carol:/bin/sh
mfa-user:x:1004:1004:mfa:/home/mfa:/bin/sh
EOP
printf 'root:x:0:\nalice:x:1000:\nbob:x:1001:\nspecial:x:1002:\ncarol:x:1003:\nmfa:x:1004:\n' >"$T_DIR/group"

# The preload list: in a sanitizer build the ASan runtime must come first.
PAM_PRELOAD="libpam_wrapper.so libnss_wrapper.so"
# libcrypt is preloaded too: ASan intercepts crypt_r, and its interceptor
# calls a null "real" crypt_r when libcrypt arrives only later by dlopen
# (pam_optt.so's offline verifiers, pam_unix) - sshd and login link it
# themselves, pamdrive and pamtester do not.
if [ "${OPTT_SANITIZERS:-no}" = yes ]; then
	PAM_PRELOAD="$(${CC:-cc} -print-file-name=libasan.so) libcrypt.so.1 $PAM_PRELOAD"
fi

# pam_conf [EXTRA-PROFILE-LINES]: the module's config, root-owned 0644
pam_conf() {
	cat >"$PAM_CONF" <<EOC
[defaults]
cafile = $IDP_CA
timeout = 5
offline_dir = $PAM_STATE/offline
run_dir = $PAM_STATE/run

[profile optt]
dialect = optt
token_url = $IDP_URL/gateway/uaa/oauth/token
${1:-}

[profile rfc]
token_url = $IDP_URL/rfc/token
grant = password

[profile dev]
grant = device
token_url = $IDP_URL/rfc/token
device_authorization_url = $IDP_URL/rfc/device
client_id = rfc-public

[profile pwdev]
grant = password
token_url = $IDP_URL/rfc/token
device_authorization_url = $IDP_URL/rfc/device
client_id = rfc-public

[profile ddi]
dialect = ddi
token_url = $IDP_URL/oauth2/token/
client_id = ab5a442c7d57bd3dcbdc0675e9bdd9f6e6d67d1171b043939ff5
client_secret = 8c7f2eb1609125d43e945cee63501dff80c461166ccfe15291
EOC
	chown 0:0 "$PAM_CONF"
	chmod 600 "$PAM_CONF"
}

# pam_service NAME LINE...: a service file; "@optt ARGS" is our module
pam_service() {
	name=$1
	shift
	: >"$PAM_DIR/$name"
	for line in "$@"; do
		case "$line" in
		*@optt*) line=$(printf '%s' "$line" | sed "s|@optt|$PAM_MOD config=$PAM_CONF|") ;;
		esac
		printf '%s\n' "$line" >>"$PAM_DIR/$name"
	done
}

# PAM_EXTRA_ENV: VAR=VALUE words (no spaces) for the PAM program alone;
# PAM_EXTRA_PRELOAD: libraries preloaded after the wrappers (libfaketime:
# then with lib.sh's FAKETIME_ASAN in the sanitizer build)
pam_env() {
	preload=$PAM_PRELOAD
	asan=${ASAN_OPTIONS:-detect_leaks=0}
	case "${PAM_EXTRA_PRELOAD:-}" in *libfaketime*) asan="$asan:$FAKETIME_ASAN" ;; esac
	# PAM_REAL_NSS=1: the system's users (real pam_unix, useradd'ed users)
	[ "${PAM_REAL_NSS:-0}" = 1 ] && preload=$(printf '%s' "$preload" | sed 's/ *libnss_wrapper.so//')
	env ${PAM_EXTRA_ENV:-} LD_PRELOAD="$preload${PAM_EXTRA_PRELOAD:+ $PAM_EXTRA_PRELOAD}" PAM_WRAPPER=1 PAM_WRAPPER_SERVICE_DIR="$PAM_DIR" \
		PAM_WRAPPER_DEBUGLEVEL=2 NSS_WRAPPER_PASSWD="$T_DIR/passwd" \
		NSS_WRAPPER_GROUP="$T_DIR/group" ASAN_OPTIONS="$asan" "$@"
}

# pam_auth SERVICE USER PASSWORD: sets CODE (PAM_*), DELAY, LOGLINE (our
# syslog decision line), SYSLOG (all our syslog lines), REQS (requests that
# reached the IdP), ELAPSED
pam_auth() {
	n0=$(idp_count total)
	t0=$(date +%s%N)
	printf '%s' "$3" | pam_env "$PAMDRIVE" "$1" "$2" >"$T_DIR/pam.out" 2>"$PAM_LOG"
	ELAPSED=$((($(date +%s%N) - t0) / 1000000000))
	CODE=$(cut -d' ' -f1 "$T_DIR/pam.out")
	DELAY=$(sed -n 's/.* delay=\([0-9]*\)$/\1/p' "$T_DIR/pam.out")
	SYSLOG=$(sed -n 's/.*SYSLOG([0-9]*): //p' "$PAM_LOG" | grep -v '_pam_init_handlers')
	LOGLINE=$(printf '%s\n' "$SYSLOG" | grep 'outcome=' | tail -1)
	REQS=$(($(idp_count total) - n0))
}

# device_login SERVICE USER [APPROVE-AS|deny|expire|none] [ANSWER]: pamtester
# in the background answering the prompt with ANSWER (default: Enter);
# sets CODE (pamtester's verdict), OUT (its output), REQS, LOGLINE
device_login() {
	n0=$(idp_count total)
	: >"$T_DIR/pt.out" # (the wait below must not read the last login's output)
	printf '%s\n' "${4:-}" | pam_env pamtester -v "$1" "$2" authenticate >"$T_DIR/pt.out" 2>&1 &
	pid=$!
	i=0
	until grep -q 'enter the code\|pamtester: \(Auth\|succ\|Perm\)' "$T_DIR/pt.out" || [ $i -gt 100 ]; do
		sleep 0.1
		i=$((i + 1))
	done
	case "${3:-none}" in
	none) ;;
	deny | expire) idp_ctl "device?action=$3" ;;
	*) idp_ctl "device?action=approve&user=$3" ;;
	esac
	wait "$pid"
	OUT=$(cat "$T_DIR/pt.out")
	CODE=$(printf '%s\n' "$OUT" | sed -n 's/^pamtester: //p' | tail -1)
	REQS=$(($(idp_count total) - n0))
	LOGLINE=$(printf '%s\n' "$OUT" | sed -n 's/.*SYSLOG([0-9]*): //p' | grep 'outcome=' | tail -1)
}
