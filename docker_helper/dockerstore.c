/*
 * creds.c - stored docker credentials: dispatch to the keyring, or the
 * file backend (one private JSON file rewritten atomically under a lock).
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "docker_helper/dockerstore.h"
#include "common/jsonutil.h"
#include "common/mem.h"

#define CREDS_FILE "docker-credentials.json"
#define CREDS_MAX (1024 * 1024)

void
optt_stored_creds_free(struct optt_stored_creds *cs)
{
	size_t i;

	for (i = 0; i < cs->n; i++) {
		optt_free_str(&cs->v[i].server);
		optt_free_str(&cs->v[i].username);
		optt_free_str(&cs->v[i].secret);
	}
	free(cs->v);
	cs->v = NULL;
	cs->n = 0;
}

int
optt_stored_creds_add(struct optt_stored_creds *cs, const char *server, const char *username,
		      const char *secret)
{
	struct optt_stored_cred *nv, *c;

	if ((nv = realloc(cs->v, (cs->n + 1) * sizeof(*nv))) == NULL)
		return -1;
	cs->v = nv;
	c = &nv[cs->n];
	c->server = optt_strdup(server);
	c->username = optt_strdup(username ? username : "");
	c->secret = optt_strdup(secret);
	if (c->server == NULL || c->username == NULL || c->secret == NULL) {
		optt_free_str(&c->server);
		optt_free_str(&c->username);
		optt_free_str(&c->secret);
		return -1;
	}
	cs->n++;
	return 0;
}

/* --- file backend -------------------------------------------------------- */

struct credfile {
	char *dir;
	int dirfd;
};

static void
credfile_close(struct credfile *f)
{
	if (f->dirfd >= 0)
		close(f->dirfd);
	free(f->dir);
	f->dir = NULL;
	f->dirfd = -1;
}

static enum optt_status
file_load_all(struct credfile *f, const struct optt_log *log, struct optt_stored_creds *ret,
	      struct optt_err *err)
{
	struct optt_buf data;
	struct json_object *o = NULL, *arr, *e;
	enum optt_status st = OPTT_OK;
	size_t i, n;
	int found = 0;

	optt_buf_init(&data, CREDS_MAX);
	if ((st = optt_private_read(f->dirfd, CREDS_FILE, CREDS_MAX, log, &data, &found)) != OPTT_OK ||
	    !found)
		goto out;
	if ((o = optt_json_parse(data.data, data.len)) == NULL ||
	    !json_object_object_get_ex(o, "credentials", &arr) ||
	    !json_object_is_type(arr, json_type_array)) {
		st = optt_err_set(err, OPTT_SYSTEM, "%s/%s is damaged: not touching it", f->dir, CREDS_FILE);
		goto out;
	}
	n = json_object_array_length(arr);
	for (i = 0; i < n; i++) {
		const char *s, *u, *p;

		e = json_object_array_get_idx(arr, i);
		s = optt_json_str(e, "server");
		u = optt_json_str(e, "username");
		p = optt_json_str(e, "secret");
		if (s == NULL || p == NULL)
			continue;
		if (optt_stored_creds_add(ret, s, u, p) != 0) {
			st = optt_err_set(err, OPTT_NOMEM, "out of memory");
			goto out;
		}
	}
out:
	optt_json_free(&o);
	optt_buf_clear(&data);
	return st;
}

static enum optt_status
file_write_all(struct credfile *f, const struct optt_stored_creds *cs, struct optt_err *err)
{
	struct optt_buf out;
	enum optt_status st;
	size_t i;
	int r = 0;

	optt_buf_init(&out, CREDS_MAX);
	r |= optt_buf_puts(&out, "{\"version\":1,\"credentials\":[");
	for (i = 0; i < cs->n; i++) {
		r |= optt_buf_puts(&out, i ? ",\n{\"server\":" : "\n{\"server\":");
		r |= optt_json_escape(&out, cs->v[i].server);
		r |= optt_buf_puts(&out, ",\"username\":");
		r |= optt_json_escape(&out, cs->v[i].username);
		r |= optt_buf_puts(&out, ",\"secret\":");
		r |= optt_json_escape(&out, cs->v[i].secret);
		r |= optt_buf_puts(&out, "}");
	}
	r |= optt_buf_puts(&out, "\n]}\n");
	if (r != 0)
		st = optt_err_set(err, OPTT_NOMEM, "too many stored credentials");
	else
		st = optt_private_write(f->dirfd, f->dir, CREDS_FILE, out.data, out.len, err);
	optt_buf_clear(&out);
	return st;
}

static enum optt_status
file_open_locked(struct credfile *f, struct optt_cache *c, int *lockfd, struct optt_err *err)
{
	struct optt_cache lc;
	enum optt_status st;

	f->dir = NULL;
	f->dirfd = -1;
	if ((st = optt_data_dir_open(&f->dir, &f->dirfd, err)) != OPTT_OK)
		return st;
	optt_cache_init(&lc);
	lc.dirfd = f->dirfd;
	lc.dir = f->dir;
	lc.log = c->log;
	/* the lock lives next to the file: docker@credentials.lock */
	if ((st = optt_cache_lock(&lc, "docker", "credentials", 10, lockfd, err)) != OPTT_OK)
		credfile_close(f);
	return st;
}

/* --- dispatch ------------------------------------------------------------- */

enum optt_status
optt_creds_load_all(struct optt_cache *c, struct optt_stored_creds *ret, struct optt_err *err)
{
	struct credfile f;
	enum optt_status st;
	int lockfd = -1;

	ret->v = NULL;
	ret->n = 0;
	if (optt_cache_is_keyring(c))
		return optt_keyring_creds_load_all(c, ret, err);
	if ((st = file_open_locked(&f, c, &lockfd, err)) != OPTT_OK)
		return st;
	st = file_load_all(&f, c->log, ret, err);
	optt_cache_unlock(lockfd);
	credfile_close(&f);
	if (st != OPTT_OK)
		optt_stored_creds_free(ret);
	return st;
}

static int
in_list(const char *s, const char *const *list, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (strcmp(s, list[i]) == 0)
			return 1;
	return 0;
}

enum optt_status
optt_creds_replace(struct optt_cache *c, const char *const *servers, size_t n, const char *server,
		   const char *username, const char *secret, struct optt_err *err)
{
	struct optt_stored_creds all = { NULL, 0 }, keep = { NULL, 0 };
	struct credfile f;
	enum optt_status st = OPTT_OK;
	size_t i;
	int lockfd = -1;

	if (optt_cache_is_keyring(c)) {
		for (i = 0; i < n && st == OPTT_OK; i++)
			st = optt_keyring_creds_delete(c, servers[i], err);
		if (st == OPTT_OK && server != NULL)
			st = optt_keyring_creds_store(c, server, username, secret, err);
		return st;
	}
	if ((st = file_open_locked(&f, c, &lockfd, err)) != OPTT_OK)
		return st;
	if ((st = file_load_all(&f, c->log, &all, err)) != OPTT_OK)
		goto out;
	for (i = 0; i < all.n && st == OPTT_OK; i++)
		if (!in_list(all.v[i].server, servers, n) &&
		    optt_stored_creds_add(&keep, all.v[i].server, all.v[i].username, all.v[i].secret) != 0)
			st = optt_err_set(err, OPTT_NOMEM, "out of memory");
	if (st == OPTT_OK && server != NULL &&
	    optt_stored_creds_add(&keep, server, username, secret) != 0)
		st = optt_err_set(err, OPTT_NOMEM, "out of memory");
	if (st == OPTT_OK)
		st = file_write_all(&f, &keep, err);
out:
	optt_stored_creds_free(&all);
	optt_stored_creds_free(&keep);
	optt_cache_unlock(lockfd);
	credfile_close(&f);
	return st;
}
