/*
 * failinject.c - counters of the failure-injection build; see
 * failinject.h.  Compiled only with --enable-failinject.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>

#include "common/failinject.h"

/* this file calls the real functions (the build force-includes the macros) */
#undef malloc
#undef calloc
#undef realloc
#undef strdup
#undef strndup
#undef write
#undef read
#undef fsync
#undef renameat

#include <signal.h>

static unsigned long alloc_nth, write_nth, read_nth, curl_nth, fsync_nth, rename_nth, allocs, writes, reads,
	curls, fsyncs, renames;
static int configured, hit, kill_mode;

static void
configure_once(void)
{
	const char *a, *w, *r, *c;

	if (__atomic_load_n(&configured, __ATOMIC_ACQUIRE))
		return;
	a = getenv("OPTT_FAIL_ALLOC");
	w = getenv("OPTT_FAIL_WRITE");
	r = getenv("OPTT_FAIL_READ");
	c = getenv("OPTT_FAIL_CURL");
	alloc_nth = a ? strtoul(a, NULL, 10) : 0;
	write_nth = w ? strtoul(w, NULL, 10) : 0;
	read_nth = r ? strtoul(r, NULL, 10) : 0;
	curl_nth = c ? strtoul(c, NULL, 10) : 0;
	fsync_nth = getenv("OPTT_FAIL_FSYNC") ? strtoul(getenv("OPTT_FAIL_FSYNC"), NULL, 10) : 0;
	rename_nth = getenv("OPTT_FAIL_RENAME") ? strtoul(getenv("OPTT_FAIL_RENAME"), NULL, 10) : 0;
	kill_mode = getenv("OPTT_FAIL_KILL") != NULL;
	__atomic_store_n(&configured, 1, __ATOMIC_RELEASE);
}

/* read the environment when the library is loaded: the PAM module later
 * runs libcurl and OpenSSL with an empty environment (SPEC §19), and the
 * first event may come inside that window */
__attribute__((constructor)) static void
configure_at_load(void)
{
	configure_once();
}

static int
fail_alloc(void)
{
	configure_once();
	if (alloc_nth != 0 && __atomic_add_fetch(&allocs, 1, __ATOMIC_RELAXED) == alloc_nth) {
		hit = 1;
		errno = ENOMEM;
		return 1;
	}
	return 0;
}

__attribute__((destructor)) static void
report(void)
{
	const char *f = getenv("OPTT_FAIL_REPORT");
	char line[96];
	int fd, n;

	if (f == NULL || (fd = open(f, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0600)) < 0)
		return;
	n = hit ? snprintf(line, sizeof(line), "hit\n")
		: snprintf(line, sizeof(line), "unreached %lu %lu %lu %lu %lu %lu\n", allocs, writes, reads, curls,
			   fsyncs, renames);
	if (write(fd, line, (size_t)n) < 0) {
		/* nothing to do */
	}
	close(fd);
}

void *
optt_fi_malloc(size_t n)
{
	return fail_alloc() ? NULL : malloc(n);
}

void *
optt_fi_calloc(size_t a, size_t b)
{
	return fail_alloc() ? NULL : calloc(a, b);
}

void *
optt_fi_realloc(void *p, size_t n)
{
	return fail_alloc() ? NULL : realloc(p, n);
}

char *
optt_fi_strdup(const char *s)
{
	return fail_alloc() ? NULL : strdup(s);
}

char *
optt_fi_strndup(const char *s, size_t n)
{
	return fail_alloc() ? NULL : strndup(s, n);
}

static int nth_event(const unsigned long *nth, unsigned long *counter);

/* a crash in the middle of a file's replacement (OPTT_FAIL_KILL) */
static void
maybe_kill(void)
{
	if (kill_mode)
		raise(SIGKILL);
}

ssize_t
optt_fi_write(int fd, const void *p, size_t n)
{
	if (nth_event(&write_nth, &writes)) {
		maybe_kill();
		errno = EIO;
		return -1;
	}
	return write(fd, p, n);
}

/* the Nth event of a kind fails; counted only when that kind is asked for
 * (nth is read after configure_once, so the process's first event counts) */
static int
nth_event(const unsigned long *nth, unsigned long *counter)
{
	configure_once();
	if (*nth != 0 && __atomic_add_fetch(counter, 1, __ATOMIC_RELAXED) == *nth) {
		hit = 1;
		return 1;
	}
	return 0;
}

ssize_t
optt_fi_read(int fd, void *p, size_t n)
{
	if (nth_event(&read_nth, &reads)) {
		errno = EIO;
		return -1;
	}
	return read(fd, p, n);
}

int
optt_fi_curl(void)
{
	return nth_event(&curl_nth, &curls);
}

int
optt_fi_fsync(int fd)
{
	if (nth_event(&fsync_nth, &fsyncs)) {
		maybe_kill();
		errno = EIO;
		return -1;
	}
	return fsync(fd);
}

int
optt_fi_renameat(int olddirfd, const char *oldpath, int newdirfd, const char *newpath)
{
	if (nth_event(&rename_nth, &renames)) {
		maybe_kill();
		errno = EIO;
		return -1;
	}
	return renameat(olddirfd, oldpath, newdirfd, newpath);
}
