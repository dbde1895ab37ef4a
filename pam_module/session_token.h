/*
 * session_token.h - pam_optt's `session_token` (SPEC §11, §19): hand the
 * token record of an online login to that user's session, and take it
 * away when that session closes.  The place and format:
 * common/session_record.h; why it is written at authentication (sshd
 * authenticates in a forked child): docs/DECISIONS.md.
 */
#ifndef OPTT_PAM_SESSION_TOKEN_H
#define OPTT_PAM_SESSION_TOKEN_H

#include <security/pam_modules.h>

#include "common/conf.h"
#include "common/status.h"
#include "common/token.h"

/* Leave t for user (and subject) in <run_dir>/session/<uid>@<profile>:
 * root writes it in its own 0711 directory and hands the file over by
 * descriptor (the user's, 0600), then renames it into place.  OPTT_SYSTEM
 * / OPTT_NOMEM with a message. */
enum optt_status pam_optt_session_deposit(pam_handle_t *pamh, const struct optt_profile *p,
					  const char *user, const char *subject,
					  const struct optt_token *t, struct optt_err *err);

/* pam_sm_close_session: remove user's record of profile p when this
 * process is one the login that made it named (or it was claimed, so it is
 * empty); a newer login's record stays.  Nothing there: OPTT_OK. */
enum optt_status pam_optt_session_close(pam_handle_t *pamh, const struct optt_profile *p,
					const char *user, struct optt_err *err);

#endif
