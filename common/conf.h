/*
 * conf.h - optt.conf(5): INI files parsed with inih, driven by one key
 * table (conf.c) that gives every key its type, range, default and whether
 * it is a secret (masked when printed).
 *
 * Ownership: struct optt_conf owns all its strings; optt_conf_clear wipes
 * and frees them (client_secret is wiped).  Errors name file, line and key.
 */
#ifndef OPTT_CONF_H
#define OPTT_CONF_H

#include <stddef.h>
#include <stdio.h>

#include "accounts/users.h"
#include "common/status.h"

enum optt_key {
	OPTT_K_DIALECT,
	OPTT_K_GRANT,
	OPTT_K_TOKEN_URL,
	OPTT_K_BASE_URL,
	OPTT_K_REFRESH_URL,
	OPTT_K_AUTHORIZE_URL,
	OPTT_K_REDIRECT_URI,
	OPTT_K_CLIENT_ID,
	OPTT_K_CLIENT_SECRET,
	OPTT_K_CLIENT_SECRET_FILE,
	OPTT_K_CLIENT_AUTH,
	OPTT_K_SCOPE,
	OPTT_K_HOSTS,
	OPTT_K_USERNAME,
	OPTT_K_GIT_AUTH,
	OPTT_K_CACHE,
	OPTT_K_REFRESH_MARGIN,
	OPTT_K_DEFAULT_TTL,
	OPTT_K_TIMEOUT,
	OPTT_K_CAFILE,
	OPTT_K_CAPATH,
	OPTT_K_PROXY,
	OPTT_K_PKCE,
	OPTT_K_DEVICE_AUTHORIZATION_URL,
	OPTT_K_ISSUER,
	OPTT_K_OFFLINE_DIR,
	OPTT_K_RUN_DIR,
	OPTT_K_COUNT
};

/* Enum values, in the order of the key table's value lists. */
enum optt_dialect { OPTT_DIALECT_OPTT, OPTT_DIALECT_OCTORATE, OPTT_DIALECT_DDI, OPTT_DIALECT_OAUTH2 };
enum optt_grant { OPTT_GRANT_PASSWORD, OPTT_GRANT_CLIENT_CREDENTIALS, OPTT_GRANT_AUTHORIZATION_CODE,
		  OPTT_GRANT_DEVICE };
enum optt_client_auth { OPTT_CLIENT_AUTH_BASIC, OPTT_CLIENT_AUTH_BODY };
enum optt_git_auth { OPTT_GIT_AUTH_AUTO, OPTT_GIT_AUTH_BEARER, OPTT_GIT_AUTH_BASIC };
enum optt_cache_mode { OPTT_CACHE_AUTO, OPTT_CACHE_KEYRING, OPTT_CACHE_FILE, OPTT_CACHE_NONE };
enum optt_pkce_mode { OPTT_PKCE_AUTO, OPTT_PKCE_S256, OPTT_PKCE_OFF };

struct optt_value {
	char *str;   /* the text as written (secret for client_secret) */
	long num;    /* parsed number, or index of an enum value */
	int set;     /* 0 unset, 1 set in a file or resolved default,
	              * OPTT_SET_DISCOVERED filled by OIDC discovery */
};
#define OPTT_SET_DISCOVERED 2

struct optt_profile {
	char *name;                       /* NULL for [defaults] */
	struct optt_value v[OPTT_K_COUNT];
};

#define OPTT_CONF_MAX_SOURCES 4

struct optt_conf {
	struct optt_profile defaults;
	struct optt_profile *profiles;
	size_t nprofiles;
	int finished;
	/* the files asked for, in order, and whether each was there: every
	 * message about the configuration names them (optt_conf_sources) */
	char *sources[OPTT_CONF_MAX_SOURCES];
	int source_found[OPTT_CONF_MAX_SOURCES];
	size_t nsources;
	/* [users] (SPEC §15): the accounts tier's table, checked by finish */
	struct optt_users users;
};

enum {
	OPTT_CONF_OPTIONAL = 1 << 0, /* a missing file is not an error */
	OPTT_CONF_PAM = 1 << 1,      /* the PAM module's rule: root-owned, not g/o writable, no symlink */
};

#define OPTT_CONF_MAX_FILE (64 * 1024)

void optt_conf_init(struct optt_conf *c);
void optt_conf_clear(struct optt_conf *c);

/* Merge one file into c (later files override earlier ones key by key). */
enum optt_status optt_conf_load_file(struct optt_conf *c, const char *path,
				     unsigned flags, struct optt_err *err);
/* SPEC §2 precedence for the helpers and the CLI: path (from --config) if
 * not NULL, else $OPTT_CONFIG if set, else the system file then the user
 * file.  Then optt_conf_finish. */
enum optt_status optt_conf_load_user(struct optt_conf *c, const char *path,
				     struct optt_err *err);
/* Apply [defaults] and built-in defaults, then validate every profile. */
enum optt_status optt_conf_finish(struct optt_conf *c, struct optt_err *err);

const struct optt_profile *optt_conf_profile(const struct optt_conf *c, const char *name);
/* The profile whose `hosts` holds host (host[:port][/path]); a literal
 * entry wins over a wildcard, the longest matching path prefix over a
 * shorter one (conf.c).  NULL when none. */
const struct optt_profile *optt_conf_profile_for_host(const struct optt_conf *c,
						      const char *host, const char *path);

/* One `hosts` entry's host part (n bytes, host[:port], no path) against
 * host[:port]: 0 no match, 1 a wildcard match, 2 a literal match.  SPEC
 * §13: "*.d" matches one or more whole labels before ".d" - never "d"
 * itself, never a look-alike "xd" - case-insensitively; one trailing dot
 * is ignored; the port must be the same (both absent, or equal). */
int optt_conf_host_match(const char *entry, size_t n, const char *host);

const char *optt_pstr(const struct optt_profile *p, enum optt_key k);
long optt_pnum(const struct optt_profile *p, enum optt_key k);
int optt_pset(const struct optt_profile *p, enum optt_key k);
/* The provider a profile names before any request is made: token_url as
 * configured, else issuer, else base_url (SPEC §19: back-off records and
 * offline verifiers of an issuer-only profile; §15: the ledger's binding).
 * Never a discovered endpoint, so it is the same whether or not the
 * provider answers.  Never NULL for a finished profile. */
const char *optt_conf_provider(const struct optt_profile *p);
/* Set a key from text, with the table's validation (e.g. PAM timeout=). */
enum optt_status optt_profile_set(struct optt_profile *p, enum optt_key k,
				  const char *value, struct optt_err *err);

/* "FILE, FILE (absent)": the files asked for (buf, n bytes); "no file"
 * when none was.  The profile names, "a, b" ("none"), likewise. */
const char *optt_conf_sources(const struct optt_conf *c, char *buf, size_t n);
const char *optt_conf_profile_names(const struct optt_conf *c, char *buf, size_t n);

const char *optt_key_name(enum optt_key k);
/* The value as check-config prints it: secrets masked, and so are the
 * user info and query values of URLs (proxy included); buf (n bytes,
 * 1 KiB is enough) may hold the result.  NULL when the key is unset. */
const char *optt_key_display(const struct optt_profile *p, enum optt_key k, char *buf, size_t n);
const char *optt_enum_name(enum optt_key k, long v);

/* Strict decimal: whole string, no sign unless min < 0, in [min, max]. */
int optt_parse_long(const char *s, long min, long max, long *ret);

#endif
