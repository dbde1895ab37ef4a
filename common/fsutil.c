/*
 * fsutil.c - safe reading of small files; see fsutil.h.
 *
 * Invariants: checks on the fd (fstat), never the path; O_CLOEXEC always;
 * the read is capped; the buffer holding the content is wiped by the
 * caller's optt_buf_clear, and on every error path here.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "common/fsutil.h"

enum optt_status
optt_fs_check(const char *path, const struct stat *st, unsigned flags,
	      struct optt_err *err)
{
	if (!S_ISREG(st->st_mode))
		return optt_err_set(err, OPTT_CONFIG, "%s: not a regular file", path);
	if ((flags & OPTT_FS_ROOT) && st->st_uid != 0)
		return optt_err_set(err, OPTT_CONFIG,
				    "%s: refused: must be owned by root", path);
	if ((flags & OPTT_FS_ROOT) && (st->st_mode & (S_IWGRP | S_IWOTH)))
		return optt_err_set(err, OPTT_CONFIG,
				    "%s: refused: writable by group or others", path);
	if ((flags & OPTT_FS_SECRET) && (st->st_mode & (S_IRGRP | S_IROTH)))
		return optt_err_set(err, OPTT_CONFIG,
				    "%s: refused: holds a secret but is readable by group or others (chmod 600)",
				    path);
	if ((flags & OPTT_FS_SECRET) && st->st_uid != 0 && st->st_uid != geteuid())
		return optt_err_set(err, OPTT_CONFIG,
				    "%s: refused: holds a secret but is owned by another user", path);
	return OPTT_OK;
}

int
optt_fd_read_all(int fd, struct optt_buf *b)
{
	char chunk[4096];
	ssize_t n;
	int r = 0;

	for (;;) {
		n = read(fd, chunk, sizeof(chunk));
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			r = -3;
			break;
		}
		if (n == 0 || (r = optt_buf_append(b, chunk, (size_t)n)) != 0)
			break;
	}
	OPTT_WIPE(chunk, sizeof(chunk));
	return r;
}

int
optt_fd_write_all(int fd, const void *p, size_t n)
{
	const char *c = p;
	ssize_t w;

	while (n > 0) {
		w = write(fd, c, n);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0) {
			if (w == 0)
				errno = 0;
			return -1;
		}
		c += w;
		n -= (size_t)w;
	}
	return 0;
}

enum optt_status
optt_fs_read(const char *path, size_t max, unsigned flags, struct stat *ret_st,
	     struct optt_buf *ret, struct optt_err *err)
{
	enum optt_status st = OPTT_OK;
	struct optt_buf buf;
	struct stat sb;
	int fd = -1, oflags = O_RDONLY | O_CLOEXEC | O_NOCTTY;

	optt_buf_init(&buf, max);
	if (flags & OPTT_FS_NOFOLLOW)
		oflags |= O_NOFOLLOW;
	if ((fd = open(path, oflags)) < 0) {
		st = optt_err_set(err, OPTT_CONFIG, "%s: cannot open: %s", path,
				  errno == ELOOP ? "is a symbolic link" : strerror(errno));
		goto out;
	}
	if (fstat(fd, &sb) != 0) {
		st = optt_err_set(err, OPTT_SYSTEM, "%s: fstat: %s", path, strerror(errno));
		goto out;
	}
	if ((st = optt_fs_check(path, &sb, flags, err)) != OPTT_OK)
		goto out;
	if (sb.st_size < 0 || (size_t)sb.st_size > max) {
		st = optt_err_set(err, OPTT_CONFIG, "%s: larger than %zu bytes", path, max);
		goto out;
	}
	if (optt_buf_append(&buf, "", 0) != 0) {
		st = optt_err_set(err, OPTT_NOMEM, "out of memory");
		goto out;
	}
	switch (optt_fd_read_all(fd, &buf)) {
	case 0:
		break;
	case -2:
		st = optt_err_set(err, OPTT_CONFIG, "%s: larger than %zu bytes", path, max);
		goto out;
	case -3:
		st = optt_err_set(err, OPTT_SYSTEM, "%s: read: %s", path, strerror(errno));
		goto out;
	default:
		st = optt_err_set(err, OPTT_NOMEM, "out of memory");
		goto out;
	}
	if (ret_st != NULL)
		*ret_st = sb;
	*ret = buf;
	optt_buf_init(&buf, max);
out:
	optt_buf_clear(&buf);
	if (fd >= 0)
		close(fd);
	return st;
}

/* one component below dirfd: opened (created if missing) and checked */
static int
rootdir_step(int dirfd, const char *name, mode_t mode, int last, const char **why)
{
	struct stat sb;
	int fd, made = 0;

	fd = openat(dirfd, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0 && errno == ENOENT) {
		if (mkdirat(dirfd, name, last ? mode : 0755) == 0)
			made = 1; /* else someone else made it meanwhile: checked below */
		else if (errno != EEXIST) {
			*why = strerror(errno);
			return -1;
		}
		fd = openat(dirfd, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	}
	if (fd < 0) {
		*why = errno == ELOOP || errno == ENOTDIR ? "not a directory (symbolic link?)" : strerror(errno);
		return -1;
	}
	if (fstat(fd, &sb) != 0 || sb.st_uid != 0) {
		*why = "not owned by root";
	} else if ((sb.st_mode & (S_IWGRP | S_IWOTH)) && (last || !(sb.st_mode & S_ISVTX))) {
		*why = "writable by group or others";
	} else if (made && fchmod(fd, last ? mode : 0755) != 0) { /* whatever the umask */
		*why = strerror(errno);
	} else if (last && !made && (sb.st_mode & 077 & ~mode)) {
		*why = "open to group or others beyond what it should be";
	} else {
		return fd;
	}
	close(fd);
	return -1;
}

enum optt_status
optt_fs_open_rootdir(const char *path, mode_t mode, int *ret_fd, struct optt_err *err)
{
	char name[256];
	const char *p = path, *why = NULL;
	size_t n;
	int fd, next;

	if (path[0] != '/')
		return optt_err_set(err, OPTT_CONFIG, "%.200s: not an absolute path", path);
	if ((fd = rootdir_step(AT_FDCWD, "/", 0755, 0, &why)) < 0)
		return optt_err_set(err, OPTT_SYSTEM, "/: refused: %s", why);
	for (;;) {
		p += strspn(p, "/");
		n = strcspn(p, "/");
		if (n == 0)
			break;
		if (n >= sizeof(name) || (n == 2 && p[0] == '.' && p[1] == '.') || (n == 1 && p[0] == '.')) {
			close(fd);
			return optt_err_set(err, OPTT_CONFIG, "%.200s: not a plain absolute path", path);
		}
		memcpy(name, p, n);
		name[n] = '\0';
		next = rootdir_step(fd, name, mode, p[n + strspn(p + n, "/")] == '\0', &why);
		close(fd);
		if (next < 0)
			return optt_err_set(err, OPTT_SYSTEM, "%.*s: refused: %s", (int)(p - path + (long)n),
					    path, why);
		fd = next;
		p += n;
	}
	*ret_fd = fd;
	return OPTT_OK;
}
