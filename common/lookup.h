/*
 * fast.h - the cached-token fast path of the front programs
 * (git-credential-optt, docker-credential-optt): a valid access token
 * straight from the cache directory, with no D-Bus and no TLS library
 * loaded.  A miss is not an error: the caller runs the full path.
 *
 * Where the token is: file backend, the record <profile>@<subject>.json
 * itself; keyring backend, a copy of the short-lived access token (never
 * the refresh token) that the backend keeps in
 * $XDG_RUNTIME_DIR/optt/<profile>@<subject>.access, 0600, on the per-user
 * tmpfs (only when XDG_RUNTIME_DIR is set).
 */
#ifndef OPTT_FAST_H
#define OPTT_FAST_H

#include "common/conf.h"
#include "common/token.h"

/* The record's subject: username for the password grant, client_id else. */
const char *optt_obtain_subject(const struct optt_profile *p, const char *username);
/* A user name that names the OPTT user of a password-grant request: name
 * unless it is empty or the profile's reporting `username` (which git
 * echoes back after our own Basic answers); NULL otherwise. */
const char *optt_subject_hint(const struct optt_profile *p, const char *name);
/* Whether t holds an access token valid for more than refresh_margin. */
int optt_token_still_valid(const struct optt_profile *p, const struct optt_token *t);

/* Remove the keyring backend's copy for (profile, subject): the file
 * backend calls it when it stores or removes a record. */
void optt_fast_copy_drop(int dirfd, const char *profile, const char *subject);

/* OPTT_OK and *ret filled (access token, expiry, scope; never a refresh
 * token) when a still-valid token is cached for (p, subject).  subject
 * NULL for a password-grant profile: the one user with a cached token.
 * *ret_subject, if not NULL, receives the subject used (free).
 * OPTT_REJECTED on a miss; other statuses only for no memory. */
enum optt_status optt_fast_token(const struct optt_profile *p, const char *subject,
				 struct optt_token *ret, char **ret_subject);

/* Keep (t with an access token) or drop (t NULL or without one) the
 * keyring backend's access-token copy for (profile, subject) in the cache
 * directory dirfd, and remove a file-backend record of the same key (a
 * leftover the fast path must not serve).  Best effort; a copy is kept
 * only when XDG_RUNTIME_DIR is set. */
void optt_fast_copy_update(int dirfd, const char *dir, const char *profile,
			   const char *subject, const struct optt_token *t);

#endif
