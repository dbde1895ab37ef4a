/*
 * redirect.h - the loopback listener for the authorization-code grant:
 * listen on every address of the redirect_uri's host (http, loopback
 * only), print where to log in, accept the browser's redirect, check
 * `state`, return `code`; one slow client cannot hold it (redirect.c).
 */
#ifndef OPTT_REDIRECT_H
#define OPTT_REDIRECT_H

#include "common/conf.h"
#include "common/status.h"

/* code_challenge: the PKCE S256 challenge to send (NULL: none).
 * *ret_code is a secret: the caller wipes it (optt_free_str). */
enum optt_status optt_redirect_wait(const struct optt_profile *p, long wait_s,
				    const char *code_challenge, char **ret_code,
				    struct optt_err *err);

#endif
