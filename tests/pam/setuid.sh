#!/bin/sh
# The hostile environment, for real (audit item 1, SPEC §14): pamdrive is
# copied setuid-root and run by an unprivileged local user, with real
# libpam (pam_start_confdir; no pam_wrapper, whose preload a setuid
# program ignores anyway) and real NSS.  Whatever that user puts in the
# environment - SSLKEYLOGFILE (a new file, or a symlink to a root-only
# file), OPENSSL_CONF, OPENSSL_MODULES, SSL_CERT_*, CURL_*, proxies,
# HOME/XDG/OPTT_CONFIG - nothing is created or changed, and the login
# comes out as it would with a clean environment.
. "$OPTT_TOP_SRCDIR/tests/lib.sh"
need setpriv useradd userdel mkfifo
MOD="$OPTT_TOP_BUILDDIR/pam_module/.libs/pam_optt.so"
DRIVE="$OPTT_TOP_BUILDDIR/tests/pam/pamdrive"
[ -f "$MOD" ] || { not_ok "pam_optt.so is built at $MOD"; t_done; }
[ -x "$DRIVE" ] || { not_ok "pamdrive is built at $DRIVE"; t_done; }
[ "$(id -u)" = 0 ] || { not_ok "runs as root (it installs a setuid-root program)"; t_done; }
SUSER=optt-suid
S_DIR=$(mktemp -d /tmp/optt-suid.XXXXXX)
U_DIR=""
suid_cleanup() {
	rm -rf "$S_DIR" "$U_DIR"
	t_cleanup
}
trap suid_cleanup EXIT
test_user "$SUSER" /usr/sbin/nologin
U_DIR=$(mktemp -d /tmp/optt-suid-user.XXXXXX)
chown "$SUSER" "$U_DIR"
chmod 700 "$U_DIR"
chmod 755 "$S_DIR"

idp_start
# root's side: the program, the service, the module's config and CA
cp "$DRIVE" "$S_DIR/pamdrive"
chown 0:0 "$S_DIR/pamdrive"
chmod 4755 "$S_DIR/pamdrive"
cp "$IDP_CA" "$S_DIR/ca.pem"
mkdir -m 755 "$S_DIR/pam.d"
printf 'auth required %s config=%s/optt.conf timeout=5\n' "$MOD" "$S_DIR" >"$S_DIR/pam.d/optt"
cat >"$S_DIR/optt.conf" <<EOC
[defaults]
cafile = $S_DIR/ca.pem

[profile optt]
dialect = optt
token_url = $IDP_URL/gateway/uaa/oauth/token
EOC
chmod 600 "$S_DIR/optt.conf"
printf 'root-only original\n' >"$S_DIR/target"
chmod 600 "$S_DIR/target"
before_target=$(stat -c '%s %Y %a %U' "$S_DIR/target")

# the user's side: files the hostile variables point at
cp "$OPTT_TOP_SRCDIR/tests/fixtures/hostile-openssl.cnf" "$U_DIR/openssl.cnf"
ln -s "$S_DIR/target" "$U_DIR/keylog-link"
mkdir "$U_DIR/home"
printf 'machine 127.0.0.1 login x password y\n' >"$U_DIR/home/.netrc"
printf 'proxy = "http://127.0.0.1:1"\n' >"$U_DIR/home/.curlrc"
chown -R "$SUSER" "$U_DIR"
files_before=$(cd "$U_DIR" && find . | sort)
touch "$T_DIR/marker"

# as_user KEYLOG PASSWORD: the setuid program, as the unprivileged user,
# with the hostile environment; sets CODE
as_user() {
	printf '%s' "$2" | setpriv --reuid="$SUSER" --regid="$(id -g "$SUSER")" --clear-groups \
		env -i PATH=/usr/bin:/bin HOME="$U_DIR/home" XDG_CONFIG_HOME="$U_DIR" \
		SSLKEYLOGFILE="$1" OPENSSL_CONF="$U_DIR/openssl.cnf" OPENSSL_MODULES="$U_DIR" \
		OPENSSL_ENGINES="$U_DIR" SSL_CERT_FILE=/nonexistent SSL_CERT_DIR=/nonexistent \
		CURL_CA_BUNDLE=/nonexistent CURL_HOME="$U_DIR/home" CURL_SSL_BACKEND=none \
		https_proxy=http://127.0.0.1:1 HTTPS_PROXY=http://127.0.0.1:1 ALL_PROXY=http://127.0.0.1:1 \
		all_proxy=http://127.0.0.1:1 NO_PROXY= OPTT_CONFIG="$U_DIR/openssl.cnf" \
		ASAN_OPTIONS=detect_leaks=0 \
		"$S_DIR/pamdrive" --confdir "$S_DIR/pam.d" optt "$SUSER" >"$T_DIR/suid.out" 2>"$T_DIR/suid.err"
	CODE=$(cut -d' ' -f1 "$T_DIR/suid.out")
}

is "the program runs setuid root" "$(stat -c '%U %a' "$S_DIR/pamdrive")" "root 4755"
n0=$(idp_count optt_password)
as_user "$U_DIR/keylog" optt-suid-pw-2236
is "setuid, hostile environment, right password: PAM_SUCCESS" "$CODE" PAM_SUCCESS
[ "$CODE" = PAM_SUCCESS ] || printf '# %s\n' "$(cat "$T_DIR/suid.err" | head -5)"
is "... one password grant reached the IdP (no proxy, CA or TLS setting of the user's)" \
	"$(idp_count optt_password)" $((n0 + 1))
[ ! -e "$U_DIR/keylog" ] && ok "SSLKEYLOGFILE: no key log file created" ||
	not_ok "SSLKEYLOGFILE: no key log file created" "$(ls -l "$U_DIR/keylog")"
as_user "$U_DIR/keylog-link" optt-suid-pw-2236
is "setuid, SSLKEYLOGFILE a symlink to a root-only file: PAM_SUCCESS" "$CODE" PAM_SUCCESS
is "... the root-only file is unchanged" "$(stat -c '%s %Y %a %U' "$S_DIR/target") $(cat "$S_DIR/target")" \
	"$before_target root-only original"
as_user "$U_DIR/keylog" wrong-password-1
is "setuid, hostile environment, wrong password: PAM_AUTH_ERR" "$CODE" PAM_AUTH_ERR
is "no file in the user's directory was created or removed" "$(cd "$U_DIR" && find . | sort)" "$files_before"
[ -z "$(find "$U_DIR" -newer "$T_DIR/marker" -not -type d 2>/dev/null)" ] &&
	ok "no file in the user's directory was changed" ||
	not_ok "no file in the user's directory was changed" "$(find "$U_DIR" -newer "$T_DIR/marker")"
t_done
