/* testutil.h - small helpers shared by the cmocka unit tests. */
#ifndef OPTT_TESTUTIL_H
#define OPTT_TESTUTIL_H

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

/* Create a private temp directory (removed by tu_rmrf). */
char *tu_tmpdir(void);
void tu_rmrf(const char *dir);
/* A temp directory that is $XDG_RUNTIME_DIR; cdir receives the cache
 * directory inside it ("DIR/optt").  Returns the directory (free). */
char *tu_runtime_dir(char *cdir, size_t n);
/* Write text to dir/name with mode; returns the malloc'ed path. */
char *tu_write(const char *dir, const char *name, const char *text, unsigned mode);

#endif
