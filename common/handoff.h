/*
 * handoff.h - what the front programs share: read standard input
 * (capped), and hand over to the full helper when the fast path misses.
 *
 * The full helper gets the same arguments and, as its standard input, an
 * anonymous memory file holding exactly the bytes the front read (never a
 * pipe to a second reader, never a file on disk, never argv or the
 * environment: the input may hold a password).  It is found next to the
 * front program (a build tree), else in $(libexecdir)/optt-auth.
 */
#ifndef OPTT_HANDOFF_H
#define OPTT_HANDOFF_H

#include <stddef.h>

#include "common/mem.h"
#include "common/status.h"

/* Read all of stdin into b (its cap is the limit): OPTT_CONFIG when over. */
enum optt_status optt_handoff_read_stdin(struct optt_buf *b, struct optt_err *err);

/* The program NAME in this program's own directory (/proc/self/exe) into
 * out (size bytes), if it is there and executable: 0, else -1. */
int optt_handoff_sibling(const char *name, char *out, size_t size);

/* Replace this process with the full helper NAME, its standard input
 * being input (NULL: this process's standard input, unread); returns only
 * on failure (after printing why on stderr). */
void optt_handoff_exec_full(const char *name, char **argv, const struct optt_buf *input);

#endif
