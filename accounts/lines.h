/*
 * lines.h - reading a ledger-style file (SPEC §15) a line at a time, from
 * a descriptor or from memory, with the rules every reader of the ledger,
 * the pins and /etc/passwd and /etc/group follows here:
 *
 *   - a line is at most OPTT_LINE_MAX bytes including its newline; a
 *     longer one is skipped whole and the lines after it still count;
 *   - a line holding a NUL byte is skipped;
 *   - a last line without a newline counts as if it had one.
 *
 * No allocation: the reader's buffer is inside struct optt_lines (the
 * caller decides stack or heap).  A line handed out points into that
 * buffer (or into the memory given) and stays valid until the next call.
 * Nothing here is secret; nothing is wiped.
 */
#ifndef OPTT_ACCOUNTS_LINES_H
#define OPTT_ACCOUNTS_LINES_H

#include <stddef.h>
#include <stdint.h>

#define OPTT_LINE_MAX 4096

struct optt_lines {
	int fd;                   /* -1: reading memory */
	const char *mem;
	size_t memlen;
	size_t start, end;        /* unread bytes: buf[start..end) or mem[start..end) */
	int eof, skipping;
	int keep_long;            /* optt_lines_keep_long */
	uint64_t offset;          /* bytes of the source consumed by the lines handed out or skipped */
	char buf[2 * OPTT_LINE_MAX];
};

void optt_lines_fd(struct optt_lines *l, int fd);
/* For the system's own files (/etc/passwd, /etc/group), which another
 * tool writes and where a group of many members makes a long line: a line
 * too long is handed out cut to its first OPTT_LINE_MAX - 1 bytes instead
 * of skipped - their first fields, name and id, are all we read there. */
void optt_lines_keep_long(struct optt_lines *l);
void optt_lines_mem(struct optt_lines *l, const char *data, size_t n);
/* Back to the first line (a descriptor: lseek to 0, so the file read
 * again is the one opened, whatever was renamed over it since).  0, or -1
 * when the descriptor cannot seek. */
int optt_lines_rewind(struct optt_lines *l);
/* The next line that keeps the rules, without its newline: 1 (*ret, *ret_n
 * set), 0 at the end, -1 when a read fails (the end, for a lookup). */
int optt_lines_next(struct optt_lines *l, const char **ret, size_t *ret_n);

/* Open a file of the ledger kind for reading: O_CLOEXEC, O_NOFOLLOW,
 * O_NONBLOCK (a FIFO planted there cannot block the caller), then checked
 * on the descriptor: a regular file owned by root (or by the caller's
 * effective user, which can only fool itself), not writable by group or
 * others.  The descriptor, or -1 with errno (EPERM for a refused file). */
int optt_lines_open(const char *path);
int optt_lines_openat(int dirfd, const char *name);

#endif
