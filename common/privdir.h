/*
 * privdir.h - the user's private directories and the files in them: open
 * (creating 0700) a directory that must be ours and closed to others,
 * read a file that must be a private regular file of ours, replace one
 * atomically, and take a lock file.  Pure POSIX: no GLib, no libcurl, so
 * the front programs can use it.  What the files are called and hold is
 * their owner's business (cache_dir.h for the token cache, the docker
 * helper's dockerstore.h for its stored credentials).
 */
#ifndef OPTT_PRIVDIR_H
#define OPTT_PRIVDIR_H

#include <stddef.h>
#include <sys/types.h>

#include "common/log.h"
#include "common/mem.h"
#include "common/status.h"

enum optt_privdir {
	/* $XDG_RUNTIME_DIR/optt, else ${XDG_CACHE_HOME:-$HOME/.cache}/optt */
	OPTT_PRIVDIR_CACHE,
	/* ${XDG_DATA_HOME:-$HOME/.local/share}/optt: survives logout */
	OPTT_PRIVDIR_DATA,
};

/* Open (creating 0700) the directory; refuses a symlink, a directory
 * owned by someone else or open to group/others.  *ret_path is the
 * caller's (free), *ret_fd too (close).  OPTT_SYSTEM, OPTT_NOMEM. */
enum optt_status optt_privdir_open(enum optt_privdir which, char **ret_path, int *ret_fd,
				   struct optt_err *err);

/* Read name in dirfd into ret (at most max bytes) if it is a private
 * regular file of ours.  Missing, not ours, not private, unreadable,
 * empty or over max: *ret_found = 0 and OPTT_OK (a miss, logged at debug
 * level).  OPTT_NOMEM when memory runs out. */
enum optt_status optt_privdir_read(int dirfd, const char *name, size_t max,
				   const struct optt_log *log, struct optt_buf *ret,
				   int *ret_found, struct optt_err *err);

/* Replace name in dirfd atomically: a fresh 0600 temp file, fsync,
 * rename (dir names the directory in messages).  OPTT_SYSTEM, OPTT_NOMEM. */
enum optt_status optt_privdir_write(int dirfd, const char *dir, const char *name,
				    const char *data, size_t len, struct optt_err *err);
/* The same with the file's final mode, set on the temp file before the
 * rename (readers never see it closed to them): the user ledger's passwd
 * and group are 0644 (SPEC §15); setup kube keeps a kubeconfig's mode. */
enum optt_status optt_privdir_write_mode(int dirfd, const char *dir, const char *name, const char *data,
					 size_t len, mode_t mode, struct optt_err *err);

/* Exclusive flock on the lock file name in dirfd (created 0600, never
 * followed), waiting at most wait_s seconds: OPTT_UNAVAILABLE when it
 * stays held, OPTT_SYSTEM, OPTT_NOMEM.  The kernel releases a lock whose
 * holder dies.  optt_privdir_unlock(-1) does nothing. */
enum optt_status optt_privdir_lock(int dirfd, const char *name, long wait_s, int *ret_fd,
				   struct optt_err *err);
void optt_privdir_unlock(int fd);

#endif
