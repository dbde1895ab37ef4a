/*
 * dialect.h - request building for the four provider dialects (SPEC §3).
 *
 * Pure: optt_dialect_build describes the HTTP request and sends nothing.
 * The request's URL, body and Authorization value may hold secrets (OPTT
 * puts the password in the query string), so they live in optt_bufs and
 * optt_request_clear wipes them.  log_url never holds a query string.
 */
#ifndef OPTT_DIALECT_H
#define OPTT_DIALECT_H

#include "common/conf.h"
#include "common/mem.h"
#include "common/status.h"

enum optt_op {
	OPTT_OP_PASSWORD,
	OPTT_OP_CLIENT_CREDENTIALS,
	OPTT_OP_CODE,
	OPTT_OP_REFRESH,
	OPTT_OP_DEVICE_AUTH, /* RFC 8628 §3.1: ask for a device and user code */
	OPTT_OP_DEVICE_POLL, /* §3.4: poll the token endpoint with the device code */
	OPTT_OP_DISCOVERY,   /* OIDC discovery: GET {issuer}/.well-known/openid-configuration */
};

struct optt_grant_input {
	const char *username;
	const char *password;      /* secret */
	const char *code;          /* secret */
	const char *code_verifier; /* secret; PKCE (oauth2 only), NULL: none */
	const char *refresh_token; /* secret */
	const char *device_code;   /* secret */
	const char *client_secret; /* secret; NULL for a public client */
};

struct optt_request {
	const char *method;            /* "POST" (and NULL) or "GET" */
	struct optt_buf url;           /* secret: may carry the password */
	char log_url[512];             /* scheme://host/path, for logs */
	const char *content_type;      /* NULL: empty body */
	struct optt_buf body;          /* secret */
	struct optt_buf authorization; /* secret: "Basic ..." or empty */
};

#define OPTT_REQUEST_MAX (64 * 1024)

void optt_request_init(struct optt_request *r);
void optt_request_clear(struct optt_request *r);

enum optt_status optt_dialect_build(const struct optt_profile *p, enum optt_op op,
				    const struct optt_grant_input *in,
				    struct optt_request *ret, struct optt_err *err);
/* Whether the profile's dialect has a refresh request (DDI has none). */
int optt_dialect_can_refresh(const struct optt_profile *p);
/* The grant operation the profile uses for a fresh token. */
enum optt_op optt_dialect_grant_op(const struct optt_profile *p);

#endif
