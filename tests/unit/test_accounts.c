/* Unit tests: accounts/ - the UID rule, the ledger's line formats, the line
 * reader's limits, the [users] policy, the held-UID rule and pins, the
 * sshd caller check (SPEC §15). */
#include "config.h"

#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "accounts/caller.h"
#include "accounts/held.h"
#include "accounts/ledger.h"
#include "accounts/lines.h"
#include "accounts/uid.h"
#include "accounts/users.h"
#include "tests/unit/testutil.h"

/* --- the UID rule -------------------------------------------------------- */

static void
test_murmur3_published_vectors(void **state)
{
	(void)state;
	/* the reference implementation's vectors (SMHasher's verification set) */
	assert_int_equal(optt_murmur3_32("", 0, 0), 0);
	assert_int_equal(optt_murmur3_32("", 0, 1), 0x514E28B7u);
	assert_int_equal(optt_murmur3_32("", 0, 0xffffffffu), 0x81F16F39u);
	assert_int_equal(optt_murmur3_32("\0\0\0\0", 4, 0), 0x2362F9DEu);
	assert_int_equal(optt_murmur3_32("aaaa", 4, 0x9747b28cu), 0x5A97808Au);
	assert_int_equal(optt_murmur3_32("aaa", 3, 0x9747b28cu), 0x283E0130u);
	assert_int_equal(optt_murmur3_32("a", 1, 0x9747b28cu), 0x7FA09EA6u);
	assert_int_equal(optt_murmur3_32("Hello, world!", 13, 0x9747b28cu), 0x24884CBAu);
	assert_int_equal(optt_murmur3_32("The quick brown fox jumps over the lazy dog", 43, 0x9747b28cu),
			 0x2FA826CDu);
}

static void
test_uid_rule_spec_vectors(void **state)
{
	(void)state;
	assert_int_equal(optt_uid_rule("alice", 200000, 999999999), 827897089u);
	assert_int_equal(optt_uid_rule("bob", 200000, 999999999), 826027047u);
	assert_int_equal(optt_uid_rule("institute", 200000, 999999999), 146150372u);
	/* a range of one is that UID; the bounds hold for every name */
	assert_int_equal(optt_uid_rule("alice", 5000, 5000), 5000u);
	assert_true(optt_uid_rule("zed", 1000, 1009) >= 1000 && optt_uid_rule("zed", 1000, 1009) <= 1009);
	assert_int_equal(optt_uid_rule("x", 1000, 2147483647), 1000 + optt_murmur3_32("x", 1, 0xdeadbeefu) % 2147482648u);
	assert_true(optt_uid_reserved(65534) && optt_uid_reserved(65535) && optt_uid_reserved(61184) &&
		    optt_uid_reserved(65519));
	assert_false(optt_uid_reserved(61183) || optt_uid_reserved(65520) || optt_uid_reserved(200000));
}

/* --- line formats ------------------------------------------------------- */

static void
test_parse_pwline(void **state)
{
	struct optt_pwline e;
	const char *ok = "alice:*:827897089:827897089::/home/alice:/bin/bash";

	(void)state;
	assert_int_equal(optt_parse_pwline(ok, strlen(ok), &e), 1);
	assert_true(optt_field_is(e.name, "alice") && optt_field_is(e.home, "/home/alice") &&
		    optt_field_is(e.shell, "/bin/bash") && optt_field_is(e.passwd, "*") && e.gecos.n == 0);
	assert_int_equal(e.uid, 827897089u);
	/* exactly seven fields, strict numbers, a valid name */
	static const char *const bad[] = {
		"", "# alice:*:1:1::/h:/s", "alice:*:1:1::/h", "alice:*:1:1::/h:/s:extra", "alice:*:-1:1::/h:/s",
		"alice:*:01:1::/h:/s", "alice:*: 1:1::/h:/s", "alice:*:4294967295:1::/h:/s", "alice:*:1x:1::/h:/s",
		":*:1:1::/h:/s", "-alice:*:1:1::/h:/s", "+:*:1:1::/h:/s", "12345:*:1:1::/h:/s", "a b:*:1:1::/h:/s",
		"a/b:*:1:1::/h:/s", "alice:*:1:1::/h\t:/s", "alice:*:99999999999:1::/h:/s",
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		assert_int_equal(optt_parse_pwline(bad[i], strlen(bad[i]), &e), 0);
	/* only the n bytes given are read: a line cut short is not an entry */
	assert_int_equal(optt_parse_pwline(ok, strlen(ok) - 10, &e), 0);
}

static void
test_parse_grline_stline_pin(void **state)
{
	struct optt_grline g;
	struct optt_stline s;
	struct optt_pinline p;
	char out[64];
	const char *l;

	(void)state;
	l = "sudo:x:27:dan,erin";
	assert_int_equal(optt_parse_grline(l, strlen(l), &g), 1);
	assert_int_equal(g.gid, 27u);
	assert_true(optt_list_has(g.members, "erin") && optt_list_has(g.members, "dan"));
	assert_false(optt_list_has(g.members, "er") || optt_list_has(g.members, "dan,erin"));
	l = "alice:x:827897089:";
	assert_int_equal(optt_parse_grline(l, strlen(l), &g), 1);
	assert_int_equal(g.members.n, 0);
	l = "sudo:x:27:dan,,erin";
	assert_int_equal(optt_parse_grline(l, strlen(l), &g), 0);
	l = "sudo:x:27";
	assert_int_equal(optt_parse_grline(l, strlen(l), &g), 0);

	assert_int_not_equal(optt_field_encode("https://idp.example/t?a=b c%", out, sizeof(out)), (size_t)-1);
	assert_string_equal(out, "https%3A//idp.example/t?a=b%20c%25");
	assert_int_equal(optt_field_encode("0123456789", out, 10), (size_t)-1);
	l = "alice:https%3A//idp.example/t:1234-abc:1700000000:1690000000:";
	assert_int_equal(optt_parse_stline(l, strlen(l), &s), 1);
	assert_int_equal(s.last, 1700000000);
	assert_int_equal(s.created, 1690000000);
	assert_int_not_equal(optt_field_decode(s.provider, out, sizeof(out)), (size_t)-1);
	assert_string_equal(out, "https://idp.example/t");
	l = "alice:https://raw:sub:1:1:";
	assert_int_equal(optt_parse_stline(l, strlen(l), &s), 0);
	{
		struct optt_field f = { "a%zz", 4 }, nul = { "a%00", 4 }, cut = { "a%4", 3 };

		assert_int_equal(optt_field_decode(f, out, sizeof(out)), (size_t)-1);
		assert_int_equal(optt_field_decode(nul, out, sizeof(out)), (size_t)-1);
		assert_int_equal(optt_field_decode(cut, out, sizeof(out)), (size_t)-1);
	}
	l = "alice:5000";
	assert_int_equal(optt_parse_pinline(l, strlen(l), &p), 1);
	assert_int_equal(p.uid, 5000u);
	l = "alice:999";
	assert_int_equal(optt_parse_pinline(l, strlen(l), &p), 0);
	l = "alice:2147483648";
	assert_int_equal(optt_parse_pinline(l, strlen(l), &p), 0);
	l = "alice: 5000";
	assert_int_equal(optt_parse_pinline(l, strlen(l), &p), 0);
}

/* --- the line reader ---------------------------------------------------- */

static int
count_lines(const char *data, size_t n, char *last, size_t lastn)
{
	struct optt_lines l;
	const char *line;
	size_t len;
	int c = 0;

	optt_lines_mem(&l, data, n);
	while (optt_lines_next(&l, &line, &len) == 1) {
		c++;
		snprintf(last, lastn, "%.*s", (int)(len > 60 ? 60 : len), line);
	}
	return c;
}

static void
test_lines_limits(void **state)
{
	char *big = malloc(3 * OPTT_LINE_MAX), last[64], *dir = tu_tmpdir(), *path;
	struct optt_lines *l = malloc(sizeof(*l));
	const char *line;
	size_t n, len;
	int fd, c;

	(void)state;
	/* 4095 bytes + newline = 4096: kept; 4096 + newline: skipped; later lines count */
	memset(big, 'a', 3 * OPTT_LINE_MAX);
	big[4095] = '\n';
	n = 4096;
	memcpy(big + n, "b\n", 2);
	n += 2;
	memset(big + n, 'c', 4096);
	big[n + 4096] = '\n';
	n += 4097;
	memcpy(big + n, "d", 1); /* no newline at the end */
	n += 1;
	assert_int_equal(count_lines(big, n, last, sizeof(last)), 3);
	assert_string_equal(last, "d");
	/* a NUL byte: that line is skipped, the next answers */
	assert_int_equal(count_lines("x\0y\nz\n", 6, last, sizeof(last)), 1);
	assert_string_equal(last, "z");
	/* the same from a file, and a line far longer than the buffer */
	path = tu_write(dir, "f", "first\n", 0644);
	fd = open(path, O_WRONLY | O_APPEND);
	for (c = 0; c < 10; c++)
		assert_int_equal(write(fd, big + 4098, 4096), 4096);
	assert_int_equal(write(fd, "\nlast\n", 6), 6);
	close(fd);
	fd = optt_lines_open(path);
	assert_true(fd >= 0);
	optt_lines_fd(l, fd);
	c = 0;
	while (optt_lines_next(l, &line, &len) == 1) {
		c++;
		snprintf(last, sizeof(last), "%.*s", (int)len, line);
	}
	close(fd);
	assert_int_equal(c, 2);
	assert_string_equal(last, "last");
	/* refused files: group-writable, a symbolic link, a FIFO (no block) */
	chmod(path, 0664);
	assert_int_equal(optt_lines_open(path), -1);
	chmod(path, 0644);
	{
		char lnk[4200], fifo[4200];

		snprintf(lnk, sizeof(lnk), "%s/lnk", dir);
		snprintf(fifo, sizeof(fifo), "%s/fifo", dir);
		assert_int_equal(symlink(path, lnk), 0);
		assert_int_equal(optt_lines_open(lnk), -1);
		assert_int_equal(mkfifo(fifo, 0644), 0);
		assert_int_equal(optt_lines_open(fifo), -1);
	}
	free(path);
	free(big);
	free(l);
	tu_rmrf(dir);
	free(dir);
}

/* --- [users] ------------------------------------------------------------ */

static void
test_users_policy(void **state)
{
	struct optt_users u;
	char why[200], home[64];

	(void)state;
	optt_users_init(&u);
	assert_int_equal(optt_users_finish(&u, why, sizeof(why)), 0);
	assert_false(u.reg);
	assert_int_equal(u.uid_min, 200000u);
	assert_int_equal(u.uid_max, 999999999u);
	assert_true(optt_users_name_ok(&u, "alice"));
	assert_true(optt_users_name_ok(&u, "a.b-c_d"));
	assert_false(optt_users_name_ok(&u, "Alice"));
	assert_false(optt_users_name_ok(&u, "gdm-greeter")); /* ignore gdm* */
	assert_false(optt_users_name_ok(&u, "pam_unix_non_existent:x"));
	assert_false(optt_users_name_ok(&u, "abcdefghijklmnopqrstuvwxyz0123456")); /* 33 */
	assert_int_equal(optt_users_home(&u, "alice", home, sizeof(home)), 0);
	assert_string_equal(home, "/home/alice");
	assert_int_equal(optt_users_home(&u, "alice", home, 8), -1);
	optt_users_clear(&u);

	/* the admin's expression is applied whole, anchors or not */
	optt_users_init(&u);
	assert_int_equal(optt_users_set(&u, OPTT_UK_NAMES, "ali", why, sizeof(why)), 0);
	assert_int_equal(optt_users_set(&u, OPTT_UK_IGNORE, "bob", why, sizeof(why)), 0);
	assert_int_equal(optt_users_set(&u, OPTT_UK_HOME, "/srv/%u/home", why, sizeof(why)), 0);
	assert_int_equal(optt_users_finish(&u, why, sizeof(why)), 0);
	assert_true(optt_users_name_ok(&u, "ali"));
	assert_false(optt_users_name_ok(&u, "alice"));
	assert_false(optt_users_name_ok(&u, "xali"));
	assert_int_equal(optt_users_home(&u, "ali", home, sizeof(home)), 0);
	assert_string_equal(home, "/srv/ali/home");
	optt_users_clear(&u);

	/* refusals name the key */
	static const struct {
		enum optt_ukey k;
		const char *v;
	} bad[] = {
		{ OPTT_UK_REGISTER, "true" }, { OPTT_UK_NAMES, "a(" }, { OPTT_UK_NAMES, "" },
		{ OPTT_UK_UID_RANGE, "999-2000" }, { OPTT_UK_UID_RANGE, "2000-1000" },
		{ OPTT_UK_UID_RANGE, "1000-2147483648" }, { OPTT_UK_UID_RANGE, "1000" },
		{ OPTT_UK_UID_RANGE, "+1000-2000" }, { OPTT_UK_HOME, "home/%u" }, { OPTT_UK_HOME, "/home/%n" },
		{ OPTT_UK_HOME, "/home:/%u" }, { OPTT_UK_SHELL, "bash" }, { OPTT_UK_IGNORE, "a*b" },
		{ OPTT_UK_SSH_PROGRAMS, "sshd" }, { OPTT_UK_SSH_PROGRAMS, "" }, { OPTT_UK_LEDGER_DIR, "x" },
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		optt_users_init(&u);
		why[0] = '\0';
		assert_int_equal(optt_users_set(&u, bad[i].k, bad[i].v, why, sizeof(why)), -1);
		assert_non_null(strstr(why, optt_users_key_name(bad[i].k)));
		optt_users_clear(&u);
	}
	optt_users_init(&u);
	assert_int_equal(optt_users_set(&u, OPTT_UK_SSH_FIRST_LOGIN, "yes", why, sizeof(why)), 0);
	assert_int_equal(optt_users_finish(&u, why, sizeof(why)), -1);
	assert_non_null(strstr(why, "ssh_first_login"));
	optt_users_clear(&u);
	assert_int_equal(optt_users_key("uid_range"), OPTT_UK_UID_RANGE);
	assert_int_equal(optt_users_key("uid-range"), -1);
}

static void
test_users_load(void **state)
{
	struct optt_users u;
	char *dir = tu_tmpdir(), *path;

	(void)state;
	path = tu_write(dir, "optt.conf",
			"[defaults]\ntimeout = 3\n[profile optt]\nwhatever = 1\n[users]\nregister = yes\n"
			"ssh_first_login = yes\nuid_range = 5000-5009\n",
			0644);
	if (geteuid() == 0) {
		assert_int_equal(optt_users_load(path, &u), 0);
		assert_true(u.reg && u.ssh_first_login);
		assert_int_equal(u.uid_max, 5009u);
		optt_users_clear(&u);
		free(path);
		path = tu_write(dir, "optt.conf", "[users]\nregister = yes\nregister = yes\n", 0644);
		assert_int_equal(optt_users_load(path, &u), -1); /* twice */
		free(path);
		path = tu_write(dir, "optt.conf", "[users]\nbogus = 1\n", 0644);
		assert_int_equal(optt_users_load(path, &u), -1);
		free(path);
		path = tu_write(dir, "optt.conf", "[users]\nregister = yes\n", 0666);
		assert_int_equal(optt_users_load(path, &u), -1); /* writable by others */
	}
	assert_int_equal(optt_users_load("/nonexistent/optt.conf", &u), -1);
	free(path);
	tu_rmrf(dir);
	free(dir);
}

/* --- held UIDs and pins --------------------------------------------------- */

struct world {
	char *dir;
	char ledger[4200], pins[4200], passwd[4200], group[4200];
	struct optt_acct_paths p;
	struct optt_users u;
};

static void
world(struct world *w, const char *ledger_pw, const char *pins, const char *passwd, const char *group,
      const char *range)
{
	char why[200], *f;

	w->dir = tu_tmpdir();
	snprintf(w->ledger, sizeof(w->ledger), "%s/ledger", w->dir);
	mkdir(w->ledger, 0755);
	f = tu_write(w->ledger, "passwd", ledger_pw, 0644), free(f);
	f = tu_write(w->dir, "uids", pins, 0644), free(f);
	f = tu_write(w->dir, "passwd", passwd, 0644), free(f);
	f = tu_write(w->dir, "group", group, 0644), free(f);
	snprintf(w->pins, sizeof(w->pins), "%s/uids", w->dir);
	snprintf(w->passwd, sizeof(w->passwd), "%s/passwd", w->dir);
	snprintf(w->group, sizeof(w->group), "%s/group", w->dir);
	w->p.ledger_dir = w->ledger;
	w->p.pins = w->pins;
	w->p.passwd = w->passwd;
	w->p.group = w->group;
	optt_users_init(&w->u);
	assert_int_equal(optt_users_set(&w->u, OPTT_UK_UID_RANGE, range, why, sizeof(why)), 0);
	assert_int_equal(optt_users_finish(&w->u, why, sizeof(why)), 0);
}

static void
world_end(struct world *w)
{
	optt_users_clear(&w->u);
	tu_rmrf(w->dir);
	free(w->dir);
}

static void
test_held_rule(void **state)
{
	struct world w;
	struct optt_holder h;
	char text[512], a[16], b[16];
	uint32_t ua, ub = 0;
	int pinned, i;

	(void)state;
	/* with a range of ten UIDs two names soon share one */
	world(&w, "", "", "root:x:0:0:root:/root:/bin/sh\n", "root:x:0:\n", "5000-5009");
	for (i = 0; i < 100; i++) {
		snprintf(a, sizeof(a), "n%d", i);
		ua = optt_uid_for(&w.p, &w.u, a, &pinned);
		assert_false(pinned);
		assert_true(ua >= 5000 && ua <= 5009);
		for (int j = 0; j < i; j++) {
			snprintf(b, sizeof(b), "n%d", j);
			if (optt_uid_rule(b, 5000, 5009) == ua) {
				ub = 1;
				break;
			}
		}
		if (ub)
			break;
	}
	assert_true(ub); /* a collision: a and b */
	assert_int_equal(optt_uid_held(&w.p, a, ua, &h), 0);
	world_end(&w);

	/* another ledger name holds it: refused, naming the holder */
	{
		char pw[256];

		snprintf(pw, sizeof(pw), "%s:*:%u:%u::/home/%s:/bin/bash\n", b, ua, ua, b);
		world(&w, pw, "", "", "", "5000-5009");
	}
	assert_int_equal(optt_uid_held(&w.p, a, ua, &h), 1);
	assert_int_equal(h.kind, OPTT_HELD_LEDGER);
	assert_string_equal(h.name, b);
	assert_int_equal(optt_uid_held(&w.p, b, ua, &h), 0); /* its own UID is not held from it */
	optt_holder_text(&w.p, &h, text, sizeof(text));
	world_end(&w);

	/* a pin wins over the rule and resolves the collision */
	{
		char pins[64];

		snprintf(pins, sizeof(pins), "# fixed\nbad line\n%s:7777\n%s:8888\n", a, a);
		world(&w, "", pins, "", "", "5000-5009");
	}
	assert_int_equal(optt_uid_for(&w.p, &w.u, a, &pinned), 7777u);
	assert_true(pinned);
	/* another name's pin holds its UID */
	assert_int_equal(optt_uid_held(&w.p, "zed", 7777, &h), 1);
	assert_int_equal(h.kind, OPTT_HELD_PIN);
	world_end(&w);
	/* two names pinned to one UID: both refused */
	world(&w, "", "p:7000\nq:7000\n", "", "", "5000-5009");
	assert_int_equal(optt_uid_held(&w.p, "p", 7000, &h), 1);
	assert_string_equal(h.name, "q");
	assert_int_equal(optt_uid_held(&w.p, "q", 7000, &h), 1);
	assert_string_equal(h.name, "p");
	world_end(&w);

	/* /etc/passwd's UIDs and /etc/group's GIDs, and the reserved ones */
	world(&w, "", "", "svc:x:6000:6000::/:/bin/false\n", "grp:x:6001:\n", "5000-5009");
	assert_int_equal(optt_uid_held(&w.p, "x", 6000, &h), 1);
	assert_int_equal(h.kind, OPTT_HELD_PASSWD);
	assert_string_equal(h.name, "svc");
	assert_int_equal(optt_uid_held(&w.p, "x", 6001, &h), 1);
	assert_int_equal(h.kind, OPTT_HELD_GROUP);
	assert_int_equal(optt_uid_held(&w.p, "x", 65534, &h), 1);
	assert_int_equal(h.kind, OPTT_HELD_RESERVED);
	assert_int_equal(optt_uid_held(&w.p, "x", 62000, &h), 1);
	assert_int_equal(optt_uid_held(&w.p, "x", 6002, &h), 0);
	assert_true(optt_local_user(&w.p, "svc"));
	assert_false(optt_local_user(&w.p, "grp"));
	assert_true(optt_local_group(&w.p, "grp"));
	world_end(&w);

	/* the system's files as other tools write them: a member list with a
	 * trailing comma, a group of 600 members (a line over 4 KiB), a
	 * user's line with an odd field - their names and ids still count */
	{
		char *grp = malloc(16384), *q;
		int k;

		assert_non_null(grp);
		q = grp + snprintf(grp, 16384, "devs:x:6003:bob,\nbig:x:6004:");
		for (k = 0; k < 600; k++)
			q += snprintf(q, (size_t)(grp + 16384 - q), "%smember%03d", k ? "," : "", k);
		snprintf(q, (size_t)(grp + 16384 - q), "\nafter:x:6005:\n");
		world(&w, "", "", "odd:x:6006:6006:a:b:c:d\n", grp, "5000-5009");
		free(grp);
	}
	assert_true(optt_local_group(&w.p, "devs"));
	assert_true(optt_local_group(&w.p, "big"));
	assert_true(optt_local_group(&w.p, "after"));
	assert_true(optt_local_user(&w.p, "odd"));
	assert_int_equal(optt_uid_held(&w.p, "x", 6003, &h), 1);
	assert_int_equal(optt_uid_held(&w.p, "x", 6004, &h), 1);
	assert_string_equal(h.name, "big");
	assert_int_equal(optt_uid_held(&w.p, "x", 6005, &h), 1);
	assert_int_equal(optt_uid_held(&w.p, "x", 6006, &h), 1);
	world_end(&w);
}

/* --- the caller check ----------------------------------------------------- */

static void
test_caller_check(void **state)
{
	char *dir = tu_tmpdir(), path[4200], target[4200];
	struct optt_users u;
	char why[200], progs[9000];

	(void)state;
	/* a fake /proc: self/exe and 42/exe link to programs of our choosing */
	snprintf(path, sizeof(path), "%s/bin", dir);
	mkdir(path, 0755);
	free(tu_write(path, "sshd", "", 0755));
	free(tu_write(path, "other", "", 0755));
	snprintf(path, sizeof(path), "%s/bin/sshd-link", dir);
	snprintf(target, sizeof(target), "%s/bin/sshd", dir);
	assert_int_equal(symlink(target, path), 0);
	snprintf(path, sizeof(path), "%s/proc", dir);
	mkdir(path, 0755);
	snprintf(path, sizeof(path), "%s/proc/self", dir);
	mkdir(path, 0755);
	snprintf(path, sizeof(path), "%s/proc/42", dir);
	mkdir(path, 0755);
	snprintf(path, sizeof(path), "%s/proc/self/exe", dir);
	snprintf(target, sizeof(target), "%s/bin/other", dir);
	assert_int_equal(symlink(target, path), 0);
	snprintf(path, sizeof(path), "%s/proc/42/exe", dir);
	snprintf(target, sizeof(target), "%s/bin/sshd", dir);
	assert_int_equal(symlink(target, path), 0);

	optt_users_init(&u);
	/* named through a symbolic link: resolved on both sides */
	snprintf(progs, sizeof(progs), "/usr/sbin/sshd %s/bin/sshd-link", dir);
	assert_int_equal(optt_users_set(&u, OPTT_UK_SSH_PROGRAMS, progs, why, sizeof(why)), 0);
	assert_int_equal(optt_users_finish(&u, why, sizeof(why)), 0);
	snprintf(path, sizeof(path), "%s/proc", dir);
	assert_int_equal(optt_caller_is_ssh(&u, path, 0, 0, 42), 1);   /* the parent is sshd */
	assert_int_equal(optt_caller_is_ssh(&u, path, 0, 0, 43), 0);   /* no such parent */
	assert_int_equal(optt_caller_is_ssh(&u, path, 1000, 0, 42), 0); /* setuid root run by a user */
	assert_int_equal(optt_caller_is_ssh(&u, path, 0, 1000, 42), 0);
	optt_users_clear(&u);
	optt_users_init(&u);
	assert_int_equal(optt_users_finish(&u, why, sizeof(why)), 0); /* the default programs only */
	assert_int_equal(optt_caller_is_ssh(&u, path, 0, 0, 42), 0);
	optt_users_clear(&u);
	tu_rmrf(dir);
	free(dir);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_murmur3_published_vectors),
		cmocka_unit_test(test_uid_rule_spec_vectors),
		cmocka_unit_test(test_parse_pwline),
		cmocka_unit_test(test_parse_grline_stline_pin),
		cmocka_unit_test(test_lines_limits),
		cmocka_unit_test(test_users_policy),
		cmocka_unit_test(test_users_load),
		cmocka_unit_test(test_held_rule),
		cmocka_unit_test(test_caller_check),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
