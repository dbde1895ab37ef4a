/*
 * token.c - token response parsing and classification; see token.h.
 *
 * Invariant: every json-c string is wiped before the parsed response is
 * released (optt_json_free); only copies owned by struct optt_token
 * survive, and optt_token_clear wipes them.
 */
#include "config.h"

#include <ctype.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "common/conf.h"
#include "common/jsonutil.h"
#include "common/jwt.h"
#include "common/mem.h"
#include "common/token.h"

void
optt_token_init(struct optt_token *t)
{
	memset(t, 0, sizeof(*t));
}

void
optt_token_clear(struct optt_token *t)
{
	if (t == NULL)
		return;
	optt_free_str(&t->access_token);
	optt_free_str(&t->token_type);
	optt_free_str(&t->refresh_token);
	optt_free_str(&t->scope);
	optt_free_str(&t->id_token);
	optt_token_init(t);
}

int
optt_token_copy(struct optt_token *dst, const struct optt_token *src)
{
	struct optt_token t;

	optt_token_init(&t);
	t.expires_at = src->expires_at;
	t.refresh_expires_at = src->refresh_expires_at;
	if (optt_str_set(&t.access_token, src->access_token) != 0 ||
	    optt_str_set(&t.token_type, src->token_type) != 0 ||
	    optt_str_set(&t.refresh_token, src->refresh_token) != 0 ||
	    optt_str_set(&t.scope, src->scope) != 0 || optt_str_set(&t.id_token, src->id_token) != 0) {
		optt_token_clear(&t);
		return -1;
	}
	*dst = t;
	return 0;
}

int64_t
optt_expiry_clamp(int64_t at, int64_t now)
{
	int64_t ceiling = now < 0 || now > OPTT_EXPIRY_CEILING - OPTT_MAX_LIFETIME ? OPTT_EXPIRY_CEILING
									       : now + OPTT_MAX_LIFETIME;

	if (at < 0)
		return 0;
	return at > ceiling ? ceiling : at;
}

int
optt_expiry_ahead(int64_t at, int64_t now, long margin)
{
	/* now and margin are small; at is compared, never offset */
	return optt_expiry_clamp(at, now) > optt_expiry_clamp(now, now) + (margin > 0 ? margin : 0);
}

static int64_t
days_from_civil(int64_t y, int64_t m, int64_t d)
{
	int64_t era, yoe, doy, doe;

	y -= m <= 2;
	era = (y >= 0 ? y : y - 399) / 400;
	yoe = y - era * 400;
	doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

static int
digits(const char **s, int n, int *ret)
{
	int v = 0, i;

	for (i = 0; i < n; i++) {
		if (!isdigit((unsigned char)(*s)[i]))
			return -1;
		v = v * 10 + ((*s)[i] - '0');
	}
	*s += n;
	*ret = v;
	return 0;
}

int
optt_iso8601_parse(const char *s, int64_t *ret)
{
	static const int mdays[] = { 31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
	int y, mo, d, h, mi, sec, oh = 0, om = 0, sign = 0;

	if (digits(&s, 4, &y) || *s++ != '-' || digits(&s, 2, &mo) || *s++ != '-' ||
	    digits(&s, 2, &d) || (*s != 'T' && *s != 't') || !*s++ || digits(&s, 2, &h) ||
	    *s++ != ':' || digits(&s, 2, &mi) || *s++ != ':' || digits(&s, 2, &sec))
		return -1;
	if (*s == '.' || *s == ',') {
		s++;
		if (!isdigit((unsigned char)*s))
			return -1;
		while (isdigit((unsigned char)*s))
			s++;
	}
	if (*s == 'Z' || *s == 'z') {
		s++;
	} else if (*s == '+' || *s == '-') {
		sign = *s++ == '-' ? -1 : 1;
		if (digits(&s, 2, &oh))
			return -1;
		if (*s == ':')
			s++;
		if (digits(&s, 2, &om))
			return -1;
	} else {
		return -1;
	}
	if (*s != '\0' || mo < 1 || mo > 12 || d < 1 || d > mdays[mo - 1] || h > 23 ||
	    mi > 59 || sec > 60 || oh > 23 || om > 59)
		return -1;
	if (mo == 2 && d == 29 && !((y % 4 == 0 && y % 100 != 0) || y % 400 == 0))
		return -1;
	*ret = days_from_civil(y, mo, d) * 86400 + h * 3600 + mi * 60 + sec -
	       sign * (oh * 3600 + om * 60);
	return 0;
}

static int
is_client_error(const char *e)
{
	return strcmp(e, "invalid_client") == 0 || strcmp(e, "unauthorized_client") == 0 ||
	       strcmp(e, "unsupported_grant_type") == 0;
}

/* expires_in as a lifetime in seconds: 1 found, 0 absent, -1 invalid. */
static int
expires_in(struct json_object *o, const char *name, long *ret)
{
	struct json_object *v;
	double d;
	long n;

	if (!json_object_object_get_ex(o, name, &v) || json_object_is_type(v, json_type_null))
		return 0;
	switch (json_object_get_type(v)) {
	case json_type_int:
		if (json_object_get_int64(v) < 0)
			return -1;
		n = json_object_get_int64(v) > OPTT_MAX_LIFETIME ? OPTT_MAX_LIFETIME
								   : (long)json_object_get_int64(v);
		break;
	case json_type_double:
		d = json_object_get_double(v);
		if (!isfinite(d) || d < 0)
			return -1;
		n = d > (double)OPTT_MAX_LIFETIME ? OPTT_MAX_LIFETIME : (long)d;
		break;
	case json_type_string:
		if (optt_parse_long(json_object_get_string(v), 0, 999999999999999L, &n) != 0)
			return -1;
		if (n > OPTT_MAX_LIFETIME)
			n = OPTT_MAX_LIFETIME;
		break;
	default:
		return -1;
	}
	*ret = n;
	return 1;
}

enum optt_status
optt_token_parse(long http_status, const char *body, size_t len, int64_t now,
		 long default_ttl, struct optt_token *ret, struct optt_err *err)
{
	enum optt_status st;
	struct optt_token t;
	struct json_object *o = NULL;
	const char *error = NULL, *s;
	char desc[96] = "";
	long life = 0;
	int64_t when;
	int r;

	optt_token_init(&t);
	if (err != NULL) {
		err->http_status = http_status;
		err->error[0] = '\0';
	}
	if (body != NULL && len > 0)
		o = optt_json_parse(body, len);
	if (o != NULL && json_object_is_type(o, json_type_object)) {
		if ((error = optt_json_str(o, "error")) != NULL && err != NULL)
			optt_sanitize(err->error, sizeof(err->error), error);
		if ((s = optt_json_str(o, "error_description")) != NULL) {
			desc[0] = ':';
			desc[1] = ' ';
			optt_sanitize(desc + 2, sizeof(desc) - 2, s);
		}
	}
	if (http_status >= 500 || http_status == 429 || http_status == 408) {
		st = optt_err_set(err, OPTT_UNAVAILABLE, "provider unavailable (HTTP %ld)", http_status);
		goto out;
	}
	if (http_status >= 300 && http_status < 400) {
		st = optt_err_set(err, OPTT_BADRESP, "redirect refused (HTTP %ld)", http_status);
		goto out;
	}
	if (http_status == 404) {
		st = optt_err_set(err, OPTT_CLIENT, "token endpoint not found (HTTP 404)");
		goto out;
	}
	if (error != NULL) {
		char e[64];

		optt_sanitize(e, sizeof(e), error);
		st = optt_err_set(err, is_client_error(error) ? OPTT_CLIENT : OPTT_REJECTED,
				  "%s by the provider (HTTP %ld, %s%s)",
				  is_client_error(error) ? "client refused" : "rejected", http_status, e,
				  desc);
		goto out;
	}
	if (http_status == 400 || http_status == 401 || http_status == 403) {
		st = optt_err_set(err, OPTT_REJECTED, "rejected by the provider (HTTP %ld)", http_status);
		goto out;
	}
	if (http_status != 200) {
		st = optt_err_set(err, OPTT_BADRESP, "unexpected HTTP status %ld", http_status);
		goto out;
	}
	if (o == NULL) {
		st = optt_err_set(err, OPTT_BADRESP, "bad response: not JSON");
		goto out;
	}
	if (!json_object_is_type(o, json_type_object)) {
		st = optt_err_set(err, OPTT_BADRESP, "bad response: not a JSON object");
		goto out;
	}
	if ((s = optt_json_str(o, "access_token")) == NULL || s[0] == '\0') {
		st = optt_err_set(err, OPTT_BADRESP, "bad response: no access_token");
		goto out;
	}
	if (optt_str_set(&t.access_token, s) != 0 ||
	    optt_str_set(&t.token_type, optt_json_str(o, "token_type") ? optt_json_str(o, "token_type")
								       : "Bearer") != 0 ||
	    optt_str_set(&t.scope, optt_json_str(o, "scope")) != 0) {
		st = optt_err_set(err, OPTT_NOMEM, "out of memory");
		goto out;
	}
	if (((s = optt_json_str(o, "refresh_token")) != NULL && s[0] != '\0' &&
	     optt_str_set(&t.refresh_token, s) != 0) ||
	    ((s = optt_json_str(o, "id_token")) != NULL && s[0] != '\0' &&
	     optt_str_set(&t.id_token, s) != 0)) {
		st = optt_err_set(err, OPTT_NOMEM, "out of memory");
		goto out;
	}
	/* the refresh token's lifetime, where the provider says it (Keycloak
	 * and others; 0 there means none): only the session hand-off uses it,
	 * and an unreadable one is simply unknown */
	if (t.refresh_token != NULL && expires_in(o, "refresh_expires_in", &life) > 0 && life > 0)
		t.refresh_expires_at = optt_expiry_clamp(now + life, now);
	if ((r = expires_in(o, "expires_in", &life)) < 0) {
		st = optt_err_set(err, OPTT_BADRESP, "bad response: invalid expires_in");
		goto out;
	}
	if (r > 0) {
		t.expires_at = optt_expiry_clamp(now + life, now);
	} else if ((s = optt_json_str(o, "expireDate")) != NULL) {
		if (optt_iso8601_parse(s, &when) != 0) {
			st = optt_err_set(err, OPTT_BADRESP, "bad response: invalid expireDate");
			goto out;
		}
		t.expires_at = optt_expiry_clamp(when, now);
	} else if (optt_jwt_exp(t.access_token, &when) == 0) {
		t.expires_at = optt_expiry_clamp(when, now);
	} else {
		t.expires_at = optt_expiry_clamp(now + default_ttl, now);
	}
	*ret = t;
	optt_token_init(&t);
	st = OPTT_OK;
out:
	optt_json_free(&o);
	optt_token_clear(&t);
	return st;
}
