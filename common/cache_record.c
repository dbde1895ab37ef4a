/* cache_record.c - the cache record codec; see cache_record.h. */
#include "config.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "common/jsonutil.h"
#include "common/cache_record.h"

static int
member(struct optt_buf *b, const char *k, const char *v, int *first)
{
	int r;

	if (v == NULL)
		return 0;
	if ((r = optt_buf_puts(b, *first ? "" : ",")) != 0 || (r = optt_json_escape(b, k)) != 0 ||
	    (r = optt_buf_puts(b, ":")) != 0)
		return r;
	*first = 0;
	return optt_json_escape(b, v);
}

int
optt_record_encode(const struct optt_token *t, struct optt_buf *out)
{
	char num[32];
	int first = 0, r;

	snprintf(num, sizeof(num), "%" PRId64, t->expires_at);
	if ((r = optt_buf_puts(out, "{\"v\":1,\"expires_at\":")) != 0 || (r = optt_buf_puts(out, num)) != 0)
		return r;
	if ((r = member(out, "access_token", t->access_token, &first)) != 0 ||
	    (r = member(out, "token_type", t->token_type, &first)) != 0 ||
	    (r = member(out, "refresh_token", t->refresh_token, &first)) != 0 ||
	    (r = member(out, "scope", t->scope, &first)) != 0)
		return r;
	return optt_buf_puts(out, "}\n");
}

enum optt_status
optt_record_decode(const char *s, size_t n, struct optt_token *ret, struct optt_err *err)
{
	struct json_object *o = optt_json_parse(s, n), *v;
	struct optt_token t;
	enum optt_status st = OPTT_BADRESP;

	optt_token_init(&t);
	if (o == NULL || !json_object_is_type(o, json_type_object) ||
	    !json_object_object_get_ex(o, "v", &v) || !json_object_is_type(v, json_type_int) ||
	    json_object_get_int(v) != 1 || !json_object_object_get_ex(o, "expires_at", &v) ||
	    !json_object_is_type(v, json_type_int)) {
		optt_err_set(err, st, "corrupt cache record");
		goto out;
	}
	/* a record is input too: clamped into [0, OPTT_EXPIRY_CEILING] */
	t.expires_at = optt_expiry_clamp(json_object_get_int64(v), OPTT_EXPIRY_CEILING);
	if (optt_str_set(&t.access_token, optt_json_str(o, "access_token")) != 0 ||
	    optt_str_set(&t.token_type, optt_json_str(o, "token_type")) != 0 ||
	    optt_str_set(&t.refresh_token, optt_json_str(o, "refresh_token")) != 0 ||
	    optt_str_set(&t.scope, optt_json_str(o, "scope")) != 0) {
		st = optt_err_set(err, OPTT_NOMEM, "out of memory");
		goto out;
	}
	if (t.access_token == NULL && t.refresh_token == NULL) {
		optt_err_set(err, st, "corrupt cache record");
		goto out;
	}
	*ret = t;
	optt_token_init(&t);
	st = OPTT_OK;
out:
	optt_json_free(&o);
	optt_token_clear(&t);
	return st;
}
