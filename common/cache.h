/*
 * cache.h - the token cache (SPEC §4): one record per (profile, subject)
 * in a backend chosen by `cache`: keyring (Secret Service), file, none;
 * auto = keyring when a session bus is set and a Secret Service answers
 * within 2 s and its default collection is unlocked, else file.
 *
 * Locks are always files in the cache directory (flock), whatever the
 * backend, so concurrent processes for one record serialise.  A lock held
 * by a killed process is released by the kernel.
 *
 * Ownership: struct optt_cache owns its backend state; optt_cache_close
 * releases it.  Records returned are the caller's (optt_token_clear).
 */
#ifndef OPTT_CACHE_H
#define OPTT_CACHE_H

#include <stddef.h>

#include "common/conf.h"
#include "common/log.h"
#include "common/mem.h"
#include "common/privdir.h"
#include "common/status.h"
#include "common/token.h"

struct optt_cache;

struct optt_cache_ops {
	const char *name;
	/* *ret_found = 0 on a miss (a corrupt or unsafe record is a miss). */
	enum optt_status (*load)(struct optt_cache *c, const char *profile, const char *subject,
				 struct optt_token *ret, int *ret_found, struct optt_err *err);
	enum optt_status (*store)(struct optt_cache *c, const char *profile, const char *subject,
				  const struct optt_token *t, struct optt_err *err);
	enum optt_status (*remove)(struct optt_cache *c, const char *profile, const char *subject,
				   struct optt_err *err);
	/* Subjects with a record for profile; free with optt_cache_list_free. */
	enum optt_status (*list)(struct optt_cache *c, const char *profile, char ***ret,
				 size_t *ret_n, struct optt_err *err);
	void (*close)(struct optt_cache *c);
};

struct optt_cache {
	const struct optt_cache_ops *ops;
	int dirfd;         /* the cache/lock directory, -1 when none */
	char *dir;
	void *priv;        /* backend state */
	const struct optt_log *log;
};

extern const struct optt_cache_ops optt_cache_file_ops;
extern const struct optt_cache_ops optt_cache_none_ops;

void optt_cache_init(struct optt_cache *c);
enum optt_status optt_cache_open(struct optt_cache *c, enum optt_cache_mode mode,
				 const struct optt_log *log, struct optt_err *err);
void optt_cache_close(struct optt_cache *c);
void optt_cache_list_free(char **list, size_t n);

/* Exclusive lock on the record, waiting at most wait_s seconds. */
enum optt_status optt_cache_lock(struct optt_cache *c, const char *profile, const char *subject,
				 long wait_s, int *ret_fd, struct optt_err *err);
void optt_cache_unlock(int fd);

/* Whether the cache's backend is the keyring. */
int optt_cache_is_keyring(const struct optt_cache *c);

/* keyring backend (cache_keyring.c): OPTT_UNAVAILABLE when no usable
 * Secret Service; never autolaunches a bus, never prompts. */
enum optt_status optt_cache_keyring_open(struct optt_cache *c, struct optt_err *err);

#endif
