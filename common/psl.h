/*
 * psl.h - the public suffix list (libpsl), for the `hosts` wildcard rule
 * (SPEC §19): `*.co.uk` or `*.github.io` would hand one token to every
 * site registered under the suffix, so a wildcard whose domain is a public
 * suffix is refused like `*.com`.
 *
 * libpsl is loaded on first use (dlopen of libpsl.so.5), only when a
 * configuration holds a wildcard entry: the front programs' cached get
 * does not pay for loading it (and libidn2 and libunistring with it,
 * docs/DECISIONS.md) when no wildcard is configured.  libcurl links libpsl
 * already, so the full programs and the PAM module have it in memory.
 * The list is the newer of libpsl's built-in one and the `publicsuffix`
 * package's /usr/share/publicsuffix/public_suffix_list.dafsa
 * (psl_latest), both sections (ICANN and private: github.io is one).
 *
 * Fails closed: when the library cannot be loaded, gives no list, or its
 * list does not know co.uk as a public suffix (libpsl without data answers
 * from its "*" rule alone, which would call co.uk registrable), the answer
 * is -1 and err says why; callers refuse the wildcard.
 *
 * Ownership: nothing is returned but the answer; the library stays loaded
 * for the life of the process; its list is read per call and freed.  No
 * secrets.  Nothing is read from the environment but the dynamic loader's
 * own search path (which ld.so ignores for setuid callers).
 */
#ifndef OPTT_PSL_H
#define OPTT_PSL_H

#include "common/status.h"

/* the library loaded (its soname, as the linker would name it) */
#define OPTT_LIBPSL "libpsl.so.5"

/* Whether domain (a host name; ASCII, any case, no trailing dot) is a
 * public suffix: 1 yes, 0 no, -1 unknown (OPTT_CONFIG in err, saying
 * why). */
int optt_psl_is_suffix(const char *domain, struct optt_err *err);

#endif
