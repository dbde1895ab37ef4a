/*
 * nss_optt.h - the entry points libnss_optt.so.2 gives glibc (SPEC §15),
 * declared for the module and its unit test.  The module exports these
 * alone (export.sym).  Ownership and failure follow glibc's NSS rules:
 * the caller's buffer receives the strings; a buffer too small is
 * NSS_STATUS_TRYAGAIN with *errnop = ERANGE; nothing is allocated for
 * the caller except initgroups_dyn's array, grown with realloc.
 */
#ifndef OPTT_NSS_OPTT_H
#define OPTT_NSS_OPTT_H

#include <grp.h>
#include <nss.h>
#include <pwd.h>
#include <stddef.h>

enum nss_status _nss_optt_getpwnam_r(const char *name, struct passwd *pw, char *buf, size_t len, int *errnop);
enum nss_status _nss_optt_getpwuid_r(uid_t uid, struct passwd *pw, char *buf, size_t len, int *errnop);
enum nss_status _nss_optt_setpwent(int stayopen);
enum nss_status _nss_optt_getpwent_r(struct passwd *pw, char *buf, size_t len, int *errnop);
enum nss_status _nss_optt_endpwent(void);
enum nss_status _nss_optt_getgrnam_r(const char *name, struct group *gr, char *buf, size_t len, int *errnop);
enum nss_status _nss_optt_getgrgid_r(gid_t gid, struct group *gr, char *buf, size_t len, int *errnop);
enum nss_status _nss_optt_setgrent(int stayopen);
enum nss_status _nss_optt_getgrent_r(struct group *gr, char *buf, size_t len, int *errnop);
enum nss_status _nss_optt_endgrent(void);
enum nss_status _nss_optt_initgroups_dyn(const char *user, gid_t group, long int *start, long int *size,
					 gid_t **groupsp, long int limit, int *errnop);

#ifdef OPTT_NSS_TESTING
/* The unit test's copy only (tests/unit/test_nss.c): look here instead of
 * the compiled-in places.  The installed module has no such variable. */
struct optt_nss_test_paths {
	const char *ledger_dir, *pins, *passwd, *group, *conf, *proc;
};
extern struct optt_nss_test_paths optt_nss_test;
#endif

#endif
