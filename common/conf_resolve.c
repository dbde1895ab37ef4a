/*
 * conf_resolve.c - what follows reading the files: the helpers' and the
 * CLI's order of files (optt_conf_load_user, SPEC §2), then each
 * profile's resolution and validation (optt_conf_finish): [defaults] and the built-in
 * defaults applied, then what each dialect accepts checked (SPEC §2, §3,
 * §12), each refusal naming the profile.  Values go through the key
 * table's own parser (optt_profile_set), as those read from a file do.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "common/conf.h"
#include "common/mem.h"

#ifndef SYSCONFDIR
#define SYSCONFDIR "/etc"
#endif
#ifndef LOCALSTATEDIR
#define LOCALSTATEDIR "/var"
#endif
#ifndef RUNSTATEDIR
#define RUNSTATEDIR "/run"
#endif
/* SPEC §11: the PAM module's state; run_dir also holds the sessions' tokens */
#define OPTT_DEFAULT_OFFLINE_DIR LOCALSTATEDIR "/lib/optt/offline"
#define OPTT_DEFAULT_RUN_DIR RUNSTATEDIR "/optt"

#define GRANT(g) (1u << (g))
/*
 * What each dialect accepts (SPEC §3), indexed by enum optt_dialect in the
 * order of dialects[]: its default grant, the grants it supports (and the
 * message when another is set), whether it needs a confidential client,
 * whether base_url may stand for token_url (Octorate's documented hosts).
 */
static const struct dialect_rule {
	const char *default_grant;
	unsigned grants;
	const char *grants_msg;
	int needs_client;
	int base_url_ok;
} dialect_rules[] = {
	[OPTT_DIALECT_OPTT] = { "password", GRANT(OPTT_GRANT_PASSWORD),
				"supports grant = password only", 0, 0 },
	[OPTT_DIALECT_OCTORATE] = { "client_credentials",
				    GRANT(OPTT_GRANT_CLIENT_CREDENTIALS) | GRANT(OPTT_GRANT_AUTHORIZATION_CODE),
				    "supports client_credentials and authorization_code", 1, 1 },
	[OPTT_DIALECT_DDI] = { "client_credentials", GRANT(OPTT_GRANT_CLIENT_CREDENTIALS),
			       "supports grant = client_credentials only", 1, 0 },
	[OPTT_DIALECT_OAUTH2] = { "client_credentials",
				  GRANT(OPTT_GRANT_PASSWORD) | GRANT(OPTT_GRANT_CLIENT_CREDENTIALS) |
					  GRANT(OPTT_GRANT_AUTHORIZATION_CODE) | GRANT(OPTT_GRANT_DEVICE),
				  NULL, 0, 0 },
};
static enum optt_status
set_default(struct optt_profile *p, enum optt_key k, const char *value,
	    struct optt_err *err)
{
	if (p->v[k].set)
		return OPTT_OK;
	return optt_profile_set(p, k, value, err);
}

static enum optt_status
resolve_profile(struct optt_profile *p, const struct optt_profile *defs,
		struct optt_err *err)
{
	enum optt_status st = OPTT_OK;
	const struct dialect_rule *rule;
	struct optt_err e;
	long dialect, grant;
	size_t k;

	optt_err_init(&e);
	for (k = 0; k < OPTT_K_COUNT; k++) {
		if (p->v[k].set || !defs->v[k].set)
			continue;
		if (optt_str_set(&p->v[k].str, defs->v[k].str) != 0)
			return optt_err_set(err, OPTT_NOMEM, "out of memory");
		p->v[k].num = defs->v[k].num;
		p->v[k].set = 1;
	}
	if ((st = set_default(p, OPTT_K_DIALECT, "oauth2", &e)) != OPTT_OK)
		goto out;
	dialect = optt_pnum(p, OPTT_K_DIALECT);
	rule = &dialect_rules[dialect];
	if ((st = set_default(p, OPTT_K_GRANT, rule->default_grant, &e)) != OPTT_OK ||
	    (st = set_default(p, OPTT_K_CLIENT_AUTH,
			      optt_pset(p, OPTT_K_CLIENT_ID) ? "basic" : "body", &e)) != OPTT_OK ||
	    (st = set_default(p, OPTT_K_USERNAME, "oauth2", &e)) != OPTT_OK ||
	    (st = set_default(p, OPTT_K_GIT_AUTH, "auto", &e)) != OPTT_OK ||
	    (st = set_default(p, OPTT_K_CACHE, "auto", &e)) != OPTT_OK ||
	    (st = set_default(p, OPTT_K_REFRESH_MARGIN, "60", &e)) != OPTT_OK ||
	    (st = set_default(p, OPTT_K_DEFAULT_TTL, "300", &e)) != OPTT_OK ||
	    (st = set_default(p, OPTT_K_TIMEOUT, "15", &e)) != OPTT_OK ||
	    (st = set_default(p, OPTT_K_PKCE, "auto", &e)) != OPTT_OK ||
	    (st = set_default(p, OPTT_K_OFFLINE_DIR, OPTT_DEFAULT_OFFLINE_DIR, &e)) != OPTT_OK ||
	    (st = set_default(p, OPTT_K_RUN_DIR, OPTT_DEFAULT_RUN_DIR, &e)) != OPTT_OK)
		goto out;
	grant = optt_pnum(p, OPTT_K_GRANT);

	if (optt_pset(p, OPTT_K_CLIENT_SECRET) && optt_pset(p, OPTT_K_CLIENT_SECRET_FILE)) {
		st = optt_err_set(&e, OPTT_CONFIG, "set client_secret or client_secret_file, not both");
		goto out;
	}
	/* OIDC discovery (SPEC §12) is the RFC dialect's: the seed APIs publish none */
	if (optt_pset(p, OPTT_K_ISSUER) && dialect != OPTT_DIALECT_OAUTH2) {
		st = optt_err_set(&e, OPTT_CONFIG, "issuer (OIDC discovery) goes with dialect = oauth2");
		goto out;
	}
	if (!optt_pset(p, OPTT_K_TOKEN_URL) && !(rule->base_url_ok && optt_pset(p, OPTT_K_BASE_URL)) &&
	    !optt_pset(p, OPTT_K_ISSUER)) {
		st = optt_err_set(&e, OPTT_CONFIG, rule->base_url_ok ? "token_url or base_url is required"
				  : dialect == OPTT_DIALECT_OAUTH2 ? "token_url or issuer is required"
								   : "token_url is required");
		goto out;
	}
	if (!(rule->grants & GRANT(grant)))
		st = optt_err_set(&e, OPTT_CONFIG, "the %s dialect %s", optt_enum_name(OPTT_K_DIALECT, dialect), rule->grants_msg);
	else if (rule->needs_client &&
		 (!optt_pset(p, OPTT_K_CLIENT_ID) ||
		  !(optt_pset(p, OPTT_K_CLIENT_SECRET) || optt_pset(p, OPTT_K_CLIENT_SECRET_FILE))))
		st = optt_err_set(&e, OPTT_CONFIG, "the %s dialect needs client_id and client_secret",
				  optt_enum_name(OPTT_K_DIALECT, dialect));
	else if (grant == OPTT_GRANT_CLIENT_CREDENTIALS && !optt_pset(p, OPTT_K_CLIENT_ID))
		st = optt_err_set(&e, OPTT_CONFIG, "grant = client_credentials needs client_id");
	if (st == OPTT_OK && grant == OPTT_GRANT_DEVICE &&
	    (!optt_pset(p, OPTT_K_CLIENT_ID) ||
	     !(optt_pset(p, OPTT_K_DEVICE_AUTHORIZATION_URL) || optt_pset(p, OPTT_K_ISSUER))))
		st = optt_err_set(&e, OPTT_CONFIG,
				  "grant = device needs client_id and device_authorization_url (or issuer)");
	if (st == OPTT_OK && grant == OPTT_GRANT_AUTHORIZATION_CODE &&
	    (!optt_pset(p, OPTT_K_CLIENT_ID) || !optt_pset(p, OPTT_K_REDIRECT_URI)))
		st = optt_err_set(&e, OPTT_CONFIG, "grant = authorization_code needs client_id and redirect_uri");
out:
	if (st != OPTT_OK)
		optt_err_set(err, st, "profile '%s': %s", p->name, e.msg);
	return st;
}

enum optt_status
optt_conf_finish(struct optt_conf *c, struct optt_err *err)
{
	enum optt_status st;
	size_t i;

	char why[200];

	for (i = 0; i < c->nprofiles; i++)
		if ((st = resolve_profile(&c->profiles[i], &c->defaults, err)) != OPTT_OK)
			return st;
	if (optt_users_finish(&c->users, why, sizeof(why)) != 0)
		return optt_err_set(err, OPTT_CONFIG, "%s: [users]: %s",
				    c->nsources ? c->sources[c->nsources - 1] : "configuration", why);
	c->finished = 1;
	return OPTT_OK;
}

enum optt_status
optt_conf_load_user(struct optt_conf *c, const char *path, struct optt_err *err)
{
	enum optt_status st;
	struct optt_buf user;
	const char *env, *home;

	optt_buf_init(&user, 4096);
	if (path == NULL)
		path = secure_getenv("OPTT_CONFIG");
	if (path != NULL && path[0] != '\0') {
		if ((st = optt_conf_load_file(c, path, 0, err)) != OPTT_OK)
			goto out;
	} else {
		if ((st = optt_conf_load_file(c, SYSCONFDIR "/optt/optt.conf",
					      OPTT_CONF_OPTIONAL, err)) != OPTT_OK)
			goto out;
		env = secure_getenv("XDG_CONFIG_HOME");
		home = secure_getenv("HOME");
		if (env != NULL && env[0] == '/') {
			if (optt_buf_puts(&user, env) != 0)
				goto nomem;
		} else if (home != NULL && home[0] == '/') {
			if (optt_buf_puts(&user, home) != 0 || optt_buf_puts(&user, "/.config") != 0)
				goto nomem;
		}
		if (user.len > 0) {
			if (optt_buf_puts(&user, "/optt/optt.conf") != 0)
				goto nomem;
			if ((st = optt_conf_load_file(c, user.data, OPTT_CONF_OPTIONAL, err)) != OPTT_OK)
				goto out;
		}
	}
	st = optt_conf_finish(c, err);
	goto out;
nomem:
	st = optt_err_set(err, OPTT_NOMEM, "out of memory");
out:
	optt_buf_clear(&user);
	return st;
}
