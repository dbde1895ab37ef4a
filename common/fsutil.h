/*
 * fsutil.h - reading small trusted files (config, client secrets) safely.
 *
 * Files are opened O_CLOEXEC (and O_NOFOLLOW on request); every check is
 * made on the open descriptor, never on the path, so nothing can be
 * swapped between check and read.  Content is read into a capped
 * optt_buf, which the caller clears (and so wipes).
 */
#ifndef OPTT_FSUTIL_H
#define OPTT_FSUTIL_H

#include <stddef.h>
#include <sys/stat.h>

#include "common/mem.h"
#include "common/status.h"

enum {
	OPTT_FS_NOFOLLOW = 1 << 0, /* refuse a symbolic link */
	OPTT_FS_SECRET = 1 << 1,   /* refuse if readable by group or others */
	OPTT_FS_ROOT = 1 << 2,     /* refuse unless owned by root and not group/other writable */
};

/* Read the whole regular file at path (at most max bytes) into ret.
 * ret_st, if not NULL, receives the fstat of the file.
 * Errors: OPTT_CONFIG for a refused file (missing, too large, unsafe
 * owner or mode), OPTT_NOMEM, OPTT_SYSTEM for I/O errors. */
enum optt_status optt_fs_read(const char *path, size_t max, unsigned flags,
			      struct stat *ret_st, struct optt_buf *ret,
			      struct optt_err *err);

/* Read fd to its end, appending to b (capped by b's max); the bytes that
 * passed through the stack are wiped.  0; -1 no memory, -2 over the cap,
 * -3 a read error (errno). */
int optt_fd_read_all(int fd, struct optt_buf *b);

/* Write all n bytes of p to fd (retrying short writes and EINTR).
 * 0; -1 a write error (errno; 0 when write wrote nothing). */
int optt_fd_write_all(int fd, const void *p, size_t n);

/* Check a stat against the OPTT_FS_SECRET / OPTT_FS_ROOT rules. */
enum optt_status optt_fs_check(const char *path, const struct stat *st,
			       unsigned flags, struct optt_err *err);

/* Open (creating what is missing) the directory at the absolute path
 * for root's own state (SPEC §11): every component is opened with
 * O_NOFOLLOW from "/" down and must be owned by root and not writable by
 * group or others (a sticky directory such as /tmp is allowed above the
 * last component); the last must grant group and others nothing beyond
 * mode.  Missing directories are created (the last with mode, the others
 * 0755, whatever the umask).  statedir.h names root's state directories
 * and their modes: use it, not this, for those.  OPTT_SYSTEM with a message naming the component. */
enum optt_status optt_fs_open_rootdir(const char *path, mode_t mode, int *ret_fd,
				      struct optt_err *err);

#endif
