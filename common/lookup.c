/*
 * fast.c - see fast.h.  Uses only the configuration, the record codec and
 * private files: no GLib, no libcurl.
 */
#include "config.h"

#include <dirent.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "common/lookup.h"
#include "common/mem.h"
#include "common/privdir.h"
#include "common/cache_record.h"
#include "common/url.h"

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

/* Load <stem>.access, else <stem>.json; 1 when a still-valid token. */
static int
load_valid(int dirfd, const struct optt_profile *p, const char *subject, struct optt_token *ret)
{
	static const char *const exts[] = { ".access", ".json" };
	/* the configured backend's file only: keyring -> the copy, file -> the
	 * record, auto -> whichever the backend in use last wrote */
	long mode = optt_pnum(p, OPTT_K_CACHE);
	size_t first = mode == OPTT_CACHE_FILE ? 1 : 0, last = mode == OPTT_CACHE_KEYRING ? 1 : 2;
	struct optt_buf name, data;
	struct optt_err e;
	size_t i, stem;
	int found, hit = 0;

	optt_buf_init(&name, 1024);
	optt_buf_init(&data, OPTT_RECORD_MAX);
	if (optt_cache_stem(&name, p->name, subject) != 0)
		goto out;
	stem = name.len;
	for (i = first; i < last && !hit; i++) {
		name.len = stem;
		name.data[stem] = '\0';
		found = 0;
		optt_err_init(&e);
		if (optt_buf_puts(&name, exts[i]) != 0 ||
		    optt_private_read(dirfd, name.data, OPTT_RECORD_MAX, NULL, &data, &found) != OPTT_OK ||
		    !found)
			continue;
		if (optt_record_decode(data.data, data.len, ret, &e) == OPTT_OK) {
			optt_free_str(&ret->refresh_token); /* the fast path never needs it */
			hit = optt_token_still_valid(p, ret);
			if (!hit)
				optt_token_clear(ret);
		}
		optt_buf_clear(&data);
	}
out:
	optt_buf_clear(&name);
	optt_buf_clear(&data);
	return hit;
}

/* The one subject with a record or copy for profile in the directory;
 * NULL when none or several. */
static char *
only_subject(int dirfd, const char *profile)
{
	struct optt_buf prefix, subj;
	struct dirent *de;
	char *found = NULL;
	size_t len, n;
	int fd, several = 0;
	DIR *d;

	optt_buf_init(&prefix, 1024);
	optt_buf_init(&subj, 1024);
	if (optt_url_encode(&prefix, profile) != 0 || optt_buf_puts(&prefix, "@") != 0 ||
	    (fd = dup(dirfd)) < 0) {
		optt_buf_clear(&prefix);
		return NULL;
	}
	if ((d = fdopendir(fd)) == NULL) {
		close(fd);
		optt_buf_clear(&prefix);
		return NULL;
	}
	while (!several && (de = readdir(d)) != NULL) {
		len = strlen(de->d_name);
		if (len <= prefix.len || strncmp(de->d_name, prefix.data, prefix.len) != 0)
			continue;
		if (len > 7 && strcmp(de->d_name + len - 7, ".access") == 0)
			n = len - prefix.len - 7;
		else if (len > 5 && strcmp(de->d_name + len - 5, ".json") == 0)
			n = len - prefix.len - 5;
		else
			continue;
		optt_buf_clear(&subj);
		if (optt_url_decode(&subj, de->d_name + prefix.len, n, 0) != 0 || subj.data == NULL)
			continue;
		if (found == NULL)
			found = optt_buf_steal(&subj);
		else if (strcmp(found, subj.data) != 0)
			several = 1;
	}
	closedir(d);
	optt_buf_clear(&prefix);
	optt_buf_clear(&subj);
	if (several)
		optt_free_str(&found);
	return found;
}

enum optt_status
optt_fast_token(const struct optt_profile *p, const char *subject, struct optt_token *ret,
		char **ret_subject)
{
	struct optt_err e;
	char *dir = NULL, *only = NULL;
	int dirfd = -1, hit = 0;

	if (ret_subject != NULL)
		*ret_subject = NULL;
	if (optt_pnum(p, OPTT_K_CACHE) == OPTT_CACHE_NONE)
		return OPTT_REJECTED;
	optt_err_init(&e);
	if (optt_cache_dir_open(&dir, &dirfd, &e) != OPTT_OK)
		return OPTT_REJECTED;
	if (optt_pnum(p, OPTT_K_GRANT) != OPTT_GRANT_PASSWORD)
		subject = optt_pstr(p, OPTT_K_CLIENT_ID);
	else if (subject == NULL)
		subject = only = only_subject(dirfd, p->name);
	if (subject != NULL)
		hit = load_valid(dirfd, p, subject, ret);
	if (hit && ret_subject != NULL && (*ret_subject = optt_strdup(subject)) == NULL) {
		optt_token_clear(ret);
		hit = 0;
	}
	optt_free_str(&only);
	close(dirfd);
	free(dir);
	return hit ? OPTT_OK : OPTT_REJECTED;
}

void
optt_fast_copy_update(int dirfd, const char *dir, const char *profile, const char *subject,
		      const struct optt_token *t)
{
	struct optt_buf name, data;
	struct optt_token copy;
	struct optt_err e;
	const char *rt = secure_getenv("XDG_RUNTIME_DIR");

	if (dirfd < 0)
		return;
	optt_buf_init(&name, 1024);
	optt_buf_init(&data, OPTT_RECORD_MAX);
	optt_err_init(&e);
	if (optt_cache_stem(&name, profile, subject) != 0 || optt_buf_puts(&name, ".access") != 0)
		goto out;
	/* a file-backend record of the same key is a leftover of an earlier
	 * `cache = file`: the fast path must not serve it */
	if (optt_cache_stem(&data, profile, subject) == 0 && optt_buf_puts(&data, ".json") == 0)
		unlinkat(dirfd, data.data, 0);
	optt_buf_clear(&data);
	if (t == NULL || t->access_token == NULL || rt == NULL || rt[0] != '/') {
		unlinkat(dirfd, name.data, 0);
		goto out;
	}
	copy = *t;
	copy.refresh_token = NULL; /* never outside the keyring */
	if (optt_record_encode(&copy, &data) != 0 ||
	    optt_private_write(dirfd, dir, name.data, data.data, data.len, &e) != OPTT_OK)
		unlinkat(dirfd, name.data, 0);
out:
	optt_buf_clear(&name);
	optt_buf_clear(&data);
}

void
optt_fast_copy_drop(int dirfd, const char *profile, const char *subject)
{
	struct optt_buf name;

	optt_buf_init(&name, 1024);
	if (dirfd >= 0 && optt_cache_stem(&name, profile, subject) == 0 &&
	    optt_buf_puts(&name, ".access") == 0)
		unlinkat(dirfd, name.data, 0);
	optt_buf_clear(&name);
}
