/*
 * statedir.h - root's state directories (SPEC §11, §19), the one place
 * that knows their names and modes.  Every feature that keeps state opens
 * its directory here, so whichever runs first creates it - and every
 * directory above it that is ours - with the mode all the others accept:
 *
 *   <run_dir>                 0711  root   (tmpfiles.d makes it at boot)
 *   <run_dir>/backoff         0700  root   outage back-off records
 *   <run_dir>/session         0711  root   session hand-off records (their
 *                                          files are the users', 0600)
 *   <offline_dir>             0700  root   offline verifiers
 *
 * Directories are opened from "/" down without following links; each
 * component must be root's and not writable by group or others (a sticky
 * directory such as /tmp is allowed above ours); ours must grant group
 * and others nothing beyond their mode (a looser one is refused, never
 * changed: the path is the admin's to choose and may not be ours alone).
 * Missing directories above ours are made 0755, whatever the umask.
 */
#ifndef OPTT_STATEDIR_H
#define OPTT_STATEDIR_H

#include <sys/types.h>

#include "common/conf.h"
#include "common/status.h"

enum optt_statedir {
	OPTT_STATEDIR_RUN,
	OPTT_STATEDIR_BACKOFF,
	OPTT_STATEDIR_SESSION,
	OPTT_STATEDIR_OFFLINE,
};

/* Open (creating what is missing) the directory of profile p; *ret_fd is
 * the caller's to close.  OPTT_SYSTEM with a message naming the path and
 * why, OPTT_NOMEM, OPTT_CONFIG (not a plain absolute path). */
enum optt_status optt_statedir_open(const struct optt_profile *p, enum optt_statedir d, int *ret_fd,
				    struct optt_err *err);

/* The directory's mode (0711, 0700). */
mode_t optt_statedir_mode(enum optt_statedir d);
/* The directory's path (buf, n bytes) for messages and check-config. */
const char *optt_statedir_path(const struct optt_profile *p, enum optt_statedir d, char *buf, size_t n);

#endif
