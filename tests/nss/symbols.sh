#!/bin/sh
# SPEC §15 and DESIGN "Part III": libnss_optt.so.2 NEEDs only libc and
# libinih, exports only _nss_optt_*, imports nothing that writes a file
# or talks to a network (the ledger's writer lives in another library),
# has the soname glibc opens, and is fully RELRO / BIND_NOW.
. "$OPTT_TOP_SRCDIR/tests/lib.sh"
need nm readelf
SO="$OPTT_TOP_BUILDDIR/nss_module/.libs/libnss_optt.so.2"
[ -f "$SO" ] || { not_ok "libnss_optt.so.2 is built"; t_done; }
needed=$(readelf -d "$SO" | sed -n 's/.*(NEEDED).*\[\(.*\)\]/\1/p' | sort | tr '\n' ' ')
is "NEEDED: libc and libinih only" "$needed" "libc.so.6 libinih.so.1 "
is "SONAME libnss_optt.so.2" "$(readelf -d "$SO" | sed -n 's/.*(SONAME).*\[\(.*\)\]/\1/p')" libnss_optt.so.2
syms=$(nm -D --defined-only "$SO" | awk '{print $3}' | sort | tr '\n' ' ')
is "exports exactly the _nss_optt_* entry points" "$syms" \
	"_nss_optt_endgrent _nss_optt_endpwent _nss_optt_getgrent_r _nss_optt_getgrgid_r _nss_optt_getgrnam_r _nss_optt_getpwent_r _nss_optt_getpwnam_r _nss_optt_getpwuid_r _nss_optt_initgroups_dyn _nss_optt_setgrent _nss_optt_setpwent "
imports=$(nm -D --undefined-only "$SO" | awk '{print $2}' | sed 's/@.*//' | tr '\n' ' ')
for f in write pwrite rename renameat fsync fdatasync flock lockf mkstemp mkostemp unlink unlinkat mkdir mkdirat \
	fchmod chmod chown fchown ftruncate truncate socket connect sendto getpwnam getpwnam_r getpwuid getpwuid_r \
	getgrnam getgrnam_r getgrgid getgrgid_r getgrouplist initgroups getenv secure_getenv dlopen fopen; do
	case " $imports " in
	*" $f "*) not_ok "imports no $f" ;;
	*) ok "imports no $f" ;;
	esac
done
# the checks can fail: pam_optt.so, which writes the ledger, imports these
like "pam_optt.so imports rename/fsync (the check above can fail)" \
	"$(nm -D --undefined-only "$OPTT_TOP_BUILDDIR/pam_module/.libs/pam_optt.so" | awk '{print $2}' | tr '\n' ' ')" 'renameat.* |fsync'
flags=$(readelf -d "$SO" | grep -E 'FLAGS')
like "BIND_NOW" "$flags" NOW
like "RELRO" "$(readelf -l "$SO")" GNU_RELRO
t_done
