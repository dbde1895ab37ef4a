/*
 * dialect.c - the request shape of each provider (SPEC §3, seeds/).
 *
 * Variation lives in the table at the bottom: one builder per dialect.
 * Every value is percent-encoded (form and query) or JSON-escaped (DDI),
 * so a value can never break out into another parameter.  All buffers
 * that receive secrets are optt_bufs in the request, wiped by
 * optt_request_clear; temporaries are wiped here.
 */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "common/dialect.h"
#include "common/jsonutil.h"
#include "common/url.h"

void
optt_request_init(struct optt_request *r)
{
	optt_buf_init(&r->url, OPTT_REQUEST_MAX);
	optt_buf_init(&r->body, OPTT_REQUEST_MAX);
	optt_buf_init(&r->authorization, 4096);
	r->log_url[0] = '\0';
	r->content_type = NULL;
	r->method = NULL;
}

void
optt_request_clear(struct optt_request *r)
{
	if (r == NULL)
		return;
	optt_buf_clear(&r->url);
	optt_buf_clear(&r->body);
	optt_buf_clear(&r->authorization);
	optt_request_init(r);
}

/* Append "&k=v" (no '&' when b is empty), both percent-encoded.  Sticky:
 * does nothing when *r already holds an error; NULL v adds nothing. */
static void
add_param(struct optt_buf *b, const char *k, const char *v, int *r)
{
	if (*r != 0 || v == NULL)
		return;
	if (b->len > 0 && (*r = optt_buf_puts(b, "&")) != 0)
		return;
	if ((*r = optt_url_encode(b, k)) != 0 || (*r = optt_buf_puts(b, "=")) != 0)
		return;
	*r = optt_url_encode(b, v);
}

static int
json_member(struct optt_buf *b, const char *k, const char *v)
{
	int r;

	if (v == NULL)
		return 0;
	if ((r = optt_buf_puts(b, b->len > 1 ? "," : "")) != 0 ||
	    (r = optt_json_escape(b, k)) != 0 || (r = optt_buf_puts(b, ":")) != 0)
		return r;
	return optt_json_escape(b, v);
}

/* Authorization: Basic base64(form(id) ":" form(secret)), RFC 6749 §2.3.1. */
static int
basic_auth(struct optt_buf *out, const char *id, const char *secret)
{
	struct optt_buf raw;
	int r;

	optt_buf_init(&raw, 4096);
	if ((r = optt_url_encode(&raw, id)) == 0 && (r = optt_buf_puts(&raw, ":")) == 0 &&
	    (r = optt_url_encode(&raw, secret)) == 0 && (r = optt_buf_puts(out, "Basic ")) == 0)
		r = optt_base64_encode(out, (const unsigned char *)raw.data, raw.len);
	optt_buf_clear(&raw);
	return r;
}

/* Client authentication for the optt and oauth2 dialects: Basic header, or
 * id and secret as parameters in params (the query for optt, the body for
 * oauth2).  A public client (no secret) sends its id as a parameter. */
static void
client_auth(const struct optt_profile *p, const struct optt_grant_input *in,
	    struct optt_buf *params, struct optt_request *req, int *r)
{
	const char *id = optt_pstr(p, OPTT_K_CLIENT_ID);

	if (*r != 0 || id == NULL)
		return;
	if (in->client_secret != NULL && optt_pnum(p, OPTT_K_CLIENT_AUTH) == OPTT_CLIENT_AUTH_BASIC) {
		*r = basic_auth(&req->authorization, id, in->client_secret);
		return;
	}
	add_param(params, "client_id", id, r);
	add_param(params, "client_secret", in->client_secret, r);
}

static const char *
grant_endpoint(const struct optt_profile *p, enum optt_op op)
{
	if (op == OPTT_OP_REFRESH && optt_pstr(p, OPTT_K_REFRESH_URL) != NULL)
		return optt_pstr(p, OPTT_K_REFRESH_URL);
	return optt_pstr(p, OPTT_K_TOKEN_URL);
}

static enum optt_status
enc_status(int r, struct optt_err *err)
{
	if (r == 0)
		return OPTT_OK;
	if (r == -1)
		return optt_err_set(err, OPTT_NOMEM, "out of memory");
	return optt_err_set(err, OPTT_CONFIG, "request too large");
}

static enum optt_status
set_url(struct optt_request *req, const char *base, const char *suffix,
	const struct optt_buf *query, struct optt_err *err)
{
	struct optt_buf lg;
	int r;

	if (base == NULL)
		return optt_err_set(err, OPTT_CONFIG, "no endpoint configured for this request");
	optt_buf_init(&lg, sizeof(req->log_url) - 1);
	r = optt_buf_puts(&req->url, base);
	if (r == 0 && suffix != NULL) {
		while (req->url.len > 0 && req->url.data[req->url.len - 1] == '/')
			req->url.data[--req->url.len] = '\0';
		r = optt_buf_puts(&req->url, suffix);
	}
	if (r == 0 && query != NULL && query->len > 0)
		if ((r = optt_buf_puts(&req->url, strchr(req->url.data, '?') ? "&" : "?")) == 0)
			r = optt_buf_append(&req->url, query->data, query->len);
	if (r == 0 && optt_url_redact(&lg, req->url.data) == 0)
		snprintf(req->log_url, sizeof(req->log_url), "%s", lg.data);
	optt_buf_clear(&lg);
	return enc_status(r, err);
}

/* OPTT: every parameter in the query string, empty body (seed 000); the
 * guide's example says grant_type=yourpassword, its table "always put a
 * password": we send `password` (SPEC §3). */
static enum optt_status
build_optt(const struct optt_profile *p, enum optt_op op,
	   const struct optt_grant_input *in, struct optt_request *req,
	   struct optt_err *err)
{
	struct optt_buf q;
	enum optt_status st;
	int r = 0;

	optt_buf_init(&q, OPTT_REQUEST_MAX);
	switch (op) {
	case OPTT_OP_PASSWORD:
		add_param(&q, "username", in->username, &r);
		add_param(&q, "password", in->password, &r);
		add_param(&q, "grant_type", "password", &r);
		add_param(&q, "scope", optt_pstr(p, OPTT_K_SCOPE), &r);
		break;
	case OPTT_OP_REFRESH:
		add_param(&q, "grant_type", "refresh_token", &r);
		add_param(&q, "refresh_token", in->refresh_token, &r);
		break;
	case OPTT_OP_CLIENT_CREDENTIALS:
	case OPTT_OP_CODE:
	case OPTT_OP_DEVICE_AUTH:
	case OPTT_OP_DEVICE_POLL:
	case OPTT_OP_DISCOVERY:
		st = optt_err_set(err, OPTT_CONFIG, "the optt dialect has the password grant only");
		goto out;
	}
	client_auth(p, in, &q, req, &r);
	if ((st = enc_status(r, err)) == OPTT_OK)
		st = set_url(req, grant_endpoint(p, op), NULL, &q, err);
out:
	optt_buf_clear(&q);
	return st;
}

/* Octorate: form bodies; endpoints derived from base_url unless token_url
 * (apilogin, code exchange) or refresh_url is set (seed 001).  The code
 * exchange sends grant_type=code, as documented, not the RFC's name. */
static enum optt_status
build_octorate(const struct optt_profile *p, enum optt_op op,
	       const struct optt_grant_input *in, struct optt_request *req,
	       struct optt_err *err)
{
	const char *url = NULL, *suffix = NULL;
	struct optt_buf *b = &req->body;
	int r = 0;

	add_param(b, "client_id", optt_pstr(p, OPTT_K_CLIENT_ID), &r);
	add_param(b, "client_secret", in->client_secret, &r);
	switch (op) {
	case OPTT_OP_CLIENT_CREDENTIALS:
		url = optt_pstr(p, OPTT_K_TOKEN_URL);
		suffix = "/identity/apilogin";
		break;
	case OPTT_OP_CODE:
		url = optt_pstr(p, OPTT_K_TOKEN_URL);
		suffix = "/identity/token";
		add_param(b, "redirect_uri", optt_pstr(p, OPTT_K_REDIRECT_URI), &r);
		add_param(b, "grant_type", "code", &r);
		add_param(b, "code", in->code, &r);
		break;
	case OPTT_OP_REFRESH:
		url = optt_pstr(p, OPTT_K_REFRESH_URL);
		suffix = "/identity/refresh";
		add_param(b, "refresh_token", in->refresh_token, &r);
		break;
	case OPTT_OP_PASSWORD:
		return optt_err_set(err, OPTT_CONFIG, "the octorate dialect has no password grant");
	case OPTT_OP_DEVICE_AUTH:
	case OPTT_OP_DEVICE_POLL:
	case OPTT_OP_DISCOVERY:
		return optt_err_set(err, OPTT_CONFIG, "the octorate dialect has no device grant or discovery");
	}
	if (r != 0)
		return enc_status(r, err);
	req->content_type = "application/x-www-form-urlencoded";
	if (url != NULL)
		return set_url(req, url, NULL, NULL, err);
	return set_url(req, optt_pstr(p, OPTT_K_BASE_URL), suffix, NULL, err);
}

/* DDI Central: JSON body, client credentials only (seed 002).  The guide
 * types client_id as "long" but its sample is hex: sent as a JSON string. */
static enum optt_status
build_ddi(const struct optt_profile *p, enum optt_op op,
	  const struct optt_grant_input *in, struct optt_request *req,
	  struct optt_err *err)
{
	struct optt_buf *b = &req->body;
	int r;

	if (op != OPTT_OP_CLIENT_CREDENTIALS)
		return optt_err_set(err, OPTT_CONFIG, "the ddi dialect has client credentials only");
	r = optt_buf_puts(b, "{");
	if (r == 0)
		r = json_member(b, "client_id", optt_pstr(p, OPTT_K_CLIENT_ID));
	if (r == 0)
		r = json_member(b, "client_secret", in->client_secret);
	if (r == 0)
		r = json_member(b, "grant_type", "client_credentials");
	if (r == 0)
		r = optt_buf_puts(b, "}");
	if (r != 0)
		return enc_status(r, err);
	req->content_type = "application/json";
	return set_url(req, optt_pstr(p, OPTT_K_TOKEN_URL), NULL, NULL, err);
}

/* Plain RFC 6749: form body, client auth per client_auth. */
static enum optt_status
build_oauth2(const struct optt_profile *p, enum optt_op op,
	     const struct optt_grant_input *in, struct optt_request *req,
	     struct optt_err *err)
{
	struct optt_buf *b = &req->body;
	const char *url = NULL;
	int r = 0;

	switch (op) {
	case OPTT_OP_PASSWORD:
		add_param(b, "grant_type", "password", &r);
		add_param(b, "username", in->username, &r);
		add_param(b, "password", in->password, &r);
		add_param(b, "scope", optt_pstr(p, OPTT_K_SCOPE), &r);
		break;
	case OPTT_OP_CLIENT_CREDENTIALS:
		add_param(b, "grant_type", "client_credentials", &r);
		add_param(b, "scope", optt_pstr(p, OPTT_K_SCOPE), &r);
		break;
	case OPTT_OP_CODE:
		add_param(b, "grant_type", "authorization_code", &r);
		add_param(b, "code", in->code, &r);
		add_param(b, "redirect_uri", optt_pstr(p, OPTT_K_REDIRECT_URI), &r);
		add_param(b, "code_verifier", in->code_verifier, &r); /* RFC 7636 §4.5 */
		break;
	case OPTT_OP_REFRESH:
		add_param(b, "grant_type", "refresh_token", &r);
		add_param(b, "refresh_token", in->refresh_token, &r);
		break;
	case OPTT_OP_DEVICE_AUTH: /* RFC 8628 §3.1 */
		add_param(b, "scope", optt_pstr(p, OPTT_K_SCOPE), &r);
		url = optt_pstr(p, OPTT_K_DEVICE_AUTHORIZATION_URL);
		break;
	case OPTT_OP_DEVICE_POLL: /* §3.4: client_id even with Basic authentication */
		add_param(b, "grant_type", "urn:ietf:params:oauth:grant-type:device_code", &r);
		add_param(b, "device_code", in->device_code, &r);
		if (in->client_secret != NULL && optt_pnum(p, OPTT_K_CLIENT_AUTH) == OPTT_CLIENT_AUTH_BASIC)
			add_param(b, "client_id", optt_pstr(p, OPTT_K_CLIENT_ID), &r);
		break;
	case OPTT_OP_DISCOVERY: /* a GET with no parameters and no client authentication */
		req->method = "GET";
		return set_url(req, optt_pstr(p, OPTT_K_ISSUER), "/.well-known/openid-configuration", NULL,
			       err);
	}
	client_auth(p, in, b, req, &r);
	if (r != 0)
		return enc_status(r, err);
	req->content_type = "application/x-www-form-urlencoded";
	return set_url(req, url != NULL ? url : grant_endpoint(p, op), NULL, NULL, err);
}

static const struct dialect {
	enum optt_status (*build)(const struct optt_profile *, enum optt_op,
				  const struct optt_grant_input *, struct optt_request *,
				  struct optt_err *);
	int can_refresh;
} dialects[] = {
	[OPTT_DIALECT_OPTT] = { build_optt, 1 },
	[OPTT_DIALECT_OCTORATE] = { build_octorate, 1 },
	[OPTT_DIALECT_DDI] = { build_ddi, 0 },
	[OPTT_DIALECT_OAUTH2] = { build_oauth2, 1 },
};

enum optt_status
optt_dialect_build(const struct optt_profile *p, enum optt_op op,
		   const struct optt_grant_input *in, struct optt_request *ret,
		   struct optt_err *err)
{
	struct optt_request req;
	enum optt_status st;

	optt_request_init(&req);
	st = dialects[optt_pnum(p, OPTT_K_DIALECT)].build(p, op, in, &req, err);
	if (st == OPTT_OK) {
		*ret = req;
		optt_request_init(&req);
	}
	optt_request_clear(&req);
	return st;
}

int
optt_dialect_can_refresh(const struct optt_profile *p)
{
	return dialects[optt_pnum(p, OPTT_K_DIALECT)].can_refresh;
}

enum optt_op
optt_dialect_grant_op(const struct optt_profile *p)
{
	switch ((enum optt_grant)optt_pnum(p, OPTT_K_GRANT)) {
	case OPTT_GRANT_PASSWORD:
		return OPTT_OP_PASSWORD;
	case OPTT_GRANT_CLIENT_CREDENTIALS:
		return OPTT_OP_CLIENT_CREDENTIALS;
	case OPTT_GRANT_AUTHORIZATION_CODE:
		return OPTT_OP_CODE;
	case OPTT_GRANT_DEVICE:
		return OPTT_OP_DEVICE_POLL; /* the device flow: device.h */
	}
	return OPTT_OP_CLIENT_CREDENTIALS;
}
