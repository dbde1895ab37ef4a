# nss-env.sh - a private mount namespace for the SPEC §15 suites: the
# system's own programs (getent, id, su, sudo, sshd, login) with
# libnss_optt.so.2 added to the system library directory (overlayfs), a
# test /etc/nsswitch.conf, the module's compiled-in configuration and
# ledger paths, /etc/pam.d and /home - all bind-mounted or overlaid inside
# `unshare -m`, so the host's files are never edited.  Sourced after
# lib.sh; root only.
#
#   nss_conf [USERS-LINES]    the config at the compiled-in path ([users] too)
#   in_ns CMD...              run CMD in a fresh namespace of this set-up
#   NS_LEDGER=DIR in_ns ...   another "host": another ledger directory
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
mount -t tmpfs -o mode=755 tmpfs /home
mkdir -p /run/sshd
exec "$@"
EOS
export NS NSS_MOD NS_LIBDIR NS_CONFDIR NS_LEDGER_PATH

in_ns() {
	unshare -m -- sh "$NS/enter.sh" "$@"
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

# ledger_lines FILE: the ledger file's text (host side)
ledger_file() { cat "${NS_LEDGER:-$NS/ledger}/$1" 2>/dev/null; }

# uid_of NAME [RANGE]: the rule's UID (optt-token users show in the namespace)
uid_of() {
	in_ns "$OPTT_TOKEN" --config "$NS_CONF" users show "$1" 2>/dev/null | sed -n 's/^  the rule gives: UID \([0-9]*\).*/\1/p'
}

# pam_drive USER PASSWORD [SERVICE]: one authentication through real libpam
# (tests/pam/pamdrive with --confdir, no wrapper) inside the namespace, with
# the system's NSS and our module; sets CODE, LOGLINE, REQS.  Services live
# in $NS/pamdrive.d (pam_optt with config= the compiled-in file).  Logins
# run at once set PD_TAG apart.
PAMDRIVE="$OPTT_TOP_BUILDDIR/tests/pam/pamdrive"
mkdir -p "$NS/pamdrive.d"
printf 'auth required %s config=%s\n' "$PAM_MOD_PATH" "$NS_CONF" >"$NS/pamdrive.d/optt"
NS_PRELOAD=""
[ "${OPTT_SANITIZERS:-no}" = yes ] && NS_PRELOAD="$(${CC:-cc} -print-file-name=libasan.so) libcrypt.so.1"
pam_drive() {
	n0=$(idp_count total)
	printf '%s' "$2" | in_ns env LD_PRELOAD="$NS_PRELOAD" ASAN_OPTIONS=detect_leaks=0 \
		"$PAMDRIVE" --confdir "$NS/pamdrive.d" "${3:-optt}" "$1" >"$T_DIR/pd.${PD_TAG:-0}.out" 2>"$T_DIR/pd.${PD_TAG:-0}.err"
	CODE=$(cut -d' ' -f1 "$T_DIR/pd.${PD_TAG:-0}.out")
	REQS=$(($(idp_count total) - n0))
}
