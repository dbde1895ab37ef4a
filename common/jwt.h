/*
 * jwt.h - reading claims from a JWT access token (payload only).
 *
 * The signature is not checked: the token was received straight from the
 * identity provider over verified TLS, and it is used here only for its
 * expiry, PAM's require_claim and the device grant's user binding.
 * Decoded payloads are wiped.
 */
#ifndef OPTT_JWT_H
#define OPTT_JWT_H

#include <stddef.h>
#include <stdint.h>

/* 0 and *ret = exp when the token is a JWT with a numeric exp claim; -1 otherwise. */
int optt_jwt_exp(const char *token, int64_t *ret);
/* 1 if the claim equals value (string, or a number/bool whose text is
 * value) or is an array containing such an element; 0 if not; -1 when the
 * token is not a JWT with a JSON object payload. */
int optt_jwt_claim_holds(const char *token, const char *name, const char *value);
/* The device grant's user binding (SPEC §12): the first claim of names
 * (NULL-terminated) that the token has must be a string equal to user.
 * 1 yes; 0 no, or none of the claims present; -1 not a readable JWT. */
int optt_jwt_user_is(const char *token, const char *const *names, const char *user);

/* An OIDC ID token used for the device binding, checked as OIDC Core
 * §3.1.3.7 asks of a token received straight from the token endpoint
 * over verified TLS (no signature; SPEC §19): iss equals issuer (when
 * issuer is not NULL: configured or discovered), aud is or contains
 * client_id, exp is later than now.  0, or -1 with *why a constant
 * phrase ("has expired (exp)"). */
int optt_jwt_id_token_check(const char *id_token, const char *issuer, const char *client_id, int64_t now,
			    const char **why);

/* SPEC §15's subject of a token: its `sub`, else `user_name` (the first
 * present decides; a string of printable ASCII only), into out (n bytes).
 * 1 found; 0 the token has neither (or a bad one); -1 not a readable JWT. */
int optt_jwt_subject(const char *token, char *out, size_t n);

#endif
