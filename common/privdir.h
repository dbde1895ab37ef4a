/*
 * privfile.h - private directories and files of the user-side programs
 * (see privfile.c for the invariants).  No GLib, no libcurl.
 */
#ifndef OPTT_PRIVFILE_H
#define OPTT_PRIVFILE_H

#include <stddef.h>

#include "common/log.h"
#include "common/mem.h"
#include "common/status.h"

/* The file name stem for (profile, subject): both percent-encoded. */
int optt_cache_stem(struct optt_buf *out, const char *profile, const char *subject);
/* Open (creating 0700) the cache directory; refuses a symlink, a
 * directory owned by someone else or open to group/others. */
enum optt_status optt_cache_dir_open(char **ret_path, int *ret_fd, struct optt_err *err);
/* The same for the persistent data directory,
 * ${XDG_DATA_HOME:-$HOME/.local/share}/optt (stored docker credentials). */
enum optt_status optt_data_dir_open(char **ret_path, int *ret_fd, struct optt_err *err);

/* Read name in dirfd if it is a private regular file of ours (else, or
 * when missing, *ret_found = 0); at most max bytes. */
enum optt_status optt_private_read(int dirfd, const char *name, size_t max,
				   const struct optt_log *log, struct optt_buf *ret,
				   int *ret_found);
/* Replace name in dirfd atomically: a fresh 0600 temp file, fsync, rename. */
enum optt_status optt_private_write(int dirfd, const char *dir, const char *name,
				    const char *data, size_t len, struct optt_err *err);
#endif
