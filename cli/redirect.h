/*
 * redirect.h - the loopback listener for the authorization-code grant:
 * listen on the redirect_uri (http, loopback host only), print where to
 * log in, accept the browser's redirect, check `state`, return `code`.
 */
#ifndef OPTT_REDIRECT_H
#define OPTT_REDIRECT_H

#include "common/conf.h"
#include "common/status.h"

/* *ret_code is a secret: the caller wipes it (optt_free_str). */
enum optt_status optt_redirect_wait(const struct optt_profile *p, long wait_s, char **ret_code,
				    struct optt_err *err);

#endif
