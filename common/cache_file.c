/*
 * cache_file.c - the file backend of the token cache.
 *
 * Invariants:
 *  - the directory is 0700 and ours (checked by optt_cache_dir_open);
 *  - records are opened O_NOFOLLOW|O_CLOEXEC and checked on the fd:
 *    a regular file, owned by us, mode 0600 or stricter; anything else is
 *    treated as no record (and replaced by the next store), never followed;
 *  - writes go to a fresh temp file (O_CREAT|O_EXCL, 0600) that is
 *    fsync'ed and renamed over the record: a reader sees the old record or
 *    the new one, never a torn one;
 *  - every buffer that held a record is wiped.
 */
#include "config.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "common/cache.h"
#include "common/lookup.h"
#include "common/mem.h"
#include "common/cache_record.h"
#include "common/url.h"

static int
record_name(struct optt_buf *b, const char *profile, const char *subject)
{
	int r = optt_cache_stem(b, profile, subject);

	if (r == 0)
		r = optt_buf_puts(b, ".json");
	if (r == 0 && b->len > 250)
		r = -2;
	return r;
}

static enum optt_status
file_load(struct optt_cache *c, const char *profile, const char *subject,
	  struct optt_token *ret, int *ret_found, struct optt_err *err)
{
	struct optt_buf name, data;
	enum optt_status st = OPTT_OK;
	struct optt_err e;
	int r, found = 0;

	*ret_found = 0;
	optt_buf_init(&name, 1024);
	optt_buf_init(&data, OPTT_RECORD_MAX);
	optt_err_init(&e);
	if ((r = record_name(&name, profile, subject)) != 0) {
		st = optt_err_set(err, r == -1 ? OPTT_NOMEM : OPTT_CONFIG, "record name too long");
		goto out;
	}
	if ((st = optt_private_read(c->dirfd, name.data, OPTT_RECORD_MAX, c->log, &data, &found)) !=
		    OPTT_OK || !found)
		goto out;
	if (optt_record_decode(data.data, data.len, ret, &e) != OPTT_OK) {
		optt_debug(c->log, "cache record %s ignored: %s", name.data, e.msg);
		goto out;
	}
	*ret_found = 1;
out:
	optt_buf_clear(&name);
	optt_buf_clear(&data);
	return st;
}

static enum optt_status
file_store(struct optt_cache *c, const char *profile, const char *subject,
	   const struct optt_token *t, struct optt_err *err)
{
	struct optt_buf name, data;
	enum optt_status st;
	int r;

	optt_buf_init(&name, 1024);
	optt_buf_init(&data, OPTT_RECORD_MAX);
	if ((r = record_name(&name, profile, subject)) != 0 || (r = optt_record_encode(t, &data)) != 0)
		st = optt_err_set(err, r == -1 ? OPTT_NOMEM : OPTT_CONFIG, "cannot encode cache record");
	else
		st = optt_private_write(c->dirfd, c->dir, name.data, data.data, data.len, err);
	optt_fast_copy_drop(c->dirfd, profile, subject); /* a keyring leftover */
	optt_buf_clear(&name);
	optt_buf_clear(&data);
	return st;
}

static enum optt_status
file_remove(struct optt_cache *c, const char *profile, const char *subject, struct optt_err *err)
{
	struct optt_buf name;
	enum optt_status st = OPTT_OK;

	optt_buf_init(&name, 1024);
	optt_fast_copy_drop(c->dirfd, profile, subject); /* a keyring leftover */
	if (record_name(&name, profile, subject) != 0)
		st = optt_err_set(err, OPTT_NOMEM, "out of memory");
	else if (unlinkat(c->dirfd, name.data, 0) != 0 && errno != ENOENT)
		st = optt_err_set(err, OPTT_SYSTEM, "cannot remove cache record: %s", strerror(errno));
	optt_buf_clear(&name);
	return st;
}

static enum optt_status
file_list(struct optt_cache *c, const char *profile, char ***ret, size_t *ret_n,
	  struct optt_err *err)
{
	struct optt_buf prefix, subj;
	enum optt_status st = OPTT_OK;
	struct dirent *de;
	char **list = NULL, **nl;
	size_t n = 0, len;
	DIR *d = NULL;
	int fd;

	optt_buf_init(&prefix, 1024);
	optt_buf_init(&subj, 1024);
	if (optt_url_encode(&prefix, profile) != 0 || optt_buf_puts(&prefix, "@") != 0)
		goto nomem;
	if ((fd = dup(c->dirfd)) < 0 || (d = fdopendir(fd)) == NULL) {
		if (fd >= 0)
			close(fd);
		st = optt_err_set(err, OPTT_SYSTEM, "cannot read %s: %s", c->dir, strerror(errno));
		goto out;
	}
	rewinddir(d);
	while ((de = readdir(d)) != NULL) {
		len = strlen(de->d_name);
		if (len <= prefix.len + 5 || strncmp(de->d_name, prefix.data, prefix.len) != 0 ||
		    strcmp(de->d_name + len - 5, ".json") != 0)
			continue;
		optt_buf_clear(&subj);
		if (optt_url_decode(&subj, de->d_name + prefix.len, len - prefix.len - 5, 0) != 0 ||
		    subj.data == NULL)
			goto nomem;
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

const struct optt_cache_ops optt_cache_file_ops = {
	"file", file_load, file_store, file_remove, file_list, NULL,
};
