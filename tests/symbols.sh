#!/bin/sh
# SPEC §5 and DESIGN: pam_optt.so exports only pam_sm_*, links neither
# libsecret nor GLib, is marked NODELETE (curl keeps pointers into it) and
# is fully RELRO / BIND_NOW.
. "$OPTT_TOP_SRCDIR/tests/lib.sh"
need nm readelf
MOD="$OPTT_TOP_BUILDDIR/pam_module/.libs/pam_optt.so"
[ -f "$MOD" ] || { not_ok "pam_optt.so is built"; t_done; }
syms=$(nm -D --defined-only "$MOD" | awk '{print $3}' | sort | tr '\n' ' ')
is "exported symbols are exactly pam_sm_*" "$syms" "pam_sm_acct_mgmt pam_sm_authenticate pam_sm_setcred "
needed=$(readelf -d "$MOD" | sed -n 's/.*(NEEDED).*\[\(.*\)\]/\1/p' | tr '\n' ' ')
unlike "no libsecret in NEEDED" "$needed" libsecret
unlike "no GLib in NEEDED" "$needed" libglib
unlike "no GIO in NEEDED" "$needed" libgio
unlike "no GObject in NEEDED" "$needed" libgobject
like "libcurl in NEEDED" "$needed" 'libcurl'
like "libpam in NEEDED" "$needed" 'libpam\.so'
# nothing pulls GLib in indirectly either
deps=$(ldd "$MOD" 2>/dev/null)
unlike "no GLib anywhere in the load closure" "$deps" libglib
flags=$(readelf -d "$MOD" | grep -E 'FLAGS')
like "NODELETE" "$flags" NODELETE
like "BIND_NOW" "$flags" 'NOW'
like "RELRO" "$(readelf -l "$MOD")" GNU_RELRO
# the CLI, by contrast, may use libsecret: the symbol check is not vacuous
like "optt-token does link libsecret (the check above can fail)" \
	"$(readelf -d "$OPTT_TOKEN" | grep NEEDED)" libsecret
t_done
