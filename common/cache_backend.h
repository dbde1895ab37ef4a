/*
 * cache_backend.h - between cache.c and its backends (cache_file.c,
 * cache_keyring.c): the operations a backend provides.  Front ends use
 * cache.h, never this.
 */
#ifndef OPTT_CACHE_BACKEND_H
#define OPTT_CACHE_BACKEND_H

#include "common/cache.h"

struct optt_cache_ops {
	const char *name;
	/* *ret_found = 0 on a miss (a corrupt or unsafe record is a miss). */
	enum optt_status (*load)(struct optt_cache *c, const char *profile, const char *subject,
				 struct optt_token *ret, int *ret_found, struct optt_err *err);
	enum optt_status (*store)(struct optt_cache *c, const char *profile, const char *subject,
				  const struct optt_token *t, struct optt_err *err);
	enum optt_status (*remove)(struct optt_cache *c, const char *profile, const char *subject,
				   struct optt_err *err);
	/* Subjects with a record; OPTT_NOMEM rather than a shortened list. */
	enum optt_status (*list)(struct optt_cache *c, const char *profile, char ***ret,
				 size_t *ret_n, struct optt_err *err);
	void (*close)(struct optt_cache *c);
};

extern const struct optt_cache_ops optt_cache_file_ops;

/* keyring backend (cache_keyring.c): sets c->ops and c->priv;
 * OPTT_UNAVAILABLE when no usable Secret Service; never autolaunches a
 * bus, never prompts. */
enum optt_status optt_cache_keyring_open(struct optt_cache *c, struct optt_err *err);
extern const struct optt_cache_ops optt_cache_keyring_ops;
/* its SecretService, once its transfer session is open (or failed) */
void *optt_cache_keyring_ready(const struct optt_cache *c);

#endif
