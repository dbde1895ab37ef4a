/*
 * gitproto.h - the git credential protocol (git-credential(1)): a pure
 * reader of the attribute block git writes to a helper, and the writer of
 * the answer.  No I/O.
 *
 * Input: "key=value" lines; a blank line or the end ends the block; keys
 * ending in "[]" may repeat; unknown keys are ignored.  Refused: more than
 * 64 KiB, a NUL byte, a line without '=', an empty key.
 */
#ifndef OPTT_GITPROTO_H
#define OPTT_GITPROTO_H

#include <stddef.h>

#include "common/mem.h"
#include "common/status.h"

#define OPTT_GIT_MAX_INPUT (64 * 1024)
#define OPTT_GIT_MAX_WWWAUTH 16

struct optt_git_cred {
	char *protocol;
	char *host;      /* may carry :port */
	char *path;      /* only with credential.useHttpPath */
	char *username;
	char *password;  /* secret (erase: the credential being erased) */
	char *credential;/* secret (erase, git >= 2.46) */
	char *authtype;
	int cap_authtype;/* git announced capability[]=authtype */
	char *wwwauth[OPTT_GIT_MAX_WWWAUTH];
	size_t nwwwauth;
};

void optt_git_cred_init(struct optt_git_cred *c);
/* Frees and wipes every field. */
void optt_git_cred_clear(struct optt_git_cred *c);

enum optt_status optt_git_parse(const char *buf, size_t len, struct optt_git_cred *ret,
				struct optt_err *err);

/* Whether git's request may be answered at all (SPEC §14): protocol
 * https, or http to a loopback host (127.0.0.0/8, ::1, localhost); and a
 * `path` is percent-decoded and its dot segments resolved, in place, so
 * that prefix matching sees the path the server will serve.  OPTT_DENIED
 * with a message otherwise: another protocol, a bad escape, a NUL, or
 * ".." above the root.  The caller then prints nothing for git. */
enum optt_status optt_git_check_target(struct optt_git_cred *c, struct optt_err *err);

/* Whether a WWW-Authenticate value offers the Bearer scheme. */
int optt_git_offers_bearer(const struct optt_git_cred *c);

struct optt_git_answer {
	int bearer;             /* 1: authtype=Bearer + credential; 0: Basic */
	const char *username;   /* Basic only */
	const char *token;      /* secret */
	long long expiry_utc;
};

/* The whole answer, to be written at once (never partial output). */
enum optt_status optt_git_format(const struct optt_git_answer *a, struct optt_buf *out,
				 struct optt_err *err);

/* The answer for profile p and token t, per SPEC §6: Bearer when git
 * announced capability[]=authtype and git_auth is bearer, or auto with a
 * wwwauth[] offering Bearer; Basic otherwise (git's user name kept, else
 * the profile's `username`). */
struct optt_profile;
struct optt_token;
enum optt_status optt_git_answer(const struct optt_git_cred *in, const struct optt_profile *p,
				 const struct optt_token *t, struct optt_buf *out,
				 struct optt_err *err);

#endif
