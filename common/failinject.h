/*
 * failinject.h - the failure-injection test build (configure
 * --enable-failinject): force-included into the project's own code, it
 * routes malloc, calloc, realloc, strdup and strndup (and so libcurl's
 * allocations, which go through our allocators) through counters, so the
 * Nth call fails as if memory ran out, and write() of the cache and
 * credential files likewise.  Off unless the environment asks:
 *
 *   OPTT_FAIL_ALLOC=N   the Nth allocation fails (1-based)
 *   OPTT_FAIL_WRITE=N   the Nth write() fails with EIO
 *   OPTT_FAIL_READ=N    the Nth read() fails with EIO
 *   OPTT_FAIL_CURL=N    the Nth libcurl call of common/http.c fails
 *   OPTT_FAIL_FSYNC=N   the Nth fsync() fails with EIO
 *   OPTT_FAIL_RENAME=N  the Nth renameat() fails with EIO
 *   OPTT_FAIL_KILL=1    the Nth write, fsync or renameat kills the process
 *                       (SIGKILL) instead: a crash in the middle of it
 *   OPTT_FAIL_REPORT=F  at exit: "hit" or "unreached ALLOCS WRITES READS CURLS"
 *
 * Never part of a normal build.
 */
#ifndef OPTT_FAILINJECT_H
#define OPTT_FAILINJECT_H

#include "config.h" /* _GNU_SOURCE before the first system header */

#include <malloc.h> /* declares malloc and kin again: before the macros */
#include <stdio.h>  /* renameat */
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

void *optt_fi_malloc(size_t n);
void *optt_fi_calloc(size_t a, size_t b);
void *optt_fi_realloc(void *p, size_t n);
char *optt_fi_strdup(const char *s);
char *optt_fi_strndup(const char *s, size_t n);
ssize_t optt_fi_write(int fd, const void *p, size_t n);
ssize_t optt_fi_read(int fd, void *p, size_t n);
int optt_fi_fsync(int fd);
int optt_fi_renameat(int olddirfd, const char *oldpath, int newdirfd, const char *newpath);
/* 1 when this libcurl call is to fail (OPTT_FI_CURL() in common/http.c) */
int optt_fi_curl(void);
#define OPTT_FI_CURL() optt_fi_curl()

#undef malloc
#undef calloc
#undef realloc
#undef strdup
#undef strndup
#undef write
#undef read
#undef fsync
#undef renameat
#define malloc(n) optt_fi_malloc(n)
#define calloc(a, b) optt_fi_calloc((a), (b))
#define realloc(p, n) optt_fi_realloc((p), (n))
#define strdup(s) optt_fi_strdup(s)
#define strndup(s, n) optt_fi_strndup((s), (n))
#define write(fd, p, n) optt_fi_write((fd), (p), (n))
#define read(fd, p, n) optt_fi_read((fd), (p), (n))
#define fsync(fd) optt_fi_fsync(fd)
#define renameat(a, b, c, d) optt_fi_renameat((a), (b), (c), (d))

#endif
