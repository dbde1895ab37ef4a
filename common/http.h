/*
 * http.h - the one place of transport policy (the only file that includes
 * <curl/curl.h>): POST a built request over https (plain http only to a
 * loopback host), TLS verified, no redirects followed, connect timeout
 * min(5, timeout) and a total timeout, the response body capped at 1 MiB
 * while it arrives, proxy only as configured.
 *
 * libcurl is initialised once per process (pthread_once) with allocators
 * that wipe every block before freeing it, so curl's own copies of the URL
 * and headers (which may hold a password) do not outlive the request; it
 * is never cleaned up globally.  Each request uses its own easy handle.
 */
#ifndef OPTT_HTTP_H
#define OPTT_HTTP_H

#include "common/conf.h"
#include "common/dialect.h"
#include "common/log.h"
#include "common/mem.h"
#include "common/status.h"

#define OPTT_RESPONSE_MAX (1024 * 1024)

/* Who asks: every request of a grant, a device login or a discovery is
 * made in one of these. */
struct optt_grant_ctx {
	const struct optt_log *log;
	int use_env;     /* 1 for helpers and CLI; 0 in the PAM module (hermetic, below) */
	long timeout;    /* seconds; 0 means the profile's */
};

void optt_grant_ctx_init(struct optt_grant_ctx *ctx);

struct optt_http_opts {
	long timeout;          /* seconds for the whole request */
	const char *cafile;    /* NULL with capath NULL: the system's hashed directory */
	const char *capath;    /* (each set alone means that CA alone) */
	const char *proxy;     /* NULL: unset; "" : none */
	int use_env;           /* 1: the process environment applies (https_proxy & co
	                        * when proxy is unset); 0: hermetic, libcurl and
	                        * OpenSSL see an empty environment (PAM) */
	const struct optt_log *log;
};

struct optt_response {
	long status;           /* HTTP status */
	struct optt_buf body;  /* secret: holds tokens; capped at OPTT_RESPONSE_MAX */
};

void optt_response_init(struct optt_response *r);
void optt_response_clear(struct optt_response *r);

/* The transport options of a request for profile p made in ctx: its
 * timeout, CA, proxy, environment rule and log. */
void optt_http_opts_for(const struct optt_profile *p, const struct optt_grant_ctx *ctx,
			struct optt_http_opts *ret);

/* Initialise libcurl for this process (idempotent, thread-safe); with
 * use_env 0 the initialisation sees an empty environment. */
enum optt_status optt_http_global_init(int use_env, struct optt_err *err);
/* Whether libcurl frees through our wiping allocators (0 when another
 * part of the process initialised libcurl first, or before any request). */
int optt_http_wipes_buffers(void);

/* Send req (a POST, or a GET when req->method says so: OIDC discovery).
 * OPTT_OK means an HTTP response arrived (any status) and is in
 * ret; OPTT_UNAVAILABLE for transport failures (connect, DNS, TLS,
 * timeout), OPTT_BADRESP for an oversized body, OPTT_CONFIG for a URL
 * that breaks the transport policy. */
enum optt_status optt_http_post(const struct optt_request *req,
				const struct optt_http_opts *opts,
				struct optt_response *ret, struct optt_err *err);

#endif
