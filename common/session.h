/*
 * session.h - the login's token, handed to the user's session (SPEC §11,
 * §19; pam_optt's `session_token`).  Where and how the PAM module leaves
 * it: session_record.h.
 *
 * The user-side programs claim it: before they look at the cache, the
 * record moves into the backend the profile uses (keyring or file) and
 * the hand-off file is emptied, so `get` answers it with no prompt and no
 * request, and refreshes it like any other record.  A claim takes it only
 * when it was made for this user's name (not only this UID) and its
 * claim_until has not passed.
 */
#ifndef OPTT_SESSION_H
#define OPTT_SESSION_H

#include "common/cache.h"
#include "common/conf.h"
#include "common/status.h"

/* Move this user's (euid's) hand-off record of profile p into c.
 * Nothing there, not ours, made for another name or too old: OPTT_OK,
 * *ret_n = 0 (logged at debug level).  A record the cache cannot take
 * stays in place. */
enum optt_status optt_session_claim(struct optt_cache *c, const struct optt_profile *p,
				    size_t *ret_n, struct optt_err *err);
/* optt-token logout: empty the hand-off record of p, claimed or not. */
enum optt_status optt_session_discard(const struct optt_profile *p, struct optt_err *err);

#endif
