/*
 * cache_dir.c - see cache_dir.h.  The names are made here and nowhere
 * else; reading and writing go through privdir.c, so its invariants hold
 * for every file of the cache (private, ours, never followed, replaced
 * atomically, wiped buffers).
 */
#include "config.h"

#include <dirent.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "common/cache_dir.h"
#include "common/cache_record.h"
#include "common/mem.h"
#include "common/privdir.h"
#include "common/url.h"

/* longer names than this are refused (NAME_MAX is 255) */
#define NAME_LIMIT 250

static const struct {
	enum optt_cache_file kind;
	const char *ext;
} exts[] = {
	{ OPTT_CF_RECORD, ".json" },
	{ OPTT_CF_COPY, ".access" },
	{ OPTT_CF_LOCK, ".lock" },
};

static const char *
ext_of(enum optt_cache_file kind)
{
	size_t i;

	for (i = 0; i < sizeof(exts) / sizeof(exts[0]); i++)
		if (exts[i].kind == kind)
			return exts[i].ext;
	return ".invalid";
}

/* "<profile>@<subject><ext>", both percent-encoded */
static enum optt_status
file_name(struct optt_buf *out, enum optt_cache_file kind, const char *profile,
	  const char *subject, struct optt_err *err)
{
	if (optt_url_encode(out, profile) != 0 || optt_buf_puts(out, "@") != 0 ||
	    optt_url_encode(out, subject) != 0 || optt_buf_puts(out, ext_of(kind)) != 0)
		return optt_err_set(err, OPTT_NOMEM, "out of memory");
	if (out->len > NAME_LIMIT)
		return optt_err_set(err, OPTT_CONFIG, "profile and subject too long for a cache file name");
	return OPTT_OK;
}

enum optt_status
optt_cache_dir_open(char **ret_path, int *ret_fd, struct optt_err *err)
{
	return optt_privdir_open(OPTT_PRIVDIR_CACHE, ret_path, ret_fd, err);
}

enum optt_status
optt_cache_dir_load(int dirfd, enum optt_cache_file kind, const char *profile, const char *subject,
		    const struct optt_log *log, struct optt_token *ret, int *ret_found,
		    struct optt_err *err)
{
	struct optt_buf name, data;
	struct optt_err e;
	enum optt_status st;
	int found = 0;

	*ret_found = 0;
	optt_buf_init(&name, 1024);
	optt_buf_init(&data, OPTT_RECORD_MAX);
	optt_err_init(&e);
	if ((st = file_name(&name, kind, profile, subject, err)) != OPTT_OK ||
	    (st = optt_privdir_read(dirfd, name.data, OPTT_RECORD_MAX, log, &data, &found, err)) !=
		    OPTT_OK || !found)
		goto out;
	st = optt_record_decode(data.data, data.len, ret, &e);
	if (st == OPTT_NOMEM) {
		st = optt_err_set(err, OPTT_NOMEM, "out of memory");
		goto out;
	}
	if (st != OPTT_OK) {
		optt_debug(log, "cache file %s ignored: %s", name.data, e.msg);
		st = OPTT_OK;
		goto out;
	}
	if (kind == OPTT_CF_COPY)
		optt_free_str(&ret->refresh_token); /* a copy never holds one */
	*ret_found = 1;
out:
	optt_buf_clear(&name);
	optt_buf_clear(&data);
	return st;
}

enum optt_status
optt_cache_dir_save(int dirfd, const char *dir, enum optt_cache_file kind, const char *profile,
		    const char *subject, const struct optt_token *t, struct optt_err *err)
{
	struct optt_buf name, data;
	struct optt_token copy = *t;
	enum optt_status st;

	optt_buf_init(&name, 1024);
	optt_buf_init(&data, OPTT_RECORD_MAX);
	if (kind == OPTT_CF_COPY)
		copy.refresh_token = NULL; /* never outside the keyring */
	if ((st = file_name(&name, kind, profile, subject, err)) != OPTT_OK)
		goto out;
	if (optt_record_encode(&copy, &data) != 0) {
		st = optt_err_set(err, OPTT_NOMEM, "cannot encode the cache record");
		goto out;
	}
	st = optt_privdir_write(dirfd, dir, name.data, data.data, data.len, err);
out:
	optt_buf_clear(&name);
	optt_buf_clear(&data);
	return st;
}

enum optt_status
optt_cache_dir_remove(int dirfd, enum optt_cache_file kind, const char *profile,
		      const char *subject, struct optt_err *err)
{
	struct optt_buf name;
	enum optt_status st;

	optt_buf_init(&name, 1024);
	if ((st = file_name(&name, kind, profile, subject, err)) == OPTT_OK &&
	    unlinkat(dirfd, name.data, 0) != 0 && errno != ENOENT)
		st = optt_err_set(err, OPTT_SYSTEM, "cannot remove %s: %s", name.data, strerror(errno));
	optt_buf_clear(&name);
	return st;
}

static int
listed(char **list, size_t n, const char *s)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (strcmp(list[i], s) == 0)
			return 1;
	return 0;
}

enum optt_status
optt_cache_dir_subjects(int dirfd, unsigned kinds, const char *profile, char ***ret, size_t *ret_n,
			struct optt_err *err)
{
	struct optt_buf prefix, subj;
	enum optt_status st = OPTT_OK;
	struct dirent *de;
	char **list = NULL, **nl;
	size_t n = 0, len, i, el = 0;
	DIR *d = NULL;
	int fd, r;

	*ret = NULL;
	*ret_n = 0;
	optt_buf_init(&prefix, 1024);
	optt_buf_init(&subj, 1024);
	if (optt_url_encode(&prefix, profile) != 0 || optt_buf_puts(&prefix, "@") != 0)
		goto nomem;
	if ((fd = dup(dirfd)) < 0 || (d = fdopendir(fd)) == NULL) {
		if (fd >= 0)
			close(fd);
		st = optt_err_set(err, OPTT_SYSTEM, "cannot read the cache directory: %s", strerror(errno));
		goto out;
	}
	rewinddir(d);
	while ((de = readdir(d)) != NULL) {
		len = strlen(de->d_name);
		if (len <= prefix.len || strncmp(de->d_name, prefix.data, prefix.len) != 0)
			continue;
		for (i = 0; i < sizeof(exts) / sizeof(exts[0]); i++) {
			el = strlen(exts[i].ext);
			if ((kinds & exts[i].kind) && len > prefix.len + el &&
			    strcmp(de->d_name + len - el, exts[i].ext) == 0)
				break;
		}
		if (i == sizeof(exts) / sizeof(exts[0]))
			continue;
		optt_buf_clear(&subj);
		r = optt_url_decode(&subj, de->d_name + prefix.len, len - prefix.len - el, 0);
		if (r == -1)
			goto nomem;
		if (r != 0 || subj.data == NULL || listed(list, n, subj.data))
			continue; /* a name that does not decode is not ours */
		if ((nl = realloc(list, (n + 1) * sizeof(*list))) == NULL)
			goto nomem;
		list = nl;
		list[n++] = optt_buf_steal(&subj);
	}
	*ret = list;
	*ret_n = n;
	list = NULL;
	n = 0;
	goto out;
nomem:
	st = optt_err_set(err, OPTT_NOMEM, "out of memory");
out:
	if (d != NULL)
		closedir(d);
	optt_cache_list_free(list, n);
	optt_buf_clear(&prefix);
	optt_buf_clear(&subj);
	return st;
}

void
optt_cache_list_free(char **list, size_t n)
{
	size_t i;

	for (i = 0; i < n && list != NULL; i++)
		free(list[i]);
	free(list);
}

enum optt_status
optt_cache_dir_lock(int dirfd, const char *profile, const char *subject, long wait_s, int *ret_fd,
		    struct optt_err *err)
{
	struct optt_buf name;
	enum optt_status st;

	*ret_fd = -1;
	optt_buf_init(&name, 1024);
	if ((st = file_name(&name, OPTT_CF_LOCK, profile, subject, err)) == OPTT_OK)
		st = optt_privdir_lock(dirfd, name.data, wait_s, ret_fd, err);
	optt_buf_clear(&name);
	return st;
}
