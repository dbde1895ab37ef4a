/*
 * cache_file.c - the file backend of the token cache: the record is
 * <profile>@<subject>.json in the cache directory (cache_dir.c owns the
 * names; privdir.c's invariants hold: private, ours, never followed,
 * replaced atomically, wiped buffers).  Anything unsafe or corrupt is no
 * record, and is replaced by the next store.
 */
#include "config.h"

#include "common/cache_backend.h"
#include "common/cache_dir.h"

static enum optt_status
file_load(struct optt_cache *c, const char *profile, const char *subject,
	  struct optt_token *ret, int *ret_found, struct optt_err *err)
{
	return optt_cache_dir_load(c->dirfd, OPTT_CF_RECORD, profile, subject, c->log, ret,
				   ret_found, err);
}

static enum optt_status
file_store(struct optt_cache *c, const char *profile, const char *subject,
	   const struct optt_token *t, struct optt_err *err)
{
	return optt_cache_dir_save(c->dirfd, c->dir, OPTT_CF_RECORD, profile, subject, t, err);
}

static enum optt_status
file_remove(struct optt_cache *c, const char *profile, const char *subject, struct optt_err *err)
{
	return optt_cache_dir_remove(c->dirfd, OPTT_CF_RECORD, profile, subject, err);
}

static enum optt_status
file_list(struct optt_cache *c, const char *profile, char ***ret, size_t *ret_n,
	  struct optt_err *err)
{
	return optt_cache_dir_subjects(c->dirfd, OPTT_CF_RECORD, profile, ret, ret_n, err);
}

const struct optt_cache_ops optt_cache_file_ops = {
	"file", file_load, file_store, file_remove, file_list, NULL,
};
