/*
 * kubecred.c - see kubecred.h.
 */
#include "config.h"

#include <string.h>
#include <time.h>

#include "cli/kubecred.h"
#include "common/jsonutil.h"

enum optt_status
optt_kube_parse_info(const char *info, struct optt_kube_info *ret, struct optt_err *err)
{
	struct json_object *o = NULL, *spec = NULL, *v = NULL;
	struct optt_kube_info k = { OPTT_KUBE_V1BETA1, 0 };
	enum optt_status st = OPTT_OK;
	const char *api;
	size_t n;

	if (info == NULL || info[0] == '\0')
		goto done;
	if ((n = strlen(info)) > OPTT_KUBE_MAX_INFO || (o = optt_json_parse(info, n)) == NULL ||
	    !json_object_is_type(o, json_type_object)) {
		st = optt_err_set(err, OPTT_CONFIG, "KUBERNETES_EXEC_INFO is not a JSON object");
		goto out;
	}
	if ((api = optt_json_str(o, "apiVersion")) != NULL && strcmp(api, OPTT_KUBE_V1) == 0)
		k.api_version = OPTT_KUBE_V1;
	if (json_object_object_get_ex(o, "spec", &spec) && !json_object_is_type(spec, json_type_null)) {
		if (!json_object_is_type(spec, json_type_object) ||
		    (json_object_object_get_ex(spec, "interactive", &v) &&
		     !json_object_is_type(v, json_type_boolean))) {
			st = optt_err_set(err, OPTT_CONFIG, "KUBERNETES_EXEC_INFO: spec.interactive is not a boolean");
			goto out;
		}
		k.interactive = v != NULL && json_object_get_boolean(v);
	}
done:
	*ret = k;
out:
	optt_json_free(&o);
	return st;
}

int64_t
optt_kube_expiry(const struct optt_profile *p, const struct optt_token *t)
{
	int64_t at = t->expires_at - (int64_t)optt_pnum(p, OPTT_K_REFRESH_MARGIN);

	return at > 0 ? at : 0;
}

enum optt_status
optt_kube_credential(const struct optt_kube_info *info, const struct optt_profile *p,
		     const struct optt_token *t, struct optt_buf *out, struct optt_err *err)
{
	time_t at = (time_t)optt_kube_expiry(p, t);
	char when[40];
	struct tm tm;
	int r = 0;

	if (t->access_token == NULL || t->access_token[0] == '\0')
		return optt_err_set(err, OPTT_BADRESP, "no access token to hand to kubectl");
	/* the expiry is clamped to the year 9999 (token.h): always 20 bytes */
	if (gmtime_r(&at, &tm) == NULL || strftime(when, sizeof(when), "%Y-%m-%dT%H:%M:%SZ", &tm) == 0)
		return optt_err_set(err, OPTT_BADRESP, "the token's expiry cannot be written as RFC 3339");
	r |= optt_buf_puts(out, "{\"apiVersion\":");
	r |= optt_json_escape(out, info->api_version);
	r |= optt_buf_puts(out, ",\"kind\":\"ExecCredential\",\"spec\":{},\"status\":{\"expirationTimestamp\":");
	r |= optt_json_escape(out, when);
	r |= optt_buf_puts(out, ",\"token\":");
	r |= optt_json_escape(out, t->access_token);
	r |= optt_buf_puts(out, "}}\n");
	if (r != 0) {
		optt_buf_clear(out);
		return optt_err_set(err, OPTT_NOMEM, "out of memory");
	}
	return OPTT_OK;
}
