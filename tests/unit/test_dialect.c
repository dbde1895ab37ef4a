/* Unit tests: common/dialect.c (SPEC §3 request shapes). */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "common/conf.h"
#include "common/dialect.h"
#include "tests/unit/testutil.h"

struct fx {
	struct optt_profile p;
	struct optt_request req;
	struct optt_err err;
};

static int
setup(void **state)
{
	struct fx *f = calloc(1, sizeof(*f));

	f->p.name = strdup("t");
	optt_request_init(&f->req);
	*state = f;
	return 0;
}

static int
teardown(void **state)
{
	struct fx *f = *state;
	size_t k;

	optt_request_clear(&f->req);
	for (k = 0; k < OPTT_K_COUNT; k++)
		free(f->p.v[k].str);
	free(f->p.name);
	free(f);
	return 0;
}

static void
set(struct fx *f, enum optt_key k, const char *v)
{
	assert_int_equal(optt_profile_set(&f->p, k, v, &f->err), OPTT_OK);
}

static void
build(struct fx *f, enum optt_op op, const struct optt_grant_input *in)
{
	optt_request_clear(&f->req);
	assert_int_equal(optt_dialect_build(&f->p, op, in, &f->req, &f->err), OPTT_OK);
}

static const char *
auth(struct fx *f)
{
	return f->req.authorization.data ? f->req.authorization.data : "";
}

static const char *
body(struct fx *f)
{
	return f->req.body.data ? f->req.body.data : "";
}

static void
test_optt(void **state)
{
	struct fx *f = *state;
	struct optt_grant_input in = { .username = "institute", .password = "123456" };

	set(f, OPTT_K_DIALECT, "optt");
	set(f, OPTT_K_TOKEN_URL, "https://gateway.optt.ca:8092/gateway/uaa/oauth/token");
	build(f, OPTT_OP_PASSWORD, &in);
	assert_string_equal(f->req.url.data, "https://gateway.optt.ca:8092/gateway/uaa/oauth/token"
			    "?username=institute&password=123456&grant_type=password");
	assert_null(f->req.content_type);
	assert_string_equal(body(f), "");
	assert_string_equal(auth(f), "");
	assert_string_equal(f->req.log_url, "https://gateway.optt.ca:8092/gateway/uaa/oauth/token");
	/* injection: every value stays one value */
	in.username = "a&grant_type=client_credentials";
	in.password = "p&=+% x";
	build(f, OPTT_OP_PASSWORD, &in);
	assert_string_equal(f->req.url.data, "https://gateway.optt.ca:8092/gateway/uaa/oauth/token"
			    "?username=a%26grant_type%3Dclient_credentials&password=p%26%3D%2B%25%20x"
			    "&grant_type=password");
	assert_null(strstr(f->req.log_url, "?"));
	/* client credentials as HTTP Basic; refresh in the query too */
	set(f, OPTT_K_CLIENT_ID, "optt-cli");
	set(f, OPTT_K_CLIENT_AUTH, "basic");
	in.client_secret = "s3";
	in.refresh_token = "R/1+";
	set(f, OPTT_K_REFRESH_URL, "https://gateway.optt.ca:8092/refresh?x=1");
	build(f, OPTT_OP_REFRESH, &in);
	assert_string_equal(f->req.url.data, "https://gateway.optt.ca:8092/refresh?x=1"
			    "&grant_type=refresh_token&refresh_token=R%2F1%2B");
	assert_string_equal(auth(f), "Basic b3B0dC1jbGk6czM="); /* optt-cli:s3 */
	assert_int_equal(optt_dialect_build(&f->p, OPTT_OP_CLIENT_CREDENTIALS, &in, &f->req, &f->err),
			 OPTT_CONFIG);
}

static void
test_octorate(void **state)
{
	struct fx *f = *state;
	struct optt_grant_input in = { .client_secret = "sec ret", .code = "C0DE", .refresh_token = "RT" };

	set(f, OPTT_K_DIALECT, "octorate");
	set(f, OPTT_K_BASE_URL, "https://api.octorate.com/rest/v1/");
	set(f, OPTT_K_CLIENT_ID, "cid");
	set(f, OPTT_K_REDIRECT_URI, "https://app.example.com/cb");
	build(f, OPTT_OP_CLIENT_CREDENTIALS, &in);
	assert_string_equal(f->req.url.data, "https://api.octorate.com/rest/v1/identity/apilogin");
	assert_string_equal(f->req.content_type, "application/x-www-form-urlencoded");
	assert_string_equal(body(f), "client_id=cid&client_secret=sec%20ret");
	assert_string_equal(auth(f), "");
	build(f, OPTT_OP_CODE, &in);
	assert_string_equal(f->req.url.data, "https://api.octorate.com/rest/v1/identity/token");
	assert_string_equal(body(f), "client_id=cid&client_secret=sec%20ret"
			    "&redirect_uri=https%3A%2F%2Fapp.example.com%2Fcb&grant_type=code&code=C0DE");
	build(f, OPTT_OP_REFRESH, &in);
	assert_string_equal(f->req.url.data, "https://api.octorate.com/rest/v1/identity/refresh");
	assert_string_equal(body(f), "client_id=cid&client_secret=sec%20ret&refresh_token=RT");
}

static void
test_ddi(void **state)
{
	struct fx *f = *state;
	struct optt_grant_input in = { .client_secret = "8c7f2eb1609125d43e945cee63501dff80c461166ccfe15291" };

	set(f, OPTT_K_DIALECT, "ddi");
	set(f, OPTT_K_TOKEN_URL, "https://ddi.example.com:8443/oauth2/token/");
	set(f, OPTT_K_CLIENT_ID, "ab5a442c7d57bd3dcbdc0675e9bdd9f6e6d67d1171b043939ff5");
	build(f, OPTT_OP_CLIENT_CREDENTIALS, &in);
	assert_string_equal(f->req.url.data, "https://ddi.example.com:8443/oauth2/token/");
	assert_string_equal(f->req.content_type, "application/json");
	assert_string_equal(body(f),
			    "{\"client_id\":\"ab5a442c7d57bd3dcbdc0675e9bdd9f6e6d67d1171b043939ff5\","
			    "\"client_secret\":\"8c7f2eb1609125d43e945cee63501dff80c461166ccfe15291\","
			    "\"grant_type\":\"client_credentials\"}");
	in.client_secret = "q\"\\\n";
	build(f, OPTT_OP_CLIENT_CREDENTIALS, &in);
	assert_non_null(strstr(body(f), "\"client_secret\":\"q\\\"\\\\\\u000a\""));
	assert_false(optt_dialect_can_refresh(&f->p));
	assert_int_equal(optt_dialect_build(&f->p, OPTT_OP_REFRESH, &in, &f->req, &f->err), OPTT_CONFIG);
}

static void
test_oauth2(void **state)
{
	struct fx *f = *state;
	struct optt_grant_input in = { .username = "u s", .password = "p&w", .client_secret = "s:1",
				       .code = "c", .refresh_token = "r" };

	set(f, OPTT_K_DIALECT, "oauth2");
	set(f, OPTT_K_TOKEN_URL, "https://idp.example.com/token");
	set(f, OPTT_K_SCOPE, "read write");
	build(f, OPTT_OP_PASSWORD, &in);
	assert_string_equal(body(f), "grant_type=password&username=u%20s&password=p%26w&scope=read%20write");
	assert_string_equal(auth(f), "");
	set(f, OPTT_K_CLIENT_ID, "c&d");
	set(f, OPTT_K_CLIENT_AUTH, "basic");
	build(f, OPTT_OP_CLIENT_CREDENTIALS, &in);
	assert_string_equal(body(f), "grant_type=client_credentials&scope=read%20write");
	assert_string_equal(auth(f), "Basic YyUyNmQ6cyUzQTE="); /* c%26d:s%3A1 */
	set(f, OPTT_K_CLIENT_AUTH, "body");
	build(f, OPTT_OP_REFRESH, &in);
	assert_string_equal(body(f), "grant_type=refresh_token&refresh_token=r&client_id=c%26d&client_secret=s%3A1");
	set(f, OPTT_K_REDIRECT_URI, "http://127.0.0.1:8765/cb");
	in.client_secret = NULL; /* public client: id in the body, no Basic */
	set(f, OPTT_K_CLIENT_AUTH, "basic");
	build(f, OPTT_OP_CODE, &in);
	assert_string_equal(body(f), "grant_type=authorization_code&code=c"
			    "&redirect_uri=http%3A%2F%2F127.0.0.1%3A8765%2Fcb&client_id=c%26d");
	assert_string_equal(auth(f), "");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_optt, setup, teardown),
		cmocka_unit_test_setup_teardown(test_octorate, setup, teardown),
		cmocka_unit_test_setup_teardown(test_ddi, setup, teardown),
		cmocka_unit_test_setup_teardown(test_oauth2, setup, teardown),
	};
	return cmocka_run_group_tests_name("dialect", tests, NULL, NULL);
}
