# nss-env.sh - a private mount namespace for the SPEC §15 suites: the
# system's own programs (getent, id, su, sudo, sshd, login) with
# libnss_optt.so.2 added to the system library directory (overlayfs), a
# test /etc/nsswitch.conf, the module's compiled-in configuration and
# ledger paths, /etc/pam.d and /home (and, when a suite writes them,
# $NS/sudoers, $NS/group, $NS/passwd and $NS/shadow over /etc's) - all
# bind-mounted or overlaid inside `unshare -m`, so the host's files are
# never edited.  Sourced after lib.sh; root only.
#
#   nss_conf [USERS-LINES]    the config at the compiled-in path ([users] too)
#   in_ns CMD...              run CMD in a fresh namespace of this set-up
#   NS_LEDGER=DIR in_ns ...   another "host": another ledger directory
#   idp_claims USER WHERE JSON   the claims of USER's next tokens (SPEC §16)
#   ns_local_user NAME [GID]  a local account in the namespace's /etc/passwd
#                             and /etc/shadow only (copies), never the host's
#   ns_sshd [CONFIG-LINES]    sshd in a namespace of this set-up (PORT)
#   ssh_login USER PW METHOD CMD   one login to it (RC, OUT, ERR, REQS)
NSS_MOD="$OPTT_TOP_BUILDDIR/nss_module/.libs/libnss_optt.so.2"
[ -f "$NSS_MOD" ] || { not_ok "libnss_optt.so.2 is built at $NSS_MOD"; t_done; }
[ "$(id -u)" = 0 ] || { not_ok "the NSS suites run as root (mount namespaces)"; t_done; }
need unshare getent mount
confvar() { env -u MAKEFLAGS -u MFLAGS -u MAKELEVEL make -s -C "$OPTT_TOP_BUILDDIR/man" --no-print-directory --eval "show-$1:; @echo \$($1)" "show-$1"; }
NS_SYSCONF=$(confvar sysconfdir)
NS_STATE=$(confvar localstatedir)
NS_CONFDIR="$NS_SYSCONF/optt"
NS_LEDGER_PATH="$NS_STATE/lib/optt/users"
NS_LIBDIR="/usr/lib/$(gcc -print-multiarch 2>/dev/null || echo x86_64-linux-gnu)"
NS="$T_DIR/ns"
mkdir -p "$NS/etc-optt" "$NS/ledger" "$NS/work"
chmod 755 "$NS" "$NS/etc-optt" "$NS/ledger"
: >"$NS/etc-optt/uids"
chmod 644 "$NS/etc-optt/uids"
cat >"$NS/nsswitch.conf" <<'EOC'
passwd:         files optt
group:          files optt
shadow:         files
hosts:          files
EOC
chmod 644 "$NS/nsswitch.conf"
PAM_MOD_PATH="$OPTT_TOP_BUILDDIR/pam_module/.libs/pam_optt.so"
NS_CONF="$NS_CONFDIR/optt.conf"

# the set-up run inside each namespace before the command
cat >"$NS/enter.sh" <<'EOS'
set -e
umask 022
mount --make-rprivate /
W=$(mktemp -d "$NS/work/ns.XXXXXX")
i=0
# make directory $1 exist inside the namespace: an overlay on its nearest
# existing ancestor whose upper layer holds the missing part
ensure_dir() {
	a=$1
	while [ ! -d "$a" ]; do a=$(dirname "$a"); done
	[ "$a" = "$1" ] && return 0
	i=$((i + 1))
	mkdir -p "$W/up$i/${1#"$a"/}" "$W/wk$i"
	mount -t overlay overlay -o "lowerdir=$a,upperdir=$W/up$i,workdir=$W/wk$i" "$a"
}
mkdir -p "$W/libup" "$W/libwk"
cp "$NSS_MOD" "$W/libup/libnss_optt.so.2"
mount -t overlay overlay -o "lowerdir=$NS_LIBDIR,upperdir=$W/libup,workdir=$W/libwk" "$NS_LIBDIR"
mount --bind "$NS/nsswitch.conf" /etc/nsswitch.conf
# twice: an overlay on an ancestor hides one made below it before
for pass in 1 2; do
	ensure_dir "$NS_CONFDIR"
	ensure_dir "$NS_LEDGER_PATH"
done
mount --bind "$NS/etc-optt" "$NS_CONFDIR"
mount --bind "${NS_LEDGER:-$NS/ledger}" "$NS_LEDGER_PATH"
[ -d "$NS/pam.d" ] && mount --bind "$NS/pam.d" /etc/pam.d
[ -f "$NS/sudoers" ] && mount --bind "$NS/sudoers" /etc/sudoers
[ -f "$NS/group" ] && mount --bind "$NS/group" /etc/group
[ -f "$NS/passwd" ] && mount --bind "$NS/passwd" /etc/passwd
[ -f "$NS/shadow" ] && mount --bind "$NS/shadow" /etc/shadow
mount -t tmpfs -o mode=755 tmpfs /home
mkdir -p /run/sshd
exec "$@"
EOS
export NS NSS_MOD NS_LIBDIR NS_CONFDIR NS_LEDGER_PATH

in_ns() {
	unshare -m -- sh "$NS/enter.sh" "$@"
}

# ns_local_user NAME [GID]: a local account (no password, home
# /nonexistent, GID 100 "users" unless given) added to copies of the
# host's /etc/passwd and /etc/shadow that the namespace binds over the
# real ones - the host's files are never edited (no useradd).  Its UID:
# the first from 59000 up that neither file nor /etc/group has.
ns_local_user() {
	[ -f "$NS/passwd" ] || { cp /etc/passwd "$NS/passwd" && chmod 644 "$NS/passwd"; }
	[ -f "$NS/shadow" ] || { cp /etc/shadow "$NS/shadow" && chmod 640 "$NS/shadow"; }
	# a name the host happens to have (a run of an older suite) is replaced
	awk -F: -v n="$1" '$1 != n' "$NS/passwd" >"$NS/passwd.new" && cat "$NS/passwd.new" >"$NS/passwd"
	awk -F: -v n="$1" '$1 != n' "$NS/shadow" >"$NS/shadow.new" && cat "$NS/shadow.new" >"$NS/shadow"
	rm -f "$NS/passwd.new" "$NS/shadow.new"
	u=59000
	while awk -F: -v u="$u" '$3 == u { f = 1 } END { exit !f }' "$NS/passwd" /etc/group; do u=$((u + 1)); done
	printf '%s:x:%s:%s::/nonexistent:/bin/sh\n' "$1" "$u" "${2:-100}" >>"$NS/passwd"
	printf '%s:*:19000:0:99999:7:::\n' "$1" >>"$NS/shadow"
	[ "$(in_ns id -u "$1" 2>/dev/null)" = "$u" ] && ok "local account $1 in the namespace (UID $u)" ||
		{ not_ok "local account $1 in the namespace" "$(in_ns id "$1" 2>&1)"; t_done; }
}

# nss_conf [USERS-LINES]: the configuration pam_optt and libnss_optt read,
# at the compiled-in path inside the namespace (root's, 0644, no secret)
nss_conf() {
	cat >"$NS/etc-optt/optt.conf" <<EOC
[defaults]
cafile = $IDP_CA
timeout = ${NS_TIMEOUT:-5}
offline_dir = $T_DIR/state/offline
run_dir = $T_DIR/state/run

[profile optt]
dialect = optt
token_url = $IDP_URL/gateway/uaa/oauth/token

[profile rfc]
token_url = $IDP_URL/rfc/token
grant = password

[users]
${1:-register = yes}
EOC
	chmod 644 "$NS/etc-optt/optt.conf"
}

# idp_claims USER access|id|both JSON: the claims the test IdP adds to
# USER's next access tokens and/or device ID tokens ('{}' clears them)
idp_claims() {
	printf '%s' "$3" >"$T_DIR/claims.json"
	idp_curl -X POST -H 'Content-Type: application/json' --data-binary @"$T_DIR/claims.json" \
		"$IDP_CTL/claims?user=$1&token=$2" >/dev/null || not_ok "idp claims for $1 ($2)"
}

# ledger_lines FILE: the ledger file's text (host side)
ledger_file() { cat "${NS_LEDGER:-$NS/ledger}/$1" 2>/dev/null; }

# uid_of NAME [RANGE]: the rule's UID (optt-token users show in the namespace)
uid_of() {
	in_ns "$OPTT_TOKEN" --config "$NS_CONF" users show "$1" 2>/dev/null | sed -n 's/^  the rule gives: UID \([0-9]*\).*/\1/p'
}

# pam_drive USER PASSWORD [SERVICE]: one authentication through real libpam
# (tests/pam/pamdrive with --confdir, no wrapper) inside the namespace, with
# the system's NSS and our module; sets CODE, REQS.  Services live in
# $NS/pamdrive.d (pam_optt with config= the compiled-in file).  Logins run
# at once set PD_TAG apart.  NS_PAMLOG=1: under pam_wrapper (its service
# directory the same, NSS the system's), whose stderr shows the module's
# syslog lines: SYSLOG is set to them.
PAMDRIVE="$OPTT_TOP_BUILDDIR/tests/pam/pamdrive"
mkdir -p "$NS/pamdrive.d"
printf 'auth required %s config=%s\n' "$PAM_MOD_PATH" "$NS_CONF" >"$NS/pamdrive.d/optt"
NS_PRELOAD=""
[ "${OPTT_SANITIZERS:-no}" = yes ] && NS_PRELOAD="$(${CC:-cc} -print-file-name=libasan.so) libcrypt.so.1"
pam_drive() {
	n0=$(idp_count total)
	if [ "${NS_PAMLOG:-0}" = 1 ]; then
		set -- "$1" "$2" "${3:-optt}" env LD_PRELOAD="$NS_PRELOAD libpam_wrapper.so" PAM_WRAPPER=1 \
			PAM_WRAPPER_SERVICE_DIR="$NS/pamdrive.d" PAM_WRAPPER_DEBUGLEVEL=2 ASAN_OPTIONS=detect_leaks=0 "$PAMDRIVE"
	else
		set -- "$1" "$2" "${3:-optt}" env LD_PRELOAD="$NS_PRELOAD" ASAN_OPTIONS=detect_leaks=0 "$PAMDRIVE" \
			--confdir "$NS/pamdrive.d"
	fi
	u=$1 pw=$2 svc=$3
	shift 3
	printf '%s' "$pw" | in_ns "$@" "$svc" "$u" >"$T_DIR/pd.${PD_TAG:-0}.out" 2>"$T_DIR/pd.${PD_TAG:-0}.err"
	CODE=$(cut -d' ' -f1 "$T_DIR/pd.${PD_TAG:-0}.out")
	SYSLOG=$(sed -n 's/.*SYSLOG([0-9]*): //p' "$T_DIR/pd.${PD_TAG:-0}.err" | grep -v '_pam_init_handlers')
	REQS=$(($(idp_count total) - n0))
}

# ns_sshd [EXTRA-SSHD-CONFIG-LINES]: the system's sshd inside a namespace of
# this set-up, on a free 127.0.0.1 port (PORT; log $T_DIR/sshd.log),
# keyboard-interactive and password authentication through PAM (the
# suite's $NS/pam.d/sshd), stopped at exit; fails the suite when it does
# not start
ns_sshd() {
	need sshd ssh sshpass ssh-keygen python3
	ssh-keygen -q -t ed25519 -N '' -f "$T_DIR/hostkey" >/dev/null
	PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
	cat >"$T_DIR/sshd_config" <<EOC
Port $PORT
ListenAddress 127.0.0.1
HostKey $T_DIR/hostkey
PidFile $T_DIR/sshd.pid
UsePAM yes
KbdInteractiveAuthentication yes
PasswordAuthentication yes
PubkeyAuthentication no
PermitRootLogin no
StrictModes no
AuthorizedKeysFile none
MaxAuthTries 2
LogLevel VERBOSE
${1:-}
EOC
	SSHD_PRELOAD=""
	[ "${OPTT_SANITIZERS:-no}" = yes ] && SSHD_PRELOAD="$(${CC:-cc} -print-file-name=libasan.so)"
	in_ns env LD_PRELOAD="$SSHD_PRELOAD" ASAN_OPTIONS=detect_leaks=0 "$(command -v sshd)" -D -e -f "$T_DIR/sshd_config" \
		2>"$T_DIR/sshd.log" &
	T_PIDS="$T_PIDS $!"
	i=0
	until [ -s "$T_DIR/sshd.pid" ] || [ $i -gt 100 ]; do sleep 0.1; i=$((i + 1)); done
	[ -s "$T_DIR/sshd.pid" ] && ok "sshd started in the namespace on 127.0.0.1:$PORT" ||
		{ not_ok "sshd started" "$(cat "$T_DIR/sshd.log")"; t_done; }
	T_PIDS="$T_PIDS $(cat "$T_DIR/sshd.pid")"
}

# ssh_login USER PASSWORD METHOD COMMAND: one SSH login to ns_sshd's sshd
# (METHOD: keyboard-interactive or password); sets RC, OUT, ERR, REQS
ssh_login() {
	printf '%s\n' "$2" >"$T_DIR/sshpass"
	n0=$(idp_count total)
	run timeout 60 sshpass -f "$T_DIR/sshpass" ssh -F none -p "$PORT" \
		-o StrictHostKeyChecking=no -o UserKnownHostsFile=/dev/null -o LogLevel=ERROR \
		-o PreferredAuthentications="$3" -o PubkeyAuthentication=no \
		-o NumberOfPasswordPrompts=1 -o ConnectTimeout=10 "$1@127.0.0.1" "$4"
	REQS=$(($(idp_count total) - n0))
}
