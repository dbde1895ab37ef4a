/* grant.c - dialect -> http -> token; see grant.h. */
#include "config.h"

#include <string.h>
#include <time.h>

#include "common/fsutil.h"
#include "common/discovery.h"
#include "common/grant.h"
#include "common/http.h"
#include "common/mem.h"

enum optt_status
optt_client_secret(const struct optt_profile *p, char **ret, struct optt_err *err)
{
	const char *path = optt_pstr(p, OPTT_K_CLIENT_SECRET_FILE);
	struct optt_buf b;
	enum optt_status st;

	*ret = NULL;
	if (path == NULL) {
		if (optt_pstr(p, OPTT_K_CLIENT_SECRET) != NULL &&
		    (*ret = optt_strdup(optt_pstr(p, OPTT_K_CLIENT_SECRET))) == NULL)
			return optt_err_set(err, OPTT_NOMEM, "out of memory");
		return OPTT_OK;
	}
	optt_buf_init(&b, 4096);
	if ((st = optt_fs_read(path, 4096, OPTT_FS_SECRET, NULL, &b, err)) != OPTT_OK)
		goto out;
	while (b.len > 0 && (b.data[b.len - 1] == '\n' || b.data[b.len - 1] == '\r' ||
			     b.data[b.len - 1] == ' '))
		b.data[--b.len] = '\0';
	if (b.len == 0 || strlen(b.data) != b.len || strchr(b.data, '\n') != NULL) {
		st = optt_err_set(err, OPTT_CONFIG, "%s: expected one line holding the client secret",
				  path);
		goto out;
	}
	*ret = optt_buf_steal(&b);
out:
	optt_buf_clear(&b);
	return st;
}

enum optt_status
optt_grant_send(const struct optt_profile *p, enum optt_op op, const struct optt_grant_input *in,
		const struct optt_grant_ctx *ctx, struct optt_response *ret, struct optt_err *err)
{
	struct optt_grant_input gi = *in;
	struct optt_request req;
	struct optt_http_opts ho;
	enum optt_status st;
	char *secret = NULL;

	optt_request_init(&req);
	/* an issuer-only profile learns its endpoints first (at most once) */
	if ((st = optt_discovery_apply(p, ctx, err)) != OPTT_OK ||
	    (st = optt_client_secret(p, &secret, err)) != OPTT_OK)
		goto out;
	gi.client_secret = secret;
	if ((st = optt_dialect_build(p, op, &gi, &req, err)) != OPTT_OK)
		goto out;
	optt_http_opts_for(p, ctx, &ho);
	st = optt_http_post(&req, &ho, ret, err);
out:
	optt_free_str(&secret);
	optt_request_clear(&req);
	OPTT_WIPE(&gi, sizeof(gi));
	return st;
}

enum optt_status
optt_grant_run(const struct optt_profile *p, enum optt_op op,
	       const struct optt_grant_input *in, const struct optt_grant_ctx *ctx,
	       struct optt_token *ret, struct optt_err *err)
{
	struct optt_response resp;
	struct optt_token t;
	enum optt_status st;

	optt_response_init(&resp);
	optt_token_init(&t);
	if ((st = optt_grant_send(p, op, in, ctx, &resp, err)) != OPTT_OK)
		goto out;
	if ((st = optt_token_parse(resp.status, resp.body.data, resp.body.len, (int64_t)time(NULL),
				   optt_pnum(p, OPTT_K_DEFAULT_TTL), &t, err)) != OPTT_OK)
		goto out;
	*ret = t;
	optt_token_init(&t);
out:
	optt_response_clear(&resp);
	optt_token_clear(&t);
	return st;
}
