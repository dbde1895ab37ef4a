/*
 * session_token.h - pam_optt's `session_token` (SPEC §11): hand the token
 * record of an online login to that user's session.  The layout and why
 * it is written at authentication: common/session.h.
 */
#ifndef OPTT_PAM_SESSION_TOKEN_H
#define OPTT_PAM_SESSION_TOKEN_H

#include <security/pam_modules.h>

#include "common/conf.h"
#include "common/status.h"
#include "common/token.h"

/* Leave t for user (its subject) in <run_dir>/session/<uid>/.  Root makes
 * and hands over the user's directory; the file is written with the
 * user's rights only.  OPTT_SYSTEM / OPTT_NOMEM with a message. */
enum optt_status pam_optt_session_deposit(pam_handle_t *pamh, const struct optt_profile *p,
					  const char *user, const struct optt_token *t,
					  struct optt_err *err);

#endif
