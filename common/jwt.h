/*
 * jwt.h - reading claims from a JWT access token (payload only).
 *
 * The signature is not checked: the token was received straight from the
 * identity provider over verified TLS, and it is used here only for its
 * expiry and for PAM's require_claim.  Decoded payloads are wiped.
 */
#ifndef OPTT_JWT_H
#define OPTT_JWT_H

#include <stdint.h>

/* 0 and *ret = exp when the token is a JWT with a numeric exp claim; -1 otherwise. */
int optt_jwt_exp(const char *token, int64_t *ret);
/* 1 if the claim equals value (string, or a number/bool whose text is
 * value) or is an array containing such an element; 0 if not; -1 when the
 * token is not a JWT with a JSON object payload. */
int optt_jwt_claim_holds(const char *token, const char *name, const char *value);

#endif
