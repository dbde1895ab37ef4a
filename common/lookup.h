/*
 * lookup.h - the cached-token lookup of the front programs
 * (git-credential-optt, docker-credential-optt): a valid access token
 * straight from the cache directory, with no D-Bus and no TLS library
 * loaded.  A miss is not an error: the caller runs the full helper.
 *
 * Where the token is (cache_dir.h): file backend, the record
 * <profile>@<subject>.json itself; keyring backend, the copy of the
 * short-lived access token <profile>@<subject>.access that cache.c keeps
 * on the per-user tmpfs.
 *
 * Also the subject rules every path shares (the CLI, both git programs,
 * both docker programs, obtain.c).
 */
#ifndef OPTT_LOOKUP_H
#define OPTT_LOOKUP_H

#include "common/conf.h"
#include "common/status.h"
#include "common/token.h"

/* The record's subject: username for the password grant, client_id else. */
const char *optt_obtain_subject(const struct optt_profile *p, const char *username);
/* A user name that names the OPTT user of a password-grant request: name
 * unless it is empty or the profile's reporting `username` (which git
 * echoes back after our own Basic answers); NULL otherwise. */
const char *optt_subject_hint(const struct optt_profile *p, const char *name);
/* Whether t holds an access token valid for more than refresh_margin. */
int optt_token_still_valid(const struct optt_profile *p, const struct optt_token *t);

/* OPTT_OK and *ret filled (access token, expiry, scope; never a refresh
 * token) when a still-valid token is cached for (p, subject).  subject
 * NULL for a password-grant profile: the one user with a cached token.
 * *ret_subject, if not NULL, receives the subject used (free).
 * OPTT_REJECTED on a miss (no cache directory included); OPTT_NOMEM when
 * memory runs out; nothing else. */
enum optt_status optt_lookup_token(const struct optt_profile *p, const char *subject,
				   struct optt_token *ret, char **ret_subject);

#endif
