/*
 * state.h - the PAM module's own state on disk (SPEC §11, §19), root's alone:
 *
 *   <offline_dir>/<profile>@<user>     offline verifier: a yescrypt hash
 *                                      made by libxcrypt's crypt_r, the
 *                                      binding (profile, provider,
 *                                      require_claims), the time of the
 *                                      online success, wrong offline
 *                                      passwords in a row
 *   <offline_dir>/.lock                taken for every change of a verifier
 *   <run_dir>/backoff/<sha256(provider)>  last outage of that provider
 *
 * The provider is optt_conf_provider's: token_url as configured, else the
 * issuer - never a discovered endpoint, so an issuer-only profile has the
 * same names whether or not discovery can run.  Directories are statedir.h's
 * (one table of places and modes); files are root's 0600, replaced
 * atomically (privdir.h).  Never the password, never a fast hash; every
 * buffer that held the password or the hash is wiped.
 */
#ifndef OPTT_PAM_STATE_H
#define OPTT_PAM_STATE_H

#include <stdint.h>

#include "common/conf.h"
#include "common/status.h"
#include "pam_module/args.h"

/* What the verifier is bound to: SHA-256 over the profile's name, its
 * token_url and every require_claim, in hex. */
struct pam_optt_binding {
	char hex[65];
};
enum optt_status pam_optt_binding(const struct optt_profile *p, const struct pam_optt_args *a,
				  struct pam_optt_binding *ret, struct optt_err *err);

/* After a full online success: a fresh verifier, failures 0. */
enum optt_status pam_optt_offline_save(const struct optt_profile *p, const char *user,
				       const char *password, const struct pam_optt_binding *b,
				       int64_t now, struct optt_err *err);

enum pam_optt_offline_result {
	PAM_OPTT_OFFLINE_NONE,     /* no verifier usable: none, too old, other binding */
	PAM_OPTT_OFFLINE_OK,       /* the password matches */
	PAM_OPTT_OFFLINE_WRONG,    /* it does not (counted) */
	PAM_OPTT_OFFLINE_LOCKED,   /* max_failures reached: not even checked */
};
/* Check password against the verifier; detail (n bytes) says why for NONE
 * and LOCKED.  OPTT_OK with *ret set, or OPTT_NOMEM / OPTT_SYSTEM. */
enum optt_status pam_optt_offline_check(const struct optt_profile *p, const char *user,
					const char *password, const struct pam_optt_binding *b,
					long days, long max_failures, int64_t now,
					enum pam_optt_offline_result *ret, char *detail, size_t n,
					struct optt_err *err);

/* The provider rejected password: the verifier goes if it holds that
 * password (changed at the provider, or the account disabled; SPEC §19),
 * else it stays.  password NULL: it goes whatever it holds (a granted
 * token that fails require_claim).  Costs one yescrypt when there is a
 * verifier (docs/SECURITY.md: the timing difference). */
void pam_optt_offline_forget(const struct optt_profile *p, const char *user, const char *password);

/* Seconds since the provider's last outage, when that is less than
 * window; else -1 (no back-off).  What counts as an outage is the
 * caller's rule (pam_optt.c: transport failures and 502/503/504 of the
 * token endpoint, SPEC §19). */
long pam_optt_backoff_active(const struct optt_profile *p, long window, int64_t now);
/* Record an "unavailable" now, or clear the record (the provider answered). */
void pam_optt_backoff_mark(const struct optt_profile *p, int64_t now);
void pam_optt_backoff_clear(const struct optt_profile *p);

#endif
