/* jwt.c - JWT payload claims; see jwt.h. */
#include "config.h"

#include <math.h>
#include <string.h>

#include "common/jsonutil.h"
#include "common/jwt.h"
#include "common/mem.h"
#include "common/url.h"

/* The decoded payload object of a compact JWS (three base64url parts). */
static struct json_object *
payload(const char *token)
{
	const char *p1, *p2;
	struct optt_buf b;
	struct json_object *o = NULL;

	if ((p1 = strchr(token, '.')) == NULL || (p2 = strchr(p1 + 1, '.')) == NULL ||
	    strchr(p2 + 1, '.') != NULL)
		return NULL;
	optt_buf_init(&b, OPTT_JWT_PAYLOAD_MAX);
	if (optt_base64url_decode(&b, p1 + 1, (size_t)(p2 - p1 - 1)) == 0 && b.data != NULL)
		o = optt_json_parse(b.data, b.len);
	optt_buf_clear(&b);
	if (o != NULL && !json_object_is_type(o, json_type_object))
		optt_json_free(&o);
	return o;
}

/* the payload's numeric exp: 0, or -1 when it has none */
static int
exp_of(struct json_object *o, int64_t *ret)
{
	struct json_object *v;
	double d;

	if (!json_object_object_get_ex(o, "exp", &v))
		return -1;
	if (json_object_is_type(v, json_type_int)) {
		*ret = json_object_get_int64(v);
		return 0;
	}
	if (json_object_is_type(v, json_type_double)) {
		d = json_object_get_double(v);
		if (isfinite(d) && d > 0 && d < 9e15) {
			*ret = (int64_t)d;
			return 0;
		}
	}
	return -1;
}

int
optt_jwt_exp(const char *token, int64_t *ret)
{
	struct json_object *o = payload(token);
	int r;

	if (o == NULL)
		return -1;
	r = exp_of(o, ret);
	optt_json_free(&o);
	return r;
}

/* Compared with the length json-c reports: a string claim holding a NUL
 * ("ssh-users\u0000x") is not the value "ssh-users". */
static int
value_matches(struct json_object *v, const char *value)
{
	size_t n = strlen(value);

	switch (json_object_get_type(v)) {
	case json_type_string:
		return (size_t)json_object_get_string_len(v) == n &&
		       memcmp(json_object_get_string(v), value, n) == 0;
	case json_type_int:
	case json_type_boolean:
		return strcmp(json_object_get_string(v), value) == 0;
	default:
		return 0;
	}
}

int
optt_jwt_claim_holds(const char *token, const char *name, const char *value)
{
	struct json_object *o = payload(token), *v;
	size_t i, n;
	int r = 0;

	if (o == NULL)
		return -1;
	if (json_object_object_get_ex(o, name, &v)) {
		if (json_object_is_type(v, json_type_array)) {
			n = json_object_array_length(v);
			for (i = 0; i < n && !r; i++)
				r = value_matches(json_object_array_get_idx(v, i), value);
		} else {
			r = value_matches(v, value);
		}
	}
	optt_json_free(&o);
	return r;
}

int
optt_jwt_claim_strings(const char *token, const char *const *names, optt_jwt_string_fn fn, void *ctx)
{
	struct json_object *o = payload(token), *v, *el;
	size_t i, j, n;
	int stop = 0;

	if (o == NULL)
		return -1;
	for (i = 0; names[i] != NULL && !stop; i++) {
		if (!json_object_object_get_ex(o, names[i], &v))
			continue;
		if (json_object_is_type(v, json_type_string)) {
			stop = fn(ctx, json_object_get_string(v), (size_t)json_object_get_string_len(v));
			continue;
		}
		if (!json_object_is_type(v, json_type_array))
			continue;
		n = json_object_array_length(v);
		for (j = 0; j < n && !stop; j++) {
			el = json_object_array_get_idx(v, j);
			if (json_object_is_type(el, json_type_string))
				stop = fn(ctx, json_object_get_string(el), (size_t)json_object_get_string_len(el));
		}
	}
	optt_json_free(&o);
	return 0;
}

int
optt_jwt_user_is(const char *token, const char *const *names, const char *user)
{
	struct json_object *o = payload(token), *v;
	size_t i;
	int r = 0;

	if (o == NULL)
		return -1;
	for (i = 0; names[i] != NULL; i++) {
		if (!json_object_object_get_ex(o, names[i], &v))
			continue;
		/* the first claim present decides; only a string can name a user */
		r = json_object_is_type(v, json_type_string) && value_matches(v, user);
		break;
	}
	optt_json_free(&o);
	return r;
}

int
optt_jwt_id_token_check(const char *id_token, const char *issuer, const char *client_id, int64_t now,
			const char **why)
{
	struct json_object *o = payload(id_token), *v;
	int64_t exp = 0;
	size_t i, n;
	int aud = 0;

	*why = "is not a readable JWT";
	if (o == NULL)
		return -1;
	if (issuer != NULL && (!json_object_object_get_ex(o, "iss", &v) ||
			       !json_object_is_type(v, json_type_string) || !value_matches(v, issuer))) {
		*why = "names another issuer (iss)";
		goto bad;
	}
	if (client_id == NULL || !json_object_object_get_ex(o, "aud", &v)) {
		*why = "is not for this client (aud)";
		goto bad;
	}
	if (json_object_is_type(v, json_type_array)) {
		n = json_object_array_length(v);
		for (i = 0; i < n && !aud; i++)
			aud = json_object_is_type(json_object_array_get_idx(v, i), json_type_string) &&
			      value_matches(json_object_array_get_idx(v, i), client_id);
	} else {
		aud = json_object_is_type(v, json_type_string) && value_matches(v, client_id);
	}
	if (!aud) {
		*why = "is not for this client (aud)";
		goto bad;
	}
	if (exp_of(o, &exp) != 0 || exp <= now) {
		*why = "has expired (exp)";
		goto bad;
	}
	optt_json_free(&o);
	*why = NULL;
	return 0;
bad:
	optt_json_free(&o);
	return -1;
}

int
optt_jwt_subject(const char *token, char *out, size_t n)
{
	static const char *const names[] = { "sub", "user_name" };
	struct json_object *o = payload(token), *v;
	const char *s;
	size_t i, len, j;
	int r = 0;

	if (o == NULL)
		return -1;
	for (i = 0; i < 2; i++) {
		if (!json_object_object_get_ex(o, names[i], &v))
			continue;
		if (json_object_is_type(v, json_type_string)) {
			s = json_object_get_string(v);
			len = (size_t)json_object_get_string_len(v);
			for (j = 0; j < len && s[j] >= 0x20 && s[j] < 0x7f; j++)
				;
			if (j == len && len > 0 && len < n) {
				memcpy(out, s, len + 1);
				r = 1;
			}
		}
		break;
	}
	optt_json_free(&o);
	return r;
}
