/*
 * jwt.h - reading claims from a JWT access token (payload only).
 *
 * The signature is not checked: the token was received straight from the
 * identity provider over verified TLS, and it is used here only for its
 * expiry, PAM's require_claim, the device grant's user binding, the
 * ledger's subject and the group claims (SPEC §15, §16).  A payload
 * decodes to at most OPTT_JWT_PAYLOAD_MAX bytes (a token fits a response
 * of at most 1 MiB, base64 makes 3 bytes of 4).  Decoded payloads are
 * wiped.
 */
#ifndef OPTT_JWT_H
#define OPTT_JWT_H

#include <stddef.h>
#include <stdint.h>

#define OPTT_JWT_PAYLOAD_MAX (768 * 1024)

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

/* SPEC §16's claim values: for each claim of names (NULL-terminated), in
 * that order, fn(ctx, s, n) on its value when it is a string, or on each
 * string element of it, in order, when it is an array (other types and
 * other elements: nothing) - n is json-c's length, so a value holding a
 * NUL byte shows it - until fn returns non-zero.  The strings are the
 * payload's, valid during the call only.  0, or -1 not a readable JWT. */
typedef int (*optt_jwt_string_fn)(void *ctx, const char *s, size_t n);
int optt_jwt_claim_strings(const char *token, const char *const *names, optt_jwt_string_fn fn, void *ctx);

#endif
