/*
 * optt-docker-helper.c - the full docker credential helper (SPEC §7),
 * which docker-credential-optt hands over to for everything but a cached
 * profile token (installed in $(libexecdir)/optt-auth).
 *
 *   docker-credential-optt get|store|erase|list|version
 *
 * Registries named in a profile's `hosts` get a token from the token
 * cache (refreshed or granted as needed); every other registry gets what
 * the user stored through this helper (credsStore role), in the keyring
 * under docker-credential-secretservice's schema or in one private file.
 * Errors go to standard output with exit status 1, as clients expect.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "common/jsonutil.h"
#include "common/optt.h"
#include "docker_helper/dockerproto.h"
#include "docker_helper/dockerstore.h"

#define NOT_FOUND "credentials not found in native keychain"

struct helper {
	struct optt_conf conf;
	struct optt_log log;
	struct optt_buf in;
};

/* Errors: one line on stdout, exit 1 (the helper protocol). */
static int
fail(const char *msg)
{
	printf("%s\n", msg);
	fflush(stdout);
	return 1;
}

static int
write_out(struct optt_buf *out)
{
	int ok = fwrite(out->data, 1, out->len, stdout) == out->len && fflush(stdout) == 0;

	optt_buf_clear(out);
	return ok ? 0 : 1;
}

static enum optt_status
open_store(struct helper *h, struct optt_cache *c, struct optt_err *err)
{
	return optt_cache_open(c, (enum optt_cache_mode)optt_pnum(&h->conf.defaults, OPTT_K_CACHE),
			       &h->log, err);
}

static int
get_profile(struct helper *h, const struct optt_profile *p, const char *url)
{
	struct optt_want w = { &h->log, 1, NULL, NULL, NULL, NULL, NULL }; /* docker never prompts */
	struct optt_token t;
	struct optt_err err;
	struct optt_buf out;
	enum optt_status st;
	int rc;

	optt_token_init(&t);
	optt_err_init(&err);
	optt_buf_init(&out, 64 * 1024);
	st = optt_obtain_for(p, &w, &t, &err);
	if (st == OPTT_OK)
		st = optt_docker_format_get(url, optt_pstr(p, OPTT_K_USERNAME), t.access_token, &out, &err);
	rc = st == OPTT_OK ? write_out(&out) : fail(err.msg);
	optt_buf_clear(&out);
	optt_token_clear(&t);
	return rc;
}

static int
cmd_get(struct helper *h, const char *url, const char *key)
{
	const struct optt_profile *p = optt_docker_profile_for(&h->conf, key);
	struct optt_stored_creds all = { NULL, 0 };
	struct optt_cache cache;
	struct optt_err err;
	struct optt_buf out;
	enum optt_status st;
	size_t i;
	int rc = -1;

	if (p != NULL)
		return get_profile(h, p, url);
	optt_cache_init(&cache);
	optt_err_init(&err);
	optt_buf_init(&out, 64 * 1024);
	if ((st = open_store(h, &cache, &err)) == OPTT_OK)
		st = optt_dockerstore_load_all(&cache, &all, &err);
	for (i = 0; st == OPTT_OK && rc < 0 && i < all.n; i++) {
		char *k = NULL;

		if (optt_docker_key(all.v[i].server, &k, NULL) == OPTT_OK && strcmp(k, key) == 0) {
			st = optt_docker_format_get(url, all.v[i].username, all.v[i].secret, &out, &err);
			if (st == OPTT_OK)
				rc = write_out(&out);
		}
		free(k);
	}
	if (rc < 0 && st == OPTT_OK) {
		char nb[160], fb[200];

		optt_debug(&h->log, "no profile serves registry %s (profiles: %s; read: %s) and no "
			   "credential is stored for it", key,
			   optt_conf_profile_names(&h->conf, nb, sizeof(nb)),
			   optt_conf_sources(&h->conf, fb, sizeof(fb)));
	}
	if (rc < 0)
		rc = fail(st == OPTT_OK ? NOT_FOUND : err.msg);
	optt_buf_clear(&out);
	optt_stored_creds_free(&all);
	optt_cache_close(&cache);
	return rc;
}

/* The stored servers whose key is key (several spellings may exist). */
static enum optt_status
same_key(struct optt_cache *cache, const char *key, struct optt_stored_creds *all,
	 const char ***ret, size_t *ret_n, struct optt_err *err)
{
	enum optt_status st;
	size_t i;

	*ret = NULL;
	*ret_n = 0;
	if ((st = optt_dockerstore_load_all(cache, all, err)) != OPTT_OK)
		return st;
	if (all->n > 0 && (*ret = calloc(all->n, sizeof(**ret))) == NULL)
		return optt_err_set(err, OPTT_NOMEM, "out of memory");
	for (i = 0; i < all->n; i++) {
		char *k = NULL;

		if (optt_docker_key(all->v[i].server, &k, NULL) == OPTT_OK && strcmp(k, key) == 0)
			(*ret)[(*ret_n)++] = all->v[i].server;
		free(k);
	}
	return OPTT_OK;
}

static int
cmd_store(struct helper *h, const char *no_url, const char *no_key)
{
	struct optt_docker_cred in;
	struct optt_stored_creds all = { NULL, 0 };
	struct optt_cache cache;
	struct optt_err err;
	enum optt_status st;
	const char **servers = NULL;
	char *key = NULL;
	size_t n = 0;

	(void)no_url, (void)no_key;
	optt_err_init(&err);
	optt_cache_init(&cache);
	if ((st = optt_docker_parse_store(h->in.data ? h->in.data : "", h->in.len, &in, &err)) != OPTT_OK)
		return fail(err.msg);
	if ((st = optt_docker_key(in.server_url, &key, &err)) != OPTT_OK)
		goto out;
	if (optt_docker_profile_for(&h->conf, key) != NULL)
		goto out; /* a profile registry: its token is minted, not stored */
	if ((st = open_store(h, &cache, &err)) == OPTT_OK &&
	    (st = same_key(&cache, key, &all, &servers, &n, &err)) == OPTT_OK)
		st = optt_dockerstore_replace(&cache, servers, n, in.server_url, in.username, in.secret, &err);
out:
	free(servers);
	free(key);
	optt_stored_creds_free(&all);
	optt_docker_cred_clear(&in);
	optt_cache_close(&cache);
	return st == OPTT_OK ? 0 : fail(err.msg);
}

static int
cmd_erase(struct helper *h, const char *no_url, const char *key)
{
	const struct optt_profile *p = optt_docker_profile_for(&h->conf, key);
	struct optt_stored_creds all = { NULL, 0 };
	struct optt_cache cache;
	struct optt_err err;
	enum optt_status st;
	const char **servers = NULL;
	char **subjects = NULL;
	size_t n = 0, i;

	(void)no_url;
	optt_cache_init(&cache);
	optt_err_init(&err);
	if (p != NULL) {
		/* drop the access tokens, keep refresh tokens: the next get refreshes */
		st = optt_cache_open(&cache, (enum optt_cache_mode)optt_pnum(p, OPTT_K_CACHE), &h->log, &err);
		if (st == OPTT_OK)
			st = optt_cache_list(&cache, p->name, &subjects, &n, &err);
		for (i = 0; st == OPTT_OK && i < n; i++)
			st = optt_obtain_forget_access(&cache, p, subjects[i], &err);
		optt_cache_list_free(subjects, n);
	} else if ((st = open_store(h, &cache, &err)) == OPTT_OK &&
		   (st = same_key(&cache, key, &all, &servers, &n, &err)) == OPTT_OK) {
		st = n > 0 ? optt_dockerstore_replace(&cache, servers, n, NULL, NULL, NULL, &err) : OPTT_OK;
	}
	free(servers);
	optt_stored_creds_free(&all);
	optt_cache_close(&cache);
	return st == OPTT_OK ? 0 : fail(err.msg);
}

static int
cmd_list(struct helper *h, const char *no_url, const char *no_key)
{
	struct optt_stored_creds all = { NULL, 0 };
	struct optt_cache cache;
	struct optt_err err;
	struct optt_buf out;
	struct json_object *seen = json_object_new_object();
	enum optt_status st = OPTT_OK;
	size_t i;
	int r = 0, rc;

	(void)no_url, (void)no_key;
	optt_cache_init(&cache);
	optt_err_init(&err);
	optt_buf_init(&out, 1024 * 1024);
	r |= optt_buf_puts(&out, "{");
	/* profile registries first: get answers them with a token */
	for (i = 0; i < h->conf.nprofiles; i++) {
		const struct optt_profile *p = &h->conf.profiles[i];
		const char *cur = optt_pstr(p, OPTT_K_HOSTS);
		char one[300], *k;

		while (optt_docker_next_host(&cur, one, sizeof(one)) != NULL) {
			k = NULL;
			if (one[0] == '*')
				continue; /* a wildcard names no one registry */
			if (optt_docker_key(one, &k, NULL) == OPTT_OK &&
			    !json_object_object_get_ex(seen, k, NULL)) {
				json_object_object_add(seen, k, NULL);
				r |= optt_buf_puts(&out, out.len > 1 ? "," : "");
				r |= optt_json_escape(&out, one);
				r |= optt_buf_puts(&out, ":");
				r |= optt_json_escape(&out, optt_pstr(p, OPTT_K_USERNAME));
			}
			free(k);
		}
	}
	if ((st = open_store(h, &cache, &err)) == OPTT_OK)
		st = optt_dockerstore_load_all(&cache, &all, &err);
	for (i = 0; st == OPTT_OK && i < all.n; i++) {
		char *k = NULL;

		if (optt_docker_key(all.v[i].server, &k, NULL) == OPTT_OK &&
		    !json_object_object_get_ex(seen, k, NULL)) {
			json_object_object_add(seen, k, NULL);
			r |= optt_buf_puts(&out, out.len > 1 ? "," : "");
			r |= optt_json_escape(&out, all.v[i].server);
			r |= optt_buf_puts(&out, ":");
			r |= optt_json_escape(&out, all.v[i].username);
		}
		free(k);
	}
	r |= optt_buf_puts(&out, "}\n");
	if (st == OPTT_OK && r != 0)
		st = optt_err_set(&err, OPTT_NOMEM, "out of memory");
	rc = st == OPTT_OK ? write_out(&out) : fail(err.msg);
	json_object_put(seen);
	optt_buf_clear(&out);
	optt_stored_creds_free(&all);
	optt_cache_close(&cache);
	return rc;
}

/* the operations, as docker-credential-helpers defines them */
static const struct op {
	const char *name;
	int reads_input; /* list reads nothing */
	int takes_url;   /* the input is a server URL: url and its key */
	int (*fn)(struct helper *h, const char *url, const char *key);
} ops[] = {
	{ "get", 1, 1, cmd_get },
	{ "store", 1, 0, cmd_store },
	{ "erase", 1, 1, cmd_erase },
	{ "list", 0, 0, cmd_list },
};

static void
usage(FILE *f)
{
	fprintf(f, "usage: docker-credential-optt [-v] get|store|erase|list|version\n"
		   "  (configure: optt-token setup docker, or \"credHelpers\": {\"HOST\": \"optt\"}\n"
		   "   in ~/.docker/config.json; see docker-credential-optt(1))\n");
}

int
main(int argc, char **argv)
{
	const struct op *op = NULL;
	struct helper h;
	struct optt_err err;
	char *url = NULL, *key = NULL;
	size_t i;
	int rc, verbose = 0;

	umask(077);
	prctl(PR_SET_DUMPABLE, 0, 0, 0, 0);
	memset(&h, 0, sizeof(h));
	/* options as the other programs have them; the protocol's own
	 * commands are bare words */
	for (; argc > 1 && argv[1][0] == '-'; argc--, argv++) {
		if (strcmp(argv[1], "-v") == 0 || strcmp(argv[1], "--verbose") == 0) {
			verbose = 1;
		} else if (strcmp(argv[1], "-h") == 0 || strcmp(argv[1], "--help") == 0) {
			usage(stdout);
			return 0;
		} else if (strcmp(argv[1], "--version") == 0) {
			printf("docker-credential-optt (optt-auth) %s\n", PACKAGE_VERSION);
			return 0;
		} else {
			usage(stderr);
			return 1;
		}
	}
	if (argc != 2) {
		usage(stderr);
		return 1;
	}
	if (strcmp(argv[1], "version") == 0) {
		printf("docker-credential-optt (optt-auth) %s\n", PACKAGE_VERSION);
		return 0;
	}
	for (i = 0; i < sizeof(ops) / sizeof(ops[0]) && op == NULL; i++)
		if (strcmp(argv[1], ops[i].name) == 0)
			op = &ops[i];
	if (op == NULL)
		return fail("unknown command (expected get, store, erase, list or version)");
	/* -v: request lines and decisions on stderr (the answer stays on stdout) */
	h.log.fn = verbose || getenv("OPTT_DEBUG") != NULL ? optt_log_stderr : NULL;
	optt_err_init(&err);
	optt_conf_init(&h.conf);
	optt_buf_init(&h.in, OPTT_DOCKER_MAX_INPUT);
	if (op->reads_input && optt_handoff_read_stdin(&h.in, &err) != OPTT_OK) {
		rc = fail(err.msg);
		goto out;
	}
	if (optt_conf_load_user(&h.conf, NULL, &err) != OPTT_OK) {
		rc = fail(err.msg);
		goto out;
	}
	if (op->takes_url &&
	    (optt_docker_read_url(h.in.data ? h.in.data : "", h.in.len, &url, &err) != OPTT_OK ||
	     optt_docker_key(url, &key, &err) != OPTT_OK))
		rc = fail(err.msg);
	else
		rc = op->fn(&h, url, key);
out:
	free(url);
	free(key);
	optt_buf_clear(&h.in);
	optt_conf_clear(&h.conf);
	return rc;
}
