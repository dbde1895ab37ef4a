/*
 * lines.c - the line reader; see lines.h.
 *
 * Invariants: never more than OPTT_LINE_MAX bytes of one line are held,
 * so a huge or newline-free file costs one pass and no memory; every file
 * is checked on its descriptor (never by path); reads retry on EINTR only.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "accounts/lines.h"

void
optt_lines_fd(struct optt_lines *l, int fd)
{
	l->fd = fd;
	l->mem = NULL;
	l->memlen = l->start = l->end = 0;
	l->eof = l->skipping = l->keep_long = 0;
	l->offset = 0;
}

void
optt_lines_keep_long(struct optt_lines *l)
{
	l->keep_long = 1;
}

void
optt_lines_mem(struct optt_lines *l, const char *data, size_t n)
{
	optt_lines_fd(l, -1);
	l->mem = data;
	l->memlen = l->end = n;
	l->eof = 1;
}

int
optt_lines_rewind(struct optt_lines *l)
{
	if (l->fd < 0) {
		optt_lines_mem(l, l->mem, l->memlen);
		return 0;
	}
	if (lseek(l->fd, 0, SEEK_SET) == (off_t)-1)
		return -1;
	optt_lines_fd(l, l->fd);
	return 0;
}

/* more bytes into buf after the carried part; 0, or -1 on a read error */
static int
fill(struct optt_lines *l)
{
	ssize_t r;

	if (l->start > 0) {
		memmove(l->buf, l->buf + l->start, l->end - l->start);
		l->end -= l->start;
		l->start = 0;
	}
	for (;;) {
		r = read(l->fd, l->buf + l->end, sizeof(l->buf) - l->end);
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0)
			return -1;
		if (r == 0)
			l->eof = 1;
		l->end += (size_t)r;
		return 0;
	}
}

int
optt_lines_next(struct optt_lines *l, const char **ret, size_t *ret_n)
{
	const char *base, *nl;
	size_t avail, len, used;

	for (;;) {
		base = l->fd < 0 ? l->mem : l->buf;
		avail = l->end - l->start;
		nl = memchr(base + l->start, '\n', avail);
		if (nl == NULL && !l->eof) {
			if (avail >= OPTT_LINE_MAX && l->keep_long && !l->skipping) {
				/* hand out its start, skip the rest */
				*ret = base + l->start;
				*ret_n = OPTT_LINE_MAX - 1;
				l->offset += avail;
				l->start = l->end = 0;
				l->skipping = 1;
				if (memchr(*ret, '\0', *ret_n) != NULL)
					continue;
				return 1;
			}
			if (avail >= OPTT_LINE_MAX) {
				/* already too long with no end in sight: drop what we hold */
				l->offset += avail;
				l->start = l->end = 0;
				l->skipping = 1;
			}
			if (fill(l) != 0)
				return -1;
			continue;
		}
		if (nl == NULL && avail == 0)
			return 0;
		len = nl != NULL ? (size_t)(nl - (base + l->start)) : avail;
		used = len + (nl != NULL);
		*ret = base + l->start;
		*ret_n = len;
		l->start += used;
		l->offset += used;
		if (l->skipping) {
			l->skipping = 0; /* the tail of a line already too long */
			continue;
		}
		if (len + 1 > OPTT_LINE_MAX && l->keep_long)
			*ret_n = len = OPTT_LINE_MAX - 1; /* (from memory: cut it) */
		if (len + 1 > OPTT_LINE_MAX || memchr(*ret, '\0', len) != NULL)
			continue;
		return 1;
	}
}

static int
checked(int fd)
{
	struct stat sb;

	if (fd < 0)
		return -1;
	if (fstat(fd, &sb) != 0 || !S_ISREG(sb.st_mode) || (sb.st_uid != 0 && sb.st_uid != geteuid()) ||
	    (sb.st_mode & (S_IWGRP | S_IWOTH))) {
		close(fd);
		errno = EPERM;
		return -1;
	}
	return fd;
}

int
optt_lines_open(const char *path)
{
	return checked(open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK | O_NOCTTY));
}

int
optt_lines_openat(int dirfd, const char *name)
{
	return checked(openat(dirfd, name, O_RDONLY | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK | O_NOCTTY));
}
