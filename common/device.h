/*
 * device.h - the device authorization grant (RFC 8628, SPEC §12) for the
 * oauth2 dialect: one device authorization request, then polls of the
 * token endpoint, never sooner than the provider's interval (slow_down
 * adds 5 s), the whole wait bounded by the code's lifetime and a local
 * limit.  Showing the instructions is the caller's: the CLI and git print
 * them, the PAM module puts them in its prompt.
 *
 * Ownership: struct optt_device owns its strings; the device code is a
 * secret (never logged, wiped by optt_device_clear); the user code is shown
 * to the user and to nobody else (never in a log line).
 */
#ifndef OPTT_DEVICE_H
#define OPTT_DEVICE_H

#include <stdint.h>

#include "common/conf.h"
#include "common/grant.h"
#include "common/status.h"
#include "common/token.h"

#define OPTT_DEVICE_DEFAULT_INTERVAL 5
#define OPTT_DEVICE_MAX_INTERVAL 60
#define OPTT_DEVICE_MAX_LIFETIME 1800

struct optt_device {
	char *device_code;               /* secret */
	char *user_code;                 /* for the user's eyes only */
	char *verification_uri;
	char *verification_uri_complete; /* NULL when the provider gave none */
	long expires_in;                 /* seconds, at most OPTT_DEVICE_MAX_LIFETIME */
	long interval;                   /* seconds between polls */
	int64_t started;                 /* when the answer arrived */
};

void optt_device_init(struct optt_device *d);
void optt_device_clear(struct optt_device *d);

/* Pure: the device authorization response.  Needs device_code, user_code,
 * verification_uri (printable ASCII, no spaces: it goes to a terminal) and
 * a positive expires_in; verification_uri and verification_uri_complete
 * must be https URLs (SPEC §19: no javascript:, data:, plain http, user
 * info), else OPTT_BADRESP and nothing to show; interval defaults to 5.  Non-200 answers are
 * classified as token responses are (token.h). */
enum optt_status optt_device_parse(long http_status, const char *body, size_t len, int64_t now,
				   struct optt_device *ret, struct optt_err *err);

/* The instructions, one line (no newline) into buf (n bytes): "open URI
 * and enter the code CODE" (and the direct link when there is one). */
void optt_device_instructions(const struct optt_device *d, char *buf, size_t n);

/* The device authorization request (discovery first when the profile has
 * only an issuer). */
enum optt_status optt_device_start(const struct optt_profile *p, const struct optt_grant_ctx *ctx,
				   struct optt_device *ret, struct optt_err *err);

/* Poll until a token (OPTT_OK), a refusal (OPTT_REJECTED: access_denied,
 * expired_token, or the deadline - the code's lifetime, or max_wait seconds
 * from start when max_wait > 0 - each said plainly), or a failure.  Sleeps
 * the interval before every poll.  err (also on OPTT_OK) carries the last
 * poll's HTTP status and provider error, never the device start's; after
 * the local deadline it has neither (http_status 0, error ""). */
enum optt_status optt_device_wait(const struct optt_profile *p, const struct optt_grant_ctx *ctx,
				  struct optt_device *d, long max_wait, struct optt_token *ret,
				  struct optt_err *err);

#endif
