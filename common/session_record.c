/* session_record.c - the session hand-off record; see session_record.h. */
#include "config.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "common/cache_record.h"
#include "common/jsonutil.h"
#include "common/jwt.h"
#include "common/session_record.h"

void
optt_session_record_init(struct optt_session_record *r)
{
	memset(r, 0, sizeof(*r));
	optt_token_init(&r->token);
}

void
optt_session_record_clear(struct optt_session_record *r)
{
	if (r == NULL)
		return;
	optt_token_clear(&r->token);
	OPTT_WIPE(r, sizeof(*r));
	optt_session_record_init(r);
}

int
optt_session_record_name(char *buf, size_t n, unsigned long uid, const char *profile)
{
	int r = snprintf(buf, n, "%lu@%s", uid, profile);

	return r < 0 || (size_t)r >= n ? -1 : 0;
}

int64_t
optt_session_claim_until(const struct optt_token *t)
{
	int64_t exp;

	if (t->refresh_token == NULL)
		return t->expires_at;
	if (t->refresh_expires_at > 0)
		return t->refresh_expires_at;
	if (optt_jwt_exp(t->refresh_token, &exp) == 0)
		return optt_expiry_clamp(exp, OPTT_EXPIRY_CEILING);
	return 0;
}

int
optt_session_record_encode(const struct optt_session_record *r, struct optt_buf *out)
{
	char num[96];
	int e;

	if ((e = optt_buf_puts(out, "{\"v\":2,\"user\":")) != 0 || (e = optt_json_escape(out, r->user)) != 0 ||
	    (e = optt_buf_puts(out, ",\"subject\":")) != 0 || (e = optt_json_escape(out, r->subject)) != 0)
		return e;
	snprintf(num, sizeof(num), ",\"pids\":[%ld,%ld],\"claim_until\":%" PRId64 "}\n", r->pids[0], r->pids[1],
		 r->claim_until);
	if ((e = optt_buf_puts(out, num)) != 0)
		return e;
	return optt_record_encode(&r->token, out);
}

/* a string member copied into out (n bytes): 0, -1 absent or too long */
static int
copy_str(struct json_object *o, const char *k, char *out, size_t n)
{
	const char *v = optt_json_str(o, k);

	if (v == NULL || v[0] == '\0' || strlen(v) >= n)
		return -1;
	memcpy(out, v, strlen(v) + 1);
	return 0;
}

enum optt_status
optt_session_record_decode(const char *s, size_t n, struct optt_session_record *ret, struct optt_err *err)
{
	struct optt_session_record r;
	struct json_object *o = NULL, *v, *pid;
	const char *nl = memchr(s, '\n', n);
	enum optt_status st = OPTT_BADRESP;
	size_t i;

	optt_session_record_init(&r);
	if (nl == NULL || (o = optt_json_parse(s, (size_t)(nl - s))) == NULL ||
	    !json_object_is_type(o, json_type_object) || !json_object_object_get_ex(o, "v", &v) ||
	    !json_object_is_type(v, json_type_int) || json_object_get_int(v) != 2 ||
	    copy_str(o, "user", r.user, sizeof(r.user)) != 0 ||
	    copy_str(o, "subject", r.subject, sizeof(r.subject)) != 0 ||
	    !json_object_object_get_ex(o, "pids", &v) || !json_object_is_type(v, json_type_array) ||
	    json_object_array_length(v) != 2 || !json_object_object_get_ex(o, "claim_until", &pid) ||
	    !json_object_is_type(pid, json_type_int)) {
		optt_err_set(err, st, "not a session hand-off record");
		goto out;
	}
	r.claim_until = optt_expiry_clamp(json_object_get_int64(pid), OPTT_EXPIRY_CEILING);
	for (i = 0; i < 2; i++) {
		pid = json_object_array_get_idx(v, i);
		if (!json_object_is_type(pid, json_type_int)) {
			optt_err_set(err, st, "not a session hand-off record");
			goto out;
		}
		r.pids[i] = (long)json_object_get_int64(pid);
	}
	if ((st = optt_record_decode(nl + 1, n - (size_t)(nl - s) - 1, &r.token, err)) != OPTT_OK)
		goto out;
	*ret = r;
	optt_session_record_init(&r);
out:
	optt_json_free(&o);
	optt_session_record_clear(&r);
	return st;
}
