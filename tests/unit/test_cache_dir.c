/* Unit tests: common/cache_dir.c and cache_record.c (the cache directory's
 * layout and the record codec, SPEC §4) and cache.c's copy kept in step. */
#include "config.h"

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "common/cache.h"
#include "common/cache_dir.h"
#include "common/cache_record.h"
#include "common/mem.h"
#include "common/privdir.h"
#include "tests/unit/testutil.h"

struct fx {
	char *dir;
	char cdir[512];
	char *path;
	int fd;
	struct optt_err err;
};

static int
setup(void **state)
{
	struct fx *f = calloc(1, sizeof(*f));

	f->dir = tu_runtime_dir(f->cdir, sizeof(f->cdir));
	optt_err_init(&f->err);
	assert_int_equal(optt_cache_dir_open(&f->path, &f->fd, &f->err), OPTT_OK);
	*state = f;
	return 0;
}

static int
teardown(void **state)
{
	struct fx *f = *state;

	close(f->fd);
	free(f->path);
	tu_rmrf(f->dir);
	free(f->dir);
	free(f);
	return 0;
}

static void
token(struct optt_token *t, const char *at, const char *rt)
{
	optt_token_init(t);
	t->access_token = optt_strdup(at);
	t->refresh_token = optt_strdup(rt);
	t->token_type = optt_strdup("bearer");
	t->expires_at = 4000000000LL;
}

static int
exists(struct fx *f, const char *name)
{
	char p[1024];
	struct stat sb;

	snprintf(p, sizeof(p), "%s/%s", f->cdir, name);
	return lstat(p, &sb) == 0;
}

static void
test_names(void **state)
{
	struct fx *f = *state;
	struct optt_token t, u;
	int found = 0;

	token(&t, "AT", "RT");
	assert_int_equal(optt_cache_dir_save(f->fd, f->path, OPTT_CF_RECORD, "p q", "a/b@c", &t, &f->err), OPTT_OK);
	assert_true(exists(f, "p%20q@a%2Fb%40c.json"));
	assert_int_equal(optt_cache_dir_save(f->fd, f->path, OPTT_CF_COPY, "p", "s", &t, &f->err), OPTT_OK);
	assert_true(exists(f, "p@s.access"));
	/* the copy never carries the refresh token */
	assert_int_equal(optt_cache_dir_load(f->fd, OPTT_CF_COPY, "p", "s", NULL, &u, &found, &f->err), OPTT_OK);
	assert_true(found);
	assert_string_equal(u.access_token, "AT");
	assert_null(u.refresh_token);
	optt_token_clear(&u);
	assert_int_equal(optt_cache_dir_load(f->fd, OPTT_CF_RECORD, "p q", "a/b@c", NULL, &u, &found, &f->err), OPTT_OK);
	assert_true(found);
	assert_string_equal(u.refresh_token, "RT");
	optt_token_clear(&u);
	/* a name past NAME_MAX is a configuration error, not a silent miss */
	{
		char longsub[300];

		memset(longsub, 'x', sizeof(longsub) - 1);
		longsub[sizeof(longsub) - 1] = '\0';
		assert_int_equal(optt_cache_dir_save(f->fd, f->path, OPTT_CF_RECORD, "p", longsub, &t, &f->err),
				 OPTT_CONFIG);
	}
	assert_int_equal(optt_cache_dir_remove(f->fd, OPTT_CF_COPY, "p", "s", &f->err), OPTT_OK);
	assert_false(exists(f, "p@s.access"));
	assert_int_equal(optt_cache_dir_remove(f->fd, OPTT_CF_COPY, "p", "s", &f->err), OPTT_OK);
	optt_token_clear(&t);
}

static void
test_subjects(void **state)
{
	struct fx *f = *state;
	struct optt_token t;
	char **list = NULL;
	size_t n = 0;
	int lk = -1;

	token(&t, "AT", "RT");
	assert_int_equal(optt_cache_dir_save(f->fd, f->path, OPTT_CF_RECORD, "p", "alice", &t, &f->err), OPTT_OK);
	assert_int_equal(optt_cache_dir_save(f->fd, f->path, OPTT_CF_COPY, "p", "alice", &t, &f->err), OPTT_OK);
	assert_int_equal(optt_cache_dir_save(f->fd, f->path, OPTT_CF_COPY, "p", "bob", &t, &f->err), OPTT_OK);
	assert_int_equal(optt_cache_dir_save(f->fd, f->path, OPTT_CF_RECORD, "pp", "carol", &t, &f->err), OPTT_OK);
	assert_int_equal(optt_cache_dir_lock(f->fd, "p", "dave", 1, &lk, &f->err), OPTT_OK);
	/* records only */
	assert_int_equal(optt_cache_dir_subjects(f->fd, OPTT_CF_RECORD, "p", &list, &n, &f->err), OPTT_OK);
	assert_int_equal(n, 1);
	assert_string_equal(list[0], "alice");
	optt_cache_list_free(list, n);
	/* records and copies: each subject once; locks and other profiles never */
	assert_int_equal(optt_cache_dir_subjects(f->fd, OPTT_CF_RECORD | OPTT_CF_COPY, "p", &list, &n, &f->err),
			 OPTT_OK);
	assert_int_equal(n, 2);
	assert_true((strcmp(list[0], "alice") == 0 && strcmp(list[1], "bob") == 0) ||
		    (strcmp(list[0], "bob") == 0 && strcmp(list[1], "alice") == 0));
	optt_cache_list_free(list, n);
	optt_privdir_unlock(lk);
	optt_token_clear(&t);
}

static void
test_record_codec(void **state)
{
	struct optt_token t, u;
	struct optt_buf b;
	struct optt_err e;

	(void)state;
	token(&t, "A\"T\n", NULL);
	t.scope = optt_strdup("read write");
	optt_buf_init(&b, OPTT_RECORD_MAX);
	optt_err_init(&e);
	assert_int_equal(optt_record_encode(&t, &b), 0);
	assert_int_equal(optt_record_decode(b.data, b.len, &u, &e), OPTT_OK);
	assert_string_equal(u.access_token, "A\"T\n");
	assert_null(u.refresh_token);
	assert_string_equal(u.scope, "read write");
	assert_int_equal(u.expires_at, 4000000000LL);
	optt_token_clear(&u);
	/* an expiry from a record is input too: clamped, never negative */
	assert_int_equal(optt_record_decode("{\"v\":1,\"expires_at\":-5,\"access_token\":\"a\"}", 43, &u, &e), OPTT_OK);
	assert_true(u.expires_at >= 0);
	optt_token_clear(&u);
	/* neither token: corrupt */
	assert_int_equal(optt_record_decode("{\"v\":1,\"expires_at\":1}", 22, &u, &e), OPTT_BADRESP);
	/* the encoder respects the buffer's cap */
	optt_buf_clear(&b);
	b.max = 10;
	assert_int_not_equal(optt_record_encode(&t, &b), 0);
	optt_buf_clear(&b);
	optt_token_clear(&t);
}

/* cache.c keeps a file-backend record and a keyring copy from standing together */
static void
test_file_backend_drops_copy(void **state)
{
	struct fx *f = *state;
	struct optt_cache c;
	struct optt_token t;

	token(&t, "AT", "RT");
	assert_int_equal(optt_cache_dir_save(f->fd, f->path, OPTT_CF_COPY, "p", "s", &t, &f->err), OPTT_OK);
	assert_int_equal(optt_cache_open(&c, OPTT_CACHE_FILE, NULL, &f->err), OPTT_OK);
	assert_string_equal(optt_cache_backend(&c), "file");
	assert_null(optt_cache_keyring_service(&c));
	assert_int_equal(optt_cache_store(&c, "p", "s", &t, &f->err), OPTT_OK);
	assert_true(exists(f, "p@s.json"));
	assert_false(exists(f, "p@s.access"));
	assert_int_equal(optt_cache_remove(&c, "p", "s", &f->err), OPTT_OK);
	assert_false(exists(f, "p@s.json"));
	optt_cache_close(&c);
	optt_token_clear(&t);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_names, setup, teardown),
		cmocka_unit_test_setup_teardown(test_subjects, setup, teardown),
		cmocka_unit_test(test_record_codec),
		cmocka_unit_test_setup_teardown(test_file_backend_drops_copy, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
