/*
 * dockerstore.c - see dockerstore.h: stored docker credentials in the
 * keyring (docker-credential-secretservice's schema), or in the file
 * backend (one private JSON file rewritten atomically under a lock).
 *
 * Invariants (the file holds secrets): the data directory is opened by
 * privdir.c (0700, ours, not a symlink); the file is read only if it is a
 * private regular file of ours and replaced only whole (temp, fsync,
 * rename) while the lock is held; a damaged file is never overwritten;
 * every buffer that held it is wiped, every secret string freed wiped.
 * Keyring: never prompts (locked items are left out, never unlocked; the
 * cache refused a locked collection when it opened the service).
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "common/cache.h"
#include "common/jsonutil.h"
#include "common/keyring.h"
#include "common/mem.h"
#include "common/privdir.h"
#include "docker_helper/dockerstore.h"

#define CREDS_FILE "docker-credentials.json"
#define CREDS_MAX (1024 * 1024)
#define CREDS_LOCK "docker@credentials.lock"
#define LOCK_WAIT_S 10

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

/* Append a copy to cs; 0 or -1 (no memory). */
static int
stored_creds_add(struct optt_stored_creds *cs, const char *server, const char *username,
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
	if ((st = optt_privdir_read(f->dirfd, CREDS_FILE, CREDS_MAX, log, &data, &found, err)) != OPTT_OK ||
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
		if (stored_creds_add(ret, s, u, p) != 0) {
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
		st = optt_privdir_write(f->dirfd, f->dir, CREDS_FILE, out.data, out.len, err);
	optt_buf_clear(&out);
	return st;
}

static enum optt_status
file_open_locked(struct credfile *f, int *lockfd, struct optt_err *err)
{
	enum optt_status st;

	f->dir = NULL;
	f->dirfd = -1;
	if ((st = optt_privdir_open(OPTT_PRIVDIR_DATA, &f->dir, &f->dirfd, err)) != OPTT_OK)
		return st;
	if ((st = optt_privdir_lock(f->dirfd, CREDS_LOCK, LOCK_WAIT_S, lockfd, err)) != OPTT_OK)
		credfile_close(f);
	return st;
}

/* --- keyring backend: docker-credential-secretservice's schema ----------- */

static const SecretSchema docker_schema = {
	"io.docker.Credentials",
	SECRET_SCHEMA_NONE,
	{
		{ "label", SECRET_SCHEMA_ATTRIBUTE_STRING },
		{ "server", SECRET_SCHEMA_ATTRIBUTE_STRING },
		{ "username", SECRET_SCHEMA_ATTRIBUTE_STRING },
		{ "docker_cli", SECRET_SCHEMA_ATTRIBUTE_STRING },
		{ NULL, 0 },
	},
	0, NULL, NULL, NULL, NULL, NULL, NULL, NULL,
};
#define DOCKER_LABEL "Docker Credentials"

struct load {
	SecretService *svc;
	struct optt_stored_creds *ret;
};

/* one stored credential: its secret, and server and user from the item */
static enum optt_status
load_one(void *arg, const char *path, const char *secret, size_t len, int *stop,
	 struct optt_err *err)
{
	struct load *l = arg;
	const char *server, *user;
	enum optt_status st;
	GVariant *ia;

	(void)stop;
	if (strlen(secret) != len)
		return OPTT_OK; /* not text: not docker's */
	if ((st = optt_keyring_property(l->svc, path, "org.freedesktop.Secret.Item", "Attributes", &ia,
					err)) != OPTT_OK)
		return st;
	server = optt_keyring_attr(ia, "server");
	user = optt_keyring_attr(ia, "username");
	if (server != NULL && stored_creds_add(l->ret, server, user, secret) != 0)
		st = optt_err_set(err, OPTT_NOMEM, "out of memory");
	optt_ls.g_variant_unref(ia);
	return st;
}

static enum optt_status
kr_load_all(SecretService *svc, struct optt_stored_creds *ret, struct optt_err *err)
{
	GHashTable *attrs = optt_keyring_attrs("docker_cli", "1", NULL);
	struct load l = { svc, ret };
	gchar **paths = NULL;
	enum optt_status st;

	st = optt_keyring_search(svc, &docker_schema, attrs, &paths, err);
	optt_ls.g_hash_table_unref(attrs);
	if (st == OPTT_OK)
		st = optt_keyring_read(svc, paths, load_one, &l, err);
	optt_ls.g_strfreev(paths);
	return st;
}

static enum optt_status
kr_delete(SecretService *svc, const char *server, struct optt_err *err)
{
	GHashTable *attrs = optt_keyring_attrs("server", server, "docker_cli", "1", NULL);
	GError *ge = NULL;

	optt_ls.secret_service_clear_sync(svc, &docker_schema, attrs, NULL, &ge);
	optt_ls.g_hash_table_unref(attrs);
	return ge != NULL ? optt_keyring_error(err, &ge, "remove") : OPTT_OK;
}

static enum optt_status
kr_store(SecretService *svc, const char *server, const char *username, const char *secret,
	 struct optt_err *err)
{
	GHashTable *attrs = optt_keyring_attrs("label", DOCKER_LABEL, "server", server, "username",
					       username ? username : "", "docker_cli", "1", NULL);
	GError *ge = NULL;
	SecretValue *v = optt_ls.secret_value_new(secret, -1, "text/plain");
	enum optt_status st = OPTT_OK;

	if (!optt_ls.secret_service_store_sync(svc, &docker_schema, attrs, SECRET_COLLECTION_DEFAULT,
					       server, v, NULL, &ge))
		st = optt_keyring_error(err, &ge, "store");
	optt_ls.g_hash_table_unref(attrs);
	optt_ls.secret_value_unref(v);
	return st;
}

/* --- dispatch ------------------------------------------------------------- */

enum optt_status
optt_dockerstore_load_all(struct optt_cache *c, struct optt_stored_creds *ret,
			  struct optt_err *err)
{
	struct credfile f;
	enum optt_status st;
	SecretService *svc;
	int lockfd = -1;

	ret->v = NULL;
	ret->n = 0;
	if ((svc = optt_cache_keyring_service(c)) != NULL) {
		if ((st = kr_load_all(svc, ret, err)) != OPTT_OK)
			optt_stored_creds_free(ret);
		return st;
	}
	if ((st = file_open_locked(&f, &lockfd, err)) != OPTT_OK)
		return st;
	st = file_load_all(&f, c->log, ret, err);
	optt_privdir_unlock(lockfd);
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
optt_dockerstore_replace(struct optt_cache *c, const char *const *servers, size_t n,
			 const char *server, const char *username, const char *secret,
			 struct optt_err *err)
{
	struct optt_stored_creds all = { NULL, 0 }, keep = { NULL, 0 };
	struct credfile f;
	enum optt_status st = OPTT_OK;
	SecretService *svc;
	size_t i;
	int lockfd = -1;

	if ((svc = optt_cache_keyring_service(c)) != NULL) {
		for (i = 0; i < n && st == OPTT_OK; i++)
			st = kr_delete(svc, servers[i], err);
		if (st == OPTT_OK && server != NULL)
			st = kr_store(svc, server, username, secret, err);
		return st;
	}
	if ((st = file_open_locked(&f, &lockfd, err)) != OPTT_OK)
		return st;
	if ((st = file_load_all(&f, c->log, &all, err)) != OPTT_OK)
		goto out;
	for (i = 0; i < all.n && st == OPTT_OK; i++)
		if (!in_list(all.v[i].server, servers, n) &&
		    stored_creds_add(&keep, all.v[i].server, all.v[i].username, all.v[i].secret) != 0)
			st = optt_err_set(err, OPTT_NOMEM, "out of memory");
	if (st == OPTT_OK && server != NULL &&
	    stored_creds_add(&keep, server, username, secret) != 0)
		st = optt_err_set(err, OPTT_NOMEM, "out of memory");
	if (st == OPTT_OK)
		st = file_write_all(&f, &keep, err);
out:
	optt_stored_creds_free(&all);
	optt_stored_creds_free(&keep);
	optt_privdir_unlock(lockfd);
	credfile_close(&f);
	return st;
}
