/*
 * session.c - claim the login's token; see session.h.
 *
 * Invariants: the hand-off directory is used only if it is a directory
 * (not followed), ours and closed to group and others; its files only if
 * they are private regular files of ours (privdir.c); a record moves into
 * the cache under the record's lock and its hand-off file is removed only
 * after the cache took it.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "common/cache_dir.h"
#include "common/mem.h"
#include "common/session.h"

/* our hand-off directory, or -1 (none, or not safe: a miss) */
static int
open_ours(const struct optt_profile *p, const struct optt_log *log)
{
	char path[4096];
	struct stat sb;
	int fd, n;

	n = snprintf(path, sizeof(path), "%s/" OPTT_SESSION_SUBDIR "/%lu", optt_pstr(p, OPTT_K_RUN_DIR),
		     (unsigned long)geteuid());
	if (n < 0 || (size_t)n >= sizeof(path))
		return -1;
	if ((fd = open(path, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)) < 0) {
		if (errno != ENOENT)
			optt_debug(log, "session token: %s ignored: %s", path, strerror(errno));
		return -1;
	}
	if (fstat(fd, &sb) != 0 || sb.st_uid != geteuid() || (sb.st_mode & 077)) {
		optt_debug(log, "session token: %s ignored: not a private directory of ours", path);
		close(fd);
		return -1;
	}
	return fd;
}

enum optt_status
optt_session_claim(struct optt_cache *c, const struct optt_profile *p, size_t *ret_n,
		   struct optt_err *err)
{
	struct optt_token t;
	struct optt_err e;
	enum optt_status st = OPTT_OK;
	char **list = NULL;
	size_t n = 0, i;
	int dirfd, found, lockfd;

	*ret_n = 0;
	if (c->ops == NULL || (dirfd = open_ours(p, c->log)) < 0)
		return OPTT_OK; /* cache = none keeps nothing: the hand-off waits */
	if ((st = optt_cache_dir_subjects(dirfd, OPTT_CF_RECORD, p->name, &list, &n, err)) != OPTT_OK)
		goto out;
	for (i = 0; i < n && st == OPTT_OK; i++) {
		optt_token_init(&t);
		optt_err_init(&e);
		found = 0;
		lockfd = -1;
		st = optt_cache_dir_load(dirfd, OPTT_CF_RECORD, p->name, list[i], c->log, &t, &found, err);
		if (st == OPTT_OK && found)
			st = optt_cache_lock(c, p->name, list[i], optt_pnum(p, OPTT_K_TIMEOUT) + 10, &lockfd, err);
		if (st == OPTT_OK && found && optt_cache_store(c, p->name, list[i], &t, &e) != OPTT_OK) {
			optt_debug(c->log, "session token: the cache did not take it: %s", e.msg);
			found = 0;
		}
		optt_cache_unlock(lockfd);
		if (st == OPTT_OK && found) {
			(void)optt_cache_dir_remove(dirfd, OPTT_CF_RECORD, p->name, list[i], &e);
			optt_debug(c->log, "profile %s: took the login's token into the %s cache", p->name,
				   optt_cache_backend(c));
			(*ret_n)++;
		}
		optt_token_clear(&t);
	}
out:
	optt_cache_list_free(list, n);
	close(dirfd);
	return st;
}

enum optt_status
optt_session_discard(const struct optt_profile *p, struct optt_err *err)
{
	enum optt_status st = OPTT_OK;
	char **list = NULL;
	size_t n = 0, i;
	int dirfd;

	if ((dirfd = open_ours(p, NULL)) < 0)
		return OPTT_OK;
	st = optt_cache_dir_subjects(dirfd, OPTT_CF_RECORD, p->name, &list, &n, err);
	for (i = 0; i < n && st == OPTT_OK; i++)
		st = optt_cache_dir_remove(dirfd, OPTT_CF_RECORD, p->name, list[i], err);
	optt_cache_list_free(list, n);
	close(dirfd);
	return st;
}
