/*
 * handoff.c - see handoff.h.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "common/handoff.h"

enum optt_status
optt_handoff_read_stdin(struct optt_buf *b, struct optt_err *err)
{
	char chunk[4096];
	enum optt_status st = OPTT_OK;
	ssize_t n;

	for (;;) {
		n = read(STDIN_FILENO, chunk, sizeof(chunk));
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			st = optt_err_set(err, OPTT_SYSTEM, "cannot read standard input");
			break;
		}
		if (n == 0)
			break;
		if (optt_buf_append(b, chunk, (size_t)n) != 0) {
			st = optt_err_set(err, OPTT_CONFIG, "input larger than %zu bytes", b->max);
			break;
		}
	}
	OPTT_WIPE(chunk, sizeof(chunk));
	return st;
}

int
optt_handoff_sibling(const char *name, char *out, size_t size)
{
	char self[PATH_MAX];
	ssize_t n = readlink("/proc/self/exe", self, sizeof(self) - 1);
	char *slash;

	if (n <= 0)
		return -1;
	self[n] = '\0';
	if ((slash = strrchr(self, '/')) == NULL)
		return -1;
	*slash = '\0';
	return (size_t)snprintf(out, size, "%s/%s", self, name) < size && access(out, X_OK) == 0 ? 0 : -1;
}

static int
full_path(const char *name, char *out, size_t size)
{
	if (optt_handoff_sibling(name, out, size) == 0)
		return 0;
	return (size_t)snprintf(out, size, "%s/optt-auth/%s", LIBEXECDIR, name) < size ? 0 : -1;
}

void
optt_handoff_exec_full(const char *name, char **argv, const struct optt_buf *input)
{
	char path[PATH_MAX];
	size_t off = 0;
	ssize_t w;
	int fd;

	if (full_path(name, path, sizeof(path)) != 0) {
		fprintf(stderr, "optt: cannot locate %s\n", name);
		return;
	}
	if (input == NULL)
		goto exec; /* standard input untouched: the full helper reads it */
	if ((fd = memfd_create("optt-input", MFD_CLOEXEC)) < 0) {
		fprintf(stderr, "optt: memfd_create: %s\n", strerror(errno));
		return;
	}
	while (off < input->len) {
		w = write(fd, input->data + off, input->len - off);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0) {
			fprintf(stderr, "optt: cannot pass the input on: %s\n", strerror(errno));
			close(fd);
			return;
		}
		off += (size_t)w;
	}
	if (lseek(fd, 0, SEEK_SET) != 0 || dup2(fd, STDIN_FILENO) < 0) {
		fprintf(stderr, "optt: cannot pass the input on: %s\n", strerror(errno));
		close(fd);
		return;
	}
	close(fd);
exec:
	argv[0] = (char *)name;
	execv(path, argv);
	fprintf(stderr, "optt: cannot run %s: %s\n", path, strerror(errno));
}
