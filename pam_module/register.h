/*
 * register.h - pam_optt's side of SPEC §15: who a login's name is (local,
 * registered in the user ledger, or a name to register), the bindings to
 * the provider and the token's subject, and the registration after an
 * online success.  pam_optt.c calls three hooks, in this order:
 *
 *   pam_optt_reg_lookup   §5 step 2: the NSS lookup (getpwnam_r)
 *   pam_optt_reg_before   after the configuration, before any request:
 *                         unknown names, held UIDs, provider binding
 *   pam_optt_reg_after    after an online success (claims included):
 *                         subject binding, the token's groups (SPEC §16),
 *                         then write or refresh the entry
 *
 * A refusal comes back as a PAM code, an outcome and a one-line detail
 * for the module's decision line; other lines worth a log line (a mapped
 * group that is not a local one) go to the caller's note function.  Per
 * call, nothing kept; nothing secret (the token is read for its subject
 * and its group claims only).
 */
#ifndef OPTT_PAM_REGISTER_H
#define OPTT_PAM_REGISTER_H

#include <stdint.h>
#include <sys/types.h>

#include "accounts/held.h"
#include "common/conf.h"
#include "common/token.h"

struct pam_optt_who {
	int found;         /* NSS has the name */
	uid_t uid;
	gid_t gid;
	char home[4096];
	char shell[4096];
};

struct pam_optt_refusal {
	int code;          /* PAM_* */
	int prio;          /* syslog priority */
	const char *outcome;
	char detail[256];
};

struct pam_optt_reg {
	struct optt_acct_paths paths;
	const struct optt_users *users;
	const char *name;
	const char *provider;  /* token endpoint, or issuer */
	int bound;             /* registered before this login: the subject must match */
	int active;            /* write or refresh the entry after an online success */
	int is_new;            /* not registered yet */
	uint32_t uid;
	char home[4096];
	char subject[1024];    /* the registered subject, when bound */
	/* one log line that is not the decision (set by the caller after
	 * pam_optt_reg_before; NULL: none) */
	void (*note)(void *ctx, const char *line);
	void *note_ctx;
};

/* 1 the user exists, 0 no such user, -1 the lookup failed, -2 no memory;
 * who is filled when 1. */
int pam_optt_reg_lookup(const char *user, struct pam_optt_who *who);

/* 0: go on (r says what the login does to the ledger); 1: refused, ref
 * filled, no request may be made.  ignore_unknown is the module's
 * ignore_unknown_user. */
int pam_optt_reg_before(struct pam_optt_reg *r, const struct optt_conf *c, const struct optt_profile *p,
			const char *user, const struct pam_optt_who *who, int ignore_unknown,
			struct pam_optt_refusal *ref);

/* After an online success: 0 the success stands (a refresh that could not
 * be written is logged in ref->detail with ref->outcome NULL); 1 refused. */
int pam_optt_reg_after(struct pam_optt_reg *r, const struct optt_token *tok, int64_t now,
		       struct pam_optt_refusal *ref);

#endif
