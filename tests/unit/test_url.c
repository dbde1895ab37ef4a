/* Unit tests: common/url.c and common/mem.c. */
#include "config.h"

#include <string.h>

#include "common/mem.h"
#include "common/url.h"
#include "tests/unit/testutil.h"

static void
test_encode(void **state)
{
	struct optt_buf b;

	(void)state;
	optt_buf_init(&b, 1024);
	assert_int_equal(optt_url_encode(&b, "a&grant_type=client_credentials"), 0);
	assert_string_equal(b.data, "a%26grant_type%3Dclient_credentials");
	optt_buf_clear(&b);
	assert_int_equal(optt_url_encode(&b, "p +%/ü~._-"), 0);
	assert_string_equal(b.data, "p%20%2B%25%2F%C3%BC~._-");
	optt_buf_clear(&b);
	assert_int_equal(optt_url_decode(&b, "a%26b+c%zz", 10, 1), 0);
	assert_string_equal(b.data, "a&b c%zz");
	optt_buf_clear(&b);
}

static void
test_parse(void **state)
{
	struct optt_url u;
	struct optt_err e;

	(void)state;
	optt_err_init(&e);
	assert_int_equal(optt_url_parse("https://gateway.optt.ca:8092/gateway/uaa/oauth/token", "t", &u, &e), OPTT_OK);
	assert_string_equal(u.host, "gateway.optt.ca");
	assert_int_equal(u.port, 8092);
	assert_false(u.loopback);
	assert_int_equal(optt_url_parse("http://127.0.0.1:8080/x", "t", &u, &e), OPTT_OK);
	assert_true(u.loopback);
	assert_int_equal(optt_url_parse("http://[::1]:8080/x", "t", &u, &e), OPTT_OK);
	assert_string_equal(u.host, "::1");
	assert_true(u.loopback);
	assert_int_equal(optt_url_parse("http://localhost/x", "t", &u, &e), OPTT_OK);
	assert_int_equal(optt_url_parse("http://example.com/x", "token_url", &u, &e), OPTT_CONFIG);
	assert_non_null(strstr(e.msg, "token_url"));
	assert_non_null(strstr(e.msg, "loopback"));
	assert_int_equal(optt_url_parse("http://127.0.0.1.evil.com/x", "t", &u, &e), OPTT_CONFIG);
	assert_int_equal(optt_url_parse("ftp://example.com/", "t", &u, &e), OPTT_CONFIG);
	assert_int_equal(optt_url_parse("https://user:pw@example.com/", "t", &u, &e), OPTT_CONFIG);
	assert_int_equal(optt_url_parse("https://example.com:99999/", "t", &u, &e), OPTT_CONFIG);
	assert_int_equal(optt_url_parse("https://example.com:/", "t", &u, &e), OPTT_CONFIG);
	assert_int_equal(optt_url_parse("https:///x", "t", &u, &e), OPTT_CONFIG);
	assert_int_equal(optt_url_parse("https://exa mple.com/", "t", &u, &e), OPTT_CONFIG);
}

static void
test_base64(void **state)
{
	struct optt_buf b;

	(void)state;
	optt_buf_init(&b, 1024);
	assert_int_equal(optt_base64_encode(&b, (const unsigned char *)"id:secret", 9), 0);
	assert_string_equal(b.data, "aWQ6c2VjcmV0");
	optt_buf_clear(&b);
	assert_int_equal(optt_base64_encode(&b, (const unsigned char *)"ab", 2), 0);
	assert_string_equal(b.data, "YWI=");
	optt_buf_clear(&b);
	assert_int_equal(optt_base64url_decode(&b, "eyJleHAiOjF9", 12), 0);
	assert_string_equal(b.data, "{\"exp\":1}");
	optt_buf_clear(&b);
	assert_int_equal(optt_base64url_decode(&b, "a*b", 3), -3);
	optt_buf_clear(&b);
}

static void
test_buf_cap(void **state)
{
	struct optt_buf b;

	(void)state;
	optt_buf_init(&b, 8);
	assert_int_equal(optt_buf_puts(&b, "12345678"), 0);
	assert_int_equal(optt_buf_puts(&b, "9"), -2);
	assert_int_equal(b.len, 8);
	assert_string_equal(b.data, "12345678");
	optt_buf_clear(&b);
	assert_null(b.data);
	assert_true(optt_ct_streq("abc", "abc"));
	assert_false(optt_ct_streq("abc", "abd"));
	assert_false(optt_ct_streq("abc", "abcd"));
	assert_false(optt_ct_streq("", "a"));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_encode),
		cmocka_unit_test(test_parse),
		cmocka_unit_test(test_base64),
		cmocka_unit_test(test_buf_cap),
	};
	return cmocka_run_group_tests_name("url", tests, NULL, NULL);
}
