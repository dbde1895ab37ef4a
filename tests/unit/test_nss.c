/* Unit tests: nss_module/ - every _nss_optt_* entry point over a ledger in
 * a temp directory: answers, NSS_STATUS_TRYAGAIN + ERANGE for every buffer
 * size too small (and the same entry after it for enumeration), the
 * initgroups grow protocol, synthesis only for a root sshd caller (a fake
 * /proc) with a valid [users] section (SPEC §15); the mapped local groups
 * of SPEC §16 (initgroups with a tiny array and a limit, getgrnam and
 * getgrgid across a group's lines, checked against /etc/group). */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "accounts/uid.h"
#include "nss_module/nss_optt.h"
#include "tests/unit/testutil.h"

static char *dir;
static char ledger[1024], pins[1024], passwd[1024], group[1024], conf[1024], proc[1024];

static const char ledger_pw[] =
	"alice:*:827897089:827897089::/home/alice:/bin/bash\n"
	"this line is not an entry\n"
	"bob:*:826027047:826027047::/home/bob:/bin/bash\n";
static const char ledger_gr[] =
	"alice:x:827897089:\n"
	"bob:x:826027047:\n";

static void
setpaths(void)
{
	optt_nss_test.ledger_dir = ledger;
	optt_nss_test.pins = pins;
	optt_nss_test.passwd = passwd;
	optt_nss_test.group = group;
	optt_nss_test.conf = conf;
	optt_nss_test.proc = proc;
}

static int
setup(void **state)
{
	char p[4200], t[4200];

	(void)state;
	dir = tu_tmpdir();
	snprintf(ledger, sizeof(ledger), "%s/users", dir);
	mkdir(ledger, 0755);
	free(tu_write(ledger, "passwd", ledger_pw, 0644));
	free(tu_write(ledger, "group", ledger_gr, 0644));
	free(tu_write(dir, "uids", "", 0644));
	free(tu_write(dir, "passwd", "root:x:0:0:root:/root:/bin/sh\nlocal:x:1000:1000::/home/local:/bin/sh\n", 0644));
	free(tu_write(dir, "group", "root:x:0:\nstaff:x:50:\n", 0644));
	snprintf(pins, sizeof(pins), "%s/uids", dir);
	snprintf(passwd, sizeof(passwd), "%s/passwd", dir);
	snprintf(group, sizeof(group), "%s/group", dir);
	snprintf(conf, sizeof(conf), "%s/optt.conf", dir);
	snprintf(proc, sizeof(proc), "%s/proc", dir);
	/* a fake /proc whose self/exe is "sshd" */
	mkdir(proc, 0755);
	snprintf(p, sizeof(p), "%s/self", proc);
	mkdir(p, 0755);
	free(tu_write(dir, "sshd", "", 0755));
	snprintf(p, sizeof(p), "%s/self/exe", proc);
	snprintf(t, sizeof(t), "%s/sshd", dir);
	assert_int_equal(symlink(t, p), 0);
	snprintf(p, sizeof(p), "[users]\nregister = yes\nssh_first_login = yes\nssh_programs = %s/sshd\n", dir);
	free(tu_write(dir, "optt.conf", p, 0644));
	setpaths();
	return 0;
}

static int
teardown(void **state)
{
	(void)state;
	tu_rmrf(dir);
	free(dir);
	return 0;
}

static void
test_by_name_and_id(void **state)
{
	struct passwd pw;
	struct group gr;
	char buf[1024];
	int e = 0;

	(void)state;
	assert_int_equal(_nss_optt_getpwnam_r("bob", &pw, buf, sizeof(buf), &e), NSS_STATUS_SUCCESS);
	assert_string_equal(pw.pw_name, "bob");
	assert_string_equal(pw.pw_passwd, "*");
	assert_string_equal(pw.pw_gecos, "");
	assert_string_equal(pw.pw_dir, "/home/bob");
	assert_string_equal(pw.pw_shell, "/bin/bash");
	assert_int_equal(pw.pw_uid, 826027047);
	assert_int_equal(pw.pw_gid, 826027047);
	assert_int_equal(_nss_optt_getpwuid_r(827897089, &pw, buf, sizeof(buf), &e), NSS_STATUS_SUCCESS);
	assert_string_equal(pw.pw_name, "alice");
	assert_int_equal(_nss_optt_getgrnam_r("alice", &gr, buf, sizeof(buf), &e), NSS_STATUS_SUCCESS);
	assert_int_equal(gr.gr_gid, 827897089);
	assert_null(gr.gr_mem[0]);
	assert_int_equal(_nss_optt_getgrgid_r(826027047, &gr, buf, sizeof(buf), &e), NSS_STATUS_SUCCESS);
	assert_string_equal(gr.gr_name, "bob");
	assert_int_equal(_nss_optt_getpwuid_r(12345, &pw, buf, sizeof(buf), &e), NSS_STATUS_NOTFOUND);
	assert_int_equal(e, ENOENT);
	assert_int_equal(_nss_optt_getgrnam_r("Zed", &gr, buf, sizeof(buf), &e), NSS_STATUS_NOTFOUND);
}

/* every size below the one needed: TRYAGAIN + ERANGE, never a crash */
static void
test_erange_everywhere(void **state)
{
	struct passwd pw;
	struct group gr;
	char *buf;
	size_t n;
	int e, tries;

	(void)state;
	for (n = 0; n < 200; n++) {
		buf = malloc(n + 1);
		e = 0;
		enum nss_status s1 = _nss_optt_getpwnam_r("alice", &pw, buf, n, &e);
		assert_true(s1 == NSS_STATUS_SUCCESS || (s1 == NSS_STATUS_TRYAGAIN && e == ERANGE));
		e = 0;
		enum nss_status s2 = _nss_optt_getpwuid_r(826027047, &pw, buf, n, &e);
		assert_true(s2 == NSS_STATUS_SUCCESS || (s2 == NSS_STATUS_TRYAGAIN && e == ERANGE));
		e = 0;
		enum nss_status s3 = _nss_optt_getgrnam_r("alice", &gr, buf, n, &e);
		assert_true(s3 == NSS_STATUS_SUCCESS || (s3 == NSS_STATUS_TRYAGAIN && e == ERANGE));
		e = 0;
		enum nss_status s4 = _nss_optt_getgrgid_r(826027047, &gr, buf, n, &e);
		assert_true(s4 == NSS_STATUS_SUCCESS || (s4 == NSS_STATUS_TRYAGAIN && e == ERANGE));
		if (n < 8)
			assert_true(s1 == NSS_STATUS_TRYAGAIN && s2 == NSS_STATUS_TRYAGAIN &&
				    s3 == NSS_STATUS_TRYAGAIN && s4 == NSS_STATUS_TRYAGAIN);
		free(buf);
	}
	/* enumeration: a small buffer, then the same entry with a larger one */
	assert_int_equal(_nss_optt_setpwent(0), NSS_STATUS_SUCCESS);
	for (tries = 0; tries < 2; tries++) {
		char small[8], big[1024];

		e = 0;
		assert_int_equal(_nss_optt_getpwent_r(&pw, small, sizeof(small), &e), NSS_STATUS_TRYAGAIN);
		assert_int_equal(e, ERANGE);
		assert_int_equal(_nss_optt_getpwent_r(&pw, big, sizeof(big), &e), NSS_STATUS_SUCCESS);
		assert_string_equal(pw.pw_name, tries == 0 ? "alice" : "bob");
	}
	{
		char big[1024];

		assert_int_equal(_nss_optt_getpwent_r(&pw, big, sizeof(big), &e), NSS_STATUS_NOTFOUND);
	}
	_nss_optt_endpwent();
	assert_int_equal(_nss_optt_setgrent(0), NSS_STATUS_SUCCESS);
	{
		char small[4], big[1024];

		assert_int_equal(_nss_optt_getgrent_r(&gr, small, sizeof(small), &e), NSS_STATUS_TRYAGAIN);
		assert_int_equal(e, ERANGE);
		assert_int_equal(_nss_optt_getgrent_r(&gr, big, sizeof(big), &e), NSS_STATUS_SUCCESS);
		assert_string_equal(gr.gr_name, "alice");
		assert_int_equal(_nss_optt_getgrent_r(&gr, big, sizeof(big), &e), NSS_STATUS_SUCCESS);
		assert_string_equal(gr.gr_name, "bob");
		assert_int_equal(_nss_optt_getgrent_r(&gr, big, sizeof(big), &e), NSS_STATUS_NOTFOUND);
	}
	_nss_optt_endgrent();
}

static void
test_initgroups_grow(void **state)
{
	long start = 1, size = 1;
	gid_t *groups = malloc(sizeof(gid_t));
	int e = 0;

	(void)state;
	groups[0] = 827897089; /* glibc's primary group first, the array full */
	/* the private group is the primary one: not added twice */
	assert_int_equal(_nss_optt_initgroups_dyn("alice", 827897089, &start, &size, &groups, 0, &e),
			 NSS_STATUS_SUCCESS);
	assert_int_equal(start, 1);
	/* a local account of the same name (its own primary GID, found
	 * first in files) is not the ledger user: none of its groups */
	groups[0] = 100;
	assert_int_equal(_nss_optt_initgroups_dyn("alice", 100, &start, &size, &groups, 0, &e), NSS_STATUS_NOTFOUND);
	assert_int_equal(start, 1);
	assert_int_equal(groups[0], 100);
	assert_int_equal(_nss_optt_initgroups_dyn("nobody-here", 100, &start, &size, &groups, 0, &e),
			 NSS_STATUS_NOTFOUND);
	free(groups);
}

static void
test_synthesis_for_sshd_only(void **state)
{
	struct passwd pw;
	struct group gr;
	char buf[1024], small[8];
	int e = 0;
	uint32_t uid = optt_uid_rule("carol", 200000, 999999999);

	(void)state;
	if (geteuid() != 0 || getuid() != 0) {
		/* not root: nothing is ever synthesized - and the rest, which
		 * needs a root caller, is reported as skipped, not passed */
		assert_int_equal(_nss_optt_getpwnam_r("carol", &pw, buf, sizeof(buf), &e), NSS_STATUS_NOTFOUND);
		skip();
	}
	/* root, self/exe is "sshd" of ssh_programs: the entry it will keep */
	assert_int_equal(_nss_optt_getpwnam_r("carol", &pw, buf, sizeof(buf), &e), NSS_STATUS_SUCCESS);
	assert_int_equal(pw.pw_uid, uid);
	assert_int_equal(pw.pw_gid, uid);
	assert_string_equal(pw.pw_dir, "/home/carol");
	assert_string_equal(pw.pw_passwd, "*");
	assert_int_equal(_nss_optt_getpwnam_r("carol", &pw, small, sizeof(small), &e), NSS_STATUS_TRYAGAIN);
	assert_int_equal(e, ERANGE);
	/* its private group by name and (remembered) by GID, and its UID */
	assert_int_equal(_nss_optt_getgrnam_r("carol", &gr, buf, sizeof(buf), &e), NSS_STATUS_SUCCESS);
	assert_int_equal(gr.gr_gid, uid);
	assert_int_equal(_nss_optt_getgrgid_r(uid, &gr, buf, sizeof(buf), &e), NSS_STATUS_SUCCESS);
	assert_string_equal(gr.gr_name, "carol");
	assert_int_equal(_nss_optt_getpwuid_r(uid, &pw, buf, sizeof(buf), &e), NSS_STATUS_SUCCESS);
	/* not for: a bad name, an ignored one, a local user, a local group */
	assert_int_equal(_nss_optt_getpwnam_r("Carol", &pw, buf, sizeof(buf), &e), NSS_STATUS_NOTFOUND);
	assert_int_equal(_nss_optt_getpwnam_r("gdm-x", &pw, buf, sizeof(buf), &e), NSS_STATUS_NOTFOUND);
	assert_int_equal(_nss_optt_getpwnam_r("local", &pw, buf, sizeof(buf), &e), NSS_STATUS_NOTFOUND);
	assert_int_equal(_nss_optt_getpwnam_r("staff", &pw, buf, sizeof(buf), &e), NSS_STATUS_NOTFOUND);
	/* an invalid [users] section: the ledger still answers, nothing made up */
	free(tu_write(dir, "optt.conf", "[users]\nregister = maybe\nssh_first_login = yes\n", 0644));
	assert_int_equal(_nss_optt_getpwnam_r("dave", &pw, buf, sizeof(buf), &e), NSS_STATUS_NOTFOUND);
	assert_int_equal(_nss_optt_getpwnam_r("alice", &pw, buf, sizeof(buf), &e), NSS_STATUS_SUCCESS);
	/* a caller that is not sshd */
	{
		char p[4200], t[4200], c[4200];

		snprintf(c, sizeof(c), "[users]\nregister = yes\nssh_first_login = yes\nssh_programs = %s/sshd\n", dir);
		free(tu_write(dir, "optt.conf", c, 0644));
		free(tu_write(dir, "other", "", 0755));
		snprintf(p, sizeof(p), "%s/self/exe", proc);
		snprintf(t, sizeof(t), "%s/other", dir);
		unlink(p);
		assert_int_equal(symlink(t, p), 0);
		assert_int_equal(_nss_optt_getpwnam_r("erin", &pw, buf, sizeof(buf), &e), NSS_STATUS_NOTFOUND);
	}
}

static void
test_missing_and_hostile_ledger(void **state)
{
	struct passwd pw;
	char buf[1024], *big;
	size_t i;
	int e = 0;

	(void)state;
	/* a huge ledger with long lines, NULs and no final newline still answers */
	big = malloc(3 * 1024 * 1024);
	for (i = 0; i < 3 * 1024 * 1024; i++)
		big[i] = (char)(i % 7 == 0 ? '\0' : 'x');
	big[3 * 1024 * 1024 - 1] = '\0';
	{
		char path[4300];
		FILE *f;

		snprintf(path, sizeof(path), "%s/passwd", ledger);
		f = fopen(path, "w");
		assert_non_null(f);
		fwrite(big, 1, 3 * 1024 * 1024 - 1, f);
		fputs("\nbob:*:826027047:826027047::/home/bob:/bin/bash", f);
		fclose(f);
	}
	free(big);
	assert_int_equal(_nss_optt_getpwnam_r("bob", &pw, buf, sizeof(buf), &e), NSS_STATUS_SUCCESS);
	assert_int_equal(pw.pw_uid, 826027047);
	/* a ledger that is group-writable is not read */
	{
		char path[4300];

		snprintf(path, sizeof(path), "%s/passwd", ledger);
		chmod(path, 0664);
		assert_int_equal(_nss_optt_getpwnam_r("bob", &pw, buf, sizeof(buf), &e), NSS_STATUS_UNAVAIL);
		unlink(path);
		assert_int_equal(_nss_optt_getpwnam_r("bob", &pw, buf, sizeof(buf), &e), NSS_STATUS_UNAVAIL);
		assert_int_equal(_nss_optt_setpwent(0), NSS_STATUS_UNAVAIL);
		assert_int_equal(_nss_optt_getpwent_r(&pw, buf, sizeof(buf), &e), NSS_STATUS_UNAVAIL);
		_nss_optt_endpwent();
	}
}

/* SPEC §16: a ledger with mapped local groups, /etc/group with them */
static void
mapped_world(void)
{
	free(tu_write(ledger, "group",
		      "alice:x:827897089:\n"
		      "staff:x:50:bob,alice\n"
		      "bob:x:826027047:\n"
		      "dev:x:60:alice\n"
		      "staff:x:50:carol\n"   /* carol: no private group */
		      "dave:x:700001:\n"
		      "gone:x:70:alice\n"     /* no longer in /etc/group */
		      "renum:x:80:alice\n"    /* /etc/group says 81 now */
		      "staff:x:51:dave\n",    /* not /etc/group's GID: no member */
		      0644));
	free(tu_write(dir, "group", "root:x:0:\nstaff:x:50:local\ndev:x:60:\nrenum:x:81:\n", 0644));
}

static void
plain_world(void)
{
	free(tu_write(ledger, "group", ledger_gr, 0644));
	free(tu_write(dir, "group", "root:x:0:\nstaff:x:50:\n", 0644));
}

static void
test_initgroups_mapped(void **state)
{
	long start, size;
	gid_t *groups;
	int e = 0;

	(void)state;
	mapped_world();
	/* a tiny array, the primary group in it: grown by realloc */
	start = 1, size = 1;
	groups = malloc(sizeof(gid_t));
	groups[0] = 827897089;
	assert_int_equal(_nss_optt_initgroups_dyn("alice", 827897089, &start, &size, &groups, 0, &e),
			 NSS_STATUS_SUCCESS);
	assert_int_equal(start, 4);
	assert_true(size >= start);
	/* the private group (primary, not twice), then staff, dev and renum
	 * with /etc/group's GIDs; never "gone" */
	assert_int_equal(groups[1], 50);
	assert_int_equal(groups[2], 60);
	assert_int_equal(groups[3], 81);
	free(groups);
	/* a local alice (GID 100, not the ledger's): no mapped group, not even staff */
	start = 1, size = 1;
	groups = malloc(sizeof(gid_t));
	groups[0] = 100;
	assert_int_equal(_nss_optt_initgroups_dyn("alice", 100, &start, &size, &groups, 0, &e), NSS_STATUS_NOTFOUND);
	assert_int_equal(start, 1);
	free(groups);
	/* glibc's limit: the array grows to it, no further, no error */
	for (long limit = 1; limit <= 6; limit++) {
		start = 1, size = 1;
		groups = malloc(sizeof(gid_t));
		groups[0] = 827897089;
		assert_int_equal(_nss_optt_initgroups_dyn("alice", 827897089, &start, &size, &groups, limit, &e),
				 NSS_STATUS_SUCCESS);
		assert_int_equal(start, limit < 4 ? limit : 4);
		assert_true(size <= limit && start <= size);
		free(groups);
	}
	/* an empty array (size 0, NULL) is grown too */
	start = 0, size = 0;
	groups = NULL;
	assert_int_equal(_nss_optt_initgroups_dyn("bob", 826027047, &start, &size, &groups, 0, &e), NSS_STATUS_SUCCESS);
	assert_int_equal(start, 1); /* the primary (skipped) and staff */
	assert_int_equal(groups[0], 50);
	free(groups);
	/* a member with no private group (carol: not a ledger user, perhaps
	 * a local account of that name) gets nothing */
	start = 0, size = 0;
	groups = NULL;
	assert_int_equal(_nss_optt_initgroups_dyn("carol", 5, &start, &size, &groups, 0, &e), NSS_STATUS_NOTFOUND);
	assert_int_equal(start, 0);
	free(groups);
	/* dave's line has the wrong GID, but the group is staff: /etc/group's 50 */
	start = 0, size = 0;
	groups = NULL;
	assert_int_equal(_nss_optt_initgroups_dyn("dave", 700001, &start, &size, &groups, 0, &e),
			 NSS_STATUS_SUCCESS);
	assert_int_equal(groups[0], 50);
	free(groups);
	plain_world();
}

static void
test_getgr_mapped(void **state)
{
	struct group gr;
	char *buf;
	size_t n, need = 0;
	int e = 0;

	(void)state;
	mapped_world();
	buf = malloc(4096);
	/* by name and by GID: /etc/group's name and GID, the members of every
	 * ledger line of it (not of a line with another GID) */
	assert_int_equal(_nss_optt_getgrnam_r("staff", &gr, buf, 4096, &e), NSS_STATUS_SUCCESS);
	assert_string_equal(gr.gr_name, "staff");
	assert_int_equal(gr.gr_gid, 50);
	assert_string_equal(gr.gr_mem[0], "bob");
	assert_string_equal(gr.gr_mem[1], "alice");
	assert_string_equal(gr.gr_mem[2], "carol");
	assert_null(gr.gr_mem[3]);
	assert_int_equal(_nss_optt_getgrgid_r(50, &gr, buf, 4096, &e), NSS_STATUS_SUCCESS);
	assert_string_equal(gr.gr_name, "staff");
	assert_string_equal(gr.gr_mem[2], "carol");
	assert_int_equal(_nss_optt_getgrnam_r("dev", &gr, buf, 4096, &e), NSS_STATUS_SUCCESS);
	assert_string_equal(gr.gr_mem[0], "alice");
	/* gone from /etc/group, or renumbered there: not answered */
	assert_int_equal(_nss_optt_getgrnam_r("gone", &gr, buf, 4096, &e), NSS_STATUS_NOTFOUND);
	assert_int_equal(_nss_optt_getgrgid_r(70, &gr, buf, 4096, &e), NSS_STATUS_NOTFOUND);
	assert_int_equal(_nss_optt_getgrnam_r("renum", &gr, buf, 4096, &e), NSS_STATUS_NOTFOUND);
	assert_int_equal(_nss_optt_getgrgid_r(81, &gr, buf, 4096, &e), NSS_STATUS_NOTFOUND);
	/* the private groups as before */
	assert_int_equal(_nss_optt_getgrnam_r("bob", &gr, buf, 4096, &e), NSS_STATUS_SUCCESS);
	assert_null(gr.gr_mem[0]);
	free(buf);
	/* every size too small: TRYAGAIN + ERANGE; then the whole answer */
	for (n = 0; n < 200; n++) {
		buf = malloc(n + 1);
		e = 0;
		enum nss_status s1 = _nss_optt_getgrnam_r("staff", &gr, buf, n, &e);
		assert_true(s1 == NSS_STATUS_SUCCESS || (s1 == NSS_STATUS_TRYAGAIN && e == ERANGE));
		if (s1 == NSS_STATUS_SUCCESS) {
			if (need == 0)
				need = n;
			assert_string_equal(gr.gr_mem[2], "carol");
			assert_null(gr.gr_mem[3]);
		} else {
			assert_int_equal(need, 0); /* once it fits, it keeps fitting */
		}
		e = 0;
		enum nss_status s2 = _nss_optt_getgrgid_r(50, &gr, buf, n, &e);
		assert_int_equal(s2, s1);
		free(buf);
	}
	assert_true(need > 0);
	/* enumeration: private groups only */
	assert_int_equal(_nss_optt_setgrent(0), NSS_STATUS_SUCCESS);
	{
		char big[1024];

		assert_int_equal(_nss_optt_getgrent_r(&gr, big, sizeof(big), &e), NSS_STATUS_SUCCESS);
		assert_string_equal(gr.gr_name, "alice");
		assert_int_equal(_nss_optt_getgrent_r(&gr, big, sizeof(big), &e), NSS_STATUS_SUCCESS);
		assert_string_equal(gr.gr_name, "bob");
		assert_int_equal(_nss_optt_getgrent_r(&gr, big, sizeof(big), &e), NSS_STATUS_SUCCESS);
		assert_string_equal(gr.gr_name, "dave");
		assert_int_equal(_nss_optt_getgrent_r(&gr, big, sizeof(big), &e), NSS_STATUS_NOTFOUND);
	}
	_nss_optt_endgrent();
	plain_world();
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_by_name_and_id),
		cmocka_unit_test(test_erange_everywhere),
		cmocka_unit_test(test_initgroups_grow),
		cmocka_unit_test(test_initgroups_mapped),
		cmocka_unit_test(test_getgr_mapped),
		cmocka_unit_test(test_synthesis_for_sshd_only),
		cmocka_unit_test(test_missing_and_hostile_ledger),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
