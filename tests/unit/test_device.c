/* Unit tests: common/device.c (RFC 8628 device authorization response),
 * the device grant's user binding (jwt.c) and the id_token (token.c). */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "common/device.h"
#include "common/jwt.h"
#include "common/token.h"
#include "tests/unit/testutil.h"

#define NOW 1700000000L
/* {"preferred_username":"alice","sub":"u-1"} */
#define JWT_ALICE "eyJhbGciOiJub25lIn0.eyJwcmVmZXJyZWRfdXNlcm5hbWUiOiJhbGljZSIsInN1YiI6InUtMSJ9.c2ln"
/* {"sub":"alice","user_name":7} */
#define JWT_NUMBER "eyJhbGciOiJub25lIn0.eyJzdWIiOiJhbGljZSIsInVzZXJfbmFtZSI6N30.c2ln"

static enum optt_status
parse(long status, const char *body, struct optt_device *d, struct optt_err *e)
{
	optt_device_clear(d);
	optt_err_init(e);
	return optt_device_parse(status, body, strlen(body), NOW, d, e);
}

static void
test_device_response(void **state)
{
	struct optt_device d;
	struct optt_err e;
	char line[512];

	(void)state;
	optt_device_init(&d);
	assert_int_equal(parse(200, "{\"device_code\":\"DC\",\"user_code\":\"WDJB-MJHT\","
			       "\"verification_uri\":\"https://idp.example.com/device\","
			       "\"verification_uri_complete\":\"https://idp.example.com/device?c=WDJB-MJHT\","
			       "\"expires_in\":1800,\"interval\":5}", &d, &e), OPTT_OK);
	assert_string_equal(d.device_code, "DC");
	assert_string_equal(d.user_code, "WDJB-MJHT");
	assert_int_equal(d.expires_in, 1800);
	assert_int_equal(d.interval, 5);
	assert_int_equal(d.started, NOW);
	optt_device_instructions(&d, line, sizeof(line));
	assert_string_equal(line, "To log in, open https://idp.example.com/device and enter the code WDJB-MJHT "
				  "(or open https://idp.example.com/device?c=WDJB-MJHT)");
	/* interval absent: 5; numeric strings; clamps */
	assert_int_equal(parse(200, "{\"device_code\":\"DC\",\"user_code\":\"U\",\"verification_uri\":\"https://x\","
			       "\"expires_in\":\"99999\"}", &d, &e), OPTT_OK);
	assert_int_equal(d.interval, OPTT_DEVICE_DEFAULT_INTERVAL);
	assert_int_equal(d.expires_in, OPTT_DEVICE_MAX_LIFETIME);
	assert_null(d.verification_uri_complete);
	assert_int_equal(parse(200, "{\"device_code\":\"DC\",\"user_code\":\"U\",\"verification_uri\":\"https://x\","
			       "\"expires_in\":60,\"interval\":3600}", &d, &e), OPTT_OK);
	assert_int_equal(d.interval, OPTT_DEVICE_MAX_INTERVAL);
	/* https with a port, a path and a query; IPv6 literal */
	assert_int_equal(parse(200, "{\"device_code\":\"DC\",\"user_code\":\"U\","
			       "\"verification_uri\":\"https://[::1]:8443/device\","
			       "\"verification_uri_complete\":\"https://idp.example.com:8443/d?user_code=U&x=1\","
			       "\"expires_in\":60}", &d, &e), OPTT_OK);
	assert_string_equal(d.verification_uri, "https://[::1]:8443/device");
	optt_device_clear(&d);
}

static void
test_device_refusals(void **state)
{
	static const char *const bad[] = {
		"[]",
		"{\"user_code\":\"U\",\"verification_uri\":\"https://x\",\"expires_in\":60}",
		"{\"device_code\":\"\",\"user_code\":\"U\",\"verification_uri\":\"https://x\",\"expires_in\":60}",
		"{\"device_code\":\"D\",\"verification_uri\":\"https://x\",\"expires_in\":60}",
		"{\"device_code\":\"D\",\"user_code\":\"U\",\"expires_in\":60}",
		"{\"device_code\":\"D\",\"user_code\":\"U\",\"verification_uri\":\"https://x\"}",
		"{\"device_code\":\"D\",\"user_code\":\"U\",\"verification_uri\":\"https://x\",\"expires_in\":0}",
		"{\"device_code\":\"D\",\"user_code\":\"U\",\"verification_uri\":\"https://x\",\"expires_in\":-5}",
		"{\"device_code\":\"D\",\"user_code\":\"U\",\"verification_uri\":\"https://x\",\"expires_in\":\"soon\"}",
		"{\"device_code\":\"D\",\"user_code\":\"U\",\"verification_uri\":\"https://x\",\"expires_in\":60,\"interval\":0}",
		/* text for the terminal: no control characters, no blanks */
		"{\"device_code\":\"D\",\"user_code\":\"U\\u001b[2J\",\"verification_uri\":\"https://x\",\"expires_in\":60}",
		"{\"device_code\":\"D\",\"user_code\":\"U\",\"verification_uri\":\"https://x\\nfake\",\"expires_in\":60}",
		"{\"device_code\":\"D\",\"user_code\":\"U\",\"verification_uri\":\"https://x y\",\"expires_in\":60}",
		"{\"device_code\":\"D\",\"user_code\":\"U\",\"verification_uri\":\"https://x\","
		"\"verification_uri_complete\":\"https://x\\u0007\",\"expires_in\":60}",
		"{\"device_code\":\"D\",\"user_code\":\"U\",\"verification_uri\":\"https://x\",\"expires_in\":60",
		/* device-code phishing (SPEC §19): both URIs must be https URLs */
		"{\"device_code\":\"D\",\"user_code\":\"U\",\"verification_uri\":\"javascript:alert(1)\",\"expires_in\":60}",
		"{\"device_code\":\"D\",\"user_code\":\"U\",\"verification_uri\":\"http://idp.example.com/device\",\"expires_in\":60}",
		"{\"device_code\":\"D\",\"user_code\":\"U\",\"verification_uri\":\"http://127.0.0.1/device\",\"expires_in\":60}",
		"{\"device_code\":\"D\",\"user_code\":\"U\",\"verification_uri\":\"data:text/html,x\",\"expires_in\":60}",
		"{\"device_code\":\"D\",\"user_code\":\"U\",\"verification_uri\":\"file:///etc/passwd\",\"expires_in\":60}",
		"{\"device_code\":\"D\",\"user_code\":\"U\",\"verification_uri\":\"idp.example.com/device\",\"expires_in\":60}",
		"{\"device_code\":\"D\",\"user_code\":\"U\",\"verification_uri\":\"https://idp.example.com@evil.example/\",\"expires_in\":60}",
		"{\"device_code\":\"D\",\"user_code\":\"U\",\"verification_uri\":\"https:///device\",\"expires_in\":60}",
		"{\"device_code\":\"D\",\"user_code\":\"U\",\"verification_uri\":\"https://x\","
		"\"verification_uri_complete\":\"javascript:alert(1)\",\"expires_in\":60}",
		"{\"device_code\":\"D\",\"user_code\":\"U\",\"verification_uri\":\"https://x\","
		"\"verification_uri_complete\":\"http://x/device?c=U\",\"expires_in\":60}",
		"{\"device_code\":\"D\",\"user_code\":\"U\",\"verification_uri\":\"https://x\","
		"\"verification_uri_complete\":\"\",\"expires_in\":60}",
	};
	struct optt_device d;
	struct optt_err e;
	size_t i;

	(void)state;
	optt_device_init(&d);
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		if (parse(200, bad[i], &d, &e) != OPTT_BADRESP)
			fail_msg("accepted: %s", bad[i]);
		assert_null(d.device_code);
	}
	/* non-200: classified like a token endpoint's answer */
	assert_int_equal(parse(400, "{\"error\":\"invalid_client\"}", &d, &e), OPTT_CLIENT);
	assert_int_equal(parse(401, "{\"error\":\"unauthorized_client\"}", &d, &e), OPTT_CLIENT);
	assert_int_equal(parse(503, "busy", &d, &e), OPTT_UNAVAILABLE);
	assert_int_equal(parse(429, "{}", &d, &e), OPTT_UNAVAILABLE);
	assert_int_equal(parse(302, "", &d, &e), OPTT_BADRESP);
	optt_device_clear(&d);
}

static void
test_user_binding(void **state)
{
	static const char *const dflt[] = { "preferred_username", "user_name", "sub", NULL };
	static const char *const sub[] = { "sub", NULL };
	static const char *const un[] = { "user_name", NULL };

	(void)state;
	assert_int_equal(optt_jwt_user_is(JWT_ALICE, dflt, "alice"), 1);
	assert_int_equal(optt_jwt_user_is(JWT_ALICE, dflt, "bob"), 0);
	assert_int_equal(optt_jwt_user_is(JWT_ALICE, dflt, "alic"), 0);
	assert_int_equal(optt_jwt_user_is(JWT_ALICE, sub, "u-1"), 1);
	assert_int_equal(optt_jwt_user_is(JWT_ALICE, sub, "alice"), 0);
	/* the first claim present decides, and only a string names a user */
	assert_int_equal(optt_jwt_user_is(JWT_NUMBER, dflt, "alice"), 0);
	assert_int_equal(optt_jwt_user_is(JWT_NUMBER, un, "7"), 0);
	assert_int_equal(optt_jwt_user_is(JWT_NUMBER, sub, "alice"), 1);
	/* none present, not a JWT */
	assert_int_equal(optt_jwt_user_is(JWT_ALICE, un, "alice"), 0);
	assert_int_equal(optt_jwt_user_is("opaque-token", dflt, "alice"), -1);
	assert_int_equal(optt_jwt_user_is("a.b.c", dflt, "alice"), -1);
}

static void
test_id_token_kept(void **state)
{
	struct optt_token t, c;
	struct optt_err e;
	const char *body = "{\"access_token\":\"A\",\"id_token\":\"" JWT_ALICE "\",\"expires_in\":60}";

	(void)state;
	optt_token_init(&t);
	optt_err_init(&e);
	assert_int_equal(optt_token_parse(200, body, strlen(body), NOW, 300, &t, &e), OPTT_OK);
	assert_string_equal(t.id_token, JWT_ALICE);
	assert_int_equal(optt_token_copy(&c, &t), 0);
	assert_string_equal(c.id_token, JWT_ALICE);
	optt_token_clear(&t);
	optt_token_clear(&c);
	assert_null(t.id_token);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_device_response),
		cmocka_unit_test(test_device_refusals),
		cmocka_unit_test(test_user_binding),
		cmocka_unit_test(test_id_token_kept),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
