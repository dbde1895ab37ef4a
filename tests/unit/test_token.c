/* Unit tests: common/token.c, jwt.c, record.c (SPEC §3 parsing, classification, expiry). */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "common/jwt.h"
#include "common/cache_record.h"
#include "common/token.h"
#include "tests/unit/testutil.h"

#define NOW 1700000000L

/* {"alg":"none"} . {"exp":1603669506,"user_name":"institute","groups":["staff","ssh"],"n":7} . sig */
#define JWT "eyJhbGciOiJub25lIn0." \
	"eyJleHAiOjE2MDM2Njk1MDYsInVzZXJfbmFtZSI6Imluc3RpdHV0ZSIsImdyb3VwcyI6WyJzdGFmZiIsInNzaCJdLCJuIjo3fQ.c2ln"

static enum optt_status
parse(long status, const char *body, struct optt_token *t, struct optt_err *e)
{
	optt_token_clear(t);
	optt_err_init(e);
	return optt_token_parse(status, body, body ? strlen(body) : 0, NOW, 300, t, e);
}

static void
test_success(void **state)
{
	struct optt_token t;
	struct optt_err e;

	(void)state;
	optt_token_init(&t);
	assert_int_equal(parse(200, "{\"access_token\":\"A\",\"token_type\":\"bearer\",\"refresh_token\":\"R\","
			       "\"expires_in\":35999,\"scope\":\"read write\",\"jti\":\"x\"}", &t, &e), OPTT_OK);
	assert_string_equal(t.access_token, "A");
	assert_string_equal(t.token_type, "bearer");
	assert_string_equal(t.refresh_token, "R");
	assert_string_equal(t.scope, "read write");
	assert_int_equal(t.expires_at, NOW + 35999);
	/* DDI sample */
	assert_int_equal(parse(200, "{\"access_token\":\"604c6b3c\",\"expires_in\":1800,\"token_type\":\"Bearer\","
			       "\"scope\":\"read write\"}", &t, &e), OPTT_OK);
	assert_null(t.refresh_token);
	assert_int_equal(t.expires_at, NOW + 1800);
	/* expires_in as a numeric string */
	assert_int_equal(parse(200, "{\"access_token\":\"A\",\"expires_in\":\"120\"}", &t, &e), OPTT_OK);
	assert_int_equal(t.expires_at, NOW + 120);
	assert_string_equal(t.token_type, "Bearer");
	/* Octorate: expireDate */
	assert_int_equal(parse(200, "{\"access_token\":\"A\",\"refresh_token\":\"R\","
			       "\"expireDate\":\"2020-03-17T17:41:51.178Z\"}", &t, &e), OPTT_OK);
	assert_int_equal(t.expires_at, 1584466911);
	/* JWT exp */
	assert_int_equal(parse(200, "{\"access_token\":\"" JWT "\"}", &t, &e), OPTT_OK);
	assert_int_equal(t.expires_at, 1603669506);
	/* default_ttl */
	assert_int_equal(parse(200, "{\"access_token\":\"opaque\"}", &t, &e), OPTT_OK);
	assert_int_equal(t.expires_at, NOW + 300);
	/* expires_in beats expireDate and JWT; zero is allowed; huge is clamped */
	assert_int_equal(parse(200, "{\"access_token\":\"" JWT "\",\"expires_in\":0,"
			       "\"expireDate\":\"2020-03-17T17:41:51Z\"}", &t, &e), OPTT_OK);
	assert_int_equal(t.expires_at, NOW);
	assert_int_equal(parse(200, "{\"access_token\":\"A\",\"expires_in\":1e300}", &t, &e), OPTT_OK);
	assert_int_equal(t.expires_at, NOW + OPTT_MAX_LIFETIME);
	assert_int_equal(parse(200, "{\"access_token\":\"A\",\"expires_in\":99999999999999}", &t, &e), OPTT_OK);
	assert_int_equal(t.expires_at, NOW + OPTT_MAX_LIFETIME);
	optt_token_clear(&t);
}

static void
test_classify(void **state)
{
	static const struct {
		long status;
		const char *body;
		enum optt_status want;
		const char *error;
	} rows[] = {
		{ 400, "{\"error\":\"invalid_grant\",\"error_description\":\"Bad credentials\"}", OPTT_REJECTED, "invalid_grant" },
		{ 401, "{\"error\":\"invalid_client\"}", OPTT_CLIENT, "invalid_client" },
		{ 400, "{\"error\":\"unauthorized_client\"}", OPTT_CLIENT, "unauthorized_client" },
		{ 400, "{\"error\":\"unsupported_grant_type\"}", OPTT_CLIENT, "unsupported_grant_type" },
		{ 200, "{\"error\":\"invalid_grant\"}", OPTT_REJECTED, "invalid_grant" },
		{ 401, "<html>no</html>", OPTT_REJECTED, "" },
		{ 403, "", OPTT_REJECTED, "" },
		{ 404, "{\"error\":\"not_found\"}", OPTT_CLIENT, "not_found" },
		{ 404, "", OPTT_CLIENT, "" },
		{ 500, "{\"error\":\"invalid_grant\"}", OPTT_UNAVAILABLE, "invalid_grant" },
		{ 503, "", OPTT_UNAVAILABLE, "" },
		{ 429, "", OPTT_UNAVAILABLE, "" },
		{ 302, "", OPTT_BADRESP, "" },
		{ 200, "{\"access_token\": \"abc\", \"expires_in\": ", OPTT_BADRESP, "" },
		{ 200, "{\"token_type\":\"bearer\"}", OPTT_BADRESP, "" },
		{ 200, "{\"access_token\":\"\"}", OPTT_BADRESP, "" },
		{ 200, "{\"access_token\":7}", OPTT_BADRESP, "" },
		{ 200, "[\"access_token\",\"x\"]", OPTT_BADRESP, "" },
		{ 200, "\"access_token\"", OPTT_BADRESP, "" },
		{ 200, "<html><body>Login</body></html>", OPTT_BADRESP, "" },
		{ 200, "", OPTT_BADRESP, "" },
		{ 200, "{\"access_token\":\"A\"} trailing", OPTT_BADRESP, "" },
		{ 200, "{\"access_token\":\"A\",\"expires_in\":-5}", OPTT_BADRESP, "" },
		{ 200, "{\"access_token\":\"A\",\"expires_in\":\"soon\"}", OPTT_BADRESP, "" },
		{ 200, "{\"access_token\":\"A\",\"expires_in\":true}", OPTT_BADRESP, "" },
		{ 200, "{\"access_token\":\"A\",\"expireDate\":\"yesterday\"}", OPTT_BADRESP, "" },
		{ 204, "", OPTT_BADRESP, "" },
		{ 200, "[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]", OPTT_BADRESP, "" },
	};
	struct optt_token t;
	struct optt_err e;
	size_t i;

	(void)state;
	optt_token_init(&t);
	for (i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		enum optt_status st = parse(rows[i].status, rows[i].body, &t, &e);

		if (st != rows[i].want || strcmp(e.error, rows[i].error) != 0 || e.http_status != rows[i].status)
			fail_msg("row %zu (HTTP %ld %s): got %s/'%s', want %s/'%s'", i, rows[i].status,
				 rows[i].body, optt_status_name(st), e.error,
				 optt_status_name(rows[i].want), rows[i].error);
		assert_null(t.access_token);
		assert_true(e.msg[0] != '\0');
	}
	/* the provider's words reach the message, sanitised */
	assert_int_equal(parse(400, "{\"error\":\"invalid_grant\",\"error_description\":\"Bad\\ncredentials\"}", &t, &e),
			 OPTT_REJECTED);
	assert_non_null(strstr(e.msg, "HTTP 400, invalid_grant: Bad?credentials"));
}

static void
test_iso8601(void **state)
{
	int64_t v = 0;

	(void)state;
	assert_int_equal(optt_iso8601_parse("2020-03-17T17:41:51.178Z", &v), 0);
	assert_int_equal(v, 1584466911);
	assert_int_equal(optt_iso8601_parse("1970-01-01T00:00:00Z", &v), 0);
	assert_int_equal(v, 0);
	assert_int_equal(optt_iso8601_parse("2020-03-17T19:41:51+02:00", &v), 0);
	assert_int_equal(v, 1584466911);
	assert_int_equal(optt_iso8601_parse("2024-02-29T00:00:00Z", &v), 0);
	assert_int_equal(optt_iso8601_parse("2023-02-29T00:00:00Z", &v), -1);
	assert_int_equal(optt_iso8601_parse("2020-03-17T17:41:51", &v), -1);
	assert_int_equal(optt_iso8601_parse("2020-03-17 17:41:51Z", &v), -1);
	assert_int_equal(optt_iso8601_parse("2020-13-17T17:41:51Z", &v), -1);
	assert_int_equal(optt_iso8601_parse("2020-03-17T17:41:51.Z", &v), -1);
	assert_int_equal(optt_iso8601_parse("2020-03-17T17:41:51Zjunk", &v), -1);
	assert_int_equal(optt_iso8601_parse("", &v), -1);
}

static void
test_jwt(void **state)
{
	int64_t exp = 0;

	(void)state;
	assert_int_equal(optt_jwt_exp(JWT, &exp), 0);
	assert_int_equal(exp, 1603669506);
	assert_int_equal(optt_jwt_claim_holds(JWT, "user_name", "institute"), 1);
	assert_int_equal(optt_jwt_claim_holds(JWT, "user_name", "other"), 0);
	assert_int_equal(optt_jwt_claim_holds(JWT, "groups", "ssh"), 1);
	assert_int_equal(optt_jwt_claim_holds(JWT, "groups", "admin"), 0);
	assert_int_equal(optt_jwt_claim_holds(JWT, "n", "7"), 1);
	assert_int_equal(optt_jwt_claim_holds(JWT, "missing", "x"), 0);
	assert_int_equal(optt_jwt_claim_holds("opaque-token", "a", "b"), -1);
	assert_int_equal(optt_jwt_exp("a.b.c", &exp), -1);
	assert_int_equal(optt_jwt_exp("a.b.c.d", &exp), -1);
	assert_int_equal(optt_jwt_exp("a..c", &exp), -1);
}

static void
test_record(void **state)
{
	struct optt_token t, u;
	struct optt_buf b;
	struct optt_err e;

	(void)state;
	optt_token_init(&t);
	optt_token_init(&u);
	optt_buf_init(&b, OPTT_RECORD_MAX);
	t.access_token = strdup("A\"\\x");
	t.token_type = strdup("bearer");
	t.refresh_token = strdup("R");
	t.expires_at = 1700000123;
	assert_int_equal(optt_record_encode(&t, &b), 0);
	assert_int_equal(optt_record_decode(b.data, b.len, &u, &e), OPTT_OK);
	assert_string_equal(u.access_token, "A\"\\x");
	assert_string_equal(u.token_type, "bearer");
	assert_string_equal(u.refresh_token, "R");
	assert_null(u.scope);
	assert_int_equal(u.expires_at, 1700000123);
	optt_token_clear(&u);
	assert_int_equal(optt_record_decode("{\"v\":1}", 7, &u, &e), OPTT_BADRESP);
	assert_int_equal(optt_record_decode("{\"v\":2,\"expires_at\":1,\"access_token\":\"a\"}", 41, &u, &e), OPTT_BADRESP);
	assert_int_equal(optt_record_decode(b.data, b.len / 2, &u, &e), OPTT_BADRESP);
	optt_buf_clear(&b);
	optt_token_clear(&t);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_success),
		cmocka_unit_test(test_classify),
		cmocka_unit_test(test_iso8601),
		cmocka_unit_test(test_jwt),
		cmocka_unit_test(test_record),
	};
	return cmocka_run_group_tests_name("token", tests, NULL, NULL);
}
