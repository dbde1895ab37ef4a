/*
 * session_record.h - the session hand-off record (SPEC §11, §19): what
 * pam_optt's `session_token` leaves for the user's programs, its place
 * and its format.  Shared by the PAM module (which writes and removes it)
 * and the user side (session.h, which claims it).
 *
 *   <run_dir>/session/<uid>@<profile>
 *
 * <run_dir>/session is root's, 0711 (statedir.h): users may open a file
 * whose name they know but may not list, create, rename or remove
 * anything there - no user has a directory it can write into.  The file
 * is the user's own (0600, owner uid), written by root in that root-owned
 * place and handed over by descriptor.  Its two lines:
 *
 *   {"v":2,"user":"alice","subject":"alice","pids":[P,Q],"claim_until":T}
 *   <the token record, cache_record.h's format>
 *
 * user: the PAM user it was made for (a claim checks the name, not only
 * the UID: a later account that reuses the UID gets nothing); pids: the
 * processes that may run the session that made it (the authenticating
 * process and its parent: sshd authenticates keyboard-interactive logins
 * in a child) - its pam_sm_close_session removes it; claim_until: after
 * this it is never claimed (the refresh token's expiry, or the access
 * token's when there is no refresh token; 0 when the refresh token's
 * lifetime is unknown).  Claimed means emptied: the user's program moves
 * the token into its cache and truncates the file, which root removes at
 * close_session.
 *
 * The record holds tokens: encoded text goes into an optt_buf the caller
 * clears; optt_session_record_clear wipes.
 */
#ifndef OPTT_SESSION_RECORD_H
#define OPTT_SESSION_RECORD_H

#include <stddef.h>
#include <stdint.h>

#include "common/mem.h"
#include "common/status.h"
#include "common/token.h"

#define OPTT_SESSION_RECORD_MAX (256 * 1024 + 4096)

struct optt_session_record {
	char user[256];
	char subject[256];
	long pids[2];
	int64_t claim_until;     /* 0: no limit known */
	struct optt_token token; /* secret */
};

void optt_session_record_init(struct optt_session_record *r);
void optt_session_record_clear(struct optt_session_record *r);

/* "<uid>@<profile>" into buf (n bytes): 0, or -1 when it does not fit. */
int optt_session_record_name(char *buf, size_t n, unsigned long uid, const char *profile);

/* The last moment the token may be claimed (see above). */
int64_t optt_session_claim_until(const struct optt_token *t);

/* Append the record: 0, -1 no memory, -2 over out's cap. */
int optt_session_record_encode(const struct optt_session_record *r, struct optt_buf *out);
/* OPTT_BADRESP for a file that is not such a record, OPTT_NOMEM. */
enum optt_status optt_session_record_decode(const char *s, size_t n, struct optt_session_record *ret,
					    struct optt_err *err);

#endif
