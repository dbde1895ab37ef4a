/*
 * gitproto.c - read git's credential attributes, write the answer.
 */
#include "config.h"

#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "common/conf.h"
#include "common/token.h"
#include "common/url.h"
#include "git_helper/gitproto.h"

void
optt_git_cred_init(struct optt_git_cred *c)
{
	memset(c, 0, sizeof(*c));
}

void
optt_git_cred_clear(struct optt_git_cred *c)
{
	size_t i;

	optt_free_str(&c->protocol);
	optt_free_str(&c->host);
	optt_free_str(&c->path);
	optt_free_str(&c->username);
	optt_free_str(&c->password);
	optt_free_str(&c->credential);
	optt_free_str(&c->authtype);
	for (i = 0; i < c->nwwwauth; i++)
		optt_free_str(&c->wwwauth[i]);
	optt_git_cred_init(c);
}

static char **
slot(struct optt_git_cred *c, const char *key, size_t klen)
{
	static const struct {
		const char *name;
		size_t off;
	} keys[] = {
		{ "protocol", offsetof(struct optt_git_cred, protocol) },
		{ "host", offsetof(struct optt_git_cred, host) },
		{ "path", offsetof(struct optt_git_cred, path) },
		{ "username", offsetof(struct optt_git_cred, username) },
		{ "password", offsetof(struct optt_git_cred, password) },
		{ "credential", offsetof(struct optt_git_cred, credential) },
		{ "authtype", offsetof(struct optt_git_cred, authtype) },
	};
	size_t i;

	for (i = 0; i < sizeof(keys) / sizeof(keys[0]); i++)
		if (strlen(keys[i].name) == klen && memcmp(keys[i].name, key, klen) == 0)
			return (char **)(void *)((char *)c + keys[i].off);
	return NULL;
}

static int
keyis(const char *key, size_t klen, const char *name)
{
	return strlen(name) == klen && memcmp(key, name, klen) == 0;
}

enum optt_status
optt_git_parse(const char *buf, size_t len, struct optt_git_cred *c, struct optt_err *err)
{
	const char *p = buf, *end = buf + len, *nl, *eq;
	char **dst, *v;
	size_t lineno = 0, klen;

	if (len > OPTT_GIT_MAX_INPUT)
		return optt_err_set(err, OPTT_CONFIG, "input larger than %d bytes", OPTT_GIT_MAX_INPUT);
	if (memchr(buf, '\0', len) != NULL)
		return optt_err_set(err, OPTT_CONFIG, "input holds a NUL byte");
	while (p < end) {
		lineno++;
		nl = memchr(p, '\n', (size_t)(end - p));
		if (nl == NULL)
			nl = end;
		if (nl == p || (nl == p + 1 && *p == '\r'))
			break; /* a blank line ends the block */
		eq = memchr(p, '=', (size_t)(nl - p));
		if (eq == NULL || eq == p) {
			optt_git_cred_clear(c);
			return optt_err_set(err, OPTT_CONFIG, "line %zu: expected key=value", lineno);
		}
		klen = (size_t)(eq - p);
		{
			const char *vs = eq + 1;
			size_t vlen = (size_t)(nl - vs);

			if (vlen > 0 && vs[vlen - 1] == '\r')
				vlen--;
			if ((v = malloc(vlen + 1)) == NULL) {
				optt_git_cred_clear(c);
				return optt_err_set(err, OPTT_NOMEM, "out of memory");
			}
			memcpy(v, vs, vlen);
			v[vlen] = '\0';
		}
		if (keyis(p, klen, "capability[]")) {
			if (strcmp(v, "authtype") == 0)
				c->cap_authtype = 1;
			optt_free_str(&v);
		} else if (keyis(p, klen, "wwwauth[]")) {
			if (c->nwwwauth < OPTT_GIT_MAX_WWWAUTH)
				c->wwwauth[c->nwwwauth++] = v;
			else
				optt_free_str(&v);
		} else if ((dst = slot(c, p, klen)) != NULL) {
			optt_free_str(dst); /* the last value wins, as in git */
			*dst = v;
		} else {
			optt_free_str(&v); /* unknown keys are ignored */
		}
		p = nl < end ? nl + 1 : end;
	}
	return OPTT_OK;
}

/* host[:port] or [v6]:port -> whether the host part is loopback */
static int
host_is_loopback(const char *host)
{
	char h[256];
	const char *colon;
	size_t n;

	if (host[0] == '[') {
		n = strcspn(host + 1, "]");
		if (host[1 + n] != ']' || n >= sizeof(h))
			return 0;
		memcpy(h, host + 1, n);
	} else {
		colon = strchr(host, ':');
		n = colon != NULL ? (size_t)(colon - host) : strlen(host);
		if (n >= sizeof(h) || (colon != NULL && strchr(colon + 1, ':') != NULL))
			return 0;
		memcpy(h, host, n);
	}
	h[n] = '\0';
	return optt_host_is_loopback(h);
}

/* Decode %XX (strictly) and resolve "." and ".." segments (RFC 3986
 * §5.2.4); empty segments are dropped.  -1: refused. */
static int
normalize_path(const char *in, char **ret)
{
	size_t n = strlen(in), i, o = 0, seg;
	char *dec, *out;
	int hi, lo;

	if ((dec = malloc(n + 1)) == NULL)
		return -2;
	for (i = 0; i < n; i++) {
		if (in[i] != '%') {
			dec[o++] = in[i];
			continue;
		}
		if (i + 2 >= n || (hi = optt_hexval(in[i + 1])) < 0 || (lo = optt_hexval(in[i + 2])) < 0 ||
		    (hi == 0 && lo == 0)) {
			free(dec);
			return -1;
		}
		dec[o++] = (char)(hi * 16 + lo);
		i += 2;
	}
	dec[o] = '\0';
	if ((out = malloc(o + 1)) == NULL) {
		free(dec);
		return -2;
	}
	o = 0;
	for (i = 0; dec[i] != '\0';) {
		seg = strcspn(dec + i, "/");
		if ((seg == 1 && dec[i] == '.') || seg == 0) {
			/* "." or an empty segment: nothing */
		} else if (seg == 2 && dec[i] == '.' && dec[i + 1] == '.') {
			if (o == 0) {
				free(dec);
				free(out);
				return -1; /* above the root */
			}
			while (o > 0 && out[o - 1] != '/')
				o--;
			if (o > 0)
				o--; /* the slash before the dropped segment */
		} else {
			if (o > 0)
				out[o++] = '/';
			memcpy(out + o, dec + i, seg);
			o += seg;
		}
		i += seg;
		if (dec[i] == '/')
			i++;
	}
	out[o] = '\0';
	free(dec);
	*ret = out;
	return 0;
}

enum optt_status
optt_git_check_target(struct optt_git_cred *c, struct optt_err *err)
{
	char *norm = NULL;
	int r;

	if (c->protocol == NULL || c->host == NULL ||
	    !(strcmp(c->protocol, "https") == 0 ||
	      (strcmp(c->protocol, "http") == 0 && host_is_loopback(c->host))))
		return optt_err_set(err, OPTT_DENIED,
				    "protocol '%.16s': tokens go over https only (http only to loopback)",
				    c->protocol ? c->protocol : "");
	if (c->path == NULL)
		return OPTT_OK;
	if ((r = normalize_path(c->path, &norm)) == -2)
		return optt_err_set(err, OPTT_NOMEM, "out of memory");
	if (r != 0)
		return optt_err_set(err, OPTT_DENIED,
				    "path refused: a bad escape, a NUL byte or '..' above the root");
	optt_free_str(&c->path);
	c->path = norm;
	return OPTT_OK;
}

int
optt_git_offers_bearer(const struct optt_git_cred *c)
{
	size_t i;

	for (i = 0; i < c->nwwwauth; i++) {
		const char *s = c->wwwauth[i];

		while (*s == ' ' || *s == '\t')
			s++;
		if (strncasecmp(s, "bearer", 6) == 0 && (s[6] == '\0' || s[6] == ' ' || s[6] == ','))
			return 1;
	}
	return 0;
}

static int
valid_value(const char *s)
{
	return s != NULL && strpbrk(s, "\r\n") == NULL && s[0] != '\0';
}

enum optt_status
optt_git_format(const struct optt_git_answer *a, struct optt_buf *out, struct optt_err *err)
{
	char num[32];
	int r = 0;

	if (!valid_value(a->token) || (!a->bearer && !valid_value(a->username)))
		return optt_err_set(err, OPTT_BADRESP, "token or user name unfit for git (empty or multi-line)");
	snprintf(num, sizeof(num), "%lld", a->expiry_utc);
	if (a->bearer) {
		r |= optt_buf_puts(out, "capability[]=authtype\nauthtype=Bearer\ncredential=");
		r |= optt_buf_puts(out, a->token);
		r |= optt_buf_puts(out, "\nephemeral=1\n");
	} else {
		r |= optt_buf_puts(out, "username=");
		r |= optt_buf_puts(out, a->username);
		r |= optt_buf_puts(out, "\npassword=");
		r |= optt_buf_puts(out, a->token);
		r |= optt_buf_puts(out, "\n");
	}
	r |= optt_buf_puts(out, "password_expiry_utc=");
	r |= optt_buf_puts(out, num);
	r |= optt_buf_puts(out, "\n");
	if (r != 0) {
		optt_buf_clear(out);
		return optt_err_set(err, OPTT_NOMEM, "out of memory");
	}
	return OPTT_OK;
}

enum optt_status
optt_git_answer(const struct optt_git_cred *in, const struct optt_profile *p,
		const struct optt_token *t, struct optt_buf *out, struct optt_err *err)
{
	struct optt_git_answer a;
	long git_auth = optt_pnum(p, OPTT_K_GIT_AUTH);

	memset(&a, 0, sizeof(a));
	a.bearer = in->cap_authtype && git_auth != OPTT_GIT_AUTH_BASIC &&
		   (git_auth == OPTT_GIT_AUTH_BEARER || optt_git_offers_bearer(in));
	a.username = in->username && in->username[0] ? in->username : optt_pstr(p, OPTT_K_USERNAME);
	a.token = t->access_token;
	a.expiry_utc = (long long)t->expires_at;
	return optt_git_format(&a, out, err);
}
