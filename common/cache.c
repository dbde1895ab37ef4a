/*
 * cache.c - see cache.h: the backend choice, the one entry point for
 * every cache operation, and the keyring backend's access-token copy.
 *
 * Invariants:
 *  - the cache directory is opened by cache_dir.c (0700, ours, not a
 *    symlink) and locks live there whatever the backend;
 *  - the copy (<stem>.access) exists only while the keyring holds the
 *    record and XDG_RUNTIME_DIR is set (the per-user tmpfs), never holds
 *    a refresh token, and is rewritten or removed here, right after the
 *    backend's operation; a file-backend record and a keyring copy of the
 *    same key never both stand (the fast path must not serve a leftover).
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "common/cache.h"
#include "common/cache_backend.h"
#include "common/mem.h"
#include "common/privdir.h"

void
optt_cache_init(struct optt_cache *c)
{
	memset(c, 0, sizeof(*c));
	c->dirfd = -1;
}

static int
is_keyring(const struct optt_cache *c)
{
	return c->ops == &optt_cache_keyring_ops;
}

const char *
optt_cache_backend(const struct optt_cache *c)
{
	return c->ops != NULL ? c->ops->name : "none";
}

void *
optt_cache_keyring_service(const struct optt_cache *c)
{
	return is_keyring(c) ? optt_cache_keyring_ready(c) : NULL;
}

/* Keep (t with an access token) or drop (t NULL) the keyring backend's
 * copy; the file backend's operations drop a keyring leftover.  Best
 * effort: a failure leaves no copy, and the front programs then take the
 * full path. */
static void
keep_copy(struct optt_cache *c, const char *profile, const char *subject,
	  const struct optt_token *t)
{
	const char *rt = secure_getenv("XDG_RUNTIME_DIR");
	struct optt_err e;

	if (c->dirfd < 0)
		return;
	optt_err_init(&e);
	if (is_keyring(c))
		(void)optt_cache_dir_remove(c->dirfd, OPTT_CF_RECORD, profile, subject, &e);
	if (is_keyring(c) && t != NULL && t->access_token != NULL && rt != NULL && rt[0] == '/' &&
	    optt_cache_dir_save(c->dirfd, c->dir, OPTT_CF_COPY, profile, subject, t, &e) == OPTT_OK)
		return;
	(void)optt_cache_dir_remove(c->dirfd, OPTT_CF_COPY, profile, subject, &e);
}

enum optt_status
optt_cache_load(struct optt_cache *c, const char *profile, const char *subject,
		struct optt_token *ret, int *ret_found, struct optt_err *err)
{
	enum optt_status st;

	*ret_found = 0;
	if (c->ops == NULL)
		return OPTT_OK;
	st = c->ops->load(c, profile, subject, ret, ret_found, err);
	/* the runtime dir is emptied at logout while the keyring persists:
	 * put the copy back whenever the keyring's record is read */
	if (st == OPTT_OK && *ret_found && is_keyring(c) && ret->access_token != NULL)
		keep_copy(c, profile, subject, ret);
	return st;
}

enum optt_status
optt_cache_store(struct optt_cache *c, const char *profile, const char *subject,
		 const struct optt_token *t, struct optt_err *err)
{
	enum optt_status st;

	if (c->ops == NULL)
		return OPTT_OK;
	st = c->ops->store(c, profile, subject, t, err);
	keep_copy(c, profile, subject, st == OPTT_OK ? t : NULL);
	return st;
}

enum optt_status
optt_cache_remove(struct optt_cache *c, const char *profile, const char *subject,
		  struct optt_err *err)
{
	if (c->ops == NULL)
		return OPTT_OK;
	keep_copy(c, profile, subject, NULL);
	return c->ops->remove(c, profile, subject, err);
}

enum optt_status
optt_cache_list(struct optt_cache *c, const char *profile, char ***ret, size_t *ret_n,
		struct optt_err *err)
{
	*ret = NULL;
	*ret_n = 0;
	if (c->ops == NULL)
		return OPTT_OK;
	return c->ops->list(c, profile, ret, ret_n, err);
}

enum optt_status
optt_cache_lock(struct optt_cache *c, const char *profile, const char *subject, long wait_s,
		int *ret_fd, struct optt_err *err)
{
	*ret_fd = -1;
	if (c->dirfd < 0)
		return OPTT_OK;
	return optt_cache_dir_lock(c->dirfd, profile, subject, wait_s, ret_fd, err);
}

void
optt_cache_unlock(int fd)
{
	optt_privdir_unlock(fd);
}

enum optt_status
optt_cache_open(struct optt_cache *c, enum optt_cache_mode mode, const struct optt_log *log,
		struct optt_err *err)
{
	enum optt_status st;
	struct optt_err kerr;

	optt_cache_init(c);
	c->log = log;
	if (mode == OPTT_CACHE_NONE)
		return OPTT_OK; /* no ops: nothing is kept, nothing found */
	if ((st = optt_cache_dir_open(&c->dir, &c->dirfd, err)) != OPTT_OK)
		return st;
	c->ops = &optt_cache_file_ops;
	if (mode == OPTT_CACHE_FILE)
		return OPTT_OK;
	optt_err_init(&kerr);
	st = optt_cache_keyring_open(c, &kerr);
	if (st == OPTT_OK)
		return OPTT_OK;
	if (mode == OPTT_CACHE_KEYRING) {
		optt_cache_close(c);
		return optt_err_set(err, st, "keyring: %s", kerr.msg);
	}
	optt_debug(log, "keyring not used (%s); using the file cache", kerr.msg);
	return OPTT_OK;
}

void
optt_cache_close(struct optt_cache *c)
{
	if (c == NULL)
		return;
	if (c->ops != NULL && c->ops->close != NULL)
		c->ops->close(c);
	if (c->dirfd >= 0)
		close(c->dirfd);
	optt_free_str(&c->dir);
	optt_cache_init(c);
}
