/*
 * session_token.c - see session_token.h.
 *
 * Invariants: <run_dir> and <run_dir>/session are root's, opened from "/"
 * down without following links (optt_fs_open_rootdir); the user's
 * directory is opened with O_NOFOLLOW relative to that root-owned
 * descriptor, and used only if it is a directory owned by that user and
 * closed to everyone else (root creates it 0700 and fchowns the open
 * descriptor, never a path); the record is written with the user's file
 * rights (pam_modutil_drop_priv: fsuid, fsgid and groups), so root never
 * writes into a place the user controls; privileges are regained before
 * return on every path.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <security/pam_modutil.h>

#include "common/cache_dir.h"
#include "common/fsutil.h"
#include "common/mem.h"
#include "common/session.h"
#include "pam_module/session_token.h"

/* the user's hand-off directory below sessfd, made if missing */
static enum optt_status
user_dir(int sessfd, const struct passwd *pw, int *ret_fd, struct optt_err *err)
{
	char name[32];
	struct stat sb;
	int fd, made = 0;

	snprintf(name, sizeof(name), "%lu", (unsigned long)pw->pw_uid);
	fd = openat(sessfd, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0 && errno == ENOENT) {
		if (mkdirat(sessfd, name, 0700) != 0 && errno != EEXIST)
			return optt_err_set(err, OPTT_SYSTEM, "cannot create session/%s: %s", name,
					    strerror(errno));
		made = 1;
		fd = openat(sessfd, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	}
	if (fd < 0)
		return optt_err_set(err, OPTT_SYSTEM, "session/%s refused: %s", name,
				    errno == ELOOP || errno == ENOTDIR ? "not a directory" : strerror(errno));
	if (fstat(fd, &sb) != 0)
		goto refused;
	/* ours, just made: hand it over by descriptor */
	if (made && sb.st_uid == 0 && (fchown(fd, pw->pw_uid, pw->pw_gid) != 0 || fchmod(fd, 0700) != 0 ||
				       fstat(fd, &sb) != 0))
		goto refused;
	if (sb.st_uid != pw->pw_uid || (sb.st_mode & 077)) {
		close(fd);
		return optt_err_set(err, OPTT_SYSTEM,
				    "session/%s refused: not owned by the user or open to others", name);
	}
	*ret_fd = fd;
	return OPTT_OK;
refused:
	close(fd);
	return optt_err_set(err, OPTT_SYSTEM, "session/%s: %s", name, strerror(errno));
}

enum optt_status
pam_optt_session_deposit(pam_handle_t *pamh, const struct optt_profile *p, const char *user,
			 const struct optt_token *t, struct optt_err *err)
{
	PAM_MODUTIL_DEF_PRIVS(privs);
	struct optt_buf path;
	const struct passwd *pw;
	enum optt_status st;
	int sessfd = -1, ufd = -1;

	optt_buf_init(&path, 8192);
	if ((pw = pam_modutil_getpwnam(pamh, user)) == NULL)
		return optt_err_set(err, OPTT_SYSTEM, "session token: no passwd entry");
	if (optt_buf_puts(&path, optt_pstr(p, OPTT_K_RUN_DIR)) != 0 ||
	    optt_buf_puts(&path, "/" OPTT_SESSION_SUBDIR) != 0) {
		st = optt_err_set(err, OPTT_NOMEM, "out of memory");
		goto out;
	}
	if ((st = optt_fs_open_rootdir(optt_pstr(p, OPTT_K_RUN_DIR), 0711, &sessfd, err)) != OPTT_OK)
		goto out;
	close(sessfd);
	if ((st = optt_fs_open_rootdir(path.data, 0711, &sessfd, err)) != OPTT_OK ||
	    (st = user_dir(sessfd, pw, &ufd, err)) != OPTT_OK)
		goto out;
	if (pam_modutil_drop_priv(pamh, &privs, pw) != 0) {
		st = optt_err_set(err, OPTT_SYSTEM, "session token: cannot take the user's rights");
		goto out;
	}
	st = optt_cache_dir_save(ufd, "the session directory", OPTT_CF_RECORD, p->name, user, t, err);
	if (pam_modutil_regain_priv(pamh, &privs) != 0 && st == OPTT_OK)
		st = optt_err_set(err, OPTT_SYSTEM, "session token: cannot regain root's rights");
out:
	if (ufd >= 0)
		close(ufd);
	if (sessfd >= 0)
		close(sessfd);
	optt_buf_clear(&path);
	return st;
}
