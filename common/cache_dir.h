/*
 * cache_dir.h - the token cache directory and the one place that knows
 * its layout (SPEC §4).  The directory is OPTT_PRIVDIR_CACHE
 * ($XDG_RUNTIME_DIR/optt, else ~/.cache/optt); for each (profile,
 * subject), both percent-encoded into the stem "<profile>@<subject>":
 *
 *   <stem>.json    the file backend's record (access and refresh token)
 *   <stem>.access  the keyring backend's copy of the access token alone
 *                  (never a refresh token), for the front programs
 *   <stem>.lock    the record's lock, whatever the backend
 *
 * Pure POSIX and the record codec: the front programs use it without
 * loading GLib or libcurl.
 */
#ifndef OPTT_CACHE_DIR_H
#define OPTT_CACHE_DIR_H

#include <stddef.h>

#include "common/log.h"
#include "common/status.h"
#include "common/token.h"

enum optt_cache_file {
	OPTT_CF_RECORD = 1 << 0, /* <stem>.json */
	OPTT_CF_COPY = 1 << 1,   /* <stem>.access */
	OPTT_CF_LOCK = 1 << 2,   /* <stem>.lock */
};

/* Open (creating) the cache directory; see optt_privdir_open. */
enum optt_status optt_cache_dir_open(char **ret_path, int *ret_fd, struct optt_err *err);

/* Read and decode the file of that kind: *ret_found = 0 on a miss (none,
 * unsafe, corrupt: logged at debug level).  A copy never carries a
 * refresh token.  OPTT_NOMEM, OPTT_CONFIG (names too long). */
enum optt_status optt_cache_dir_load(int dirfd, enum optt_cache_file kind, const char *profile,
				     const char *subject, const struct optt_log *log,
				     struct optt_token *ret, int *ret_found, struct optt_err *err);

/* Encode t and replace the file of that kind atomically (a copy is
 * written without the refresh token).  OPTT_SYSTEM, OPTT_NOMEM, OPTT_CONFIG. */
enum optt_status optt_cache_dir_save(int dirfd, const char *dir, enum optt_cache_file kind,
				     const char *profile, const char *subject,
				     const struct optt_token *t, struct optt_err *err);

/* Remove the file of that kind; a missing one is not an error. */
enum optt_status optt_cache_dir_remove(int dirfd, enum optt_cache_file kind, const char *profile,
				       const char *subject, struct optt_err *err);

/* The subjects that have a file of one of the kinds (a mask of
 * OPTT_CF_RECORD | OPTT_CF_COPY) for profile, each once; free with
 * optt_cache_list_free.  OPTT_SYSTEM, OPTT_NOMEM. */
enum optt_status optt_cache_dir_subjects(int dirfd, unsigned kinds, const char *profile,
					 char ***ret, size_t *ret_n, struct optt_err *err);
void optt_cache_list_free(char **list, size_t n);

/* The record's lock (see optt_privdir_lock); release with
 * optt_privdir_unlock. */
enum optt_status optt_cache_dir_lock(int dirfd, const char *profile, const char *subject,
				     long wait_s, int *ret_fd, struct optt_err *err);

#endif
