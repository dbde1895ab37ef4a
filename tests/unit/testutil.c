/* testutil.c - helpers for the unit tests. */
#include "config.h"

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "tests/unit/testutil.h"

char *
tu_tmpdir(void)
{
	char tmpl[] = "/tmp/optt-unit-XXXXXX";
	char *d = mkdtemp(tmpl);

	assert_non_null(d);
	return strdup(d);
}

void
tu_rmrf(const char *dir)
{
	char cmd[512];

	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	assert_int_equal(system(cmd), 0); /* lint-ok: test cleanup of our own mkdtemp dir */
}

char *
tu_write(const char *dir, const char *name, const char *text, unsigned mode)
{
	char *path = malloc(strlen(dir) + strlen(name) + 2);
	int fd;

	assert_non_null(path);
	sprintf(path, "%s/%s", dir, name); /* lint-ok: sized above */
	unlink(path);
	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
	assert_true(fd >= 0);
	assert_int_equal(write(fd, text, strlen(text)), (ssize_t)strlen(text));
	assert_int_equal(fchmod(fd, (mode_t)mode), 0);
	close(fd);
	return path;
}
