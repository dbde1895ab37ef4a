/*
 * token.h - token responses: parse, classify (SPEC §3) and compute expiry.
 *
 * Pure: takes the HTTP status, the body and the clock value, sends
 * nothing.  struct optt_token owns its strings; access_token and
 * refresh_token are secrets and optt_token_clear wipes them.
 */
#ifndef OPTT_TOKEN_H
#define OPTT_TOKEN_H

#include <stddef.h>
#include <stdint.h>

#include "common/status.h"

struct optt_token {
	char *access_token;  /* secret */
	char *token_type;
	char *refresh_token; /* secret; NULL when none */
	int64_t expires_at;  /* UTC epoch seconds */
	int64_t refresh_expires_at; /* refresh_expires_in, when the response says it; 0 unknown
	                             * (not in the cache record: the session hand-off's alone) */
	char *scope;         /* NULL when none */
	char *id_token;      /* secret; the response's OIDC ID token, never cached; NULL when none */
};

#define OPTT_MAX_LIFETIME 315360000L /* ten years: longer lifetimes are clamped */
/* The latest expiry a record may hold (9999-12-31T23:59:59Z). */
#define OPTT_EXPIRY_CEILING INT64_C(253402300799)

/* Every expiry source (expires_in, expireDate, JWT exp, records) goes
 * through this: at most now + OPTT_MAX_LIFETIME, at least 0 (already
 * expired), so no later arithmetic on it can overflow. */
int64_t optt_expiry_clamp(int64_t at, int64_t now);
/* Whether a token expiring at `at` is good for more than margin seconds
 * after now; no overflow for any at. */
int optt_expiry_ahead(int64_t at, int64_t now, long margin);

void optt_token_init(struct optt_token *t);
void optt_token_clear(struct optt_token *t);
/* Deep copy; 0 or -1 (no memory, dst untouched). */
int optt_token_copy(struct optt_token *dst, const struct optt_token *src);

/* Success only for HTTP 200 + JSON object + non-empty string access_token.
 * Otherwise OPTT_REJECTED, OPTT_CLIENT, OPTT_UNAVAILABLE or OPTT_BADRESP,
 * with err->http_status, err->error (the provider's `error`) and a message.
 * Expiry: expires_in (number or numeric string), expireDate (ISO 8601),
 * the JWT exp claim, then now + default_ttl. */
enum optt_status optt_token_parse(long http_status, const char *body, size_t len,
				  int64_t now, long default_ttl,
				  struct optt_token *ret, struct optt_err *err);

/* ISO 8601 date-time with a UTC designator or offset, fraction optional:
 * 2020-03-17T17:41:51.178Z.  0 on success. */
int optt_iso8601_parse(const char *s, int64_t *ret);

#endif
