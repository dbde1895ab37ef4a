/*
 * cache_record.h - the cached token record as JSON (SPEC §4): access token,
 * token type, refresh token, expiry, scope.  Never a password.  The
 * encoded text is a secret: it goes into an optt_buf the caller clears.
 */
#ifndef OPTT_CACHE_RECORD_H
#define OPTT_CACHE_RECORD_H

#include "common/mem.h"
#include "common/status.h"
#include "common/token.h"

#define OPTT_RECORD_MAX (256 * 1024)

/* Append the record to out: 0, -1 no memory, -2 over out's cap. */
int optt_record_encode(const struct optt_token *t, struct optt_buf *out);
/* OPTT_BADRESP for a corrupt record, OPTT_NOMEM. */
enum optt_status optt_record_decode(const char *s, size_t n, struct optt_token *ret,
				    struct optt_err *err);

#endif
