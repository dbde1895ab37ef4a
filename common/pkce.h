/*
 * pkce.h - Proof Key for Code Exchange (RFC 7636) for the authorization-
 * code grant of the oauth2 dialect (SPEC §12): a fresh verifier per login
 * (32 random bytes, base64url: 43 characters) and its S256 challenge.
 *
 * The verifier is a secret until the code is redeemed: optt_pkce_clear
 * wipes it.  The octorate dialect sends exactly its documented
 * parameters, so PKCE never applies there.
 */
#ifndef OPTT_PKCE_H
#define OPTT_PKCE_H

#include "common/conf.h"
#include "common/status.h"

struct optt_pkce {
	char verifier[48];  /* secret */
	char challenge[48]; /* BASE64URL(SHA-256(verifier)) */
};

/* Whether a login of profile p sends PKCE: oauth2 dialect, pkce not off. */
int optt_pkce_applies(const struct optt_profile *p);
/* A fresh pair; OPTT_SYSTEM when no randomness or no SHA-256. */
enum optt_status optt_pkce_new(struct optt_pkce *ret, struct optt_err *err);
void optt_pkce_clear(struct optt_pkce *k);

#endif
