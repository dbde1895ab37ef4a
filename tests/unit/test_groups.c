/* Unit tests: groups from the token (SPEC §16) - the claim filter, the
 * 64-value window, the mapper (group_map, group_prefix), the [users] keys,
 * the /etc/group and ledger group readers, the JWT claim reader, and the
 * ledger writer's group lines (membership replaced, GIDs refreshed, lines
 * packed under 4 KiB, a private group's name never taken). */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "accounts/groups.h"
#include "accounts/held.h"
#include "accounts/ledger_write.h"
#include "accounts/lines.h"
#include "accounts/users.h"
#include "common/jwt.h"
#include "common/mem.h"
#include "tests/unit/testutil.h"

#define OK(s) assert_true(optt_group_value_ok(s, sizeof(s) - 1))
#define DROP(s) assert_false(optt_group_value_ok(s, sizeof(s) - 1))

static void
test_value_filter(void **state)
{
	char v[300];

	(void)state;
	OK("ADMIN");
	OK("linux-docker");
	OK("D\xc3\xa9veloppeurs");     /* UTF-8 letters */
	OK("team-\xf0\x9f\x90\xa7"); /* a 4-byte code point */
	OK("a;b|c'd\"e");
	DROP("");
	DROP("a:b");
	DROP("a,b");
	DROP("a b");
	DROP("a\tb");
	DROP("a\nb");
	DROP("a\rb");
	DROP("a\x0b");
	DROP("a\x7f");
	DROP("a\0b");              /* a NUL inside: never cut there */
	DROP("a\xc2\x85");         /* NEL */
	DROP("a\xc2\xa0");         /* NO-BREAK SPACE */
	DROP("\xc2\x9f");          /* a C1 control */
	DROP("a\xe1\x9a\x80");     /* OGHAM SPACE MARK */
	DROP("a\xe2\x80\x83");     /* EM SPACE */
	DROP("a\xe2\x80\xa8");     /* LINE SEPARATOR */
	DROP("a\xe2\x80\xaf");     /* NARROW NO-BREAK SPACE */
	DROP("a\xe3\x80\x80");     /* IDEOGRAPHIC SPACE */
	DROP("a\xff");             /* not UTF-8 */
	DROP("\xc0\xaf");          /* overlong */
	DROP("\xed\xa0\x80");      /* a surrogate */
	DROP("\xf4\x90\x80\x80");  /* beyond U+10FFFF */
	DROP("a\xc3");             /* cut short */
	memset(v, 'x', sizeof(v));
	assert_true(optt_group_value_ok(v, OPTT_GROUP_VALUE_MAX));
	assert_false(optt_group_value_ok(v, OPTT_GROUP_VALUE_MAX + 1));
}

static void
test_values_window(void **state)
{
	struct optt_group_list *l = malloc(sizeof(*l));
	char v[32];
	int i;

	(void)state;
	optt_group_list_init(l);
	/* dropped values and repeats take no place */
	assert_int_equal(optt_group_values_take(l, "a:b", 3), 0);
	assert_int_equal(optt_group_values_take(l, "v0", 2), 1);
	assert_int_equal(optt_group_values_take(l, "v0", 2), 0);
	for (i = 1; i < 64; i++) {
		snprintf(v, sizeof(v), "v%d", i);
		assert_int_equal(optt_group_values_take(l, v, strlen(v)), 1);
	}
	assert_int_equal(l->n, 64);
	assert_int_equal(optt_group_values_take(l, "v64", 3), -1); /* the 65th: stop */
	assert_int_equal(optt_group_values_take(l, "v63", 3), 0);  /* a repeat is still no error */
	assert_int_equal(optt_group_values_take(l, "x y", 3), 0);
	assert_int_equal(l->n, 64);
	assert_string_equal(l->name[0], "v0");
	assert_string_equal(l->name[63], "v63");
	free(l);
}

static void
users_with(struct optt_users *u, const char *map, const char *prefix)
{
	char why[200];

	optt_users_init(u);
	if (map != NULL)
		assert_int_equal(optt_users_set(u, OPTT_UK_GROUP_MAP, map, why, sizeof(why)), 0);
	if (prefix != NULL)
		assert_int_equal(optt_users_set(u, OPTT_UK_GROUP_PREFIX, prefix, why, sizeof(why)), 0);
	assert_int_equal(optt_users_finish(u, why, sizeof(why)), 0);
}

static void
values_of(struct optt_group_list *l, const char *const *v)
{
	optt_group_list_init(l);
	for (; *v != NULL; v++)
		(void)optt_group_values_take(l, *v, strlen(*v));
}

static void
test_mapper(void **state)
{
	static const char *const vals[] = { "OTHER", "ADMIN", "linux-docker", "DEV", "linux-", "linux-a/b",
					    "linux-sudo", "LINUX-video", "linux-.hidden", "linux-123", NULL };
	struct optt_group_list *v = malloc(sizeof(*v)), *g = malloc(sizeof(*g));
	struct optt_users u;
	char why[200];
	int i;

	(void)state;
	users_with(&u, "ADMIN:sudo ADMIN:adm DEV:docker", "linux-");
	values_of(v, vals);
	optt_groups_map(&u, v, g);
	/* value order, then group_map order within a value; each group once */
	assert_int_equal(g->n, 3);
	assert_string_equal(g->name[0], "sudo");
	assert_string_equal(g->name[1], "adm");
	assert_string_equal(g->name[2], "docker");
	optt_users_clear(&u);

	/* no prefix: no value maps by itself; no map: nothing */
	users_with(&u, NULL, NULL);
	optt_groups_map(&u, v, g);
	assert_int_equal(g->n, 0);
	assert_string_equal(optt_users_value(&u, OPTT_UK_GROUPS_CLAIM), "authorities groups");
	optt_users_clear(&u);
	users_with(&u, "", "");
	optt_groups_map(&u, v, g);
	assert_int_equal(g->n, 0);
	optt_users_clear(&u);

	/* a prefix alone; values are compared exactly (case, whole) */
	users_with(&u, "admin:wheel", "linux-");
	optt_groups_map(&u, v, g);
	assert_int_equal(g->n, 2);
	assert_string_equal(g->name[0], "docker");
	assert_string_equal(g->name[1], "sudo");
	optt_users_clear(&u);

	/* 64 groups at most */
	users_with(&u, NULL, "g");
	optt_group_list_init(v);
	for (i = 0; i < 64; i++) {
		snprintf(why, sizeof(why), "grp%d", i);
		(void)optt_group_values_take(v, why, strlen(why));
	}
	optt_groups_map(&u, v, g);
	assert_int_equal(g->n, 64);
	assert_string_equal(g->name[63], "rp63");
	optt_users_clear(&u);
	free(v);
	free(g);
}

static void
test_keys(void **state)
{
	static const struct {
		enum optt_ukey k;
		const char *v;
		int ok;
	} cases[] = {
		{ OPTT_UK_GROUPS_CLAIM, "authorities", 1 },
		{ OPTT_UK_GROUPS_CLAIM, "roles groups realm_access.roles", 1 },
		{ OPTT_UK_GROUPS_CLAIM, "", 0 },
		{ OPTT_UK_GROUPS_CLAIM, "   ", 0 },
		{ OPTT_UK_GROUPS_CLAIM, "r\xc3\xb4les", 0 },
		{ OPTT_UK_GROUPS_CLAIM, "a b c d e f g h i j k l m n o p", 1 },
		{ OPTT_UK_GROUPS_CLAIM, "a b c d e f g h i j k l m n o p q", 0 },
		{ OPTT_UK_GROUP_MAP, "", 1 },
		{ OPTT_UK_GROUP_MAP, "ADMIN:sudo DEVELOPER:docker", 1 },
		{ OPTT_UK_GROUP_MAP, "D\xc3\xa9v:docker", 1 },
		{ OPTT_UK_GROUP_MAP, "ADMIN", 0 },
		{ OPTT_UK_GROUP_MAP, ":sudo", 0 },
		{ OPTT_UK_GROUP_MAP, "ADMIN:", 0 },
		{ OPTT_UK_GROUP_MAP, "ADMIN:su:do", 0 },
		{ OPTT_UK_GROUP_MAP, "A,B:sudo", 0 },
		{ OPTT_UK_GROUP_MAP, "ADMIN:bad/group", 0 },
		{ OPTT_UK_GROUP_MAP, "ADMIN:123", 0 },
		{ OPTT_UK_GROUP_MAP, "ADMIN:-x", 0 },
		{ OPTT_UK_GROUP_PREFIX, "", 1 },
		{ OPTT_UK_GROUP_PREFIX, "linux-", 1 },
		{ OPTT_UK_GROUP_PREFIX, "a:b", 0 },
		{ OPTT_UK_GROUP_PREFIX, "a,b", 0 },
		{ OPTT_UK_GROUP_PREFIX, "a b", 0 },
		{ OPTT_UK_GROUP_PREFIX, "a\x01", 0 },
	};
	struct optt_users u;
	char why[200];
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		optt_users_init(&u);
		why[0] = '\0';
		assert_int_equal(optt_users_set(&u, cases[i].k, cases[i].v, why, sizeof(why)), cases[i].ok ? 0 : -1);
		if (!cases[i].ok)
			assert_non_null(strstr(why, optt_users_key_name(cases[i].k)));
		optt_users_clear(&u);
	}
	assert_int_equal(optt_users_key("groups_claim"), OPTT_UK_GROUPS_CLAIM);
	assert_int_equal(optt_users_key("group_map"), OPTT_UK_GROUP_MAP);
	assert_int_equal(optt_users_key("group_prefix"), OPTT_UK_GROUP_PREFIX);
}

static void
test_etc_group(void **state)
{
	static const char text[] = "# comment\n"
				   "+nisgroup:x:9:\n"
				   "sudo:x:27:alice,Bad Member,-x\n" /* members are not looked at */
				   "docker:x:0999:\n"                 /* a bad GID: no entry */
				   "docker:x:999:\n"
				   "docker:x:1000:\n"                 /* the first line of a name wins */
				   "video:x:44\n"                     /* a field short */
				   "adm:x:4:syslog:extra\n"           /* a field too many */
				   "staff:x:50:";
	struct optt_group_list *names = malloc(sizeof(*names));
	struct optt_lines *l = malloc(sizeof(*l));
	struct optt_field f;
	uint32_t gids[OPTT_GROUPS_MAX], gid;
	unsigned char found[OPTT_GROUPS_MAX];

	(void)state;
	assert_int_equal(optt_parse_etc_grline("sudo:x:27:a b", 13, &f, &gid), 1);
	assert_int_equal(gid, 27);
	assert_int_equal(optt_parse_etc_grline(":x:27:", 6, &f, &gid), 0);
	assert_int_equal(optt_parse_etc_grline("g:x:-1:", 7, &f, &gid), 0);
	assert_int_equal(optt_parse_etc_grline("g:x:4294967295:", 15, &f, &gid), 0);
	optt_group_list_init(names);
	optt_group_list_add(names, "docker", 6);
	optt_group_list_add(names, "sudo", 4);
	optt_group_list_add(names, "video", 5);
	optt_group_list_add(names, "adm", 3);
	optt_group_list_add(names, "staff", 5);
	optt_group_list_add(names, "nisgroup", 8);
	optt_lines_mem(l, text, sizeof(text) - 1);
	assert_int_equal(optt_etc_group_gids(l, names, gids, found), 0);
	assert_true(found[0] && gids[0] == 999);
	assert_true(found[1] && gids[1] == 27);
	assert_false(found[2]);
	assert_false(found[3]);
	assert_true(found[4] && gids[4] == 50);
	assert_false(found[5]);
	free(names);
	free(l);
}

static void
test_ledger_group_readers(void **state)
{
	static const char text[] = "alice:x:827897089:\n"
				   "sudo:x:27:bob,alice\n"
				   "bob:x:826027047:\n"
				   "docker:x:999:carol\n"
				   "sudo:x:27:carol,dave\n"
				   "sudo:x:28:erin\n"           /* another GID: another group */
				   "broken:x:5:al ice\n"
				   "docker:x:999:alice\n"
				   "alicex:x:70:alicex\n";
	struct optt_group_list *m = malloc(sizeof(*m));
	struct optt_lines *l = malloc(sizeof(*l));
	uint32_t gid = 0;
	size_t count, bytes;
	int has;

	(void)state;
	optt_lines_mem(l, text, sizeof(text) - 1);
	assert_int_equal(optt_ledger_groups_of(l, "alice", &has, &gid, m), 0);
	assert_true(has);
	assert_int_equal(gid, 827897089u);
	assert_int_equal(m->n, 2);
	assert_string_equal(m->name[0], "sudo");
	assert_string_equal(m->name[1], "docker");
	optt_lines_rewind(l);
	assert_int_equal(optt_ledger_groups_of(l, "carol", &has, &gid, m), 0);
	assert_false(has);
	assert_int_equal(m->n, 2);
	optt_lines_rewind(l);
	assert_int_equal(optt_ledger_groups_of(l, "zed", &has, &gid, m), 0);
	assert_false(has);
	assert_int_equal(m->n, 0);
	/* the members of sudo (27) across its lines */
	assert_int_equal(optt_lines_rewind(l), 0);
	assert_int_equal(optt_ledger_group_size(l, "sudo", 27, &count, &bytes), 0);
	assert_int_equal(count, 4);
	assert_int_equal(bytes, strlen("bob") + strlen("alice") + strlen("carol") + strlen("dave") + 4);
	optt_lines_rewind(l);
	assert_int_equal(optt_ledger_group_size(l, "alice", 827897089u, &count, &bytes), 0);
	assert_int_equal(count, 0); /* a private group has no members */
	free(m);
	free(l);
}

/* the JWT claim reader: strings and arrays of strings, in claim order */
static int
collect(void *ctx, const char *s, size_t n)
{
	return optt_group_values_take(ctx, s, n) < 0;
}

static char *
jwt_of(const char *json)
{
	static const char b64[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
	const unsigned char *p = (const unsigned char *)json;
	size_t n = strlen(json), i, o;
	size_t cap = 30 + (n + 2) / 3 * 4 + 8;
	char *t = malloc(cap);
	uint32_t v;

	o = (size_t)snprintf(t, cap, "eyJhbGciOiJub25lIn0.");
	for (i = 0; i < n; i += 3) {
		v = (uint32_t)p[i] << 16 | (i + 1 < n ? (uint32_t)p[i + 1] << 8 : 0) | (i + 2 < n ? p[i + 2] : 0);
		t[o++] = b64[v >> 18 & 63];
		t[o++] = b64[v >> 12 & 63];
		if (i + 1 < n)
			t[o++] = b64[v >> 6 & 63];
		if (i + 2 < n)
			t[o++] = b64[v & 63];
	}
	snprintf(t + o, cap - o, ".sig");
	return t;
}

static void
test_jwt_claims(void **state)
{
	static const char *const names[] = { "authorities", "groups", "missing", NULL };
	struct optt_group_list *v = malloc(sizeof(*v));
	struct optt_buf big;
	char *t;
	int i;

	(void)state;
	t = jwt_of("{\"groups\":\"g1\",\"authorities\":[\"a1\",7,null,[\"x\"],\"a2\",\"a\\u0000b\",\"a1\"],\"other\":[\"o\"]}");
	optt_group_list_init(v);
	assert_int_equal(optt_jwt_claim_strings(t, names, collect, v), 0);
	assert_int_equal(v->n, 3);
	assert_string_equal(v->name[0], "a1");
	assert_string_equal(v->name[1], "a2");
	assert_string_equal(v->name[2], "g1");
	optt_free_str(&t);
	assert_int_equal(optt_jwt_claim_strings("opaque-token", names, collect, v), -1);
	/* 10,000 values: a payload well over 64 KiB is read, 64 kept */
	optt_buf_init(&big, 1 << 20);
	optt_buf_puts(&big, "{\"authorities\":[");
	for (i = 0; i < 10000; i++) {
		char one[32];

		snprintf(one, sizeof(one), "%s\"value-%05d\"", i ? "," : "", i);
		optt_buf_puts(&big, one);
	}
	optt_buf_puts(&big, "]}");
	t = jwt_of(big.data);
	optt_buf_clear(&big);
	optt_group_list_init(v);
	assert_int_equal(optt_jwt_claim_strings(t, names, collect, v), 0);
	assert_int_equal(v->n, 64);
	assert_string_equal(v->name[63], "value-00063");
	optt_free_str(&t);
	free(v);
}

/* --- the writer ---------------------------------------------------------- */

struct wworld {
	char *dir;
	char ledger[4200], pins[4200], passwd[4200], group[4200];
	struct optt_acct_paths p;
};

static void
wworld(struct wworld *w)
{
	w->dir = tu_tmpdir();
	snprintf(w->ledger, sizeof(w->ledger), "%s/ledger", w->dir);
	free(tu_write(w->dir, "uids", "", 0644));
	free(tu_write(w->dir, "passwd", "root:x:0:0:root:/root:/bin/sh\n", 0644));
	free(tu_write(w->dir, "group", "root:x:0:\nsudo:x:27:\ndocker:x:999:\n", 0644));
	snprintf(w->pins, sizeof(w->pins), "%s/uids", w->dir);
	snprintf(w->passwd, sizeof(w->passwd), "%s/passwd", w->dir);
	snprintf(w->group, sizeof(w->group), "%s/group", w->dir);
	w->p.ledger_dir = w->ledger;
	w->p.pins = w->pins;
	w->p.passwd = w->passwd;
	w->p.group = w->group;
}

/* register name (UID 300000 + i) with groups "a,b" at gids */
static void
reg(struct wworld *w, const char *name, uint32_t uid, const char *groups, const uint32_t *gids,
    unsigned char *stored)
{
	struct optt_group_list *gl = malloc(sizeof(*gl));
	struct optt_reg_entry e;
	struct optt_holder h;
	struct optt_err err;
	enum optt_ledger_refusal res;
	struct optt_field f = { groups, strlen(groups) }, m;
	char home[300];
	size_t pos;

	optt_group_list_init(gl);
	for (pos = 0; optt_members_next(f, &pos, &m);)
		optt_group_list_add(gl, m.p, m.n);
	snprintf(home, sizeof(home), "/home/%s", name);
	memset(&e, 0, sizeof(e));
	e.name = name;
	e.uid = uid;
	e.home = home;
	e.shell = "/bin/bash";
	e.provider = "https://idp.example/token";
	e.subject = name;
	e.now = 1700000000;
	e.groups = gl;
	e.gids = gids;
	e.stored = stored;
	optt_err_init(&err);
	assert_int_equal(optt_ledger_register(&w->p, &e, &res, &h, &err), OPTT_OK);
	assert_int_equal(res, OPTT_LEDGER_DONE);
	free(gl);
}

static char *
slurp(const char *dir, const char *name)
{
	char path[4300], *buf = malloc(1 << 20);
	size_t n;
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	assert_non_null(f = fopen(path, "r"));
	n = fread(buf, 1, (1 << 20) - 1, f);
	buf[n] = '\0';
	fclose(f);
	return buf;
}

static void
test_writer_groups(void **state)
{
	static const uint32_t g1[] = { 27, 999 }, g2[] = { 30, 999 };
	unsigned char stored[OPTT_GROUPS_MAX];
	struct wworld w;
	char name[64], *text, *line, *save;
	int i, lines, members;

	(void)state;
	assert_int_equal(geteuid(), 0); /* the ledger directory is root's (the suites run as root) */
	wworld(&w);
	reg(&w, "alice", 300001, "sudo,docker", g1, stored);
	assert_true(stored[0] && stored[1]);
	reg(&w, "bob", 300002, "sudo", g1, stored);
	text = slurp(w.ledger, "group");
	assert_string_equal(text, "sudo:x:27:alice,bob\ndocker:x:999:alice\nalice:x:300001:\nbob:x:300002:\n");
	free(text);
	text = slurp(w.ledger, "state");
	assert_non_null(strstr(text, ":1700000000:1700000000:sudo,docker\n"));
	free(text);
	/* alice again, sudo renumbered to 30, docker gone from her token:
	 * membership replaced, the GID of every sudo line refreshed */
	reg(&w, "alice", 300001, "sudo", g2, stored);
	text = slurp(w.ledger, "group");
	assert_string_equal(text, "sudo:x:30:bob,alice\nbob:x:300002:\nalice:x:300001:\n");
	free(text);
	/* no groups: out of every mapped line, which goes when empty */
	reg(&w, "alice", 300001, "", g2, stored);
	reg(&w, "bob", 300002, "", g2, stored);
	text = slurp(w.ledger, "group");
	assert_string_equal(text, "alice:x:300001:\nbob:x:300002:\n");
	free(text);
	/* a group named like a registered user's private group: not stored */
	reg(&w, "carol", 300003, "bob,sudo", g1, stored);
	assert_false(stored[0]);
	assert_true(stored[1]);
	text = slurp(w.ledger, "group");
	assert_null(strstr(text, "bob:x:27"));
	assert_non_null(strstr(text, "sudo:x:999:carol\n"));
	free(text);
	/* 400 members with long names: several lines, each under 4 KiB, all there */
	for (i = 0; i < 400; i++) {
		snprintf(name, sizeof(name), "member-with-a-long-name-%03d", i);
		reg(&w, name, (uint32_t)(400000 + i), "docker", g1 + 1, stored);
	}
	text = slurp(w.ledger, "group");
	lines = members = 0;
	for (line = strtok_r(text, "\n", &save); line != NULL; line = strtok_r(NULL, "\n", &save)) {
		assert_true(strlen(line) + 1 <= OPTT_LINE_MAX);
		if (strncmp(line, "docker:x:999:", 13) == 0) {
			lines++;
			for (char *c = line + 12; *c; c++)
				members += *c == ':' || *c == ',';
		}
	}
	assert_true(lines >= 3);
	assert_int_equal(members, 400);
	free(text);
	/* one leaves: still 399, no empty line */
	reg(&w, "member-with-a-long-name-007", 400007, "", g1, stored);
	text = slurp(w.ledger, "group");
	assert_null(strstr(text, "member-with-a-long-name-007,"));
	assert_null(strstr(text, ",member-with-a-long-name-007\n"));
	assert_null(strstr(text, ":999:\n"));
	free(text);
	/* forget removes the memberships */
	{
		struct optt_err err;
		int found = 0;

		optt_err_init(&err);
		assert_int_equal(optt_ledger_forget(&w.p, "carol", &found, &err), OPTT_OK);
		assert_true(found);
		text = slurp(w.ledger, "group");
		assert_null(strstr(text, "carol"));
		free(text);
	}
	tu_rmrf(w.dir);
	free(w.dir);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_value_filter),
		cmocka_unit_test(test_values_window),
		cmocka_unit_test(test_mapper),
		cmocka_unit_test(test_keys),
		cmocka_unit_test(test_etc_group),
		cmocka_unit_test(test_ledger_group_readers),
		cmocka_unit_test(test_jwt_claims),
		cmocka_unit_test(test_writer_groups),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
