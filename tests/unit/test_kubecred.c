/* Unit tests: cli/kubecred.c (kubectl's exec credential protocol, SPEC §18). */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include <json.h>

#include "cli/kubecred.h"
#include "common/conf.h"
#include "tests/unit/testutil.h"

static enum optt_status
info(const char *s, struct optt_kube_info *k)
{
	struct optt_err e;

	optt_err_init(&e);
	k->api_version = "untouched";
	k->interactive = -1;
	return optt_kube_parse_info(s, k, &e);
}

static void
test_info(void **state)
{
	struct optt_kube_info k;
	char *big;

	(void)state;
	/* unset or empty: kubectl names nothing, v1beta1 and not interactive */
	assert_int_equal(info(NULL, &k), OPTT_OK);
	assert_string_equal(k.api_version, OPTT_KUBE_V1BETA1);
	assert_int_equal(k.interactive, 0);
	assert_int_equal(info("", &k), OPTT_OK);
	assert_string_equal(k.api_version, OPTT_KUBE_V1BETA1);
	/* what kubectl 1.20 sends: no interactive */
	assert_int_equal(info("{\"kind\":\"ExecCredential\",\"apiVersion\":\"client.authentication.k8s.io/v1beta1\","
			      "\"spec\":{}}", &k), OPTT_OK);
	assert_string_equal(k.api_version, OPTT_KUBE_V1BETA1);
	assert_int_equal(k.interactive, 0);
	/* newer kubectl: v1, interactive either way */
	assert_int_equal(info("{\"apiVersion\":\"client.authentication.k8s.io/v1\",\"spec\":{\"interactive\":true,"
			      "\"cluster\":{\"server\":\"https://k\"}}}", &k), OPTT_OK);
	assert_string_equal(k.api_version, OPTT_KUBE_V1);
	assert_int_equal(k.interactive, 1);
	assert_int_equal(info("{\"apiVersion\":\"client.authentication.k8s.io/v1beta1\",\"spec\":{\"interactive\":false}}",
			      &k), OPTT_OK);
	assert_string_equal(k.api_version, OPTT_KUBE_V1BETA1);
	assert_int_equal(k.interactive, 0);
	/* another version (v1alpha1), none, a null spec: v1beta1, not interactive */
	assert_int_equal(info("{\"apiVersion\":\"client.authentication.k8s.io/v1alpha1\",\"spec\":{\"interactive\":true}}",
			      &k), OPTT_OK);
	assert_string_equal(k.api_version, OPTT_KUBE_V1BETA1);
	assert_int_equal(k.interactive, 1);
	assert_int_equal(info("{\"spec\":null}", &k), OPTT_OK);
	assert_string_equal(k.api_version, OPTT_KUBE_V1BETA1);
	assert_int_equal(k.interactive, 0);
	/* refused: not an object, trailing bytes, wrong types, over the cap;
	 * *ret untouched */
	assert_int_equal(info("[]", &k), OPTT_CONFIG);
	assert_string_equal(k.api_version, "untouched");
	assert_int_equal(info("{} x", &k), OPTT_CONFIG);
	assert_int_equal(info("not json", &k), OPTT_CONFIG);
	assert_int_equal(info("{\"spec\":{\"interactive\":\"true\"}}", &k), OPTT_CONFIG);
	assert_int_equal(info("{\"spec\":[]}", &k), OPTT_CONFIG);
	assert_int_equal(k.interactive, -1);
	big = malloc(OPTT_KUBE_MAX_INFO + 40);
	assert_non_null(big);
	memset(big, ' ', OPTT_KUBE_MAX_INFO + 30);
	memcpy(big, "{\"spec\":{}", 10);
	memcpy(big + OPTT_KUBE_MAX_INFO + 29, "}", 2);
	assert_int_equal(info(big, &k), OPTT_CONFIG);
	big[OPTT_KUBE_MAX_INFO - 1] = '}';
	big[OPTT_KUBE_MAX_INFO] = '\0';
	assert_int_equal(info(big, &k), OPTT_OK); /* at the cap: read */
	free(big);
}

struct fx {
	struct optt_profile p;
	struct optt_token t;
	struct optt_buf out;
	struct optt_err err;
};

static int
setup(void **state)
{
	struct fx *f = calloc(1, sizeof(*f));

	f->p.name = strdup("k");
	assert_int_equal(optt_profile_set(&f->p, OPTT_K_REFRESH_MARGIN, "60", &f->err), OPTT_OK);
	optt_token_init(&f->t);
	optt_buf_init(&f->out, 64 * 1024);
	optt_err_init(&f->err);
	*state = f;
	return 0;
}

static int
teardown(void **state)
{
	struct fx *f = *state;
	size_t k;

	optt_token_clear(&f->t);
	optt_buf_clear(&f->out);
	for (k = 0; k < OPTT_K_COUNT; k++)
		free(f->p.v[k].str);
	free(f->p.name);
	free(f);
	return 0;
}

/* the credential for (api, token, expires_at) parsed back with json-c */
static struct json_object *
credential(struct fx *f, const char *api, const char *token, int64_t expires_at)
{
	struct optt_kube_info k = { api, 0 };
	struct json_object *o;

	optt_buf_clear(&f->out);
	optt_token_clear(&f->t);
	f->t.access_token = strdup(token);
	f->t.expires_at = expires_at;
	assert_int_equal(optt_kube_credential(&k, &f->p, &f->t, &f->out, &f->err), OPTT_OK);
	/* one line: the JSON and a newline */
	assert_true(f->out.len > 1);
	assert_int_equal(f->out.data[f->out.len - 1], '\n');
	assert_null(memchr(f->out.data, '\n', f->out.len - 1));
	o = json_tokener_parse(f->out.data);
	assert_non_null(o);
	return o;
}

static const char *
path(struct json_object *o, const char *a, const char *b)
{
	struct json_object *v = NULL;

	assert_true(json_object_object_get_ex(o, a, &v));
	if (b != NULL)
		assert_true(json_object_object_get_ex(v, b, &v));
	assert_true(json_object_is_type(v, json_type_string));
	return json_object_get_string(v);
}

static void
test_credential(void **state)
{
	struct fx *f = *state;
	struct optt_kube_info k = { OPTT_KUBE_V1BETA1, 0 };
	struct json_object *o, *spec;

	/* 1700000060 less the 60 s margin: 1700000000 = 2023-11-14T22:13:20Z */
	o = credential(f, OPTT_KUBE_V1BETA1, "tok-1", 1700000060);
	assert_string_equal(path(o, "apiVersion", NULL), OPTT_KUBE_V1BETA1);
	assert_string_equal(path(o, "kind", NULL), "ExecCredential");
	assert_string_equal(path(o, "status", "token"), "tok-1");
	assert_string_equal(path(o, "status", "expirationTimestamp"), "2023-11-14T22:13:20Z");
	assert_true(json_object_object_get_ex(o, "spec", &spec) && json_object_is_type(spec, json_type_object));
	json_object_put(o);
	o = credential(f, OPTT_KUBE_V1, "tok-2", 1700000060);
	assert_string_equal(path(o, "apiVersion", NULL), OPTT_KUBE_V1);
	json_object_put(o);
	/* a token with JSON's special characters comes back as it was */
	o = credential(f, OPTT_KUBE_V1, "a\"b\\c\x01/d", 1700000060);
	assert_string_equal(path(o, "status", "token"), "a\"b\\c\x01/d");
	json_object_put(o);
	/* an expiry inside the margin: never before the epoch */
	o = credential(f, OPTT_KUBE_V1, "tok-3", 30);
	assert_string_equal(path(o, "status", "expirationTimestamp"), "1970-01-01T00:00:00Z");
	json_object_put(o);
	/* the far end of the cache's clamp (9999-12-31) */
	o = credential(f, OPTT_KUBE_V1, "tok-4", 253402300799 + 60);
	assert_string_equal(path(o, "status", "expirationTimestamp"), "9999-12-31T23:59:59Z");
	json_object_put(o);
	assert_int_equal(optt_kube_expiry(&f->p, &f->t), 253402300799);
	/* no token: refused, nothing written */
	optt_buf_clear(&f->out);
	optt_token_clear(&f->t);
	assert_int_not_equal(optt_kube_credential(&k, &f->p, &f->t, &f->out, &f->err), OPTT_OK);
	assert_int_equal(f->out.len, 0);
	f->t.access_token = strdup("");
	assert_int_not_equal(optt_kube_credential(&k, &f->p, &f->t, &f->out, &f->err), OPTT_OK);
}

static void
test_cap(void **state)
{
	struct fx *f = *state;
	struct optt_kube_info k = { OPTT_KUBE_V1BETA1, 0 };

	/* an answer over the buffer's cap is refused and nothing is left */
	optt_buf_clear(&f->out);
	optt_buf_init(&f->out, 100);
	f->t.access_token = strdup("0123456789012345678901234567890123456789");
	f->t.expires_at = 1700000060;
	assert_int_equal(optt_kube_credential(&k, &f->p, &f->t, &f->out, &f->err), OPTT_NOMEM);
	assert_int_equal(f->out.len, 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_info),
		cmocka_unit_test_setup_teardown(test_credential, setup, teardown),
		cmocka_unit_test_setup_teardown(test_cap, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
