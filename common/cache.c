/*
 * cache.c - backend choice, cache directory and per-record locks.
 *
 * Invariants: the directory is opened O_DIRECTORY|O_NOFOLLOW and checked
 * on the fd (owned by us, no group/other bits); locks are opened with
 * O_NOFOLLOW|O_CLOEXEC, mode 0600, and taken with flock (released by the
 * kernel if the holder dies).
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "common/cache.h"
#include "common/mem.h"
#include "common/url.h"

void
optt_cache_init(struct optt_cache *c)
{
	memset(c, 0, sizeof(*c));
	c->dirfd = -1;
}

int
optt_cache_is_keyring(const struct optt_cache *c)
{
	return c->ops != NULL && strcmp(c->ops->name, "keyring") == 0;
}

enum optt_status
optt_cache_lock(struct optt_cache *c, const char *profile, const char *subject, long wait_s,
		int *ret_fd, struct optt_err *err)
{
	struct optt_buf name;
	enum optt_status st = OPTT_OK;
	struct timespec nap = { 0, 20 * 1000 * 1000 };
	time_t deadline = time(NULL) + wait_s;
	int fd = -1;

	*ret_fd = -1;
	if (c->dirfd < 0)
		return OPTT_OK;
	optt_buf_init(&name, 1024);
	if (optt_cache_stem(&name, profile, subject) != 0 || optt_buf_puts(&name, ".lock") != 0) {
		st = optt_err_set(err, OPTT_NOMEM, "out of memory");
		goto out;
	}
	fd = openat(c->dirfd, name.data, O_RDWR | O_CREAT | O_NOFOLLOW | O_CLOEXEC, 0600);
	if (fd < 0) {
		st = optt_err_set(err, OPTT_SYSTEM, "cannot open lock %s: %s", name.data, strerror(errno));
		goto out;
	}
	while (flock(fd, LOCK_EX | LOCK_NB) != 0) {
		if (errno != EWOULDBLOCK && errno != EINTR) {
			st = optt_err_set(err, OPTT_SYSTEM, "cannot lock %s: %s", name.data, strerror(errno));
			goto out;
		}
		if (time(NULL) > deadline) {
			st = optt_err_set(err, OPTT_UNAVAILABLE,
					  "another process holds the lock for this token; gave up after %ld s",
					  wait_s);
			goto out;
		}
		nanosleep(&nap, NULL);
	}
	*ret_fd = fd;
	fd = -1;
out:
	if (fd >= 0)
		close(fd);
	optt_buf_clear(&name);
	return st;
}

void
optt_cache_unlock(int fd)
{
	if (fd >= 0)
		close(fd); /* closing the only descriptor releases the flock */
}

void
optt_cache_list_free(char **list, size_t n)
{
	size_t i;

	for (i = 0; i < n && list != NULL; i++)
		free(list[i]);
	free(list);
}

/* --- the `none` backend ------------------------------------------------- */

static enum optt_status
none_load(struct optt_cache *c, const char *profile, const char *subject,
	  struct optt_token *ret, int *ret_found, struct optt_err *err)
{
	(void)c, (void)profile, (void)subject, (void)ret, (void)err;
	*ret_found = 0;
	return OPTT_OK;
}

static enum optt_status
none_store(struct optt_cache *c, const char *profile, const char *subject,
	   const struct optt_token *t, struct optt_err *err)
{
	(void)c, (void)profile, (void)subject, (void)t, (void)err;
	return OPTT_OK;
}

static enum optt_status
none_remove(struct optt_cache *c, const char *profile, const char *subject, struct optt_err *err)
{
	(void)c, (void)profile, (void)subject, (void)err;
	return OPTT_OK;
}

static enum optt_status
none_list(struct optt_cache *c, const char *profile, char ***ret, size_t *ret_n,
	  struct optt_err *err)
{
	(void)c, (void)profile, (void)err;
	*ret = NULL;
	*ret_n = 0;
	return OPTT_OK;
}

const struct optt_cache_ops optt_cache_none_ops = {
	"none", none_load, none_store, none_remove, none_list, NULL,
};

enum optt_status
optt_cache_open(struct optt_cache *c, enum optt_cache_mode mode, const struct optt_log *log,
		struct optt_err *err)
{
	enum optt_status st;
	struct optt_err kerr;

	optt_cache_init(c);
	c->log = log;
	if (mode == OPTT_CACHE_NONE) {
		c->ops = &optt_cache_none_ops;
		return OPTT_OK;
	}
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
