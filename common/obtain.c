/* obtain.c - cached -> refresh -> grant, under the record lock; see obtain.h. */
#include "config.h"

#include <string.h>
#include <time.h>

#include "common/dialect.h"
#include "common/mem.h"
#include "common/obtain.h"
#include "common/session.h"

void
optt_obtain_init(struct optt_obtain *o)
{
	memset(o, 0, sizeof(*o));
	optt_grant_ctx_init(&o->grant);
	o->grant.use_env = 1;
}


/* RFC 8628: ask for a code, show it, wait for the user's approval */
static enum optt_status
device_grant(struct optt_obtain *o, const struct optt_profile *p, struct optt_token *ret,
	     struct optt_err *err)
{
	struct optt_device d;
	enum optt_status st;

	if (o->show_device == NULL)
		return optt_err_set(err, OPTT_REJECTED, "no token for profile %s; run: optt-token login %s",
				    p->name, p->name);
	optt_device_init(&d);
	if ((st = optt_device_start(p, &o->grant, &d, err)) == OPTT_OK &&
	    (st = o->show_device(o->arg, p, &d, err)) == OPTT_OK)
		st = optt_device_wait(p, &o->grant, &d, 0, ret, err);
	optt_device_clear(&d);
	return st;
}

static enum optt_status
fresh_grant(struct optt_obtain *o, const struct optt_profile *p, const char *username,
	    struct optt_token *ret, struct optt_err *err)
{
	struct optt_grant_input in;
	enum optt_op op = optt_dialect_grant_op(p);
	enum optt_status st;
	char *password = NULL;

	memset(&in, 0, sizeof(in));
	switch (op) {
	case OPTT_OP_PASSWORD:
		if (o->get_password == NULL)
			return optt_err_set(err, OPTT_REJECTED,
					    "no token for profile %s; run: optt-token login %s", p->name,
					    p->name);
		if ((st = o->get_password(o->arg, p, username, &password, err)) != OPTT_OK)
			return st;
		in.username = username;
		in.password = password;
		break;
	case OPTT_OP_CODE:
		if (o->code == NULL)
			return optt_err_set(err, OPTT_REJECTED,
					    "no token for profile %s; run: optt-token login %s", p->name,
					    p->name);
		in.code = o->code;
		in.code_verifier = o->code_verifier;
		break;
	case OPTT_OP_DEVICE_POLL:
		return device_grant(o, p, ret, err);
	case OPTT_OP_CLIENT_CREDENTIALS:
	case OPTT_OP_REFRESH:
	case OPTT_OP_DEVICE_AUTH:
	case OPTT_OP_DISCOVERY:
		break;
	}
	st = optt_grant_run(p, op, &in, &o->grant, ret, err);
	optt_free_str(&password);
	return st;
}

enum optt_status
optt_obtain_token(struct optt_obtain *o, const struct optt_profile *p, const char *username,
		  struct optt_token *ret, struct optt_err *err)
{
	struct optt_token cached, fresh;
	struct optt_grant_input in;
	struct optt_err serr;
	enum optt_status st;
	const char *subject = optt_obtain_subject(p, username);
	int found = 0, lockfd = -1;
	long wait_s = (o->grant.timeout > 0 ? o->grant.timeout : optt_pnum(p, OPTT_K_TIMEOUT)) + 10;

	optt_token_init(&cached);
	optt_token_init(&fresh);
	optt_err_init(&serr);
	if (subject == NULL || subject[0] == '\0')
		return optt_err_set(err, OPTT_CONFIG, "profile %s: no user name given", p->name);
	if ((st = optt_cache_lock(o->cache, p->name, subject, wait_s, &lockfd, err)) != OPTT_OK)
		return st;
	if ((st = optt_cache_load(o->cache, p->name, subject, &cached, &found, err)) != OPTT_OK)
		goto out;
	if (found && !o->force && optt_token_still_valid(p, &cached)) {
		optt_debug(o->grant.log, "profile %s: cached token valid until %lld", p->name,
			   (long long)cached.expires_at);
		*ret = cached;
		optt_token_init(&cached);
		goto out;
	}
	if (found && !o->force && cached.refresh_token != NULL && optt_dialect_can_refresh(p)) {
		memset(&in, 0, sizeof(in));
		in.refresh_token = cached.refresh_token;
		optt_debug(o->grant.log, "profile %s: refreshing", p->name);
		st = optt_grant_run(p, OPTT_OP_REFRESH, &in, &o->grant, &fresh, err);
		switch (st) {
		case OPTT_OK:
			if (fresh.refresh_token == NULL) {
				fresh.refresh_token = cached.refresh_token;
				cached.refresh_token = NULL;
			}
			goto store;
		case OPTT_REJECTED:
		case OPTT_CLIENT:
		case OPTT_DENIED:
			/* SPEC §4: a rejected refresh drops the refresh token */
			optt_debug(o->grant.log, "profile %s: refresh rejected; refresh token dropped",
				   p->name);
			optt_free_str(&cached.refresh_token);
			if (optt_cache_store(o->cache, p->name, subject, &cached, &serr) != OPTT_OK)
				optt_debug(o->grant.log, "cache: %s", serr.msg);
			break;
		case OPTT_UNAVAILABLE:
		case OPTT_BADRESP:
		case OPTT_CONFIG:
		case OPTT_NOMEM:
		case OPTT_SYSTEM:
			goto out; /* keep the record */
		}
	}
	if ((st = fresh_grant(o, p, username, &fresh, err)) != OPTT_OK)
		goto out;
store:
	if ((st = optt_cache_store(o->cache, p->name, subject, &fresh, &serr)) != OPTT_OK) {
		/* the token is good; a cache that cannot be written costs a request later */
		optt_debug(o->grant.log, "cache: %s", serr.msg);
		st = OPTT_OK;
	}
	*ret = fresh;
	optt_token_init(&fresh);
out:
	optt_cache_unlock(lockfd);
	optt_token_clear(&cached);
	optt_token_clear(&fresh);
	return st;
}

enum optt_status
optt_obtain_forget_access(struct optt_cache *c, const struct optt_profile *p,
			  const char *subject, struct optt_err *err)
{
	struct optt_token t;
	enum optt_status st;
	int found = 0, lockfd = -1;

	optt_token_init(&t);
	if ((st = optt_cache_lock(c, p->name, subject, optt_pnum(p, OPTT_K_TIMEOUT) + 10, &lockfd,
				  err)) != OPTT_OK)
		return st;
	if ((st = optt_cache_load(c, p->name, subject, &t, &found, err)) != OPTT_OK || !found)
		goto out;
	optt_free_str(&t.access_token);
	t.expires_at = 0;
	if (t.refresh_token == NULL)
		st = optt_cache_remove(c, p->name, subject, err);
	else
		st = optt_cache_store(c, p->name, subject, &t, err);
out:
	optt_cache_unlock(lockfd);
	optt_token_clear(&t);
	return st;
}

enum optt_status
optt_obtain_pick_subject(const struct optt_profile *p, struct optt_cache *c, const char *hint,
			 char **ret, struct optt_err *err)
{
	enum optt_status st;
	char **list = NULL;
	size_t n = 0;

	*ret = NULL;
	if ((hint = optt_subject_hint(p, hint)) != NULL)
		return (*ret = optt_strdup(hint)) != NULL ? OPTT_OK
							  : optt_err_set(err, OPTT_NOMEM, "out of memory");
	if ((st = optt_cache_list(c, p->name, &list, &n, err)) != OPTT_OK)
		return st;
	if (n == 1) {
		*ret = list[0];
		list[0] = NULL;
	} else if (n == 0) {
		st = optt_err_set(err, OPTT_REJECTED, "no token for profile %s; run: optt-token login %s",
				  p->name, p->name);
	} else {
		st = optt_err_set(err, OPTT_CONFIG,
				  "several users have tokens for profile %s: name one (--username, or user@ in the URL)",
				  p->name);
	}
	optt_cache_list_free(list, n);
	return st;
}

enum optt_status
optt_obtain_forget_token(struct optt_cache *c, const struct optt_profile *p, const char *token,
			 int *dropped, struct optt_err *err)
{
	enum optt_status st;
	struct optt_token t;
	char **list = NULL;
	size_t n = 0, i;
	int found;

	*dropped = 0;
	if ((st = optt_cache_list(c, p->name, &list, &n, err)) != OPTT_OK)
		return st;
	for (i = 0; i < n && st == OPTT_OK && !*dropped; i++) {
		optt_token_init(&t);
		found = 0;
		st = optt_cache_load(c, p->name, list[i], &t, &found, err);
		if (st == OPTT_OK && found && t.access_token != NULL &&
		    optt_ct_streq(t.access_token, token)) {
			st = optt_obtain_forget_access(c, p, list[i], err);
			*dropped = st == OPTT_OK;
		}
		optt_token_clear(&t);
	}
	optt_cache_list_free(list, n);
	return st;
}

enum optt_status
optt_obtain_for(const struct optt_profile *p, const struct optt_want *w, struct optt_token *ret,
		struct optt_err *err)
{
	struct optt_cache cache;
	struct optt_obtain ob;
	enum optt_status st;
	char *subject = NULL;

	optt_cache_init(&cache);
	if ((st = optt_cache_open(&cache, (enum optt_cache_mode)optt_pnum(p, OPTT_K_CACHE), w->log,
				  err)) != OPTT_OK)
		goto out;
	optt_obtain_init(&ob);
	ob.cache = &cache;
	ob.grant.log = w->log;
	ob.grant.use_env = w->use_env;
	if (optt_pnum(p, OPTT_K_GRANT) == OPTT_GRANT_PASSWORD) {
		size_t claimed;

		/* the login's token, if pam_optt left one (SPEC §11) */
		if ((st = optt_session_claim(&cache, p, &claimed, err)) != OPTT_OK)
			goto out;
		st = optt_obtain_pick_subject(p, &cache, w->user_hint, &subject, err);
		if (st == OPTT_REJECTED && w->ask_user != NULL)
			st = w->ask_user(w->arg, p, &subject, err);
		if (st != OPTT_OK)
			goto out;
		ob.get_password = w->get_password;
	}
	ob.show_device = w->show_device;
	ob.arg = w->arg;
	st = optt_obtain_token(&ob, p, subject, ret, err);
out:
	optt_free_str(&subject);
	optt_cache_close(&cache);
	return st;
}
