/*
 * session.h - the login's token, handed to the user's session (SPEC §11,
 * pam_optt's `session_token`).
 *
 * The PAM module, after an online login, leaves the token record (never
 * the password) in
 *
 *   <run_dir>/session/<uid>/<profile>@<user>.json     (cache_dir.h's names)
 *
 * where <run_dir>/session is root's (0711: users may pass, not list) and
 * <uid> is that user's own 0700 directory, which root creates and hands
 * over but only ever writes into with the user's rights
 * (pam_modutil_drop_priv).  It does that at authentication, not at
 * session opening: sshd authenticates in a forked child, so nothing set
 * with pam_set_data reaches the session phase; a file does, for sshd,
 * login and su alike (docs/DECISIONS.md).
 *
 * The user-side programs claim it: before they look at the cache, the
 * record moves into the backend the profile uses (keyring or file) and
 * the hand-off file goes, so `get` answers it with no prompt and no
 * request, and refreshes it like any other record.
 */
#ifndef OPTT_SESSION_H
#define OPTT_SESSION_H

#include "common/cache.h"
#include "common/conf.h"
#include "common/status.h"

#define OPTT_SESSION_SUBDIR "session"

/* Move the hand-off records of profile p for this user (euid) into c.
 * Nothing there (or a directory that is not ours and private): OPTT_OK,
 * *ret_n = 0.  Records that cannot be stored stay in place. */
enum optt_status optt_session_claim(struct optt_cache *c, const struct optt_profile *p,
				    size_t *ret_n, struct optt_err *err);
/* optt-token logout: remove the hand-off records of p, claimed or not. */
enum optt_status optt_session_discard(const struct optt_profile *p, struct optt_err *err);

#endif
