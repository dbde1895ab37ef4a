/*
 * conf.c - optt.conf(5) parsing and validation.
 *
 * One key table drives parsing (type, range, value list), validation and
 * masking (the `secret` flag).  Invariants: a file is read whole through
 * fsutil (capped, checked on the fd); a file that sets client_secret must
 * not be readable by group or others; under OPTT_CONF_PAM a file must be
 * root-owned, not group/other writable, and not a symbolic link.  The
 * secret's text is wiped when the conf is cleared.
 */
#include "config.h"

#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <ini.h>

#include "common/conf.h"
#include "common/fsutil.h"
#include "common/mem.h"
#include "common/psl.h"
#include "common/url.h"

#define MAX_PROFILES 256
#define MAX_INI_LINE 197 /* inih's line buffer is 200 bytes with CR LF NUL */

enum ktype { KT_STR, KT_URL, KT_SECRET, KT_PATH, KT_ENUM, KT_INT, KT_HOSTS };

static const char *const dialects[] = { "optt", "octorate", "ddi", "oauth2", NULL };

static const char *const grants[] = { "password", "client_credentials", "authorization_code", "device", NULL };
static const char *const client_auths[] = { "basic", "body", NULL };
static const char *const git_auths[] = { "auto", "bearer", "basic", NULL };
static const char *const caches[] = { "auto", "keyring", "file", "none", NULL };
static const char *const pkces[] = { "auto", "S256", "off", NULL };

static const struct keydef {
	const char *name;
	enum ktype type;
	const char *const *values;
	long min, max;
} keys[OPTT_K_COUNT] = {
	[OPTT_K_DIALECT] = { "dialect", KT_ENUM, dialects, 0, 0 },
	[OPTT_K_GRANT] = { "grant", KT_ENUM, grants, 0, 0 },
	[OPTT_K_TOKEN_URL] = { "token_url", KT_URL, NULL, 0, 0 },
	[OPTT_K_BASE_URL] = { "base_url", KT_URL, NULL, 0, 0 },
	[OPTT_K_REFRESH_URL] = { "refresh_url", KT_URL, NULL, 0, 0 },
	[OPTT_K_AUTHORIZE_URL] = { "authorize_url", KT_URL, NULL, 0, 0 },
	[OPTT_K_REDIRECT_URI] = { "redirect_uri", KT_URL, NULL, 0, 0 },
	[OPTT_K_CLIENT_ID] = { "client_id", KT_STR, NULL, 0, 0 },
	[OPTT_K_CLIENT_SECRET] = { "client_secret", KT_SECRET, NULL, 0, 0 },
	[OPTT_K_CLIENT_SECRET_FILE] = { "client_secret_file", KT_PATH, NULL, 0, 0 },
	[OPTT_K_CLIENT_AUTH] = { "client_auth", KT_ENUM, client_auths, 0, 0 },
	[OPTT_K_SCOPE] = { "scope", KT_STR, NULL, 0, 0 },
	[OPTT_K_HOSTS] = { "hosts", KT_HOSTS, NULL, 0, 0 },
	[OPTT_K_USERNAME] = { "username", KT_STR, NULL, 0, 0 },
	[OPTT_K_GIT_AUTH] = { "git_auth", KT_ENUM, git_auths, 0, 0 },
	[OPTT_K_CACHE] = { "cache", KT_ENUM, caches, 0, 0 },
	[OPTT_K_REFRESH_MARGIN] = { "refresh_margin", KT_INT, NULL, 0, 86400 },
	[OPTT_K_DEFAULT_TTL] = { "default_ttl", KT_INT, NULL, 1, 31536000 },
	[OPTT_K_TIMEOUT] = { "timeout", KT_INT, NULL, 1, 300 },
	[OPTT_K_CAFILE] = { "cafile", KT_PATH, NULL, 0, 0 },
	[OPTT_K_CAPATH] = { "capath", KT_PATH, NULL, 0, 0 },
	[OPTT_K_PROXY] = { "proxy", KT_STR, NULL, 0, 0 },
	[OPTT_K_PKCE] = { "pkce", KT_ENUM, pkces, 0, 0 },
	[OPTT_K_DEVICE_AUTHORIZATION_URL] = { "device_authorization_url", KT_URL, NULL, 0, 0 },
	[OPTT_K_ISSUER] = { "issuer", KT_URL, NULL, 0, 0 },
	[OPTT_K_OFFLINE_DIR] = { "offline_dir", KT_PATH, NULL, 0, 0 },
	[OPTT_K_RUN_DIR] = { "run_dir", KT_PATH, NULL, 0, 0 },
};

int
optt_parse_long(const char *s, long min, long max, long *ret)
{
	long v = 0;
	int neg = 0;
	size_t n;

	if (*s == '-' && min < 0) {
		neg = 1;
		s++;
	}
	n = strlen(s);
	if (n == 0 || n > 18)
		return -1;
	for (; *s != '\0'; s++) {
		if (*s < '0' || *s > '9')
			return -1;
		v = v * 10 + (*s - '0');
	}
	if (neg)
		v = -v;
	if (v < min || v > max)
		return -1;
	*ret = v;
	return 0;
}

const char *
optt_key_name(enum optt_key k)
{
	return keys[k].name;
}

const char *
optt_enum_name(enum optt_key k, long v)
{
	long i;

	if (keys[k].values == NULL)
		return NULL;
	for (i = 0; keys[k].values[i] != NULL; i++)
		if (i == v)
			return keys[k].values[i];
	return NULL;
}

const char *
optt_pstr(const struct optt_profile *p, enum optt_key k)
{
	return p->v[k].set ? p->v[k].str : NULL;
}

long
optt_pnum(const struct optt_profile *p, enum optt_key k)
{
	return p->v[k].num;
}

int
optt_pset(const struct optt_profile *p, enum optt_key k)
{
	return p->v[k].set;
}

const char *
optt_conf_provider(const struct optt_profile *p)
{
	if (p->v[OPTT_K_TOKEN_URL].set == 1)
		return p->v[OPTT_K_TOKEN_URL].str;
	if (p->v[OPTT_K_ISSUER].set)
		return p->v[OPTT_K_ISSUER].str;
	if (p->v[OPTT_K_BASE_URL].set)
		return p->v[OPTT_K_BASE_URL].str;
	return "";
}

/* The user info of a URL (scheme://USER:PASS@host) masked, and every
 * query value masked: a URL can carry a secret in either place. */
static const char *
mask_url(const char *v, char *buf, size_t n)
{
	const char *rest = strstr(v, "://"), *at, *q;
	size_t o = 0, i;

	if (n == 0)
		return "";
	rest = rest != NULL ? rest + 3 : v;
	at = memchr(rest, '@', strcspn(rest, "/?#"));
	o = (size_t)snprintf(buf, n, "%.*s%s", (int)(rest - v), v, at != NULL ? "********@" : "");
	if (o >= n)
		return buf;
	if (at != NULL)
		rest = at + 1;
	q = strchr(rest, '?');
	snprintf(buf + o, n - o, "%.*s", (int)(q != NULL ? (size_t)(q - rest) : strlen(rest)), rest);
	if (q == NULL)
		return buf;
	o = strlen(buf);
	for (i = 0; q[i] != '\0' && q[i] != '#' && o + 9 < n; i++) {
		buf[o++] = q[i];
		if (q[i] == '=') {
			memcpy(buf + o, "********", 8);
			o += 8;
			i += strcspn(q + i + 1, "&#");
		}
	}
	buf[o] = '\0';
	return buf;
}

const char *
optt_key_display(const struct optt_profile *p, enum optt_key k, char *buf, size_t n)
{
	if (!p->v[k].set)
		return NULL;
	if (keys[k].type == KT_SECRET)
		return "********";
	if (keys[k].type == KT_URL || k == OPTT_K_PROXY)
		return mask_url(p->v[k].str, buf, n);
	return p->v[k].str;
}

static int
valid_host_entry(const char *h, size_t n)
{
	size_t i = 0, hostlen;
	const char *slash = memchr(h, '/', n);

	hostlen = slash ? (size_t)(slash - h) : n;
	if (hostlen == 0)
		return 0;
	if (hostlen > 2 && h[0] == '*' && h[1] == '.') {
		/* a wildcard needs two labels after it: never "*.com" */
		const char *rest = h + 2, *colon = memchr(rest, ':', hostlen - 2);
		size_t rl = colon ? (size_t)(colon - rest) : hostlen - 2;

		if (rl == 0 || memchr(rest, '.', rl) == NULL || rest[0] == '.' || rest[rl - 1] == '.')
			return 0;
		i = 2;
	} else if (h[0] == '[') {
		const char *rb = memchr(h, ']', hostlen);
		if (rb == NULL)
			return 0;
		i = (size_t)(rb - h) + 1;
	}
	for (; i < hostlen; i++)
		if (!isalnum((unsigned char)h[i]) && h[i] != '.' && h[i] != '-' && h[i] != ':' && h[i] != '_')
			return 0;
	for (i = hostlen; i < n; i++)
		if ((unsigned char)h[i] <= 0x20 || (unsigned char)h[i] >= 0x7f)
			return 0;
	return 1;
}

/* SPEC §19: whether the wildcard entry h (n bytes, "*.DOMAIN[:PORT][/PATH]",
 * valid_host_entry's) covers a public suffix, or cannot be checked against
 * the list (psl.h fails closed): 1 with err set, else 0 */
static int
wildcard_over_suffix(const char *h, size_t n, struct optt_err *err)
{
	char domain[256];
	struct optt_err e;
	size_t dl = strcspn(h + 2, ":/ \t");
	int r;

	if (dl > n - 2)
		dl = n - 2;
	if (dl >= sizeof(domain)) {
		optt_err_set(err, OPTT_CONFIG, "key 'hosts': invalid entry '%.60s...' (host name too long)", h);
		return 1;
	}
	memcpy(domain, h + 2, dl);
	domain[dl] = '\0';
	optt_err_init(&e);
	r = optt_psl_is_suffix(domain, &e);
	if (r > 0)
		optt_err_set(err, OPTT_CONFIG,
			     "key 'hosts': '*.%.60s' covers every site under a public suffix: name a domain below it",
			     domain);
	else if (r < 0)
		optt_err_set(err, OPTT_CONFIG, "key 'hosts': '*.%.60s' refused: %.160s", domain, e.msg);
	return r != 0;
}

static enum optt_status
parse_value(struct optt_value *out, enum optt_key k, const char *value,
	    struct optt_err *err)
{
	const struct keydef *kd = &keys[k];
	struct optt_url u;
	struct stat sb;
	const char *p;
	long num = 0, i;

	switch (kd->type) {
	case KT_ENUM:
		for (i = 0; kd->values[i] != NULL; i++)
			if (strcmp(kd->values[i], value) == 0)
				break;
		if (kd->values[i] == NULL)
			return optt_err_set(err, OPTT_CONFIG, "key '%s': unknown value '%.40s'",
					    kd->name, value);
		num = i;
		break;
	case KT_INT:
		if (optt_parse_long(value, kd->min, kd->max, &num) != 0)
			return optt_err_set(err, OPTT_CONFIG,
					    "key '%s': expected a whole number from %ld to %ld",
					    kd->name, kd->min, kd->max);
		break;
	case KT_URL:
		if (optt_url_parse(value, kd->name, &u, err) != OPTT_OK)
			return OPTT_CONFIG;
		break;
	case KT_PATH:
		if (value[0] != '/')
			return optt_err_set(err, OPTT_CONFIG, "key '%s': expected an absolute path",
					    kd->name);
		/* a CA that is not there is the admin's mistake, not an outage */
		if ((k == OPTT_K_CAFILE || k == OPTT_K_CAPATH) &&
		    (stat(value, &sb) != 0 || (k == OPTT_K_CAFILE ? !S_ISREG(sb.st_mode) : !S_ISDIR(sb.st_mode))))
			return optt_err_set(err, OPTT_CONFIG, "key '%s': %.200s is not %s", kd->name, value,
					    k == OPTT_K_CAFILE ? "an existing file" : "an existing directory");
		break;
	case KT_HOSTS:
		for (p = value; *p != '\0';) {
			size_t n;

			p += strspn(p, " \t");
			n = strcspn(p, " \t");
			if (n > 0 && !valid_host_entry(p, n))
				return optt_err_set(err, OPTT_CONFIG,
						    "key 'hosts': invalid entry '%.*s'",
						    (int)(n > 60 ? 60 : n), p);
			if (n > 2 && p[0] == '*' && p[1] == '.' && wildcard_over_suffix(p, n, err))
				return OPTT_CONFIG;
			p += n;
		}
		break;
	case KT_SECRET:
	case KT_STR:
		if (value[0] == '\0' && k != OPTT_K_PROXY)
			return optt_err_set(err, OPTT_CONFIG, "key '%s': empty value", kd->name);
		break;
	}
	if (optt_str_set(&out->str, value) != 0)
		return optt_err_set(err, OPTT_NOMEM, "out of memory");
	out->num = num;
	out->set = 1;
	return OPTT_OK;
}

enum optt_status
optt_profile_set(struct optt_profile *p, enum optt_key k, const char *value,
		 struct optt_err *err)
{
	return parse_value(&p->v[k], k, value, err);
}

static void
profile_clear(struct optt_profile *p)
{
	size_t k;

	for (k = 0; k < OPTT_K_COUNT; k++) {
		optt_free_str(&p->v[k].str);
		p->v[k].set = 0;
		p->v[k].num = 0;
	}
	free(p->name);
	p->name = NULL;
}

void
optt_conf_init(struct optt_conf *c)
{
	memset(c, 0, sizeof(*c));
}

void
optt_conf_clear(struct optt_conf *c)
{
	size_t i;

	if (c == NULL)
		return;
	profile_clear(&c->defaults);
	for (i = 0; i < c->nprofiles; i++)
		profile_clear(&c->profiles[i]);
	free(c->profiles);
	for (i = 0; i < c->nsources; i++)
		free(c->sources[i]);
	optt_users_clear(&c->users);
	optt_conf_init(c);
}

static void
note_source(struct optt_conf *c, const char *path, int found)
{
	if (c->nsources < OPTT_CONF_MAX_SOURCES && (c->sources[c->nsources] = strdup(path)) != NULL)
		c->source_found[c->nsources++] = found;
}

/* append s to buf (n bytes) without overflowing, cut with "..." */
static void
append(char *buf, size_t n, const char *s)
{
	size_t l = strlen(buf);

	if (l + 1 < n)
		snprintf(buf + l, n - l, "%s", s);
	if (strlen(buf) + 1 >= n && n > 4)
		memcpy(buf + n - 4, "...", 4);
}

const char *
optt_conf_sources(const struct optt_conf *c, char *buf, size_t n)
{
	size_t i;

	buf[0] = '\0';
	for (i = 0; i < c->nsources; i++) {
		append(buf, n, i ? ", " : "");
		append(buf, n, c->sources[i]);
		append(buf, n, c->source_found[i] ? "" : " (absent)");
	}
	return c->nsources ? buf : "no file";
}

const char *
optt_conf_profile_names(const struct optt_conf *c, char *buf, size_t n)
{
	size_t i;

	buf[0] = '\0';
	for (i = 0; i < c->nprofiles; i++) {
		append(buf, n, i ? ", " : "");
		append(buf, n, c->profiles[i].name);
	}
	return c->nprofiles ? buf : "none";
}

const struct optt_profile *
optt_conf_profile(const struct optt_conf *c, const char *name)
{
	size_t i;

	for (i = 0; i < c->nprofiles; i++)
		if (strcmp(c->profiles[i].name, name) == 0)
			return &c->profiles[i];
	return NULL;
}

/* --- parsing one file --------------------------------------------------- */

struct parse_ctx {
	struct optt_conf *conf;
	const struct stat *st;
	unsigned flags;
	const char *path;
	struct optt_err *err;
	enum optt_status status;
	int seen[MAX_PROFILES + 1][OPTT_K_COUNT]; /* set in this file already */
	int users_seen[OPTT_UK_COUNT];
};

/* A key of [users] (SPEC §15): the accounts tier's one key table decides. */
static int
users_key(struct parse_ctx *x, const char *name, const char *value)
{
	char why[200];
	int k = optt_users_key(name);

	if (k < 0)
		x->status = optt_err_set(x->err, OPTT_CONFIG, "[users]: unknown key '%.60s'", name);
	else if (x->users_seen[k])
		x->status = optt_err_set(x->err, OPTT_CONFIG, "[users]: key '%s' set twice", name);
	else if (optt_users_set(&x->conf->users, (enum optt_ukey)k, value, why, sizeof(why)) != 0)
		x->status = optt_err_set(x->err, OPTT_CONFIG, "[users]: %s", why);
	else
		x->users_seen[k] = 1;
	return x->status == OPTT_OK;
}

static int
valid_profile_name(const char *s)
{
	size_t n = strlen(s);

	if (n == 0 || n > 64)
		return 0;
	for (; *s != '\0'; s++)
		if (!isalnum((unsigned char)*s) && *s != '-' && *s != '_' && *s != '.')
			return 0;
	return 1;
}

/* Why SECTION (the text between the brackets) is not a section we know, or
 * NULL when it is one.  Checked for every header line before parsing, so an
 * unknown section without keys is an error too. */
static const char *
section_problem(const char *section)
{
	const char *name;

	if (strcmp(section, "defaults") == 0 || strcmp(section, "users") == 0)
		return NULL;
	if (strncmp(section, "profile", 7) != 0 || !isspace((unsigned char)section[7]))
		return "unknown section";
	for (name = section + 7; isspace((unsigned char)*name); name++)
		;
	if (!valid_profile_name(name))
		return "invalid profile name (letters, digits, '-', '_', '.')";
	return NULL;
}

static enum optt_status
check_section_line(const char *line, size_t n, const char *path, size_t lineno,
		   struct optt_err *err)
{
	char sect[MAX_INI_LINE + 1];
	const char *end, *why;
	size_t len;

	while (n > 0 && isspace((unsigned char)*line))
		line++, n--;
	if (n == 0 || *line != '[')
		return OPTT_OK;
	if ((end = memchr(line, ']', n)) == NULL)
		return optt_err_set(err, OPTT_CONFIG, "%s:%zu: section header without ']'",
				    path, lineno);
	len = (size_t)(end - line - 1);
	memcpy(sect, line + 1, len);
	sect[len] = '\0';
	while (len > 0 && isspace((unsigned char)sect[len - 1]))
		sect[--len] = '\0';
	if ((why = section_problem(sect)) != NULL)
		return optt_err_set(err, OPTT_CONFIG, "%s:%zu: %s [%.60s]", path, lineno, why, sect);
	return OPTT_OK;
}

static struct optt_profile *
section_profile(struct parse_ctx *x, const char *section, size_t *ret_idx)
{
	struct optt_conf *c = x->conf;
	struct optt_profile *np;
	const char *name;
	size_t i;

	if (strcmp(section, "defaults") == 0) {
		*ret_idx = MAX_PROFILES;
		return &c->defaults;
	}
	if (strncmp(section, "profile", 7) != 0 || !isspace((unsigned char)section[7])) {
		optt_err_set(x->err, OPTT_CONFIG,
			     section[0] ? "unknown section [%.60s]" : "key outside a section%.0s",
			     section);
		return NULL;
	}
	name = section + 7;
	while (isspace((unsigned char)*name))
		name++;
	if (!valid_profile_name(name)) {
		optt_err_set(x->err, OPTT_CONFIG,
			     "invalid profile name '%.60s' (letters, digits, '-', '_', '.')", name);
		return NULL;
	}
	for (i = 0; i < c->nprofiles; i++)
		if (strcmp(c->profiles[i].name, name) == 0) {
			*ret_idx = i;
			return &c->profiles[i];
		}
	if (c->nprofiles >= MAX_PROFILES) {
		optt_err_set(x->err, OPTT_CONFIG, "too many profiles");
		return NULL;
	}
	np = realloc(c->profiles, (c->nprofiles + 1) * sizeof(*np));
	if (np == NULL) {
		optt_err_set(x->err, OPTT_NOMEM, "out of memory");
		return NULL;
	}
	c->profiles = np;
	memset(&np[c->nprofiles], 0, sizeof(*np));
	if ((np[c->nprofiles].name = strdup(name)) == NULL) {
		optt_err_set(x->err, OPTT_NOMEM, "out of memory");
		return NULL;
	}
	*ret_idx = c->nprofiles;
	return &np[c->nprofiles++];
}

static int
conf_handler(void *user, const char *section, const char *name, const char *value)
{
	struct parse_ctx *x = user;
	struct optt_profile *p;
	struct optt_err e;
	size_t idx = 0, k;

	if (x->status != OPTT_OK)
		return 0; /* keep the first error only */
	optt_err_init(&e);
	if (strcmp(section, "users") == 0)
		return users_key(x, name, value);
	if ((p = section_profile(x, section, &idx)) == NULL) {
		x->status = OPTT_CONFIG;
		return 0;
	}
	for (k = 0; k < OPTT_K_COUNT; k++)
		if (strcmp(keys[k].name, name) == 0)
			break;
	if (k == OPTT_K_COUNT) {
		x->status = optt_err_set(x->err, OPTT_CONFIG, "unknown key '%.60s'", name);
		return 0;
	}
	if (x->seen[idx][k]) {
		x->status = optt_err_set(x->err, OPTT_CONFIG, "key '%s' set twice", keys[k].name);
		return 0;
	}
	x->seen[idx][k] = 1;
	if (keys[k].type == KT_SECRET &&
	    (x->status = optt_fs_check(x->path, x->st, OPTT_FS_SECRET, &e)) != OPTT_OK) {
		optt_err_set(x->err, x->status, "key '%s': %s", keys[k].name, e.msg);
		return 0;
	}
	if ((x->status = parse_value(&p->v[k], (enum optt_key)k, value, &e)) != OPTT_OK) {
		optt_err_set(x->err, x->status, "%s", e.msg);
		return 0;
	}
	return 1;
}

enum optt_status
optt_conf_load_file(struct optt_conf *c, const char *path, unsigned flags,
		    struct optt_err *err)
{
	enum optt_status st;
	struct optt_buf buf;
	struct parse_ctx *x = NULL;
	struct stat sb;
	struct optt_err e;
	unsigned fsflags = 0;
	const char *line;
	size_t lineno = 1;
	int r;

	optt_buf_init(&buf, OPTT_CONF_MAX_FILE);
	optt_err_init(&e);
	if (flags & OPTT_CONF_PAM)
		fsflags |= OPTT_FS_ROOT | OPTT_FS_NOFOLLOW;
	if ((flags & OPTT_CONF_OPTIONAL) && access(path, F_OK) != 0 && errno == ENOENT) {
		note_source(c, path, 0);
		return OPTT_OK;
	}
	note_source(c, path, 1);
	if ((st = optt_fs_read(path, OPTT_CONF_MAX_FILE, fsflags, &sb, &buf, err)) != OPTT_OK)
		goto out;
	for (line = buf.data; *line != '\0'; lineno++) {
		size_t n = strcspn(line, "\n");
		if (n > MAX_INI_LINE) {
			st = optt_err_set(err, OPTT_CONFIG, "%s:%zu: line longer than %d characters",
					  path, lineno, MAX_INI_LINE);
			goto out;
		}
		if (memchr(line, '\0', n) != NULL)
			break;
		if ((st = check_section_line(line, n, path, lineno, err)) != OPTT_OK)
			goto out;
		line += n + (line[n] == '\n');
	}
	if (strlen(buf.data) != buf.len) {
		st = optt_err_set(err, OPTT_CONFIG, "%s: contains a NUL byte", path);
		goto out;
	}
	if ((x = calloc(1, sizeof(*x))) == NULL) {
		st = optt_err_set(err, OPTT_NOMEM, "out of memory");
		goto out;
	}
	x->conf = c;
	x->st = &sb;
	x->flags = flags;
	x->path = path;
	x->err = &e;
	x->status = OPTT_OK;
	r = ini_parse_string(buf.data, conf_handler, x);
	if (r != 0) {
		st = x->status != OPTT_OK ? x->status : OPTT_CONFIG;
		if (r > 0)
			optt_err_set(err, st, "%s:%d: %s", path, r,
				     e.msg[0] ? e.msg : "syntax error (expected [section] or key = value)");
		else
			optt_err_set(err, st, "%s: cannot parse", path);
		goto out;
	}
	st = OPTT_OK;
out:
	free(x);
	optt_buf_clear(&buf);
	return st;
}

