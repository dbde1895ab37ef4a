/*
 * grant.h - one token request: dialect -> http -> token.
 *
 * Resolves the client secret (client_secret, or client_secret_file read
 * with the secret-file rule), builds the request, sends it once (no
 * retry), parses and classifies the answer.  Every buffer that held a
 * secret is wiped before return.
 */
#ifndef OPTT_GRANT_H
#define OPTT_GRANT_H

#include <stdint.h>

#include "common/conf.h"
#include "common/dialect.h"
#include "common/http.h"
#include "common/log.h"
#include "common/token.h"

/* Build and send one request of op, returning the raw answer (the device
 * authorization is not a token response).  An issuer-only profile learns
 * its endpoints first (discovery.h). */
enum optt_status optt_grant_send(const struct optt_profile *p, enum optt_op op,
				 const struct optt_grant_input *in, const struct optt_grant_ctx *ctx,
				 struct optt_response *ret, struct optt_err *err);
/* optt_grant_send, then the token response parsed and classified. */
enum optt_status optt_grant_run(const struct optt_profile *p, enum optt_op op,
				const struct optt_grant_input *in,
				const struct optt_grant_ctx *ctx,
				struct optt_token *ret, struct optt_err *err);

/* Read the profile's client secret (NULL when the profile has none). */
enum optt_status optt_client_secret(const struct optt_profile *p, char **ret,
				    struct optt_err *err);

#endif
