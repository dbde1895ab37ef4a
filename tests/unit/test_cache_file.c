/* Unit tests: common/cache.c and cache_file.c (SPEC §4 file backend). */
#include "config.h"

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "common/cache.h"
#include "common/mem.h"
#include "tests/unit/testutil.h"

struct fx {
	char *dir;
	char cdir[512];
	struct optt_cache c;
	struct optt_err err;
};

static int
setup(void **state)
{
	struct fx *f = calloc(1, sizeof(*f));

	f->dir = tu_runtime_dir(f->cdir, sizeof(f->cdir));
	optt_cache_init(&f->c);
	optt_err_init(&f->err);
	*state = f;
	return 0;
}

static int
teardown(void **state)
{
	struct fx *f = *state;

	optt_cache_close(&f->c);
	tu_rmrf(f->dir);
	free(f->dir);
	free(f);
	return 0;
}

static void
mktoken(struct optt_token *t, const char *at, const char *rt, int64_t exp)
{
	optt_token_init(t);
	t->access_token = at ? strdup(at) : NULL;
	t->refresh_token = rt ? strdup(rt) : NULL;
	t->token_type = strdup("Bearer");
	t->expires_at = exp;
}

static void
test_roundtrip(void **state)
{
	struct fx *f = *state;
	struct optt_token t, u;
	struct stat sb;
	char path[1024], **list = NULL;
	size_t n = 0;
	int found = 0;

	assert_int_equal(optt_cache_open(&f->c, OPTT_CACHE_FILE, NULL, &f->err), OPTT_OK);
	assert_string_equal(optt_cache_backend(&f->c), "file");
	assert_int_equal(stat(f->cdir, &sb), 0);
	assert_int_equal(sb.st_mode & 0777, 0700);
	assert_int_equal(optt_cache_load(&f->c, "p", "alice", &u, &found, &f->err), OPTT_OK);
	assert_false(found);
	mktoken(&t, "AT1", "RT1", 4000000000);
	assert_int_equal(optt_cache_store(&f->c, "p", "alice", &t, &f->err), OPTT_OK);
	assert_int_equal(optt_cache_store(&f->c, "p", "a/b&c d", &t, &f->err), OPTT_OK);
	assert_int_equal(optt_cache_store(&f->c, "q", "alice", &t, &f->err), OPTT_OK);
	snprintf(path, sizeof(path), "%s/p@alice.json", f->cdir);
	assert_int_equal(stat(path, &sb), 0);
	assert_int_equal(sb.st_mode & 0777, 0600);
	snprintf(path, sizeof(path), "%s/p@a%%2Fb%%26c%%20d.json", f->cdir);
	assert_int_equal(stat(path, &sb), 0);
	assert_int_equal(optt_cache_load(&f->c, "p", "alice", &u, &found, &f->err), OPTT_OK);
	assert_true(found);
	assert_string_equal(u.access_token, "AT1");
	assert_string_equal(u.refresh_token, "RT1");
	assert_int_equal(u.expires_at, 4000000000);
	optt_token_clear(&u);
	assert_int_equal(optt_cache_list(&f->c, "p", &list, &n, &f->err), OPTT_OK);
	assert_int_equal(n, 2);
	assert_true((strcmp(list[0], "a/b&c d") == 0 && strcmp(list[1], "alice") == 0) ||
		    (strcmp(list[1], "a/b&c d") == 0 && strcmp(list[0], "alice") == 0));
	optt_cache_list_free(list, n);
	assert_int_equal(optt_cache_remove(&f->c, "p", "alice", &f->err), OPTT_OK);
	assert_int_equal(optt_cache_load(&f->c, "p", "alice", &u, &found, &f->err), OPTT_OK);
	assert_false(found);
	assert_int_equal(optt_cache_remove(&f->c, "p", "alice", &f->err), OPTT_OK);
	optt_token_clear(&t);
}

static void
test_unsafe_records(void **state)
{
	struct fx *f = *state;
	struct optt_token t, u;
	char path[1024], target[1024];
	int found = 1;

	assert_int_equal(optt_cache_open(&f->c, OPTT_CACHE_FILE, NULL, &f->err), OPTT_OK);
	mktoken(&t, "AT1", NULL, 4000000000);
	/* corrupt */
	free(tu_write(f->cdir, "p@x.json", "{\"v\":1,\"expires_at\":", 0600));
	assert_int_equal(optt_cache_load(&f->c, "p", "x", &u, &found, &f->err), OPTT_OK);
	assert_false(found);
	/* group-readable */
	free(tu_write(f->cdir, "p@y.json", "{\"v\":1,\"expires_at\":4000000000,\"access_token\":\"A\"}", 0640));
	found = 1;
	assert_int_equal(optt_cache_load(&f->c, "p", "y", &u, &found, &f->err), OPTT_OK);
	assert_false(found);
	/* a symlink is never followed, and a store replaces it instead of writing through it */
	free(tu_write(f->dir, "target.json", "{\"v\":1,\"expires_at\":4000000000,\"access_token\":\"EVIL\"}", 0600));
	snprintf(path, sizeof(path), "%s/p@z.json", f->cdir);
	snprintf(target, sizeof(target), "%s/target.json", f->dir);
	assert_int_equal(symlink(target, path), 0);
	found = 1;
	assert_int_equal(optt_cache_load(&f->c, "p", "z", &u, &found, &f->err), OPTT_OK);
	assert_false(found);
	assert_int_equal(optt_cache_store(&f->c, "p", "z", &t, &f->err), OPTT_OK);
	assert_int_equal(optt_cache_load(&f->c, "p", "z", &u, &found, &f->err), OPTT_OK);
	assert_true(found);
	assert_string_equal(u.access_token, "AT1");
	optt_token_clear(&u);
	{
		struct optt_buf b;
		struct stat sb;

		optt_buf_init(&b, 4096);
		assert_int_equal(lstat(path, &sb), 0);
		assert_true(S_ISREG(sb.st_mode));
		optt_buf_clear(&b);
	}
	/* foreign-owned (root only can arrange it) */
	if (geteuid() == 0) {
		free(tu_write(f->cdir, "p@w.json", "{\"v\":1,\"expires_at\":4000000000,\"access_token\":\"A\"}", 0600));
		snprintf(path, sizeof(path), "%s/p@w.json", f->cdir);
		assert_int_equal(chown(path, 65534, 65534), 0);
		found = 1;
		assert_int_equal(optt_cache_load(&f->c, "p", "w", &u, &found, &f->err), OPTT_OK);
		assert_false(found);
	}
	optt_token_clear(&t);
}

static void
test_unsafe_dir(void **state)
{
	struct fx *f = *state;
	char other[1024];

	assert_int_equal(mkdir(f->cdir, 0755), 0);
	assert_int_equal(optt_cache_open(&f->c, OPTT_CACHE_FILE, NULL, &f->err), OPTT_SYSTEM);
	assert_non_null(strstr(f->err.msg, "mode 755"));
	assert_int_equal(rmdir(f->cdir), 0);
	snprintf(other, sizeof(other), "%s/elsewhere", f->dir);
	assert_int_equal(mkdir(other, 0700), 0);
	assert_int_equal(symlink(other, f->cdir), 0);
	assert_int_equal(optt_cache_open(&f->c, OPTT_CACHE_FILE, NULL, &f->err), OPTT_SYSTEM);
	assert_non_null(strstr(f->err.msg, "refused"));
}

static void
test_fallback_dirs(void **state)
{
	struct fx *f = *state;
	char want[1024];
	struct stat sb;

	unsetenv("XDG_RUNTIME_DIR");
	setenv("XDG_CACHE_HOME", f->dir, 1);
	assert_int_equal(optt_cache_open(&f->c, OPTT_CACHE_FILE, NULL, &f->err), OPTT_OK);
	assert_string_equal(f->c.dir, f->cdir);
	optt_cache_close(&f->c);
	unsetenv("XDG_CACHE_HOME");
	setenv("HOME", f->dir, 1);
	assert_int_equal(optt_cache_open(&f->c, OPTT_CACHE_FILE, NULL, &f->err), OPTT_OK);
	snprintf(want, sizeof(want), "%s/.cache/optt", f->dir);
	assert_string_equal(f->c.dir, want);
	assert_int_equal(stat(want, &sb), 0);
	assert_int_equal(sb.st_mode & 0777, 0700);
}

static void
test_lock(void **state)
{
	struct fx *f = *state;
	int fd = -1, fd2 = -1, status;
	pid_t pid;

	assert_int_equal(optt_cache_open(&f->c, OPTT_CACHE_FILE, NULL, &f->err), OPTT_OK);
	assert_int_equal(optt_cache_lock(&f->c, "p", "alice", 5, &fd, &f->err), OPTT_OK);
	assert_true(fd >= 0);
	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		struct optt_cache c2;
		struct optt_err e;

		optt_err_init(&e);
		if (optt_cache_open(&c2, OPTT_CACHE_FILE, NULL, &e) != OPTT_OK)
			_exit(2);
		/* the same record is busy: give up after ~1 s; another record is free */
		if (optt_cache_lock(&c2, "p", "alice", 1, &fd2, &e) != OPTT_UNAVAILABLE)
			_exit(3);
		if (optt_cache_lock(&c2, "p", "bob", 1, &fd2, &e) != OPTT_OK)
			_exit(4);
		_exit(0);
	}
	assert_int_equal(waitpid(pid, &status, 0), pid);
	assert_true(WIFEXITED(status));
	assert_int_equal(WEXITSTATUS(status), 0);
	optt_cache_unlock(fd);
	assert_int_equal(optt_cache_lock(&f->c, "p", "alice", 1, &fd, &f->err), OPTT_OK);
	optt_cache_unlock(fd);
}

static void
test_none(void **state)
{
	struct fx *f = *state;
	struct optt_token t, u;
	int found = 1, fd = 5;
	char **list = NULL;
	size_t n = 9;

	assert_int_equal(optt_cache_open(&f->c, OPTT_CACHE_NONE, NULL, &f->err), OPTT_OK);
	mktoken(&t, "A", NULL, 4000000000);
	assert_int_equal(optt_cache_store(&f->c, "p", "s", &t, &f->err), OPTT_OK);
	assert_int_equal(optt_cache_load(&f->c, "p", "s", &u, &found, &f->err), OPTT_OK);
	assert_false(found);
	assert_int_equal(optt_cache_list(&f->c, "p", &list, &n, &f->err), OPTT_OK);
	assert_int_equal(n, 0);
	assert_int_equal(optt_cache_lock(&f->c, "p", "s", 1, &fd, &f->err), OPTT_OK);
	assert_int_equal(fd, -1);
	assert_int_equal(access(f->cdir, F_OK), -1); /* nothing written */
	optt_token_clear(&t);
}

static void
test_auto_without_bus(void **state)
{
	struct fx *f = *state;

	unsetenv("DBUS_SESSION_BUS_ADDRESS");
	assert_int_equal(optt_cache_open(&f->c, OPTT_CACHE_AUTO, NULL, &f->err), OPTT_OK);
	assert_string_equal(optt_cache_backend(&f->c), "file");
	optt_cache_close(&f->c);
	assert_int_equal(optt_cache_open(&f->c, OPTT_CACHE_KEYRING, NULL, &f->err), OPTT_UNAVAILABLE);
	assert_non_null(strstr(f->err.msg, "DBUS_SESSION_BUS_ADDRESS"));
	/* a bus address that answers nothing: auto falls back, quickly */
	setenv("DBUS_SESSION_BUS_ADDRESS", "unix:path=/nonexistent/bus", 1);
	assert_int_equal(optt_cache_open(&f->c, OPTT_CACHE_AUTO, NULL, &f->err), OPTT_OK);
	assert_string_equal(optt_cache_backend(&f->c), "file");
	unsetenv("DBUS_SESSION_BUS_ADDRESS");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_roundtrip, setup, teardown),
		cmocka_unit_test_setup_teardown(test_unsafe_records, setup, teardown),
		cmocka_unit_test_setup_teardown(test_unsafe_dir, setup, teardown),
		cmocka_unit_test_setup_teardown(test_fallback_dirs, setup, teardown),
		cmocka_unit_test_setup_teardown(test_lock, setup, teardown),
		cmocka_unit_test_setup_teardown(test_none, setup, teardown),
		cmocka_unit_test_setup_teardown(test_auto_without_bus, setup, teardown),
	};
	return cmocka_run_group_tests_name("cache_file", tests, NULL, NULL);
}
