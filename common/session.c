/*
 * session.c - claim the login's token; see session.h.
 *
 * Invariants: the record is opened without following links and used only
 * if it is a regular file of ours, private (no group/other bits), with
 * one link, at most OPTT_SESSION_RECORD_MAX bytes; it moves into the cache
 * under the record's lock, and is emptied (never removed: the directory
 * is root's) only after the cache took it.  What was read is wiped.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "common/fsutil.h"
#include "common/mem.h"
#include "common/session.h"
#include "common/session_record.h"
#include "common/statedir.h"

/* our record of p, opened read-write, or -1 (none, or not safe: a miss) */
static int
open_ours(const struct optt_profile *p, const struct optt_log *log)
{
	char dir[4096], name[128], path[4352];
	struct stat sb;
	int fd;

	if (optt_session_record_name(name, sizeof(name), (unsigned long)geteuid(), p->name) != 0)
		return -1;
	snprintf(path, sizeof(path), "%s/%s", optt_statedir_path(p, OPTT_STATEDIR_SESSION, dir, sizeof(dir)),
		 name);
	if ((fd = open(path, O_RDWR | O_NOFOLLOW | O_NONBLOCK | O_NOCTTY | O_CLOEXEC)) < 0) {
		if (errno != ENOENT)
			optt_debug(log, "session token: %s ignored: %s", path, strerror(errno));
		return -1;
	}
	if (fstat(fd, &sb) != 0 || !S_ISREG(sb.st_mode) || sb.st_uid != geteuid() || (sb.st_mode & 077) ||
	    sb.st_nlink != 1) {
		optt_debug(log, "session token: %s ignored: not a private file of ours", path);
		close(fd);
		return -1;
	}
	return fd;
}

/* whether rec was made for the user we run as */
static int
for_us(const struct optt_session_record *rec)
{
	struct passwd pw, *res = NULL;
	char buf[4096];

	return getpwuid_r(geteuid(), &pw, buf, sizeof(buf), &res) == 0 && res != NULL &&
	       strcmp(res->pw_name, rec->user) == 0;
}

enum optt_status
optt_session_claim(struct optt_cache *c, const struct optt_profile *p, size_t *ret_n,
		   struct optt_err *err)
{
	struct optt_session_record rec;
	struct optt_buf text;
	struct optt_err e;
	enum optt_status st = OPTT_OK;
	int64_t now = (int64_t)time(NULL);
	int fd, lockfd = -1, r;

	*ret_n = 0;
	if (c->ops == NULL || (fd = open_ours(p, c->log)) < 0)
		return OPTT_OK; /* cache = none keeps nothing: the hand-off waits */
	optt_session_record_init(&rec);
	optt_buf_init(&text, OPTT_SESSION_RECORD_MAX);
	optt_err_init(&e);
	if ((r = optt_fd_read_all(fd, &text)) == -1) {
		st = optt_err_set(err, OPTT_NOMEM, "out of memory");
		goto out;
	}
	if (r != 0 || text.len == 0)
		goto out; /* claimed already, or nothing usable */
	if ((st = optt_session_record_decode(text.data, text.len, &rec, &e)) != OPTT_OK) {
		optt_debug(c->log, "session token: ignored: %s", e.msg);
		st = st == OPTT_NOMEM ? optt_err_set(err, st, "out of memory") : OPTT_OK;
		goto out;
	}
	if (!for_us(&rec)) {
		optt_debug(c->log, "session token: ignored: made for another user name");
		goto out;
	}
	if (rec.claim_until != 0 && rec.claim_until <= now) {
		optt_debug(c->log, "session token: ignored: its refresh token has expired");
		(void)ftruncate(fd, 0); /* of no use to anyone now */
		goto out;
	}
	if ((st = optt_cache_lock(c, p->name, rec.subject, optt_pnum(p, OPTT_K_TIMEOUT) + 10, &lockfd, err)) !=
	    OPTT_OK)
		goto out;
	if (optt_cache_store(c, p->name, rec.subject, &rec.token, &e) != OPTT_OK) {
		optt_debug(c->log, "session token: the cache did not take it: %s", e.msg);
	} else if (ftruncate(fd, 0) != 0) {
		optt_debug(c->log, "session token: taken, but the hand-off could not be emptied: %s",
			   strerror(errno));
		(*ret_n)++;
	} else {
		optt_debug(c->log, "profile %s: took the login's token into the %s cache", p->name,
			   optt_cache_backend(c));
		(*ret_n)++;
	}
	optt_cache_unlock(lockfd);
out:
	close(fd);
	optt_buf_clear(&text);
	optt_session_record_clear(&rec);
	return st;
}

enum optt_status
optt_session_discard(const struct optt_profile *p, struct optt_err *err)
{
	int fd;

	if ((fd = open_ours(p, NULL)) < 0)
		return OPTT_OK;
	if (ftruncate(fd, 0) != 0) {
		close(fd);
		return optt_err_set(err, OPTT_SYSTEM, "cannot empty the session's token: %s", strerror(errno));
	}
	close(fd);
	return OPTT_OK;
}
