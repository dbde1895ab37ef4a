/*
 * privdir.c - see privdir.h.
 *
 * Invariants: directories are created 0700 and refused if they are a
 * symbolic link, someone else's or open to group/others; files are opened
 * O_NOFOLLOW|O_CLOEXEC and checked on the descriptor (regular, ours, no
 * group/other bits); writes go to a fresh O_EXCL 0600 temp file that is
 * fsync'ed and renamed over the target (a reader sees the old file or the
 * new one, never a torn one); locks are flocks on O_NOFOLLOW 0600 files;
 * buffers that held content are wiped.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "common/fsutil.h"
#include "common/mem.h"
#include "common/privdir.h"

static int
mkdir_p(char *path)
{
	char *p;

	for (p = path + 1; *p != '\0'; p++) {
		if (*p != '/')
			continue;
		*p = '\0';
		if (mkdir(path, 0700) != 0 && errno != EEXIST) {
			*p = '/';
			return -1;
		}
		*p = '/';
	}
	return mkdir(path, 0700) != 0 && errno != EEXIST ? -1 : 0;
}

/* runtime: $XDG_RUNTIME_DIR, else $XDG_CACHE_HOME, else ~/.cache;
 * persistent: $XDG_DATA_HOME, else ~/.local/share */
static enum optt_status
private_dir_open(int persistent, char **ret_path, int *ret_fd, struct optt_err *err)
{
	const char *rt = persistent ? NULL : secure_getenv("XDG_RUNTIME_DIR"), *base, *home;
	struct optt_buf path;
	enum optt_status st = OPTT_OK;
	struct stat sb;
	int fd = -1;

	optt_buf_init(&path, 4096);
	base = secure_getenv(persistent ? "XDG_DATA_HOME" : "XDG_CACHE_HOME");
	if (rt != NULL && rt[0] == '/') {
		if (optt_buf_puts(&path, rt) != 0)
			goto nomem;
	} else if (base != NULL && base[0] == '/') {
		if (optt_buf_puts(&path, base) != 0)
			goto nomem;
	} else if ((home = secure_getenv("HOME")) != NULL && home[0] == '/') {
		if (optt_buf_puts(&path, home) != 0 ||
		    optt_buf_puts(&path, persistent ? "/.local/share" : "/.cache") != 0)
			goto nomem;
	} else {
		st = optt_err_set(err, OPTT_SYSTEM, "no %s directory: set %s or HOME",
				  persistent ? "data" : "cache",
				  persistent ? "XDG_DATA_HOME" : "XDG_RUNTIME_DIR");
		goto out;
	}
	if (optt_buf_puts(&path, "/optt") != 0)
		goto nomem;
	if (mkdir_p(path.data) != 0) {
		st = optt_err_set(err, OPTT_SYSTEM, "cannot create %s: %s", path.data, strerror(errno));
		goto out;
	}
	if ((fd = open(path.data, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)) < 0) {
		st = optt_err_set(err, OPTT_SYSTEM, "directory %s refused: %s", path.data,
				  errno == ELOOP || errno == ENOTDIR ? "not a directory (symbolic link?)"
								     : strerror(errno));
		goto out;
	}
	if (fstat(fd, &sb) != 0 || sb.st_uid != geteuid()) {
		st = optt_err_set(err, OPTT_SYSTEM, "directory %s refused: owned by another user",
				  path.data);
		goto out;
	}
	if (sb.st_mode & 077) {
		st = optt_err_set(err, OPTT_SYSTEM,
				  "directory %s refused: mode %03o, expected 700 (chmod 700 %s)",
				  path.data, (unsigned)(sb.st_mode & 0777), path.data);
		goto out;
	}
	*ret_path = optt_buf_steal(&path);
	*ret_fd = fd;
	fd = -1;
	goto out;
nomem:
	st = optt_err_set(err, OPTT_NOMEM, "out of memory");
out:
	if (fd >= 0)
		close(fd);
	optt_buf_clear(&path);
	return st;
}

enum optt_status
optt_privdir_open(enum optt_privdir which, char **ret_path, int *ret_fd, struct optt_err *err)
{
	return private_dir_open(which == OPTT_PRIVDIR_DATA, ret_path, ret_fd, err);
}

enum optt_status
optt_privdir_read(int dirfd, const char *name, size_t max, const struct optt_log *log,
		  struct optt_buf *ret, int *ret_found, struct optt_err *err)
{
	struct stat sb;
	int fd, r;

	*ret_found = 0;
	optt_buf_clear(ret);
	ret->max = max;
	if ((fd = openat(dirfd, name, O_RDONLY | O_NOFOLLOW | O_CLOEXEC | O_NOCTTY)) < 0) {
		if (errno != ENOENT)
			optt_debug(log, "%s ignored: %s", name, strerror(errno));
		return OPTT_OK;
	}
	if (fstat(fd, &sb) != 0 || !S_ISREG(sb.st_mode) || sb.st_uid != geteuid() ||
	    (sb.st_mode & 077)) {
		optt_debug(log, "%s ignored: not a private regular file of ours", name);
		close(fd);
		return OPTT_OK;
	}
	r = optt_fd_read_all(fd, ret);
	close(fd);
	if (r == -1) {
		optt_buf_clear(ret);
		return optt_err_set(err, OPTT_NOMEM, "out of memory reading %s", name);
	}
	if (r != 0 || ret->data == NULL) {
		optt_debug(log, "%s ignored: unreadable, empty or too large", name);
		optt_buf_clear(ret);
		return OPTT_OK;
	}
	*ret_found = 1;
	return OPTT_OK;
}

enum optt_status
optt_privdir_write(int dirfd, const char *dir, const char *name, const char *data, size_t len,
		   struct optt_err *err)
{
	return optt_privdir_write_mode(dirfd, dir, name, data, len, 0600, err);
}

enum optt_status
optt_privdir_write_mode(int dirfd, const char *dir, const char *name, const char *data, size_t len,
			mode_t mode, struct optt_err *err)
{
	struct optt_buf tmp;
	enum optt_status st = OPTT_OK;
	char pid[32];
	int fd = -1;

	optt_buf_init(&tmp, 1100);
	snprintf(pid, sizeof(pid), ".%ld.tmp", (long)getpid());
	if (optt_buf_puts(&tmp, ".") != 0 || optt_buf_puts(&tmp, name) != 0 ||
	    optt_buf_puts(&tmp, pid) != 0) {
		st = optt_err_set(err, OPTT_NOMEM, "out of memory");
		goto out;
	}
	unlinkat(dirfd, tmp.data, 0); /* a stale temp of a dead process with our pid */
	fd = openat(dirfd, tmp.data, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
	/* the mode before the rename: readers never see the file closed to them */
	if (fd < 0 || optt_fd_write_all(fd, data, len) != 0 || (mode != 0600 && fchmod(fd, mode) != 0) || fsync(fd) != 0) {
		st = optt_err_set(err, OPTT_SYSTEM, "cannot write %s in %s: %s", name, dir,
				  strerror(errno));
		goto out;
	}
	if (close(fd) != 0) {
		fd = -1;
		st = optt_err_set(err, OPTT_SYSTEM, "cannot write %s: %s", name, strerror(errno));
		goto out;
	}
	fd = -1;
	if (renameat(dirfd, tmp.data, dirfd, name) != 0) {
		st = optt_err_set(err, OPTT_SYSTEM, "cannot replace %s: %s", name, strerror(errno));
		goto out;
	}
	tmp.len = 0; /* renamed: nothing to unlink */
out:
	if (fd >= 0)
		close(fd);
	if (st != OPTT_OK && tmp.len > 0)
		unlinkat(dirfd, tmp.data, 0);
	optt_buf_clear(&tmp);
	return st;
}


enum optt_status
optt_privdir_lock(int dirfd, const char *name, long wait_s, int *ret_fd, struct optt_err *err)
{
	struct timespec nap = { 0, 20 * 1000 * 1000 };
	time_t deadline = time(NULL) + wait_s;
	int fd;

	*ret_fd = -1;
	fd = openat(dirfd, name, O_RDWR | O_CREAT | O_NOFOLLOW | O_CLOEXEC, 0600);
	if (fd < 0)
		return optt_err_set(err, OPTT_SYSTEM, "cannot open lock %s: %s", name, strerror(errno));
	while (flock(fd, LOCK_EX | LOCK_NB) != 0) {
		if (errno != EWOULDBLOCK && errno != EINTR) {
			close(fd);
			return optt_err_set(err, OPTT_SYSTEM, "cannot lock %s: %s", name, strerror(errno));
		}
		if (time(NULL) > deadline) {
			close(fd);
			return optt_err_set(err, OPTT_UNAVAILABLE,
					    "another process holds the lock for this token; gave up after %ld s",
					    wait_s);
		}
		nanosleep(&nap, NULL);
	}
	*ret_fd = fd;
	return OPTT_OK;
}

void
optt_privdir_unlock(int fd)
{
	if (fd >= 0)
		close(fd); /* closing the only descriptor releases the flock */
}
