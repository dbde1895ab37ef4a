/*
 * cache.h - the token cache (SPEC §4): one record per (profile, subject)
 * in a backend chosen by `cache`: keyring (Secret Service), file, none;
 * auto = keyring when a session bus is set and a Secret Service answers
 * within 2 s and its default collection is unlocked, else file.
 *
 * Everything goes through these functions (the backends are private to
 * the cache, cache_backend.h).  They keep the keyring backend's copy of
 * the access token (cache_dir.h) in step with the record, so the front
 * programs find a valid token without D-Bus.  Locks are always files in
 * the cache directory (flock), whatever the backend, so concurrent
 * processes for one record serialise.
 *
 * Ownership: struct optt_cache owns its backend state; optt_cache_close
 * releases it.  Records returned are the caller's (optt_token_clear).
 */
#ifndef OPTT_CACHE_H
#define OPTT_CACHE_H

#include <stddef.h>

#include "common/cache_dir.h"
#include "common/conf.h"
#include "common/log.h"
#include "common/status.h"
#include "common/token.h"

struct optt_cache_ops;

struct optt_cache {
	const struct optt_cache_ops *ops; /* the backend (cache_backend.h) */
	int dirfd;         /* the cache/lock directory, -1 when none */
	char *dir;
	void *priv;        /* backend state */
	const struct optt_log *log;
};

void optt_cache_init(struct optt_cache *c);
/* OPTT_UNAVAILABLE for `keyring` without a usable Secret Service;
 * OPTT_SYSTEM for an unusable cache directory. */
enum optt_status optt_cache_open(struct optt_cache *c, enum optt_cache_mode mode,
				 const struct optt_log *log, struct optt_err *err);
void optt_cache_close(struct optt_cache *c);
/* "keyring", "file" or "none" */
const char *optt_cache_backend(const struct optt_cache *c);

/* *ret_found = 0 on a miss (a corrupt or unsafe record is a miss). */
enum optt_status optt_cache_load(struct optt_cache *c, const char *profile, const char *subject,
				 struct optt_token *ret, int *ret_found, struct optt_err *err);
enum optt_status optt_cache_store(struct optt_cache *c, const char *profile, const char *subject,
				  const struct optt_token *t, struct optt_err *err);
enum optt_status optt_cache_remove(struct optt_cache *c, const char *profile, const char *subject,
				   struct optt_err *err);
/* Subjects with a record for profile; free with optt_cache_list_free.
 * OPTT_NOMEM rather than a shortened list. */
enum optt_status optt_cache_list(struct optt_cache *c, const char *profile, char ***ret,
				 size_t *ret_n, struct optt_err *err);

/* Exclusive lock on the record, waiting at most wait_s seconds; no
 * directory (`none`): *ret_fd = -1 and OPTT_OK. */
enum optt_status optt_cache_lock(struct optt_cache *c, const char *profile, const char *subject,
				 long wait_s, int *ret_fd, struct optt_err *err);
void optt_cache_unlock(int fd);

/* The Secret Service connection of the keyring backend (a SecretService
 * *, used through common/keyring.h), NULL for the other backends: the
 * docker helper keeps its stored credentials wherever the tokens are. */
void *optt_cache_keyring_service(const struct optt_cache *c);

#endif
