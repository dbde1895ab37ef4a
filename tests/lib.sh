# lib.sh - shared helpers for the shell integration tests.  Sourced, not run.
#
# Output is TAP: every check prints "ok N - ..." or "not ok N - ...", and
# t_done prints the plan.  A missing component (python3, openssl, the
# built binaries) is a failure, never a skip.
set -u

: "${OPTT_TOP_SRCDIR:=$(cd "$(dirname "$0")/../.." && pwd)}"
: "${OPTT_TOP_BUILDDIR:=$OPTT_TOP_SRCDIR}"
OPTT_TOKEN="$OPTT_TOP_BUILDDIR/cli/optt-token"
T_NUM=0
T_FAILED=0
T_DIR=$(mktemp -d /tmp/optt-test.XXXXXX)
chmod 700 "$T_DIR"
T_PIDS=""
IDP_PID=""

# A private, predictable environment: no bus, no proxies, our own dirs.
unset DBUS_SESSION_BUS_ADDRESS OPTT_CONFIG XDG_CONFIG_HOME XDG_CACHE_HOME \
	https_proxy HTTPS_PROXY http_proxy HTTP_PROXY all_proxy ALL_PROXY no_proxy NO_PROXY \
	GIT_ASKPASS SSH_ASKPASS 2>/dev/null || true
export HOME="$T_DIR/home" XDG_RUNTIME_DIR="$T_DIR/run"
mkdir -p "$HOME" "$XDG_RUNTIME_DIR"
chmod 700 "$HOME" "$XDG_RUNTIME_DIR"

T_USERS=""
STAGE=""
t_cleanup() {
	[ -n "$IDP_PID" ] && kill "$IDP_PID" 2>/dev/null
	for p in $T_PIDS; do kill "$p" 2>/dev/null; done
	wait 2>/dev/null
	[ -f "$T_DIR/shm.before" ] && faketime_tidy
	for u in $T_USERS; do userdel "$u" 2>/dev/null; done
	[ -n "$STAGE" ] && rm -rf "$STAGE"
	rm -rf "$T_DIR"
}
trap t_cleanup EXIT
# the watchdog's SIGTERM at the time limit (tests/watchdog.sh), or Ctrl-C:
# exit, so that the EXIT trap (whichever the suite set) still cleans up
trap 'exit 143' TERM INT HUP

# faketime_watch: this test preloads libfaketime, which keeps a shared-memory
# pair per process in /dev/shm (faketime_shm_PID, sem.faketime_sem_PID) and
# leaves it behind when that process is killed; at exit the pairs that
# appeared during the test and whose process is gone are removed.
faketime_watch() { ls /dev/shm >"$T_DIR/shm.before" 2>/dev/null || :; }
faketime_tidy() {
	for f in /dev/shm/faketime_shm_* /dev/shm/sem.faketime_sem_*; do
		[ -O "$f" ] || continue
		grep -qx "${f#/dev/shm/}" "$T_DIR/shm.before" && continue
		[ -d "/proc/${f##*_}" ] || rm -f "$f"
	done
}

# --- libfaketime (Debian faketime), for tests that move the clock --------
# In the sanitizer build ASan and libfaketime can deadlock on the
# allocator's lock: matrix.sh hung for good whenever the process had 23 to
# 30 environment variables (issue 20 item 16).  With ASan's periodic
# release of memory to the OS turned off it ended at every size tried, so
# every process under fake time gets that option.
FAKETIME_LIB=$(ls /usr/lib/*/faketime/libfaketime.so.1 2>/dev/null | head -1)
FAKETIME_ASAN=allocator_release_to_os_interval_ms=-1
# faketime_vars OFFSET: what a process under fake time needs in its
# environment, as NAME=VALUE words without blanks (for env): the preload
# list (the ASan runtime first in the sanitizer build), FAKETIME, and there
# ASAN_OPTIONS (the caller's, plus the option above)
faketime_vars() {
	if [ "${OPTT_SANITIZERS:-no}" = yes ]; then
		printf 'LD_PRELOAD=%s:%s FAKETIME=%s ASAN_OPTIONS=%s\n' "$(${CC:-cc} -print-file-name=libasan.so)" \
			"$FAKETIME_LIB" "$1" "${ASAN_OPTIONS:+$ASAN_OPTIONS:}$FAKETIME_ASAN"
	else
		printf 'LD_PRELOAD=%s FAKETIME=%s\n' "$FAKETIME_LIB" "$1"
	fi
}
# fake_time OFFSET CMD...: CMD with the clock moved (faketime_watch first)
fake_time() {
	ft_off=$1
	shift
	# shellcheck disable=SC2046 # (words without blanks, by construction)
	env $(faketime_vars "$ft_off") "$@"
}

ok() {
	T_NUM=$((T_NUM + 1))
	echo "ok $T_NUM - $1"
}

not_ok() {
	T_NUM=$((T_NUM + 1))
	T_FAILED=$((T_FAILED + 1))
	echo "not ok $T_NUM - $1"
	shift
	for line in "$@"; do echo "# $line"; done
}

# check DESC CMD...: ok when CMD succeeds.
check() {
	desc=$1
	shift
	if "$@" >"$T_DIR/check.out" 2>&1; then ok "$desc"; else
		not_ok "$desc" "command failed: $*" "$(head -c 2000 "$T_DIR/check.out")"
	fi
}

# is DESC GOT WANT
is() {
	if [ "$2" = "$3" ]; then ok "$1"; else not_ok "$1" "got:  '$2'" "want: '$3'"; fi
}

# like DESC TEXT GREP-PATTERN (extended regex)
like() {
	if printf '%s\n' "$2" | grep -Eq -- "$3"; then ok "$1"; else
		not_ok "$1" "no match for /$3/ in:" "$(printf '%s' "$2" | head -c 2000)"
	fi
}

# unlike DESC TEXT FIXED-STRING
unlike() {
	if printf '%s\n' "$2" | grep -Fq -- "$3"; then
		not_ok "$1" "found '$3' in:" "$(printf '%s' "$2" | head -c 2000)"
	else ok "$1"; fi
}

t_done() {
	echo "1..$T_NUM"
	exit 0
}

need() {
	for cmd in "$@"; do
		if ! command -v "$cmd" >/dev/null 2>&1; then
			not_ok "required program '$cmd' is installed" "install it (scripts/test does)"
			t_done
		fi
	done
}

[ -x "$OPTT_TOKEN" ] || { not_ok "optt-token is built at $OPTT_TOKEN"; t_done; }

# run [--stdin TEXT] CMD...: runs CMD, sets OUT, ERR, RC and ELAPSED (seconds).
run() {
	stdin=/dev/null
	if [ "$1" = "--stdin" ]; then
		printf '%s\n' "$2" >"$T_DIR/run.in"
		stdin="$T_DIR/run.in"
		shift 2
	fi
	t0=$(date +%s%N)
	"$@" <"$stdin" >"$T_DIR/run.out" 2>"$T_DIR/run.err"
	RC=$?
	ELAPSED=$((($(date +%s%N) - t0) / 1000000000))
	OUT=$(cat "$T_DIR/run.out")
	ERR=$(cat "$T_DIR/run.err")
}

# test_user NAME [SHELL]: a real local user (root only), made when missing
# and removed by t_cleanup if this test made it; fails the test when it
# cannot be had.
test_user() {
	if ! id "$1" >/dev/null 2>&1; then
		useradd -M -d /nonexistent -s "${2:-/bin/sh}" "$1" && T_USERS="$T_USERS $1"
	fi
	id "$1" >/dev/null 2>&1 && ok "local test user $1 exists" || { not_ok "local test user $1 exists"; t_done; }
}

# stage_for_users: copies of the built programs for another user to run
# (setpriv, su, a command in an sshd session).  The checkout, and the build
# tree in it, may sit where nobody else can enter - a clone in /root, 0700
# on Debian (issue 20 item 15) - so optt-token, the two front helpers and
# the full helpers they hand over to (common/handoff.c takes the one next
# to /proc/self/exe first) are copied into one directory, 0755 under /tmp,
# removed at exit; sets STAGE (the programs are $STAGE/NAME).  Run them
# from a directory the user can enter too (env -C "$STAGE"): git, for one,
# gives up in a working directory it cannot stat.  Checked at once as
# nobody: a stage another user cannot run fails the suite in one line.
stage_for_users() {
	[ -n "$STAGE" ] && return 0
	STAGE=$(mktemp -d /tmp/optt-stage.XXXXXX) || { not_ok "a directory for the programs other users run"; t_done; }
	for p in cli/optt-token cli/optt-cli git_helper/git-credential-optt git_helper/optt-git-helper \
		docker_helper/docker-credential-optt docker_helper/optt-docker-helper; do
		cp "$OPTT_TOP_BUILDDIR/$p" "$STAGE/" || { not_ok "$p staged for other users in $STAGE"; t_done; }
	done
	chmod 755 "$STAGE" "$STAGE"/*
	if ! setpriv --reuid=nobody --regid=nogroup --clear-groups env -C "$STAGE" ./optt-token --version \
		>"$T_DIR/stage.out" 2>&1; then
		not_ok "another user can run the programs staged in $STAGE" "$(head -c 300 "$T_DIR/stage.out")"
		t_done
	fi
}

# gitsrv_start REPO...: a loopback smart-HTTP git server (tests/git/githttp.py)
# that accepts only tokens the test IdP says are live, with a bare repository
# at each REPO path (e.g. pw/repo.git) holding one commit of a README;
# sets G (its directory), GPORT and GBASE (http://127.0.0.1:PORT).
gitsrv_start() {
	G="$T_DIR/gitsrv"
	mkdir -p "$G/root" "$G/seed"
	git init -q -b main "$G/seed"
	(cd "$G/seed" && echo hello >README && git add README &&
		git -c user.name=seed -c user.email=seed@example.com commit -qm seed)
	for r in "$@"; do
		mkdir -p "$G/root/$(dirname "$r")"
		git clone -q --bare "$G/seed" "$G/root/$r"
	done
	python3 "$OPTT_TOP_SRCDIR/tests/git/githttp.py" --root "$G/root" --idp "$IDP_URL" \
		--cafile "$IDP_CA" --state "$G" >"$G/server.log" 2>&1 &
	GIT_SRV=$!
	T_PIDS="$T_PIDS $GIT_SRV"
	i=0
	until [ -s "$G/port" ] || [ $i -gt 100 ]; do sleep 0.1; i=$((i + 1)); done
	[ -s "$G/port" ] || { not_ok "git server starts" "$(cat "$G/server.log")"; t_done; }
	GPORT=$(cat "$G/port")
	GBASE="http://127.0.0.1:$GPORT"
}

# idp_approve_script [USER]: a script that approves the IdP's newest
# pending device code as USER (default alice), for tests/ptyrun.py --run
idp_approve_script() {
	cat >"$T_DIR/approve-${1:-alice}" <<EOA
#!/bin/sh
exec curl -sf --max-time 10 --cacert "$IDP_CA" --resolve "ctl.optt.test:$IDP_PORT:127.0.0.1" -o /dev/null \\
	-X POST "$IDP_CTL/device?action=approve&user=${1:-alice}"
EOA
	chmod 755 "$T_DIR/approve-${1:-alice}"
	echo "$T_DIR/approve-${1:-alice}"
}

# --- the bundled test identity provider --------------------------------

idp_start() {
	need python3 openssl curl
	mkdir -p "$T_DIR/idp"
	rm -f "$T_DIR/idp/port"
	python3 "$OPTT_TOP_SRCDIR/tests/idp/idp.py" --state "$T_DIR/idp" "$@" \
		>"$T_DIR/idp/log" 2>&1 &
	IDP_PID=$!
	i=0
	while [ ! -s "$T_DIR/idp/port" ]; do
		i=$((i + 1))
		if [ $i -gt 200 ] || ! kill -0 "$IDP_PID" 2>/dev/null; then
			not_ok "test IdP starts" "$(cat "$T_DIR/idp/log")"
			t_done
		fi
		sleep 0.1
	done
	IDP_PORT=$(cat "$T_DIR/idp/port")
	IDP_CA="$T_DIR/idp/ca.pem"
	case " $* " in
	*" --plain "*)
		IDP_URL="http://127.0.0.1:$IDP_PORT"
		IDP_CTL="$IDP_URL/_ctl"
		;;
	*)
		IDP_URL="https://127.0.0.1:$IDP_PORT"
		IDP_CTL="https://ctl.optt.test:$IDP_PORT/_ctl"
		;;
	esac
}

idp_stop() {
	[ -n "$IDP_PID" ] && kill "$IDP_PID" 2>/dev/null && wait "$IDP_PID" 2>/dev/null
	IDP_PID=""
}

idp_curl() {
	curl -sf --noproxy '*' --max-time 10 --cacert "$IDP_CA" --resolve "ctl.optt.test:$IDP_PORT:127.0.0.1" "$@"
}

# idp_ctl PATH?QUERY: POST to the control interface.
idp_ctl() {
	idp_curl -X POST "$IDP_CTL/$1" >/dev/null ||
		not_ok "idp control $1"
}

# idp_count NAME: requests seen at endpoint NAME (0 when none).
idp_count() {
	if [ -z "$IDP_PID" ]; then
		echo 0 # (stopped: nothing can reach it)
		return
	fi
	idp_curl "$IDP_CTL/counters" |
		python3 -c 'import json,sys; print(json.load(sys.stdin).get(sys.argv[1], 0))' "$1"
}

# Fixture secrets, for checks that they never leak.
FIX_SECRETS="alice-pw-3141 bob-pw-2718 optt-cli-secret-5772 octo-secret-1618 8c7f2eb1609125d43e945cee63501dff80c461166ccfe15291 rfc-secret-1414 e2e-pw-1618 registry-secret-4669"

# write_conf [EXTRA-DEFAULTS-LINES]: the standard test config, one profile
# per dialect and grant, into $T_DIR/optt.conf (0600), exported as OPTT_CONFIG.
write_conf() {
	cat >"$T_DIR/optt.conf" <<EOC
[defaults]
cafile = $IDP_CA
cache = file
timeout = 5
${1:-}

[profile optt]
dialect = optt
token_url = $IDP_URL/gateway/uaa/oauth/token
hosts = git.example.com

[profile optt-client]
dialect = optt
token_url = $IDP_URL/gateway/uaa/oauth/token
client_id = optt-cli
client_secret = optt-cli-secret-5772

[profile octo]
dialect = octorate
base_url = $IDP_URL/rest/v1
client_id = octo-client
client_secret = octo-secret-1618

[profile octo-code]
dialect = octorate
grant = authorization_code
base_url = $IDP_URL/rest/v1
authorize_url = $IDP_URL/rest/v1/identity/authorize
redirect_uri = http://127.0.0.1:${REDIRECT_PORT:-8765}/callback
client_id = octo-client
client_secret_file = $T_DIR/octo.secret

[profile ddi]
dialect = ddi
token_url = $IDP_URL/oauth2/token/
client_id = ab5a442c7d57bd3dcbdc0675e9bdd9f6e6d67d1171b043939ff5
client_secret = 8c7f2eb1609125d43e945cee63501dff80c461166ccfe15291

[profile rfc]
token_url = $IDP_URL/rfc/token
client_id = rfc-client
client_secret = rfc-secret-1414&=+

[profile rfc-body]
token_url = $IDP_URL/rfc/token
client_id = rfc-client
client_secret = rfc-secret-1414&=+
client_auth = body

[profile rfc-password]
token_url = $IDP_URL/rfc/token
grant = password

[profile rfc-code]
token_url = $IDP_URL/rfc/token
grant = authorization_code
authorize_url = $IDP_URL/rfc/authorize
redirect_uri = http://127.0.0.1:${REDIRECT_PORT:-8765}/cb
client_id = rfc-client
client_secret = rfc-secret-1414&=+
EOC
	chmod 600 "$T_DIR/optt.conf"
	printf 'octo-secret-1618\n' >"$T_DIR/octo.secret"
	chmod 600 "$T_DIR/octo.secret"
	export OPTT_CONFIG="$T_DIR/optt.conf"
}

# ddi_profile NAME [KEY=VALUE...]: a DDI client-credentials profile block
# for the fixture client, to append to a config
ddi_profile() {
	printf '\n[profile %s]\ndialect = ddi\ntoken_url = %s/oauth2/token/\n' "$1" "$IDP_URL"
	printf 'client_id = ab5a442c7d57bd3dcbdc0675e9bdd9f6e6d67d1171b043939ff5\n'
	printf 'client_secret = 8c7f2eb1609125d43e945cee63501dff80c461166ccfe15291\n'
	shift
	for kv in "$@"; do printf '%s = %s\n' "${kv%%=*}" "${kv#*=}"; done
}

# device_profile NAME [KEY=VALUE...]: a device-grant profile block for the
# IdP's public RFC client, to append to a config
device_profile() {
	printf '\n[profile %s]\ngrant = device\ntoken_url = %s/rfc/token\n' "$1" "$IDP_URL"
	printf 'device_authorization_url = %s/rfc/device\nclient_id = rfc-public\n' "$IDP_URL"
	shift
	for kv in "$@"; do printf '%s = %s\n' "${kv%%=*}" "${kv#*=}"; done
}

# set_default KEY VALUE: set a key in [defaults] (replacing an earlier one).
set_default() {
	sed -i -e "/^$1 = /d" -e "/^\[defaults\]/a $1 = $2" "$OPTT_CONFIG"
}

# login_alice: password-grant login of the fixture user on profile optt.
login_alice() {
	run --stdin alice-pw-3141 "$OPTT_TOKEN" login "${1:-optt}" --username alice --password-stdin
}

cache_file() {
	printf '%s/optt/%s@%s.json' "$XDG_RUNTIME_DIR" "$1" "$2"
}
