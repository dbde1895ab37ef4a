/* testutil.c - helpers for the unit tests. */
#include "config.h"

#include <fcntl.h>
#include <ftw.h>
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

char *
tu_runtime_dir(char *cdir, size_t n)
{
	char *d = tu_tmpdir();

	snprintf(cdir, n, "%s/optt", d);
	setenv("XDG_RUNTIME_DIR", d, 1);
	return d;
}

static int
rm_one(const char *path, const struct stat *sb, int flag, struct FTW *ftw)
{
	(void)sb, (void)flag, (void)ftw;
	return remove(path);
}

void
tu_rmrf(const char *dir)
{
	assert_int_equal(nftw(dir, rm_one, 16, FTW_DEPTH | FTW_PHYS), 0);
}

char *
tu_write(const char *dir, const char *name, const char *text, unsigned mode)
{
	size_t n = strlen(dir) + strlen(name) + 2;
	char *path = malloc(n);
	int fd;

	assert_non_null(path);
	snprintf(path, n, "%s/%s", dir, name);
	unlink(path);
	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
	assert_true(fd >= 0);
	assert_int_equal(write(fd, text, strlen(text)), (ssize_t)strlen(text));
	assert_int_equal(fchmod(fd, (mode_t)mode), 0);
	close(fd);
	return path;
}
