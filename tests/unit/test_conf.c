/* Unit tests: common/conf.c (SPEC §2). */
#include "config.h"

#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "common/conf.h"
#include "tests/unit/testutil.h"

static const char good[] =
	"[defaults]                 ; optional\n"
	"timeout = 7\n"
	"cafile = /etc/ssl/certs/ca-certificates.crt\n"
	"\n"
	"[profile optt]\n"
	"dialect   = optt\n"
	"token_url = https://gateway.optt.ca:8092/gateway/uaa/oauth/token\n"
	"grant     = password\n"
	"hosts     = git.example.com registry.example.com:5000 forge.example.com/team\n"
	"username  = oauth2\n"
	"\n"
	"[profile ddi]\n"
	"dialect       = ddi\n"
	"token_url     = https://ddi.example.com:8443/oauth2/token/\n"
	"client_id     = ab5a442c7d57bd3dcbdc0675e9bdd9f6e6d67d1171b043939ff5\n"
	"client_secret_file = /etc/optt/ddi.secret\n"
	"timeout = 3\n";

struct fx {
	char *dir;
	struct optt_conf conf;
	struct optt_err err;
};

static int
setup(void **state)
{
	struct fx *f = calloc(1, sizeof(*f));

	f->dir = tu_tmpdir();
	optt_conf_init(&f->conf);
	optt_err_init(&f->err);
	*state = f;
	return 0;
}

static int
teardown(void **state)
{
	struct fx *f = *state;

	optt_conf_clear(&f->conf);
	tu_rmrf(f->dir);
	free(f->dir);
	free(f);
	return 0;
}

/* Load text as one file and finish; the status. */
static enum optt_status
load(struct fx *f, const char *text, unsigned mode)
{
	char *path = tu_write(f->dir, "optt.conf", text, mode);
	enum optt_status st;

	optt_conf_clear(&f->conf);
	optt_err_init(&f->err);
	st = optt_conf_load_file(&f->conf, path, 0, &f->err);
	if (st == OPTT_OK)
		st = optt_conf_finish(&f->conf, &f->err);
	free(path);
	if (st != OPTT_OK)
		print_message("# load: %s\n", f->err.msg);
	return st;
}

static void
test_good(void **state)
{
	struct fx *f = *state;
	const struct optt_profile *p;

	assert_int_equal(load(f, good, 0644), OPTT_OK);
	assert_int_equal(f->conf.nprofiles, 2);
	p = optt_conf_profile(&f->conf, "optt");
	assert_non_null(p);
	assert_int_equal(optt_pnum(p, OPTT_K_DIALECT), OPTT_DIALECT_OPTT);
	assert_int_equal(optt_pnum(p, OPTT_K_GRANT), OPTT_GRANT_PASSWORD);
	assert_int_equal(optt_pnum(p, OPTT_K_TIMEOUT), 7);            /* from [defaults] */
	assert_int_equal(optt_pnum(p, OPTT_K_REFRESH_MARGIN), 60);    /* built-in */
	assert_int_equal(optt_pnum(p, OPTT_K_DEFAULT_TTL), 300);
	assert_int_equal(optt_pnum(p, OPTT_K_CACHE), OPTT_CACHE_AUTO);
	assert_int_equal(optt_pnum(p, OPTT_K_GIT_AUTH), OPTT_GIT_AUTH_AUTO);
	assert_string_equal(optt_pstr(p, OPTT_K_USERNAME), "oauth2");
	assert_string_equal(optt_pstr(p, OPTT_K_CAFILE), "/etc/ssl/certs/ca-certificates.crt");
	assert_false(optt_pset(p, OPTT_K_PROXY));
	p = optt_conf_profile(&f->conf, "ddi");
	assert_int_equal(optt_pnum(p, OPTT_K_TIMEOUT), 3);            /* profile beats defaults */
	assert_int_equal(optt_pnum(p, OPTT_K_GRANT), OPTT_GRANT_CLIENT_CREDENTIALS);
	assert_int_equal(optt_pnum(p, OPTT_K_CLIENT_AUTH), OPTT_CLIENT_AUTH_BASIC);
	assert_null(optt_conf_profile(&f->conf, "nope"));
}

static void
test_hosts(void **state)
{
	struct fx *f = *state;
	const struct optt_profile *p;

	assert_int_equal(load(f, good, 0644), OPTT_OK);
	p = optt_conf_profile_for_host(&f->conf, "git.example.com", NULL);
	assert_non_null(p);
	assert_string_equal(p->name, "optt");
	assert_non_null(optt_conf_profile_for_host(&f->conf, "GIT.example.com", "any/repo.git"));
	assert_null(optt_conf_profile_for_host(&f->conf, "git.example.com:8443", NULL));
	assert_non_null(optt_conf_profile_for_host(&f->conf, "registry.example.com:5000", NULL));
	assert_null(optt_conf_profile_for_host(&f->conf, "registry.example.com", NULL));
	assert_non_null(optt_conf_profile_for_host(&f->conf, "forge.example.com", "team/repo.git"));
	assert_non_null(optt_conf_profile_for_host(&f->conf, "forge.example.com", "/team"));
	assert_null(optt_conf_profile_for_host(&f->conf, "forge.example.com", "teammate/repo.git"));
	assert_null(optt_conf_profile_for_host(&f->conf, "forge.example.com", NULL));
	assert_null(optt_conf_profile_for_host(&f->conf, "example.com", NULL));
}

static void expect_error(struct fx *f, const char *text, const char *needle1, const char *needle2);

/* SPEC §13: "*.d" matches one or more labels before ".d", never d itself
 * or a look-alike; the port exactly; a literal entry wins */
static const char wild[] =
	"[profile wild]\ntoken_url = https://idp.example.com/token\nclient_id = c\n"
	"hosts = *.example.com *.corp.example.net:5000 *.forge.example.org/team\n"
	"[profile literal]\ntoken_url = https://idp.example.com/token\nclient_id = c\n"
	"hosts = special.example.com\n";

static const char *
for_host(struct fx *f, const char *host, const char *path)
{
	const struct optt_profile *p = optt_conf_profile_for_host(&f->conf, host, path);

	return p != NULL ? p->name : "(none)";
}

static void
test_wildcard_hosts(void **state)
{
	struct fx *f = *state;

	assert_int_equal(load(f, wild, 0644), OPTT_OK);
	assert_string_equal(for_host(f, "git.example.com", NULL), "wild");
	assert_string_equal(for_host(f, "a.b.example.com", NULL), "wild");        /* several labels */
	assert_string_equal(for_host(f, "GIT.Example.COM", NULL), "wild");        /* case */
	assert_string_equal(for_host(f, "git.example.com.", NULL), "wild");       /* trailing dot */
	assert_string_equal(for_host(f, "special.example.com", NULL), "literal"); /* literal wins */
	assert_string_equal(for_host(f, "x.special.example.com", NULL), "wild");
	assert_string_equal(for_host(f, "example.com", NULL), "(none)");          /* the bare domain */
	assert_string_equal(for_host(f, ".example.com", NULL), "(none)");
	assert_string_equal(for_host(f, "a..example.com", NULL), "(none)");       /* an empty label */
	assert_string_equal(for_host(f, "evil-example.com", NULL), "(none)");     /* look-alikes */
	assert_string_equal(for_host(f, "evilexample.com", NULL), "(none)");
	assert_string_equal(for_host(f, "example.com.evil.net", NULL), "(none)");
	assert_string_equal(for_host(f, "git.example.com.evil.net", NULL), "(none)");
	assert_string_equal(for_host(f, "git.example.com:8443", NULL), "(none)"); /* port mismatch */
	assert_string_equal(for_host(f, "r.corp.example.net:5000", NULL), "wild");
	assert_string_equal(for_host(f, "r.corp.example.net", NULL), "(none)");
	assert_string_equal(for_host(f, "r.corp.example.net:5001", NULL), "(none)");
	assert_string_equal(for_host(f, "git.forge.example.org", "team/repo.git"), "wild");
	assert_string_equal(for_host(f, "git.forge.example.org", "teammate/repo.git"), "(none)");
	/* a wildcard over a top-level domain, or malformed, is refused */
	expect_error(f, "[profile p]\ntoken_url = https://i.example.com/t\nclient_id = c\nhosts = *.com\n",
		     "hosts", "*.com");
	expect_error(f, "[profile p]\ntoken_url = https://i.example.com/t\nclient_id = c\nhosts = *example.com\n",
		     "hosts", NULL);
	expect_error(f, "[profile p]\ntoken_url = https://i.example.com/t\nclient_id = c\nhosts = a.*.example.com\n",
		     "hosts", NULL);
	expect_error(f, "[profile p]\ntoken_url = https://i.example.com/t\nclient_id = c\nhosts = *.\n",
		     "hosts", NULL);
}

/* SPEC §19: a wildcard over a public suffix (libpsl: ICANN and private
 * sections) is refused like *.com; a domain below one is not */
static void
test_wildcard_public_suffix(void **state)
{
	static const char *const refused[] = {
		"*.co.uk", "*.github.io", "*.CO.UK", "*.co.uk:443", "*.github.io/team", "*.s3.amazonaws.com",
		"*.blogspot.com", "*.foo.ck", /* the *.ck rule */
	};
	static const char *const accepted[] = {
		"*.example.co.uk", "*.example.com", "*.corp.example.co.uk:5000", "*.team.github.io", "*.www.ck",
	};
	struct fx *f = *state;
	char text[512];
	size_t i;

	for (i = 0; i < sizeof(refused) / sizeof(refused[0]); i++) {
		snprintf(text, sizeof(text), "[profile p]\ntoken_url = https://i.example.com/t\nclient_id = c\n"
			 "hosts = git.example.com %s\n", refused[i]);
		expect_error(f, text, "hosts", "public suffix");
	}
	for (i = 0; i < sizeof(accepted) / sizeof(accepted[0]); i++) {
		snprintf(text, sizeof(text), "[profile p]\ntoken_url = https://i.example.com/t\nclient_id = c\n"
			 "hosts = %s\n", accepted[i]);
		if (load(f, text, 0600) != OPTT_OK)
			fail_msg("refused: %s (%s)", accepted[i], f->err.msg);
	}
}

static void
expect_error(struct fx *f, const char *text, const char *needle1, const char *needle2)
{
	assert_int_equal(load(f, text, 0600), OPTT_CONFIG);
	if (strstr(f->err.msg, needle1) == NULL || (needle2 && strstr(f->err.msg, needle2) == NULL))
		fail_msg("message '%s' lacks '%s' / '%s'", f->err.msg, needle1, needle2 ? needle2 : "");
}

static void
test_errors(void **state)
{
	struct fx *f = *state;

	expect_error(f, "[profile a]\ntoken_url = https://x/\nbogus = 1\n", "optt.conf:3:", "'bogus'");
	expect_error(f, "[weird]\nx = 1\n", "optt.conf:1:", "unknown section [weird]");
	expect_error(f, "[profile a]\ntoken_url = https://x/\n[weird]\n", "optt.conf:3:", "[weird]");
	expect_error(f, "timeout = 1\n", "optt.conf:1:", "outside");
	expect_error(f, "[profile a]\ndialect = google\n", ":2:", "'dialect'");
	expect_error(f, "[profile a]\ntimeout = 10s\n", ":2:", "'timeout'");
	expect_error(f, "[profile a]\ntimeout = 0\n", ":2:", "'timeout'");
	expect_error(f, "[profile a]\ntimeout = 99999999999999999999\n", ":2:", "'timeout'");
	expect_error(f, "[profile a]\ntoken_url = http://idp.example.com/t\n", ":2:", "token_url");
	expect_error(f, "[profile a]\ntoken_url = https://x/\ntoken_url = https://y/\n", ":3:", "twice");
	expect_error(f, "[profile a]\ncafile = relative.pem\n", ":2:", "cafile");
	expect_error(f, "[profile a]\nhosts = good.example.com b@d\n", ":2:", "hosts");
	expect_error(f, "[profile a b]\ntimeout = 1\n", ":1:", "profile name");
	expect_error(f, "[profile a]\nthis line has no equals sign\n", ":2:", "syntax");
	expect_error(f, "[profile a]\ndialect = optt\n", "profile 'a'", "token_url");
	expect_error(f, "[profile a]\ndialect = optt\ngrant = client_credentials\ntoken_url = https://x/\n",
		     "profile 'a'", "password");
	expect_error(f, "[profile a]\ndialect = ddi\ntoken_url = https://x/\n", "profile 'a'", "client_id");
	expect_error(f, "[profile a]\ndialect = octorate\nclient_id = c\nclient_secret = s\n",
		     "profile 'a'", "base_url");
	expect_error(f, "[profile a]\ntoken_url = https://x/\nclient_id = c\nclient_secret = s\n"
		     "client_secret_file = /x\n", "profile 'a'", "not both");
	expect_error(f, "[profile a]\ntoken_url = https://x/\ngrant = authorization_code\nclient_id = c\n",
		     "profile 'a'", "redirect_uri");
}

static void
test_long_line(void **state)
{
	struct fx *f = *state;
	char text[400];

	snprintf(text, sizeof(text), "[profile a]\ntoken_url = https://x/%0250d\n", 0);
	expect_error(f, text, ":2:", "longer");
}

static void
test_secret_permissions(void **state)
{
	struct fx *f = *state;
	static const char secretconf[] =
		"[profile a]\ntoken_url = https://x/\nclient_id = c\nclient_secret = s3cr3t\n";
	const struct optt_profile *p;
	char buf[1024];

	assert_int_equal(load(f, secretconf, 0644), OPTT_CONFIG);
	assert_non_null(strstr(f->err.msg, "optt.conf:4:"));
	assert_non_null(strstr(f->err.msg, "client_secret"));
	assert_non_null(strstr(f->err.msg, "readable by group or others"));
	assert_int_equal(load(f, secretconf, 0640), OPTT_CONFIG);
	assert_int_equal(load(f, secretconf, 0600), OPTT_OK);
	p = optt_conf_profile(&f->conf, "a");
	assert_string_equal(optt_key_display(p, OPTT_K_CLIENT_SECRET, buf, sizeof(buf)), "********");
	assert_string_equal(optt_key_display(p, OPTT_K_CLIENT_ID, buf, sizeof(buf)), "c");
	/* user info and query values of URLs are masked too (audit item 9) */
	assert_int_equal(load(f, "[profile a]\ndialect = optt\ntoken_url = https://x/t?key=abc&b=1#f\n"
				 "proxy = http://user:pa%40ss@proxy.example:3128/\n", 0600), OPTT_OK);
	p = optt_conf_profile(&f->conf, "a");
	assert_string_equal(optt_key_display(p, OPTT_K_PROXY, buf, sizeof(buf)),
			    "http://********@proxy.example:3128/");
	assert_string_equal(optt_key_display(p, OPTT_K_TOKEN_URL, buf, sizeof(buf)),
			    "https://x/t?key=********&b=********");
	assert_int_equal(load(f, "[profile a]\ndialect = optt\ntoken_url = https://x/\nproxy = socks5h://u@p:1\n", 0600), OPTT_OK);
	assert_string_equal(optt_key_display(optt_conf_profile(&f->conf, "a"), OPTT_K_PROXY, buf, sizeof(buf)),
			    "socks5h://********@p:1");
	/* a world-readable file without a secret is fine */
	assert_int_equal(load(f, "[profile a]\ndialect = optt\ntoken_url = https://x/\n", 0644), OPTT_OK);
}

static void
test_pam_rule(void **state)
{
	struct fx *f = *state;
	char *path = tu_write(f->dir, "pam.conf", "[profile optt]\ndialect = optt\ntoken_url = https://x/\n", 0644);
	enum optt_status st;
	char link[512];

	if (geteuid() == 0) {
		assert_int_equal(optt_conf_load_file(&f->conf, path, OPTT_CONF_PAM, &f->err), OPTT_OK);
		assert_int_equal(chown(path, 65534, 65534), 0);
	}
	optt_conf_clear(&f->conf);
	st = optt_conf_load_file(&f->conf, path, OPTT_CONF_PAM, &f->err);
	assert_int_equal(st, OPTT_CONFIG);
	assert_non_null(strstr(f->err.msg, "owned by root"));
	if (geteuid() == 0) {
		assert_int_equal(chown(path, 0, 0), 0);
		assert_int_equal(chmod(path, 0664), 0);
		optt_conf_clear(&f->conf);
		assert_int_equal(optt_conf_load_file(&f->conf, path, OPTT_CONF_PAM, &f->err), OPTT_CONFIG);
		assert_non_null(strstr(f->err.msg, "writable by group or others"));
		assert_int_equal(chmod(path, 0644), 0);
		snprintf(link, sizeof(link), "%s/link.conf", f->dir);
		assert_int_equal(symlink(path, link), 0);
		optt_conf_clear(&f->conf);
		assert_int_equal(optt_conf_load_file(&f->conf, link, OPTT_CONF_PAM, &f->err), OPTT_CONFIG);
		assert_non_null(strstr(f->err.msg, "symbolic link"));
	}
	free(path);
}

static void
test_precedence(void **state)
{
	struct fx *f = *state;
	char *a = tu_write(f->dir, "a.conf",
			   "[defaults]\ntimeout = 9\ndialect = optt\n[profile p]\ntoken_url = https://one/\nscope = s1\n", 0644);
	char *b = tu_write(f->dir, "b.conf", "[profile p]\nscope = s2\n[profile q]\ntoken_url = https://q/\n", 0644);
	const struct optt_profile *p;

	assert_int_equal(optt_conf_load_file(&f->conf, a, 0, &f->err), OPTT_OK);
	assert_int_equal(optt_conf_load_file(&f->conf, b, 0, &f->err), OPTT_OK);
	assert_int_equal(optt_conf_finish(&f->conf, &f->err), OPTT_OK);
	p = optt_conf_profile(&f->conf, "p");
	assert_string_equal(optt_pstr(p, OPTT_K_TOKEN_URL), "https://one/"); /* kept from a */
	assert_string_equal(optt_pstr(p, OPTT_K_SCOPE), "s2");               /* overridden by b */
	assert_int_equal(optt_pnum(optt_conf_profile(&f->conf, "q"), OPTT_K_TIMEOUT), 9);
	/* a missing optional file is fine, a missing named one is not */
	assert_int_equal(optt_conf_load_file(&f->conf, "/nonexistent/optt.conf", OPTT_CONF_OPTIONAL, &f->err), OPTT_OK);
	assert_int_equal(optt_conf_load_file(&f->conf, "/nonexistent/optt.conf", 0, &f->err), OPTT_CONFIG);
	assert_non_null(strstr(f->err.msg, "/nonexistent/optt.conf"));
	free(a);
	free(b);
}

static void
test_env_precedence(void **state)
{
	struct fx *f = *state;
	char *sys = tu_write(f->dir, "user.conf", "[profile fromenv]\ndialect = optt\ntoken_url = https://e/\n", 0644);
	char xdg[512];

	assert_int_equal(setenv("OPTT_CONFIG", sys, 1), 0);
	assert_int_equal(optt_conf_load_user(&f->conf, NULL, &f->err), OPTT_OK);
	assert_non_null(optt_conf_profile(&f->conf, "fromenv"));
	optt_conf_clear(&f->conf);
	/* --config beats $OPTT_CONFIG */
	assert_int_equal(optt_conf_load_user(&f->conf, "/nonexistent.conf", &f->err), OPTT_CONFIG);
	optt_conf_clear(&f->conf);
	unsetenv("OPTT_CONFIG");
	snprintf(xdg, sizeof(xdg), "%s/xdg", f->dir);
	assert_int_equal(mkdir(xdg, 0700), 0);
	snprintf(xdg, sizeof(xdg), "%s/xdg/optt", f->dir);
	assert_int_equal(mkdir(xdg, 0700), 0);
	free(tu_write(xdg, "optt.conf", "[profile fromxdg]\ndialect = optt\ntoken_url = https://x/\n", 0644));
	snprintf(xdg, sizeof(xdg), "%s/xdg", f->dir);
	assert_int_equal(setenv("XDG_CONFIG_HOME", xdg, 1), 0);
	assert_int_equal(optt_conf_load_user(&f->conf, NULL, &f->err), OPTT_OK);
	assert_non_null(optt_conf_profile(&f->conf, "fromxdg"));
	unsetenv("XDG_CONFIG_HOME");
	free(sys);
}

static void
test_parse_long(void **state)
{
	long v = 0;

	(void)state;
	assert_int_equal(optt_parse_long("15", 1, 300, &v), 0);
	assert_int_equal(v, 15);
	assert_int_equal(optt_parse_long("-1", 0, 10, &v), -1);
	assert_int_equal(optt_parse_long("-1", -5, 10, &v), 0);
	assert_int_equal(v, -1);
	assert_int_equal(optt_parse_long("", 0, 10, &v), -1);
	assert_int_equal(optt_parse_long(" 1", 0, 10, &v), -1);
	assert_int_equal(optt_parse_long("1 ", 0, 10, &v), -1);
	assert_int_equal(optt_parse_long("0x10", 0, 100, &v), -1);
	assert_int_equal(optt_parse_long("11", 0, 10, &v), -1);
	assert_int_equal(optt_parse_long("9999999999999999999999", 0, 10, &v), -1);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_good, setup, teardown),
		cmocka_unit_test_setup_teardown(test_hosts, setup, teardown),
		cmocka_unit_test_setup_teardown(test_wildcard_hosts, setup, teardown),
		cmocka_unit_test_setup_teardown(test_wildcard_public_suffix, setup, teardown),
		cmocka_unit_test_setup_teardown(test_errors, setup, teardown),
		cmocka_unit_test_setup_teardown(test_long_line, setup, teardown),
		cmocka_unit_test_setup_teardown(test_secret_permissions, setup, teardown),
		cmocka_unit_test_setup_teardown(test_pam_rule, setup, teardown),
		cmocka_unit_test_setup_teardown(test_precedence, setup, teardown),
		cmocka_unit_test_setup_teardown(test_env_precedence, setup, teardown),
		cmocka_unit_test(test_parse_long),
	};
	return cmocka_run_group_tests_name("conf", tests, NULL, NULL);
}
