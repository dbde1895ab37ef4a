#!/bin/sh
# SPEC §17: with neither cafile nor capath, the system's hashed certificate
# directory - not the bundle - and verification as strict as ever.  Runs
# in a private mount namespace with a copy of the system store, plus the
# test IdP's CA, bind-mounted over the configured directory (the host's
# store is never edited): the CLI and the PAM module verify the IdP
# through it, never open the bundle, and still refuse another CA's
# certificate and a wrong host name; cafile and capath each mean that CA
# alone.
. "$OPTT_TOP_SRCDIR/tests/lib.sh"
. "$OPTT_TOP_SRCDIR/tests/pam/pam-env.sh"
need unshare strace openssl
SYSDIR=$(sed -n 's/^#define OPTT_SYSTEM_CAPATH "\(.*\)"$/\1/p' "$OPTT_TOP_BUILDDIR/config.h")
[ -d "$SYSDIR" ] && ok "configure found the system's hashed directory ($SYSDIR)" ||
	{ not_ok "configure found the system's hashed directory" "$SYSDIR"; t_done; }
idp_start
# the host's store as a copy, with the test CA added as a package would add it
STORE="$T_DIR/certs"
cp -a "$SYSDIR/." "$STORE/"
cp "$IDP_CA" "$STORE/optt-test-ca.pem"
[ -f "$STORE/ca-certificates.crt" ] && cat "$IDP_CA" >>"$STORE/ca-certificates.crt"
openssl rehash "$STORE" >/dev/null 2>&1 || c_rehash "$STORE" >/dev/null 2>&1
h=$(openssl x509 -hash -noout -in "$IDP_CA")
[ -L "$STORE/$h.0" ] && ok "the test CA is hashed into the copy ($h.0)" || not_ok "the test CA is hashed into the copy"
# in_store CMD...: CMD in a private mount namespace where the copy is the system store
in_store() {
	unshare -m sh -c 'mount --bind "$1" "$2" && shift 2 && exec "$@"' sh "$STORE" "$SYSDIR" "$@"
}

write_conf
sed -i '/^cafile = /d' "$OPTT_CONFIG" # the defaults: no cafile, no capath
# LeakSanitizer cannot run under ptrace: in the sanitizer build it would
# make the traced run exit 1 whatever the login did
run --stdin alice-pw-3141 in_store env ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0" \
	strace -f -qq -e trace=open,openat -o "$T_DIR/trace" "$OPTT_TOKEN" login optt --username alice --password-stdin
is "no cafile, no capath: login through the system store, exit 0" "$RC" 0
trace=$(cat "$T_DIR/trace")
unlike "... the bundle is never opened" "$trace" "ca-certificates.crt"
like "... the issuer is read from the hashed directory" "$trace" "$SYSDIR/$h\\.0"
run "$OPTT_TOKEN" logout optt
for f in wrongca wronghost; do
	idp_ctl "fault?mode=$f&count=1"
	run --stdin alice-pw-3141 in_store "$OPTT_TOKEN" login optt --username alice --password-stdin
	is "the system store, fault $f: refused as unavailable (exit 3)" "$RC" 3
	idp_ctl "fault?mode=none"
done
# the PAM module: its defaults the same
pam_conf
sed -i '/^cafile = /d' "$PAM_CONF"
pam_service optt "auth required @optt"
pam_auth_store() {
	printf '%s' "$2" | in_store env LD_PRELOAD="$PAM_PRELOAD" PAM_WRAPPER=1 PAM_WRAPPER_SERVICE_DIR="$PAM_DIR" \
		NSS_WRAPPER_PASSWD="$T_DIR/passwd" NSS_WRAPPER_GROUP="$T_DIR/group" ASAN_OPTIONS=detect_leaks=0 \
		"$PAMDRIVE" optt "$1" 2>/dev/null | cut -d' ' -f1
}
is "PAM, no cafile, no capath: the system store, PAM_SUCCESS" "$(pam_auth_store alice alice-pw-3141)" PAM_SUCCESS
idp_ctl "fault?mode=wronghost&count=1"
is "PAM, the system store, a wrong host name: PAM_AUTHINFO_UNAVAIL" "$(pam_auth_store alice alice-pw-3141)" \
	PAM_AUTHINFO_UNAVAIL
idp_ctl "fault?mode=none"
# cafile and capath keep their meaning: that CA alone, the system store not added
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -days 1 -subj /CN=unrelated \
	-keyout "$T_DIR/unrelated.key" -out "$T_DIR/unrelated.pem" >/dev/null 2>&1
set_default cafile "$T_DIR/unrelated.pem"
run --stdin alice-pw-3141 in_store "$OPTT_TOKEN" login optt --username alice --password-stdin
is "cafile = another CA: refused although the system store has the IdP's (exit 3)" "$RC" 3
mkdir "$T_DIR/onlyother"
cp "$T_DIR/unrelated.pem" "$T_DIR/onlyother/"
openssl rehash "$T_DIR/onlyother" >/dev/null 2>&1 || c_rehash "$T_DIR/onlyother" >/dev/null 2>&1
sed -i '/^cafile = /d' "$OPTT_CONFIG"
set_default capath "$T_DIR/onlyother"
run --stdin alice-pw-3141 in_store "$OPTT_TOKEN" login optt --username alice --password-stdin
is "capath = another directory: refused likewise (exit 3)" "$RC" 3
mkdir "$T_DIR/onlyidp"
cp "$IDP_CA" "$T_DIR/onlyidp/"
openssl rehash "$T_DIR/onlyidp" >/dev/null 2>&1 || c_rehash "$T_DIR/onlyidp" >/dev/null 2>&1
set_default capath "$T_DIR/onlyidp"
run --stdin alice-pw-3141 "$OPTT_TOKEN" login optt --username alice --password-stdin
is "capath = the IdP's CA alone, outside the namespace: exit 0" "$RC" 0
t_done
