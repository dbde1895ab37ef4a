/* Unit tests: docker_helper/dockerproto.c (docker-credential-helpers protocol, SPEC §7). */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "docker_helper/dockerproto.h"
#include "tests/unit/testutil.h"

static void
key_is(const char *url, const char *want)
{
	struct optt_err e;
	char *k = NULL;

	optt_err_init(&e);
	assert_int_equal(optt_docker_key(url, &k, &e), OPTT_OK);
	assert_string_equal(k, want);
	free(k);
}

static void
test_key(void **state)
{
	struct optt_err e;
	char *k = NULL;

	(void)state;
	key_is("registry.example.com:5000", "registry.example.com:5000");
	key_is("https://Registry.Example.COM:5000/v2/", "registry.example.com:5000");
	key_is("  registry.example.com/team/image  ", "registry.example.com");
	key_is("https://index.docker.io/v1/", "docker.io");
	key_is("registry-1.docker.io", "docker.io");
	key_is("docker.io", "docker.io");
	optt_err_init(&e);
	assert_int_equal(optt_docker_key("https:///", &k, &e), OPTT_CONFIG);
	assert_int_equal(optt_docker_key("", &k, &e), OPTT_CONFIG);
	assert_null(k);
}

static enum optt_status
store(const char *s, struct optt_docker_cred *c)
{
	struct optt_err e;

	optt_docker_cred_clear(c);
	optt_err_init(&e);
	return optt_docker_parse_store(s, strlen(s), c, &e);
}

static void
test_store(void **state)
{
	struct optt_docker_cred c = { NULL, NULL, NULL };

	(void)state;
	assert_int_equal(store("{\"ServerURL\":\"r.example.com\",\"Username\":\"u\",\"Secret\":\"s3\"}", &c),
			 OPTT_OK);
	assert_string_equal(c.server_url, "r.example.com");
	assert_string_equal(c.username, "u");
	assert_string_equal(c.secret, "s3");
	assert_int_not_equal(store("{\"ServerURL\":\"r\",\"Username\":\"u\",\"Secret\":\"\"}", &c), OPTT_OK);
	assert_int_not_equal(store("{\"ServerURL\":\"\",\"Username\":\"u\",\"Secret\":\"s\"}", &c), OPTT_OK);
	assert_int_not_equal(store("{\"ServerURL\":\"r\",\"Username\":7,\"Secret\":\"s\"}", &c), OPTT_OK);
	assert_int_not_equal(store("{\"ServerURL\":", &c), OPTT_OK);
	assert_int_not_equal(store("[]", &c), OPTT_OK);
	optt_docker_cred_clear(&c);
}

static void
test_get_and_url(void **state)
{
	struct optt_buf out;
	struct optt_err e;
	char *url = NULL;

	(void)state;
	optt_buf_init(&out, 4096);
	optt_err_init(&e);
	assert_int_equal(optt_docker_format_get("r.example.com", "oauth2", "tok\"en", &out, &e), OPTT_OK);
	assert_string_equal(out.data, "{\"ServerURL\":\"r.example.com\",\"Username\":\"oauth2\",\"Secret\":\"tok\\\"en\"}\n");
	optt_buf_clear(&out);
	assert_int_equal(optt_docker_read_url("  r.example.com:5000 \nsecond line\n", 33, &url, &e), OPTT_OK);
	assert_string_equal(url, "r.example.com:5000");
	free(url);
	url = NULL;
	assert_int_not_equal(optt_docker_read_url("   \n", 4, &url, &e), OPTT_OK);
	assert_null(url);
}

static void
test_next_host(void **state)
{
	const char *cur = "git.example.com/team, registry.example.com:5000 docker.io";
	char one[256];
	const char *h;

	(void)state;
	h = optt_docker_next_host(&cur, one, sizeof(one));
	assert_non_null(h);
	assert_string_equal(h, "registry.example.com:5000");
	h = optt_docker_next_host(&cur, one, sizeof(one));
	assert_non_null(h);
	assert_string_equal(h, "docker.io");
	assert_null(optt_docker_next_host(&cur, one, sizeof(one)));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_key),
		cmocka_unit_test(test_store),
		cmocka_unit_test(test_get_and_url),
		cmocka_unit_test(test_next_host),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
