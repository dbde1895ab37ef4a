/*
 * session_token.c - see session_token.h.
 *
 * Invariants: <run_dir>/session is root's 0711 directory (statedir.h),
 * opened from "/" down without following links; root creates the record
 * there under a fresh random temporary name (O_EXCL, O_NOFOLLOW, 0600),
 * writes and fsyncs it, then hands the open file to the user with fchown
 * and renames it into place - never a path the user controls, and no
 * directory any user can write into.  At close, a record is read only if
 * it is a regular file owned by that user with one link, at most
 * OPTT_SESSION_RECORD_MAX bytes, and removed only when it is empty
 * (claimed) or names this process; what it held is wiped.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <unistd.h>

#include <security/pam_modutil.h>

#include "common/fsutil.h"
#include "common/mem.h"
#include "common/session_record.h"
#include "common/statedir.h"
#include "pam_module/session_token.h"

enum optt_status
pam_optt_session_deposit(pam_handle_t *pamh, const struct optt_profile *p, const char *user,
			 const char *subject, const struct optt_token *t, struct optt_err *err)
{
	struct optt_session_record rec;
	struct optt_buf text;
	const struct passwd *pw;
	unsigned char rnd[8];
	char name[128], tmp[160];
	enum optt_status st;
	int dirfd = -1, fd = -1, r;

	optt_session_record_init(&rec);
	optt_buf_init(&text, OPTT_SESSION_RECORD_MAX);
	tmp[0] = '\0';
	if ((pw = pam_modutil_getpwnam(pamh, user)) == NULL) {
		st = optt_err_set(err, OPTT_SYSTEM, "session token: no passwd entry");
		goto out;
	}
	if (optt_session_record_name(name, sizeof(name), (unsigned long)pw->pw_uid, p->name) != 0 ||
	    strlen(user) >= sizeof(rec.user) || strlen(subject) >= sizeof(rec.subject)) {
		st = optt_err_set(err, OPTT_SYSTEM, "session token: names too long");
		goto out;
	}
	memcpy(rec.user, user, strlen(user) + 1);
	memcpy(rec.subject, subject, strlen(subject) + 1);
	/* sshd authenticates keyboard-interactive logins in a child: the
	 * session is then its parent's; login, su and sshd's password method
	 * run it in this very process */
	rec.pids[0] = (long)getpid();
	rec.pids[1] = (long)getppid();
	rec.claim_until = optt_session_claim_until(t);
	rec.token = *t; /* borrowed: not cleared here */
	r = optt_session_record_encode(&rec, &text);
	optt_token_init(&rec.token);
	if (r != 0) {
		st = optt_err_set(err, r == -1 ? OPTT_NOMEM : OPTT_SYSTEM, "session token: cannot encode the record");
		goto out;
	}
	if ((st = optt_statedir_open(p, OPTT_STATEDIR_SESSION, &dirfd, err)) != OPTT_OK)
		goto out;
	if (getrandom(rnd, sizeof(rnd), 0) != (ssize_t)sizeof(rnd)) {
		st = optt_err_set(err, OPTT_SYSTEM, "session token: no random bytes: %s", strerror(errno));
		goto out;
	}
	snprintf(tmp, sizeof(tmp), ".%s.%02x%02x%02x%02x%02x%02x%02x%02x", name, rnd[0], rnd[1], rnd[2], rnd[3],
		 rnd[4], rnd[5], rnd[6], rnd[7]);
	if ((fd = openat(dirfd, tmp, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600)) < 0) {
		st = optt_err_set(err, OPTT_SYSTEM, "session token: cannot create a record: %s", strerror(errno));
		tmp[0] = '\0';
		goto out;
	}
	if (optt_fd_write_all(fd, text.data, text.len) != 0) {
		st = optt_err_set(err, OPTT_SYSTEM, "session token: cannot write: %s",
				  errno != 0 ? strerror(errno) : "nothing written");
		goto out;
	}
	/* written and on disk before the user may touch it; then it is theirs */
	if (fsync(fd) != 0 || fchown(fd, pw->pw_uid, pw->pw_gid) != 0 || fchmod(fd, 0600) != 0) {
		st = optt_err_set(err, OPTT_SYSTEM, "session token: cannot hand the record over: %s",
				  strerror(errno));
		goto out;
	}
	if (renameat(dirfd, tmp, dirfd, name) != 0) {
		st = optt_err_set(err, OPTT_SYSTEM, "session token: cannot put the record in place: %s",
				  strerror(errno));
		goto out;
	}
	tmp[0] = '\0';
out:
	if (tmp[0] != '\0')
		unlinkat(dirfd, tmp, 0);
	if (fd >= 0)
		close(fd);
	if (dirfd >= 0)
		close(dirfd);
	optt_buf_clear(&text);
	optt_session_record_clear(&rec);
	return st;
}

enum optt_status
pam_optt_session_close(pam_handle_t *pamh, const struct optt_profile *p, const char *user,
		       struct optt_err *err)
{
	struct optt_session_record rec;
	struct optt_buf text;
	const struct passwd *pw;
	struct optt_err e;
	struct stat sb, now;
	char name[128];
	enum optt_status st = OPTT_OK;
	int dirfd = -1, fd = -1, mine = 0;
	long self = (long)getpid();

	optt_session_record_init(&rec);
	optt_buf_init(&text, OPTT_SESSION_RECORD_MAX);
	optt_err_init(&e);
	if ((pw = pam_modutil_getpwnam(pamh, user)) == NULL ||
	    optt_session_record_name(name, sizeof(name), (unsigned long)pw->pw_uid, p->name) != 0)
		goto out; /* no such user now: nothing of theirs to find */
	if ((st = optt_statedir_open(p, OPTT_STATEDIR_SESSION, &dirfd, err)) != OPTT_OK)
		goto out;
	if ((fd = openat(dirfd, name, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC)) < 0) {
		if (errno != ENOENT)
			st = optt_err_set(err, OPTT_SYSTEM, "session token: %s: %s", name, strerror(errno));
		goto out;
	}
	if (fstat(fd, &sb) != 0 || !S_ISREG(sb.st_mode) || sb.st_uid != pw->pw_uid || sb.st_nlink != 1)
		goto out; /* not a record of ours: left alone */
	if (optt_fd_read_all(fd, &text) != 0)
		goto out; /* unreadable or over the cap: left for reboot */
	mine = text.len == 0; /* claimed: nothing left in it */
	if (!mine && optt_session_record_decode(text.data, text.len, &rec, &e) == OPTT_OK)
		mine = rec.pids[0] == self || rec.pids[1] == self;
	/* still the file we read (a newer login renames its own over it) */
	if (mine && fstatat(dirfd, name, &now, AT_SYMLINK_NOFOLLOW) == 0 && now.st_ino == sb.st_ino &&
	    now.st_dev == sb.st_dev && unlinkat(dirfd, name, 0) != 0 && errno != ENOENT)
		st = optt_err_set(err, OPTT_SYSTEM, "session token: cannot remove %s: %s", name, strerror(errno));
out:
	if (fd >= 0)
		close(fd);
	if (dirfd >= 0)
		close(dirfd);
	optt_buf_clear(&text);
	optt_session_record_clear(&rec);
	return st;
}
