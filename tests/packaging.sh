#!/bin/sh
# The Debian packages and the source install, as an admin meets them (SPEC
# §13).  From a clean clone of HEAD: dpkg-buildpackage -us -uc -b, lintian
# without errors or warnings, the package contents; `apt-get install
# ./*.deb`; then, with nothing but /etc/optt/optt.conf written: a login
# through pamtester and the real libpam (no pam_wrapper) with a service
# file naming the module by its bare name, the pam-auth-update profile
# (not enabled by default; enabled, local passwords still work), a git
# clone through the helper on PATH, a docker lookup; `apt-get purge`
# leaves nothing behind.  Then the README's configure line for a source
# install: make install puts everything where Debian's libpam and the
# docs look, make uninstall takes it all away.
#
# Run by scripts/test (root, after the builds): it installs and removes
# system packages and users, and puts the machine back as it was.
. "$OPTT_TOP_SRCDIR/tests/lib.sh"
need git dpkg-buildpackage lintian apt-get dpkg-query pamtester pam-auth-update useradd userdel chpasswd sha256sum
[ "$(id -u)" = 0 ] || { not_ok "the packaging test runs as root"; t_done; }
for p in libpam-optt optt-auth libnss-optt; do
	if dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'ok installed'; then
		not_ok "$p is not installed before the test (it would be purged): apt-get purge libpam-optt optt-auth"
		t_done
	fi
done
W="$T_DIR/pkg"
SVC=optt-pkgtest-$$
PUSER=optt-pkg
LUSER=optt-pkgloc
LPW=loc-pw-8282
auth_sum=$(sha256sum /etc/pam.d/common-auth | cut -d' ' -f1)
session_sum=$(sha256sum /etc/pam.d/common-session | cut -d' ' -f1)
ns_sum=$(sha256sum /etc/nsswitch.conf | cut -d' ' -f1)
pkg_cleanup() {
	rm -f "/etc/pam.d/$SVC"
	if dpkg-query -W -f='${Status}' libpam-optt optt-auth libnss-optt 2>/dev/null | grep -q 'ok installed'; then
		pam-auth-update --package --disable optt >/dev/null 2>&1
		DEBIAN_FRONTEND=noninteractive apt-get purge -y libpam-optt optt-auth libnss-optt >/dev/null 2>&1
	fi
	t_cleanup
}
trap pkg_cleanup EXIT
mkdir -p "$W"

# --- build from a clean clone
git clone -q "$OPTT_TOP_SRCDIR" "$W/src" && ok "a clean clone of HEAD" || { not_ok "a clean clone of HEAD"; t_done; }
if (cd "$W/src" && dpkg-buildpackage -us -uc -b) >"$W/build.log" 2>&1; then
	ok "dpkg-buildpackage -us -uc -b"
else
	not_ok "dpkg-buildpackage -us -uc -b" "$(tail -20 "$W/build.log")"
	t_done
fi
DEB_PAM=$(ls "$W"/libpam-optt_*.deb 2>/dev/null)
DEB_AUTH=$(ls "$W"/optt-auth_*.deb 2>/dev/null)
DEB_NSS=$(ls "$W"/libnss-optt_*.deb 2>/dev/null)
[ -f "$DEB_NSS" ] && ok "libnss-optt built" || { not_ok "libnss-optt built" "$(ls "$W")"; t_done; }
c=$(dpkg -c "$DEB_NSS")
like "libnss-optt: libnss_optt.so.2 in the multiarch library directory" "$c" " \\./usr/lib/$(dpkg-architecture -qDEB_HOST_MULTIARCH)/libnss_optt\\.so\\.2$"
unlike "libnss-optt: no .la, no development symlink" "$c" "libnss_optt.so "
like "libnss-optt: libnss_optt(8)" "$c" 'man8/libnss_optt\.8\.gz$'
like "libnss-optt: the pam_mkhomedir profile" "$c" ' \./usr/share/pam-configs/optt-mkhomedir$'
[ -f "$DEB_PAM" ] && [ -f "$DEB_AUTH" ] && ok "libpam-optt and optt-auth built" ||
	{ not_ok "libpam-optt and optt-auth built" "$(ls "$W")"; t_done; }
lint=$(lintian "$W"/*.changes 2>&1 | grep -E '^[EW]: ')
is "lintian: no error, no warning" "$lint" ""
c=$(dpkg -c "$DEB_PAM")
like "libpam-optt: the module in Debian's PAM directory" "$c" " \\./usr/lib/$(dpkg-architecture -qDEB_HOST_MULTIARCH)/security/pam_optt\\.so$"
unlike "libpam-optt: no .la" "$c" ".la"
like "libpam-optt: the pam-auth-update profile" "$c" ' \./usr/share/pam-configs/optt$'
like "libpam-optt: pam_optt(8)" "$c" 'man8/pam_optt\.8\.gz$'
like "libpam-optt: a tmpfiles.d entry for run_dir (SPEC §19)" "$c" ' \./usr/lib/tmpfiles\.d/libpam-optt\.conf$'
dpkg-deb --fsys-tarfile "$DEB_PAM" | tar -xOf - ./usr/lib/tmpfiles.d/libpam-optt.conf >"$W/tmpfiles.shipped" 2>/dev/null
like "... /run/optt, root's, 0711" "$(grep -v '^#' "$W/tmpfiles.shipped")" '^d /run/optt 0711 root root -$'
like "libpam-optt: /var/lib/optt" "$c" ' \./var/lib/optt/$'
c=$(dpkg -c "$DEB_AUTH")
for f in usr/bin/optt-token usr/bin/git-credential-optt usr/bin/docker-credential-optt \
	usr/libexec/optt-auth/optt-git-helper usr/libexec/optt-auth/optt-docker-helper usr/libexec/optt-auth/optt-cli \
	usr/share/man/man1/optt-token.1.gz usr/share/man/man5/optt.conf.5.gz; do
	like "optt-auth ships /$f" "$c" " \\./$f\$"
done
like "optt-auth: /etc/optt/optt.conf, 0644" "$c" '^-rw-r--r-- .* \./etc/optt/optt\.conf$'
dpkg-deb --fsys-tarfile "$DEB_AUTH" | tar -xOf - ./etc/optt/optt.conf >"$W/optt.conf.shipped"
is "... every line of it a comment (no secret, nothing set)" "$(grep -cvE '^(#.*)?$' "$W/optt.conf.shipped")" 0
for k in $(sed -n 's/^\t\[OPTT_K_[A-Z_]*\] = { "\([a-z_]*\)".*/\1/p' "$OPTT_TOP_SRCDIR/common/conf.c"); do
	grep -q "^#$k =" "$W/optt.conf.shipped" || missing_keys="${missing_keys:-} $k"
done
is "... showing every key" "${missing_keys:-}" ""
is "... a conffile" "$(dpkg-deb -I "$DEB_AUTH" conffiles)" /etc/optt/optt.conf
# libsecret is loaded when the keyring is used (common/keyring.h): a
# headless host installs neither it nor GLib, a desktop gets it by default
unlike "optt-auth does not depend on libsecret or GLib" "$(dpkg-deb -f "$DEB_AUTH" Depends)" 'libsecret|libglib'
like "... it recommends libsecret" "$(dpkg-deb -f "$DEB_AUTH" Recommends)" 'libsecret-1-0 \(>= 0\.20\)'
# libqrencode likewise, loaded when a device login draws a QR code (common/qr.h, issue 24)
unlike "neither package depends on libqrencode" "$(dpkg-deb -f "$DEB_AUTH" Depends) $(dpkg-deb -f "$DEB_PAM" Depends)" libqrencode
like "... both recommend it" "$(dpkg-deb -f "$DEB_AUTH" Recommends) $(dpkg-deb -f "$DEB_PAM" Recommends)" 'libqrencode4.* libqrencode4'

# --- install
if DEBIAN_FRONTEND=noninteractive apt-get install -y "$DEB_PAM" "$DEB_AUTH" "$DEB_NSS" >"$W/install.log" 2>&1; then
	ok "apt-get install ./libpam-optt_*.deb ./optt-auth_*.deb ./libnss-optt_*.deb"
else
	not_ok "apt-get install ./*.deb" "$(tail -20 "$W/install.log")"
	t_done
fi
is "the pam-auth-update profile is not enabled by default (common-auth unchanged)" \
	"$(sha256sum /etc/pam.d/common-auth | cut -d' ' -f1)" "$auth_sum"
like "libnss-optt: optt on the passwd line of /etc/nsswitch.conf" "$(grep '^passwd:' /etc/nsswitch.conf)" ' optt$'
like "libnss-optt: optt on the group line" "$(grep '^group:' /etc/nsswitch.conf)" ' optt$'
is "... root is still found" "$(getent passwd root | cut -d: -f1)" root
is "the mkhomedir profile is not enabled by default (common-session unchanged)" \
	"$(sha256sum /etc/pam.d/common-session | cut -d' ' -f1)" "$session_sum"
is "git-credential-optt on PATH is the package's" "$(command -v git-credential-optt)" /usr/bin/git-credential-optt # -- installed-ok

for u in $PUSER $LUSER; do test_user "$u"; done
printf '%s:%s\n' "$LUSER" "$LPW" | chpasswd
idp_start
# a loopback git server that accepts the IdP's live tokens only
gitsrv_start repo.git
# nothing but the configuration: the one file an admin writes
cat >/etc/optt/optt.conf <<EOC
[defaults]
cafile = $IDP_CA
timeout = 5

[profile optt]
dialect = optt
token_url = $IDP_URL/gateway/uaa/oauth/token

[profile ci]
dialect = ddi
token_url = $IDP_URL/oauth2/token/
client_id = ab5a442c7d57bd3dcbdc0675e9bdd9f6e6d67d1171b043939ff5
client_secret = 8c7f2eb1609125d43e945cee63501dff80c461166ccfe15291
hosts = 127.0.0.1:$GPORT registry.pkg.test:5000

[users]
register = yes
EOC
chmod 600 /etc/optt/optt.conf
run optt-token check-config --pam
is "optt-token check-config --pam accepts it" "$RC" 0

# --- PAM: the real libpam, the module by its bare name
printf 'auth required pam_optt.so offline=1\naccount required pam_permit.so\n' >"/etc/pam.d/$SVC"
out=$(printf 'pkg-pw-7373\n' | pamtester "$SVC" "$PUSER" authenticate 2>&1)
like "pamtester, bare pam_optt.so, right password: authenticated" "$out" 'successfully authenticated'
[ -f "/var/lib/optt/offline/optt@$PUSER" ] && ok "... the offline verifier in /var/lib/optt/offline" ||
	not_ok "... the offline verifier in /var/lib/optt/offline"
out=$(printf 'wrong-pw-9\n' | pamtester "$SVC" "$PUSER" authenticate 2>&1)
like "... wrong password: refused" "$out" 'Authentication failure'
out=$(printf 'pkg-pw-7373\n' | pamtester "$SVC" "$PUSER" authenticate 2>&1) # (a verifier again, for purge)
# SPEC §15: a user who exists only at the IdP, registered by the installed
# module and answered by the installed NSS module
out=$(printf 'nss-pw-4242\n' | pamtester "$SVC" nssu-pkg authenticate 2>&1)
like "register = yes: a name only the IdP knows logs in" "$out" 'successfully authenticated'
like "... and getent passwd finds it through libnss-optt" "$(getent passwd nssu-pkg)" '^nssu-pkg:\*:[0-9]+:[0-9]+::/home/nssu-pkg:/bin/bash$'
[ -f /var/lib/optt/users/passwd ] && ok "... the ledger is in /var/lib/optt/users" || not_ok "the ledger in /var/lib/optt/users"

# --- the pam-auth-update profile, enabled: OPTT users and local passwords
pam-auth-update --package --enable optt >/dev/null 2>&1
ca=$(grep -v '^#' /etc/pam.d/common-auth)
like "pam-auth-update --enable optt: pam_optt in common-auth" "$ca" 'pam_optt\.so use_first_pass'
like "... after pam_unix" "$(printf '%s\n' "$ca" | grep -E 'pam_(unix|optt)' | tr '\n' ' ')" 'pam_unix.*pam_optt'
printf 'auth include common-auth\naccount required pam_permit.so\n' >"/etc/pam.d/$SVC"
out=$(printf 'pkg-pw-7373\n' | pamtester "$SVC" "$PUSER" authenticate 2>&1)
like "common-auth: the OPTT user's password" "$out" 'successfully authenticated'
out=$(printf '%s\n' "$LPW" | pamtester "$SVC" "$LUSER" authenticate 2>&1)
like "common-auth: a local password still works" "$out" 'successfully authenticated'
out=$(printf 'wrong-pw-10\n' | pamtester "$SVC" "$PUSER" authenticate 2>&1)
like "common-auth: a wrong password is refused" "$out" 'Authentication failure'
idp_ctl "fault?mode=503"
out=$(printf '%s\n' "$LPW" | pamtester "$SVC" "$LUSER" authenticate 2>&1)
like "common-auth, IdP unavailable: a local password still works" "$out" 'successfully authenticated'
idp_ctl "fault?mode=none"
pam-auth-update --package --disable optt >/dev/null 2>&1
is "pam-auth-update --disable optt: common-auth as it was" "$(sha256sum /etc/pam.d/common-auth | cut -d' ' -f1)" "$auth_sum"

# --- git through the helper on PATH (the git server started above), docker lookup
run env GIT_TERMINAL_PROMPT=0 GIT_CONFIG_NOSYSTEM=1 git -c "credential.http://127.0.0.1:$GPORT.helper=optt" \
	clone -q "http://127.0.0.1:$GPORT/repo.git" "$T_DIR/clone"
is "git clone through the installed git-credential-optt: exit 0" "$RC" 0
[ -f "$T_DIR/clone/README" ] && ok "... the clone has the file" || not_ok "... the clone has the file" "$ERR"
out=$(printf 'registry.pkg.test:5000' | docker-credential-optt get 2>&1)
like "docker-credential-optt get answers the registry" "$out" '"Secret":"[0-9a-f]{20,}"'

# --- purge: nothing left
dpkg -L libpam-optt optt-auth libnss-optt >"$W/files" 2>/dev/null
if DEBIAN_FRONTEND=noninteractive apt-get purge -y libpam-optt optt-auth libnss-optt >"$W/purge.log" 2>&1; then
	ok "apt-get purge libpam-optt optt-auth libnss-optt"
else
	not_ok "apt-get purge" "$(tail -20 "$W/purge.log")"
fi
left=""
while IFS= read -r f; do
	# shared directories (/usr/bin, /usr/share/man/man1, ...) stay; ours go
	case "$f" in *optt*) ;; *) [ -d "$f" ] && continue ;; esac
	[ -e "$f" ] && left="$left $f"
done <"$W/files"
is "every file the packages installed is gone" "$left" ""
for d in /etc/optt /usr/libexec/optt-auth /var/lib/optt /run/optt /usr/share/doc/optt-auth /usr/share/doc/libpam-optt /usr/share/doc/libnss-optt; do # -- installed-ok
	[ -e "$d" ] && not_ok "$d is gone" || ok "$d is gone"
done
is "common-auth as it was" "$(sha256sum /etc/pam.d/common-auth | cut -d' ' -f1)" "$auth_sum"
is "/etc/nsswitch.conf as it was" "$(sha256sum /etc/nsswitch.conf | cut -d' ' -f1)" "$ns_sum"
idp_stop

# --- the source install of README.md
S="$W/srcinst"
git clone -q "$OPTT_TOP_SRCDIR" "$S"
multi=$(dpkg-architecture -qDEB_HOST_MULTIARCH)
conf_line=$(sed -n 's/^\(\.\/configure --prefix=\/usr .*\)$/\1/p' "$OPTT_TOP_SRCDIR/README.md" | head -1)
like "README.md gives the Debian configure line" "$conf_line" '^\./configure --prefix=/usr '
if (cd "$S" && ./autogen.sh && eval "$conf_line" && make -j"$(nproc)" && make install DESTDIR="$W/root") \
	>"$W/srcinst.log" 2>&1; then
	ok "./autogen.sh; $conf_line; make; make install"
else
	not_ok "the source install" "$(tail -20 "$W/srcinst.log")"
fi
for f in "usr/lib/$multi/security/pam_optt.so" "usr/lib/$multi/libnss_optt.so.2" usr/share/man/man8/libnss_optt.8 etc/optt/optt.conf usr/bin/optt-token usr/bin/git-credential-optt \
	usr/libexec/optt-auth/optt-git-helper usr/libexec/optt-auth/optt-cli usr/share/man/man8/pam_optt.8; do
	[ -f "$W/root/$f" ] && ok "source install: /$f" || not_ok "source install: /$f"
done
[ -e "$W/root/usr/lib/$multi/libnss_optt.la" ] || [ -e "$W/root/usr/lib/$multi/libnss_optt.so" ] &&
	not_ok "source install: no libnss_optt.la or .so link" || ok "source install: no libnss_optt.la or .so link"
[ -e "$W/root/usr/lib/$multi/security/pam_optt.la" ] && not_ok "source install: no pam_optt.la" || # -- installed-ok
	ok "source install: no pam_optt.la"
like "source install: the pages name /etc/optt/optt.conf" "$(cat "$W/root/usr/share/man/man5/optt.conf.5")" '/etc/optt/optt\.conf'
(cd "$S" && make uninstall DESTDIR="$W/root") >>"$W/srcinst.log" 2>&1
is "make uninstall: no file left" "$(find "$W/root" -type f | head -5)" ""
for d in etc/optt usr/libexec/optt-auth; do
	[ -e "$W/root/$d" ] && not_ok "make uninstall removes /$d" || ok "make uninstall removes /$d"
done
t_done
