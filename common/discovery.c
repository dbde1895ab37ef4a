/*
 * discovery.c - see discovery.h.
 *
 * Invariants: one request per profile and process (the issuer value's
 * `num` marks it done, success or not, so a provider that fails is not
 * asked again and again by one process); the document's issuer is
 * compared exactly; a key the admin set is never replaced; an endpoint
 * that is not https (or breaks the URL policy) refuses the whole document.
 */
#include "config.h"

#include <stdint.h>
#include <string.h>

#include "common/dialect.h"
#include "common/discovery.h"
#include "common/http.h"
#include "common/jsonutil.h"
#include "common/url.h"

static const struct {
	const char *member;
	enum optt_key key;
} endpoints[] = {
	{ "token_endpoint", OPTT_K_TOKEN_URL },
	{ "authorization_endpoint", OPTT_K_AUTHORIZE_URL },
	{ "device_authorization_endpoint", OPTT_K_DEVICE_AUTHORIZATION_URL },
};
#define N_ENDPOINTS (sizeof(endpoints) / sizeof(endpoints[0]))

enum optt_status
optt_discovery_apply(const struct optt_profile *cp, const struct optt_grant_ctx *ctx,
		     struct optt_err *err)
{
	/* the caller's own profile (discovery.h): completed in place */
	struct optt_profile *p = (struct optt_profile *)(uintptr_t)cp;
	struct optt_response resp;
	struct optt_request req;
	struct optt_http_opts ho;
	struct optt_grant_input in;
	struct json_object *o = NULL;
	struct optt_url u;
	enum optt_status st = OPTT_OK;
	const char *iss, *v;
	size_t i, missing = 0;

	if (!optt_pset(p, OPTT_K_ISSUER) || p->v[OPTT_K_ISSUER].num != 0)
		return OPTT_OK;
	for (i = 0; i < N_ENDPOINTS; i++)
		missing += !optt_pset(p, endpoints[i].key);
	if (missing == 0)
		return OPTT_OK;
	p->v[OPTT_K_ISSUER].num = 1; /* asked once, whatever the answer */
	memset(&in, 0, sizeof(in));
	optt_response_init(&resp);
	optt_request_init(&req);
	optt_http_opts_for(p, ctx, &ho);
	if ((st = optt_dialect_build(p, OPTT_OP_DISCOVERY, &in, &req, err)) != OPTT_OK ||
	    (st = optt_http_post(&req, &ho, &resp, err)) != OPTT_OK)
		goto out;
	if (resp.status >= 500 || resp.status == 429) {
		st = optt_err_set(err, OPTT_UNAVAILABLE, "discovery: provider unavailable (HTTP %ld)", resp.status);
		goto out;
	}
	if (resp.status != 200 || (o = optt_json_parse(resp.body.data, resp.body.len)) == NULL ||
	    !json_object_is_type(o, json_type_object)) {
		st = optt_err_set(err, OPTT_BADRESP, "discovery: no OpenID configuration at %.200s (HTTP %ld)",
				  optt_pstr(p, OPTT_K_ISSUER), resp.status);
		goto out;
	}
	iss = optt_json_str(o, "issuer");
	if (iss == NULL || strcmp(iss, optt_pstr(p, OPTT_K_ISSUER)) != 0) {
		st = optt_err_set(err, OPTT_BADRESP,
				  "discovery: the document's issuer is not the configured issuer %.200s",
				  optt_pstr(p, OPTT_K_ISSUER));
		goto out;
	}
	for (i = 0; i < N_ENDPOINTS && st == OPTT_OK; i++) {
		if ((v = optt_json_str(o, endpoints[i].member)) == NULL)
			continue;
		if (optt_url_parse(v, endpoints[i].member, &u, err) != OPTT_OK)
			st = optt_err_set(err, OPTT_BADRESP, "discovery: %s refused (%.120s)", endpoints[i].member,
					  err->msg);
		else if (strcmp(u.scheme, "https") != 0)
			st = optt_err_set(err, OPTT_BADRESP, "discovery: %s refused (not https)",
					  endpoints[i].member);
	}
	for (i = 0; i < N_ENDPOINTS && st == OPTT_OK; i++)
		if (!optt_pset(p, endpoints[i].key) && (v = optt_json_str(o, endpoints[i].member)) != NULL &&
		    (st = optt_profile_set(p, endpoints[i].key, v, err)) == OPTT_OK) {
			p->v[endpoints[i].key].set = OPTT_SET_DISCOVERED;
			optt_debug(ctx->log, "discovery: %s = %s", optt_key_name(endpoints[i].key), v);
		}
out:
	optt_json_free(&o);
	optt_request_clear(&req);
	optt_response_clear(&resp);
	return st;
}
