/*
 * dockerproto.c - docker credential helper protocol pieces, pure.
 */
#include "config.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "common/conf.h"
#include "common/jsonutil.h"
#include "docker_helper/dockerproto.h"

enum optt_status
optt_docker_key(const char *url, char **ret, struct optt_err *err)
{
	const char *s = url;
	char *k;
	size_t n, i;

	*ret = NULL;
	while (*s == ' ' || *s == '\t')
		s++;
	if (strncasecmp(s, "https://", 8) == 0)
		s += 8;
	else if (strncasecmp(s, "http://", 7) == 0)
		s += 7;
	n = strcspn(s, "/ \t\r\n");
	if (n == 0 || n > 255)
		return optt_err_set(err, OPTT_CONFIG, "not a registry server URL");
	for (i = 0; i < n; i++)
		if (!isalnum((unsigned char)s[i]) && strchr(".-:[]_", s[i]) == NULL)
			return optt_err_set(err, OPTT_CONFIG, "not a registry server URL");
	if ((k = malloc(n + 1)) == NULL)
		return optt_err_set(err, OPTT_NOMEM, "out of memory");
	for (i = 0; i < n; i++)
		k[i] = (char)tolower((unsigned char)s[i]);
	k[n] = '\0';
	if (strcmp(k, "index.docker.io") == 0 || strcmp(k, "registry-1.docker.io") == 0) {
		free(k);
		k = strdup("docker.io");
		if (k == NULL)
			return optt_err_set(err, OPTT_NOMEM, "out of memory");
	}
	*ret = k;
	return OPTT_OK;
}

void
optt_docker_cred_clear(struct optt_docker_cred *c)
{
	optt_free_str(&c->server_url);
	optt_free_str(&c->username);
	optt_free_str(&c->secret);
}

enum optt_status
optt_docker_parse_store(const char *buf, size_t len, struct optt_docker_cred *ret,
			struct optt_err *err)
{
	struct json_object *o;
	const char *u, *n, *s;
	enum optt_status st = OPTT_OK;

	memset(ret, 0, sizeof(*ret));
	if (len > OPTT_DOCKER_MAX_INPUT)
		return optt_err_set(err, OPTT_CONFIG, "input larger than %d bytes", OPTT_DOCKER_MAX_INPUT);
	if ((o = optt_json_parse(buf, len)) == NULL || !json_object_is_type(o, json_type_object)) {
		optt_json_free(&o);
		return optt_err_set(err, OPTT_CONFIG, "store: expected a JSON object with ServerURL, Username and Secret");
	}
	u = optt_json_str(o, "ServerURL");
	n = optt_json_str(o, "Username");
	s = optt_json_str(o, "Secret");
	if (u == NULL || n == NULL || s == NULL)
		st = optt_err_set(err, OPTT_CONFIG, "store: %s missing or not a string",
				  u == NULL ? "ServerURL" : n == NULL ? "Username" : "Secret");
	else if (u[0] == '\0' || s[0] == '\0')
		st = optt_err_set(err, OPTT_CONFIG, "store: %s is empty", u[0] == '\0' ? "ServerURL" : "Secret");
	else if ((ret->server_url = strdup(u)) == NULL || (ret->username = strdup(n)) == NULL ||
		 (ret->secret = strdup(s)) == NULL)
		st = optt_err_set(err, OPTT_NOMEM, "out of memory");
	if (st != OPTT_OK)
		optt_docker_cred_clear(ret);
	optt_json_free(&o);
	return st;
}

enum optt_status
optt_docker_format_get(const char *server_url, const char *username, const char *secret,
		       struct optt_buf *out, struct optt_err *err)
{
	int r = 0;

	r |= optt_buf_puts(out, "{\"ServerURL\":");
	r |= optt_json_escape(out, server_url);
	r |= optt_buf_puts(out, ",\"Username\":");
	r |= optt_json_escape(out, username);
	r |= optt_buf_puts(out, ",\"Secret\":");
	r |= optt_json_escape(out, secret);
	r |= optt_buf_puts(out, "}\n");
	if (r != 0) {
		optt_buf_clear(out);
		return optt_err_set(err, OPTT_NOMEM, "out of memory");
	}
	return OPTT_OK;
}

enum optt_status
optt_docker_read_url(const char *buf, size_t len, char **ret, struct optt_err *err)
{
	const char *s = buf, *end;
	size_t n;

	*ret = NULL;
	if (len > OPTT_DOCKER_MAX_INPUT)
		return optt_err_set(err, OPTT_CONFIG, "input larger than %d bytes", OPTT_DOCKER_MAX_INPUT);
	if (memchr(buf, '\0', len) != NULL)
		return optt_err_set(err, OPTT_CONFIG, "input holds a NUL byte");
	end = memchr(buf, '\n', len);
	n = end ? (size_t)(end - buf) : len;
	while (n > 0 && isspace((unsigned char)*s))
		s++, n--;
	while (n > 0 && isspace((unsigned char)s[n - 1]))
		n--;
	if (n == 0)
		return optt_err_set(err, OPTT_CONFIG, "no server URL on standard input");
	if ((*ret = strndup(s, n)) == NULL)
		return optt_err_set(err, OPTT_NOMEM, "out of memory");
	return OPTT_OK;
}

/* The next registry entry of a `hosts` list (entries with a path are for
 * git only), copied into one; NULL at the end. */
const char *
optt_docker_next_host(const char **cursor, char *one, size_t size)
{
	const char *h = *cursor;
	size_t n;

	while (h != NULL && *h != '\0') {
		h += strspn(h, " \t");
		n = strcspn(h, " \t");
		*cursor = h + n;
		if (n > 0 && n < size && memchr(h, '/', n) == NULL) {
			memcpy(one, h, n);
			one[n] = '\0';
			return one;
		}
		h += n;
	}
	return NULL;
}

/* The profile whose hosts (normalised like server URLs) hold key: a
 * literal entry wins over a wildcard one (SPEC §13); a wildcard entry with
 * a path is git's, not a registry. */
const struct optt_profile *
optt_docker_profile_for(const struct optt_conf *conf, const char *key)
{
	const struct optt_profile *best = NULL;
	const char *cur;
	char one[300], *k;
	size_t i;
	int rank;

	for (i = 0; i < conf->nprofiles; i++) {
		cur = optt_pstr(&conf->profiles[i], OPTT_K_HOSTS);
		while (optt_docker_next_host(&cur, one, sizeof(one)) != NULL) {
			if (one[0] == '*' && one[1] == '.') {
				rank = strchr(one, '/') == NULL &&
				       optt_conf_host_match(one, strlen(one), key) == 1;
				if (rank && best == NULL)
					best = &conf->profiles[i];
				continue;
			}
			k = NULL;
			rank = optt_docker_key(one, &k, NULL) == OPTT_OK && strcmp(k, key) == 0;
			free(k);
			if (rank)
				return &conf->profiles[i]; /* literal: nothing outranks it */
		}
	}
	return best;
}
