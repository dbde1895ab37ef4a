/*
 * lookup.c - see lookup.h.  Uses only the configuration and the cache
 * directory (cache_dir.c): no GLib, no libcurl.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "common/cache_dir.h"
#include "common/lookup.h"
#include "common/mem.h"

const char *
optt_obtain_subject(const struct optt_profile *p, const char *username)
{
	if (optt_pnum(p, OPTT_K_GRANT) == OPTT_GRANT_PASSWORD)
		return username;
	return optt_pstr(p, OPTT_K_CLIENT_ID);
}

const char *
optt_subject_hint(const struct optt_profile *p, const char *name)
{
	if (name == NULL || name[0] == '\0' || strcmp(name, optt_pstr(p, OPTT_K_USERNAME)) == 0)
		return NULL;
	return name;
}

int
optt_token_still_valid(const struct optt_profile *p, const struct optt_token *t)
{
	return t->access_token != NULL &&
	       optt_expiry_ahead(t->expires_at, (int64_t)time(NULL), optt_pnum(p, OPTT_K_REFRESH_MARGIN));
}

/* The configured backend's file only: keyring -> the copy, file -> the
 * record, auto -> whichever the backend in use last wrote (cache.c never
 * leaves both).  *hit = 1 when a still-valid token. */
static enum optt_status
load_valid(int dirfd, const struct optt_profile *p, const char *subject, struct optt_token *ret,
	   int *hit)
{
	static const enum optt_cache_file kinds[] = { OPTT_CF_COPY, OPTT_CF_RECORD };
	long mode = optt_pnum(p, OPTT_K_CACHE);
	size_t first = mode == OPTT_CACHE_FILE ? 1 : 0, last = mode == OPTT_CACHE_KEYRING ? 1 : 2, i;
	enum optt_status st = OPTT_OK;
	struct optt_err e;
	int found;

	*hit = 0;
	for (i = first; i < last && !*hit && st == OPTT_OK; i++) {
		optt_err_init(&e);
		found = 0;
		st = optt_cache_dir_load(dirfd, kinds[i], p->name, subject, NULL, ret, &found, &e);
		if (st == OPTT_CONFIG)
			return OPTT_REJECTED; /* no file can have that name */
		if (st != OPTT_OK || !found)
			continue;
		optt_free_str(&ret->refresh_token); /* the lookup never needs it */
		if (!(*hit = optt_token_still_valid(p, ret)))
			optt_token_clear(ret);
	}
	return st;
}

enum optt_status
optt_lookup_token(const struct optt_profile *p, const char *subject, struct optt_token *ret,
		  char **ret_subject)
{
	struct optt_err e;
	enum optt_status st;
	char *dir = NULL, **list = NULL;
	size_t n = 0;
	int dirfd = -1, hit = 0;

	if (ret_subject != NULL)
		*ret_subject = NULL;
	if (optt_pnum(p, OPTT_K_CACHE) == OPTT_CACHE_NONE)
		return OPTT_REJECTED;
	optt_err_init(&e);
	if ((st = optt_cache_dir_open(&dir, &dirfd, &e)) != OPTT_OK)
		return st == OPTT_NOMEM ? OPTT_NOMEM : OPTT_REJECTED;
	if (optt_pnum(p, OPTT_K_GRANT) != OPTT_GRANT_PASSWORD) {
		subject = optt_pstr(p, OPTT_K_CLIENT_ID);
	} else if (subject == NULL) {
		/* the one user with a record or a copy; none or several: a miss */
		st = optt_cache_dir_subjects(dirfd, OPTT_CF_RECORD | OPTT_CF_COPY, p->name, &list, &n, &e);
		subject = st == OPTT_OK && n == 1 ? list[0] : NULL;
	}
	if (st == OPTT_OK && subject != NULL)
		st = load_valid(dirfd, p, subject, ret, &hit);
	if (st == OPTT_OK && hit && ret_subject != NULL && (*ret_subject = optt_strdup(subject)) == NULL)
		st = OPTT_NOMEM;
	/* the header's promise: a token, no memory, or a miss (anything else) */
	if (st != OPTT_NOMEM && !(st == OPTT_OK && hit))
		st = OPTT_REJECTED;
	if (st != OPTT_OK)
		optt_token_clear(ret);
	optt_cache_list_free(list, n);
	close(dirfd);
	free(dir);
	return st;
}
