/* Unit tests: git_helper/gitproto.c (git-credential(1) reader and writer, SPEC §6, §14). */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "git_helper/gitproto.h"
#include "tests/unit/testutil.h"

static enum optt_status
parse(const char *s, struct optt_git_cred *c)
{
	struct optt_err e;

	optt_git_cred_clear(c);
	optt_git_cred_init(c);
	optt_err_init(&e);
	return optt_git_parse(s, strlen(s), c, &e);
}

static void
test_parse(void **state)
{
	struct optt_git_cred c;

	(void)state;
	optt_git_cred_init(&c);
	assert_int_equal(parse("protocol=https\nhost=git.example.com:8443\npath=team/repo.git\n"
			       "username=alice\ncapability[]=authtype\nwwwauth[]=Basic realm=\"x\"\n"
			       "wwwauth[]=Bearer realm=\"y\"\nfuture=ignored\n\nhost=after.blank\n", &c),
			 OPTT_OK);
	assert_string_equal(c.protocol, "https");
	assert_string_equal(c.host, "git.example.com:8443");
	assert_string_equal(c.path, "team/repo.git");
	assert_string_equal(c.username, "alice");
	assert_true(c.cap_authtype);
	assert_int_equal(c.nwwwauth, 2);
	assert_true(optt_git_offers_bearer(&c));
	/* a value keeps everything after the first '=' */
	assert_int_equal(parse("password=a=b=c\n", &c), OPTT_OK);
	assert_string_equal(c.password, "a=b=c");
	/* the last line needs no newline */
	assert_int_equal(parse("host=h", &c), OPTT_OK);
	assert_string_equal(c.host, "h");
	assert_int_equal(parse("wwwauth[]=Basic realm=\"x\"\n", &c), OPTT_OK);
	assert_false(optt_git_offers_bearer(&c));
	optt_git_cred_clear(&c);
}

static void
test_refused(void **state)
{
	struct optt_git_cred c;
	struct optt_err e;
	char *big;

	(void)state;
	optt_git_cred_init(&c);
	assert_int_not_equal(parse("no equals sign\n", &c), OPTT_OK);
	assert_int_not_equal(parse("=value\n", &c), OPTT_OK);
	optt_err_init(&e);
	assert_int_not_equal(optt_git_parse("host=a\0b\n", 9, &c, &e), OPTT_OK);
	big = malloc(OPTT_GIT_MAX_INPUT + 16);
	memset(big, 'a', OPTT_GIT_MAX_INPUT + 15);
	memcpy(big, "host=", 5);
	big[OPTT_GIT_MAX_INPUT + 15] = '\0';
	assert_int_not_equal(parse(big, &c), OPTT_OK);
	free(big);
	optt_git_cred_clear(&c);
}

static enum optt_status
target(const char *s, struct optt_git_cred *c)
{
	struct optt_err e;

	optt_err_init(&e);
	assert_int_equal(parse(s, c), OPTT_OK);
	return optt_git_check_target(c, &e);
}

static void
test_target(void **state)
{
	struct optt_git_cred c;

	(void)state;
	optt_git_cred_init(&c);
	assert_int_equal(target("protocol=https\nhost=h\n", &c), OPTT_OK);
	assert_int_equal(target("protocol=http\nhost=127.0.0.1:8080\n", &c), OPTT_OK);
	assert_int_equal(target("protocol=http\nhost=[::1]:8080\n", &c), OPTT_OK);
	assert_int_equal(target("protocol=http\nhost=localhost\n", &c), OPTT_OK);
	assert_int_equal(target("protocol=http\nhost=git.example.com\n", &c), OPTT_DENIED);
	assert_int_equal(target("protocol=ftp\nhost=h\n", &c), OPTT_DENIED);
	assert_int_equal(target("host=h\n", &c), OPTT_DENIED);
	/* paths: decoded, dot segments resolved, never above the root */
	assert_int_equal(target("protocol=https\nhost=h\npath=team/./sub/../repo\n", &c), OPTT_OK);
	assert_string_equal(c.path, "team/repo");
	assert_int_equal(target("protocol=https\nhost=h\npath=team/%2e%2E/mate\n", &c), OPTT_OK);
	assert_string_equal(c.path, "mate");
	assert_int_equal(target("protocol=https\nhost=h\npath=../team\n", &c), OPTT_DENIED);
	assert_int_equal(target("protocol=https\nhost=h\npath=team/%zz\n", &c), OPTT_DENIED);
	assert_int_equal(target("protocol=https\nhost=h\npath=team/%00\n", &c), OPTT_DENIED);
	optt_git_cred_clear(&c);
}

static void
test_format(void **state)
{
	struct optt_git_answer a = { 0, "oauth2", "TOKEN", 1700000000LL };
	struct optt_buf out;
	struct optt_err e;

	(void)state;
	optt_buf_init(&out, 4096);
	optt_err_init(&e);
	assert_int_equal(optt_git_format(&a, &out, &e), OPTT_OK);
	assert_string_equal(out.data, "username=oauth2\npassword=TOKEN\npassword_expiry_utc=1700000000\n");
	optt_buf_clear(&out);
	a.bearer = 1;
	assert_int_equal(optt_git_format(&a, &out, &e), OPTT_OK);
	assert_non_null(strstr(out.data, "authtype=Bearer\n"));
	assert_non_null(strstr(out.data, "credential=TOKEN\n"));
	assert_null(strstr(out.data, "password="));
	optt_buf_clear(&out);
	/* a token that would break the line protocol is refused, never written */
	a.token = "TO\nKEN";
	assert_int_not_equal(optt_git_format(&a, &out, &e), OPTT_OK);
	assert_true(out.len == 0);
	optt_buf_clear(&out);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parse),
		cmocka_unit_test(test_refused),
		cmocka_unit_test(test_target),
		cmocka_unit_test(test_format),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
