/*
 * obtain.h - getting a usable token (SPEC §4): cached and valid for more
 * than refresh_margin -> use it; else refresh token -> refresh; else a
 * fresh grant.  All of it under an exclusive lock on the record, so N
 * processes racing on one expired record cause exactly one request.
 *
 * A refresh that is rejected drops the record's refresh token; one that is
 * unavailable keeps the record and fails.  Passwords are asked for
 * through a callback, used once, wiped, never stored.
 */
#ifndef OPTT_OBTAIN_H
#define OPTT_OBTAIN_H

#include "common/cache.h"
#include "common/conf.h"
#include "common/device.h"
#include "common/lookup.h"
#include "common/grant.h"
#include "common/token.h"

struct optt_obtain {
	struct optt_cache *cache;
	struct optt_grant_ctx grant;
	/* password source for the password grant; NULL: none. *ret is the
	 * caller's to wipe (optt_free_str). */
	enum optt_status (*get_password)(void *arg, const struct optt_profile *p,
					 const char *username, char **ret, struct optt_err *err);
	void *arg;
	/* the device grant (SPEC §12): show the instructions (verification
	 * URI, user code) where the user sees them; NULL: this front end never
	 * prompts (docker, GIT_TERMINAL_PROMPT=0) and a device profile without
	 * a usable token is "run: optt-token login" */
	enum optt_status (*show_device)(void *arg, const struct optt_profile *p,
					const struct optt_device *d, struct optt_err *err);
	int force;          /* login: ignore the cached token and refresh token */
	const char *code;   /* authorization code (login only); secret */
	const char *code_verifier; /* its PKCE verifier, NULL: none; secret */
};

void optt_obtain_init(struct optt_obtain *o);

/* What a front end asks for when it wants a token for a profile. */
struct optt_want {
	const struct optt_log *log;
	int use_env;            /* the front ends: 1 (proxies etc. apply) */
	const char *user_hint;  /* a user name that may name the subject */
	/* password grant only, each optional: asked for a user name when no
	 * record names one, and for the password when a grant is needed;
	 * *ret is the caller's to wipe */
	enum optt_status (*ask_user)(void *arg, const struct optt_profile *p, char **ret,
				     struct optt_err *err);
	enum optt_status (*get_password)(void *arg, const struct optt_profile *p,
					 const char *username, char **ret, struct optt_err *err);
	void *arg;
	/* device grant: see struct optt_obtain; NULL never prompts */
	enum optt_status (*show_device)(void *arg, const struct optt_profile *p,
					const struct optt_device *d, struct optt_err *err);
};

/*
 * The whole "get" of every front end in one call: open the profile's
 * cache, pick the subject (optt_obtain_pick_subject, then ask_user),
 * obtain (optt_obtain_token).
 */
enum optt_status optt_obtain_for(const struct optt_profile *p, const struct optt_want *w,
				 struct optt_token *ret, struct optt_err *err);


enum optt_status optt_obtain_token(struct optt_obtain *o, const struct optt_profile *p,
				   const char *username, struct optt_token *ret,
				   struct optt_err *err);

/* Drop the cached access token of a record, keeping its refresh token. */
enum optt_status optt_obtain_forget_access(struct optt_cache *c, const struct optt_profile *p,
					   const char *subject, struct optt_err *err);

/* The subject a password-grant request is for when the caller names none
 * for sure: optt_subject_hint(p, hint) (a user name from the CLI or from
 * git), else the one user with a cached record.  No record: OPTT_REJECTED; several: OPTT_CONFIG. */
enum optt_status optt_obtain_pick_subject(const struct optt_profile *p, struct optt_cache *c,
					  const char *hint, char **ret, struct optt_err *err);

/* Drop the cached access token of whichever record of the profile holds
 * exactly token (compared in constant time); *dropped tells if one did. */
enum optt_status optt_obtain_forget_token(struct optt_cache *c, const struct optt_profile *p,
					  const char *token, int *dropped, struct optt_err *err);

#endif
