#!/bin/sh
# SPEC §5 and DESIGN: pam_optt.so exports only pam_sm_*, links neither
# libsecret nor GLib, is marked NODELETE (curl keeps pointers into it) and
# is fully RELRO / BIND_NOW; the user-side programs do not link libsecret
# either (it is loaded when a cache opens the keyring).
. "$OPTT_TOP_SRCDIR/tests/lib.sh"
need nm readelf
MOD="$OPTT_TOP_BUILDDIR/pam_module/.libs/pam_optt.so"
[ -f "$MOD" ] || { not_ok "pam_optt.so is built"; t_done; }
syms=$(nm -D --defined-only "$MOD" | awk '{print $3}' | sort | tr '\n' ' ')
is "exported symbols are exactly pam_sm_*" "$syms" "pam_sm_acct_mgmt pam_sm_authenticate pam_sm_close_session pam_sm_open_session pam_sm_setcred "
needed=$(readelf -d "$MOD" | sed -n 's/.*(NEEDED).*\[\(.*\)\]/\1/p' | tr '\n' ' ')
unlike "no libsecret in NEEDED" "$needed" libsecret
unlike "no GLib in NEEDED" "$needed" libglib
unlike "no GIO in NEEDED" "$needed" libgio
unlike "no GObject in NEEDED" "$needed" libgobject
unlike "no libqrencode in NEEDED (loaded only for the qr argument)" "$needed" libqrencode
like "libcurl in NEEDED" "$needed" 'libcurl'
like "libpam in NEEDED" "$needed" 'libpam\.so'
# nothing pulls GLib in indirectly either
deps=$(ldd "$MOD" 2>/dev/null)
unlike "no GLib anywhere in the load closure" "$deps" libglib
flags=$(readelf -d "$MOD" | grep -E 'FLAGS')
like "NODELETE" "$flags" NODELETE
like "BIND_NOW" "$flags" 'NOW'
like "RELRO" "$(readelf -l "$MOD")" GNU_RELRO
# the user-side programs load libsecret on first use (common/keyring.h):
# none of them links it or GLib, so a file-backend run never loads them
for f in "$OPTT_TOKEN" "$OPTT_TOP_BUILDDIR/cli/optt-cli" "$OPTT_TOP_BUILDDIR/git_helper/optt-git-helper" \
	"$OPTT_TOP_BUILDDIR/docker_helper/optt-docker-helper"; do
	unlike "$(basename "$f") does not link libsecret or GLib" \
		"$(readelf -d "$f" | grep NEEDED)" 'libsecret|libglib|libgio|libgobject'
done
# nor libqrencode (loaded when a device login draws a QR code, common/qr.h)
for f in "$OPTT_TOKEN" "$OPTT_TOP_BUILDDIR/cli/optt-cli" "$OPTT_TOP_BUILDDIR/git_helper/optt-git-helper" \
	"$OPTT_TOP_BUILDDIR/git_helper/git-credential-optt" "$OPTT_TOP_BUILDDIR/docker_helper/docker-credential-optt"; do
	unlike "$(basename "$f") does not link libqrencode" "$(readelf -d "$f" | grep NEEDED)" libqrencode
done
# secret-tool does link it: the checks above can fail
need secret-tool
like "secret-tool links libsecret (the checks above can fail)" \
	"$(readelf -d "$(command -v secret-tool)" | grep NEEDED)" libsecret
t_done
