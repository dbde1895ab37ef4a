#!/bin/sh
# Secrets audit: with every fixture password, client secret and issued
# token known, run all four clients through success, failure, refresh and
# prompting under strace (execve with argv and environment) and check that
# no secret appears in any spawned process's argv or environment, in
# stdout/stderr, in the PAM module's syslog lines, or in any file outside
# the cache; and that the CLI and the helpers are non-dumpable (another
# process of the same user cannot read their memory or environment) while
# they hold a secret.
. "$OPTT_TOP_SRCDIR/tests/lib.sh"
. "$OPTT_TOP_SRCDIR/tests/pam/pam-env.sh"
need strace setpriv
B=$OPTT_TOP_BUILDDIR
idp_start
write_conf
ddi_profile reg hosts=registry.example.com:5000 >>"$OPTT_CONFIG"
pam_conf
pam_service optt "auth required @optt"
LOGS="$T_DIR/audit"
mkdir -p "$LOGS"
i=0
trace() { # CMD... (stdin from $T_DIR/stdin): strace every exec, keep stdout/stderr
	i=$((i + 1))
	echo "$*" >"$LOGS/cmd.$i"
	strace -f -qq -v -s 65536 -e trace=execve -o "$LOGS/exec.$i" "$@" <"$T_DIR/stdin" \
		>"$LOGS/out.$i" 2>"$LOGS/err.$i"
}
feed() { printf "$@" >"$T_DIR/stdin"; }

# CLI: every dialect, password from stdin, refresh, errors, -v
feed 'alice-pw-3141\n'; trace "$OPTT_TOKEN" -v login optt --username alice --password-stdin
feed 'p&=+%% x=1&y ünï\n'; trace "$OPTT_TOKEN" -v login optt --username 'a&grant_type=client_credentials' --password-stdin
for p in octo ddi rfc rfc-body reg; do feed ''; trace "$OPTT_TOKEN" -v login $p; done
feed 'alice-pw-3141\n'; trace "$OPTT_TOKEN" -v login rfc-password --username alice --password-stdin
feed 'wrong-pw-6\n'; trace "$OPTT_TOKEN" -v login optt --username alice --password-stdin
feed ''; trace "$OPTT_TOKEN" -v status
feed ''; trace "$OPTT_TOKEN" -v check-config
# tokens issued so far (the audit must know them)
TOKENS=""
for p in octo ddi rfc rfc-body reg; do TOKENS="$TOKENS $("$OPTT_TOKEN" get $p)"; done
TOKENS="$TOKENS $("$OPTT_TOKEN" get optt --username alice) $("$OPTT_TOKEN" get rfc-password)"
set_default refresh_margin 86400
feed ''; trace "$OPTT_TOKEN" -v get optt --username alice
TOKENS="$TOKENS $(cat "$LOGS/out.$i")"
sed -i '/^refresh_margin = /d' "$OPTT_CONFIG"
# git: front hit, front -> full (refresh), askpass prompting, erase
feed 'protocol=https\nhost=git.example.com\nusername=alice\n'; trace "$B/git_helper/git-credential-optt" get
feed 'protocol=https\nhost=registry.example.com:5000\n'; trace "$B/git_helper/git-credential-optt" --profile reg get
cat >"$T_DIR/askpass" <<EOA
#!/bin/sh
case "\$1" in Username*) echo bob ;; *) echo bob-pw-2718 ;; esac
EOA
chmod 700 "$T_DIR/askpass"
feed 'protocol=https\nhost=git.example.com\nusername=bob\n'
GIT_ASKPASS="$T_DIR/askpass" trace "$B/git_helper/git-credential-optt" get
TOKENS="$TOKENS $(sed -n 's/^password=//p' "$LOGS/out.$i")"
feed 'protocol=https\nhost=git.example.com\nusername=bob\npassword=%s\n' "$(sed -n 's/^password=//p' "$LOGS/out.$i")"
trace "$B/git_helper/git-credential-optt" erase
feed 'protocol=https\nhost=git.example.com\nusername=bob\n'; trace "$B/git_helper/git-credential-optt" get
TOKENS="$TOKENS $(sed -n 's/^password=//p' "$LOGS/out.$i")"
# docker: front hit, full (stored credentials), erase
feed 'registry.example.com:5000\n'; trace "$B/docker_helper/docker-credential-optt" get
feed '{"ServerURL":"audit.example.com","Username":"u","Secret":"stored-secret-7"}'; trace "$B/docker_helper/docker-credential-optt" store
feed 'audit.example.com\n'; trace "$B/docker_helper/docker-credential-optt" get
feed ''; trace "$B/docker_helper/docker-credential-optt" list
feed 'registry.example.com:5000\n'; trace "$B/docker_helper/docker-credential-optt" erase
feed 'registry.example.com:5000\n'; trace "$B/docker_helper/docker-credential-optt" get
TOKENS="$TOKENS $(sed -n 's/.*"Secret":"\([^"]*\)".*/\1/p' "$LOGS/out.$i")"
# PAM: right, wrong, special characters, fault
for pw in alice-pw-3141 wrong-pw-7; do
	printf '%s' "$pw" >"$T_DIR/stdin"
	trace env LD_PRELOAD="$PAM_PRELOAD" PAM_WRAPPER=1 PAM_WRAPPER_SERVICE_DIR="$PAM_DIR" PAM_WRAPPER_DEBUGLEVEL=2 \
		NSS_WRAPPER_PASSWD="$T_DIR/passwd" NSS_WRAPPER_GROUP="$T_DIR/group" "$PAMDRIVE" optt alice
done

TOKENS=$(echo $TOKENS)
[ "$(echo $TOKENS | wc -w)" -ge 10 ] && ok "the audit knows $(echo $TOKENS | wc -w) issued tokens" ||
	not_ok "the audit knows the issued tokens" "$TOKENS"
SECRETS="$FIX_SECRETS stored-secret-7 wrong-pw-6 wrong-pw-7 $TOKENS"
# the product's own stdout is allowed to carry tokens where that is its
# job (get answers); everything else may not
search() { # FILES... -> the secrets found
	for s in $SECRETS 'p&=+% x=1&y'; do
		grep -lF -- "$s" "$@" 2>/dev/null | sed "s|^|$s in |"
	done
}
is "no secret in the argv or environment of any spawned process (strace execve)" "$(search "$LOGS"/exec.*)" ""
is "no secret on stderr of any client, nor in the PAM module's syslog lines" "$(search "$LOGS"/err.*)" ""
grep -c 'SYSLOG' "$LOGS"/err.* | grep -qv ':0$' && ok "the syslog lines were seen (pam_wrapper)" ||
	not_ok "the syslog lines were seen (pam_wrapper)"
nonget=$(for f in "$LOGS"/out.*; do
	grep -qE ' get( |$)' "$LOGS/cmd.${f##*.}" || echo "$f"
done)
is "no secret on the stdout of commands other than get" "$(search $nonget)" ""
[ -n "${AUDIT_DEBUG:-}" ] && for f in $nonget; do echo "# $f: $(cat "$LOGS/cmd.${f##*.}")"; done
like "the execve logs saw the front hand over to the full helper" "$(cat "$LOGS"/exec.*)" 'optt-git-helper'
like "... and git's askpass, asked a question only" "$(cat "$LOGS"/exec.*)" "askpass\", \\[\"[^\"]*askpass\", \"Password for 'bob'"
files=$(find "$T_DIR" "$HOME" -type f ! -path "$XDG_RUNTIME_DIR/optt/*" ! -path "$LOGS/*" ! -path "$T_DIR/idp/*" \
	! -path "$HOME/.local/share/optt/docker-credentials.json" ! -name optt.conf ! -name octo.secret \
	! -name pam-optt.conf ! -name stdin ! -name run.in ! -name askpass 2>/dev/null)
is "no secret in any file outside the caches" "$(search $files)" ""

# non-dumpable while holding a secret: run as another user (a staged copy:
# the build tree may be where that user cannot enter), then try to read the
# process's environment and memory as that same user
U=nobody
stage_for_users
mkdir -p "$T_DIR/nb/run" "$T_DIR/nb/home"
cp "$OPTT_CONFIG" "$T_DIR/nb/optt.conf"
chown -R $U "$T_DIR/nb"
chmod 700 "$T_DIR/nb/run" "$T_DIR/nb/home"
chmod 711 "$T_DIR"
mkfifo "$T_DIR/nb/fifo"
chown $U "$T_DIR/nb/fifo"
setpriv --reuid=$U --regid=nogroup --clear-groups env -C "$STAGE" HOME="$T_DIR/nb/home" XDG_RUNTIME_DIR="$T_DIR/nb/run" \
	OPTT_CONFIG="$T_DIR/nb/optt.conf" "$STAGE/optt-token" login optt --username alice --password-stdin \
	<"$T_DIR/nb/fifo" >/dev/null 2>&1 &
victim=$!
exec 7>"$T_DIR/nb/fifo" # the CLI now waits for the password
pid=$victim # setpriv and env exec: the same process becomes optt-token, then optt-cli
# (until it has run its first lines /proc/PID is its user's: wait for root's
# ownership, the sign of non-dumpable, 5 s at the most - then the check)
i=0
until { grep -qaE "optt-(token|cli)" "/proc/$pid/cmdline" && [ "$(stat -c %u "/proc/$pid/environ")" = 0 ]; } 2>/dev/null ||
	[ $i -gt 50 ]; do
	sleep 0.1
	i=$((i + 1))
done
grep -qaE "optt-(token|cli)" "/proc/$pid/cmdline" 2>/dev/null || pid=""
if [ -n "$pid" ]; then
	setpriv --reuid=$U --regid=nogroup --clear-groups cat "/proc/$pid/environ" >/dev/null 2>&1
	[ $? -ne 0 ] && ok "the CLI is non-dumpable: its own user cannot read /proc/PID/environ" ||
		not_ok "the CLI is non-dumpable"
else
	not_ok "found the waiting CLI process"
fi
exec 7>&-
wait $victim 2>/dev/null
chmod 700 "$T_DIR"
t_done
