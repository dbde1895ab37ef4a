/*
 * http.c - transport policy in one place; see http.h.
 *
 * Invariants:
 *  - https only; http only when the host is loopback (checked here again,
 *    whatever the config said) and CURLOPT_PROTOCOLS_STR allows just the
 *    URL's own scheme;
 *  - peer and host verification on; CA only from the config (cafile,
 *    capath: each alone, as configured) or, with neither, the system's
 *    hashed certificate directory (OPTT_SYSTEM_CAPATH, found by
 *    configure) - never libcurl's default bundle, which every process
 *    would parse whole (SPEC §17);
 *  - redirects never followed (a 3xx is a bad response);
 *  - CURLOPT_NOSIGNAL, a connect timeout and a total timeout always;
 *  - the body is capped while it is received (the write callback refuses
 *    the byte past OPTT_RESPONSE_MAX);
 *  - header values holding secrets are wiped before the list is freed;
 *    curl's own heap blocks are wiped by the allocators given to
 *    curl_global_init_mem (docs/DECISIONS.md: why, and what happens when
 *    another part of the process initialised libcurl first);
 *  - OpenSSL cleanses decrypted records once curl has read them
 *    (SSL_OP_CLEANSE_PLAINTEXT): OpenSSL's buffers are not ours to wipe;
 *  - hermetic requests (use_env == 0, the PAM module): libcurl and OpenSSL
 *    run with an empty environment, global initialisation included, so
 *    SSLKEYLOGFILE, OPENSSL_CONF, OPENSSL_MODULES, SSL_CERT_*, CURL_*,
 *    *_proxy and anything a later version reads have no effect (SPEC §14).
 */
#include "config.h"

#include <malloc.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <curl/curl.h>
#include <openssl/ssl.h>

#include "common/http.h"

#ifndef OPTT_FI_CURL
#define OPTT_FI_CURL() 0 /* the failure-injection build counts libcurl calls */
#endif
#include "common/url.h"

static pthread_once_t curl_once = PTHREAD_ONCE_INIT;
static CURLcode curl_init_result = CURLE_FAILED_INIT;
/* set when libcurl frees through wipe_free: our allocators are in use */
static int curl_wipes;

/*
 * The hermetic window.  Swapping `environ` for an empty one hides every
 * variable from whatever libcurl, OpenSSL and the resolver read, with no
 * list to keep up to date.  A mutex and a depth count keep concurrent
 * requests of one process from restoring each other's view; the caller's
 * environment is put back unchanged on return.
 */
extern char **environ;
static pthread_mutex_t env_mutex = PTHREAD_MUTEX_INITIALIZER;
static char **env_saved;
static unsigned env_depth;
static char *env_empty[] = { NULL };

static void
env_hide(int hide)
{
	if (!hide)
		return;
	pthread_mutex_lock(&env_mutex);
	if (env_depth++ == 0) {
		env_saved = environ;
		environ = env_empty;
	}
	pthread_mutex_unlock(&env_mutex);
}

static void
env_restore(int hide)
{
	if (!hide)
		return;
	pthread_mutex_lock(&env_mutex);
	if (--env_depth == 0) {
		environ = env_saved;
		env_saved = NULL;
	}
	pthread_mutex_unlock(&env_mutex);
}

static void
wipe_free(void *p)
{
	if (p == NULL)
		return;
	__atomic_store_n(&curl_wipes, 1, __ATOMIC_RELAXED);
	explicit_bzero(p, malloc_usable_size(p));
	free(p);
}

static void *
wipe_realloc(void *p, size_t n)
{
	size_t old;
	void *np;

	if (p == NULL)
		return malloc(n);
	if (n == 0) {
		wipe_free(p);
		return NULL;
	}
	old = malloc_usable_size(p);
	if ((np = malloc(n)) == NULL)
		return NULL;
	memcpy(np, p, old < n ? old : n);
	wipe_free(p);
	return np;
}

static char *
plain_strdup(const char *s)
{
	return strdup(s);
}

static void
init_once(void)
{
	char *probe;

	curl_init_result = curl_global_init_mem(CURL_GLOBAL_DEFAULT, malloc, wipe_free,
						wipe_realloc, plain_strdup, calloc);
	/* curl_global_init_mem does nothing when the process initialised
	 * libcurl before us: find out whether curl frees through wipe_free */
	if (curl_init_result == CURLE_OK && (probe = curl_easy_escape(NULL, "x", 1)) != NULL)
		curl_free(probe);
}

enum optt_status
optt_http_global_init(int use_env, struct optt_err *err)
{
	int r;

	env_hide(!use_env);
	r = pthread_once(&curl_once, init_once);
	env_restore(!use_env);
	if (r != 0 || curl_init_result != CURLE_OK)
		return optt_err_set(err, OPTT_SYSTEM, "cannot initialise libcurl");
	return OPTT_OK;
}

int
optt_http_wipes_buffers(void)
{
	return __atomic_load_n(&curl_wipes, __ATOMIC_RELAXED);
}

/* OpenSSL keeps a decrypted record in its read buffer until the next one
 * overwrites it (or frees it unwiped): have it cleansed once read. */
static CURLcode
ssl_ctx_cb(CURL *h, void *sslctx, void *arg)
{
	(void)h, (void)arg;
	SSL_CTX_set_options((SSL_CTX *)sslctx, SSL_OP_CLEANSE_PLAINTEXT);
	return CURLE_OK;
}

void
optt_grant_ctx_init(struct optt_grant_ctx *ctx)
{
	memset(ctx, 0, sizeof(*ctx));
}

void
optt_http_opts_for(const struct optt_profile *p, const struct optt_grant_ctx *ctx,
		   struct optt_http_opts *ret)
{
	memset(ret, 0, sizeof(*ret));
	ret->timeout = ctx->timeout > 0 ? ctx->timeout : optt_pnum(p, OPTT_K_TIMEOUT);
	ret->cafile = optt_pstr(p, OPTT_K_CAFILE);
	ret->capath = optt_pstr(p, OPTT_K_CAPATH);
	ret->proxy = optt_pstr(p, OPTT_K_PROXY);
	ret->use_env = ctx->use_env;
	ret->log = ctx->log;
}

void
optt_response_init(struct optt_response *r)
{
	r->status = 0;
	optt_buf_init(&r->body, OPTT_RESPONSE_MAX);
}

void
optt_response_clear(struct optt_response *r)
{
	if (r == NULL)
		return;
	optt_buf_clear(&r->body);
	optt_response_init(r);
}

struct sink {
	struct optt_buf *body;
	int oversize;
	int nomem;
};

static size_t
write_cb(char *ptr, size_t size, size_t nmemb, void *userdata)
{
	struct sink *s = userdata;
	size_t n = size * nmemb;

	switch (optt_buf_append(s->body, ptr, n)) {
	case 0:
		return n;
	case -2:
		s->oversize = 1;
		return 0;
	default:
		s->nomem = 1;
		return 0;
	}
}

static void
slist_free_wiped(struct curl_slist *l)
{
	struct curl_slist *i;

	for (i = l; i != NULL; i = i->next)
		if (i->data != NULL)
			explicit_bzero(i->data, strlen(i->data));
	curl_slist_free_all(l);
}

static int
add_header(struct curl_slist **l, const char *name, const char *value)
{
	struct optt_buf h;
	struct curl_slist *nl;

	optt_buf_init(&h, 8192);
	if (optt_buf_puts(&h, name) != 0 || optt_buf_puts(&h, value) != 0) {
		optt_buf_clear(&h);
		return -1;
	}
	nl = OPTT_FI_CURL() ? NULL : curl_slist_append(*l, h.data);
	optt_buf_clear(&h);
	if (nl == NULL)
		return -1;
	*l = nl;
	return 0;
}

static double
elapsed_ms(const struct timespec *t0)
{
	struct timespec t1;

	clock_gettime(CLOCK_MONOTONIC, &t1);
	return (double)(t1.tv_sec - t0->tv_sec) * 1e3 + (double)(t1.tv_nsec - t0->tv_nsec) / 1e6;
}

enum optt_status
optt_http_post(const struct optt_request *req, const struct optt_http_opts *opts,
	       struct optt_response *ret, struct optt_err *err)
{
	enum optt_status st = OPTT_OK;
	struct optt_response resp;
	struct curl_slist *hdrs = NULL;
	struct sink sink = { NULL, 0, 0 };
	struct optt_url u;
	struct timespec t0;
	char errbuf[CURL_ERROR_SIZE], clean[CURL_ERROR_SIZE];
	CURL *h = NULL;
	CURLcode rc;
	long timeout = opts->timeout > 0 ? opts->timeout : 15;
	long status = 0;
	int ok = 1, is_get = req->method != NULL && strcmp(req->method, "GET") == 0;
	const char *method = is_get ? "GET" : "POST";

	optt_response_init(&resp);
	errbuf[0] = '\0';
	env_hide(!opts->use_env);
	if ((st = optt_http_global_init(1, err)) != OPTT_OK)
		goto out;
	if ((st = optt_url_parse(req->url.data, "request URL", &u, err)) != OPTT_OK)
		goto out;
	if ((h = OPTT_FI_CURL() ? NULL : curl_easy_init()) == NULL) {
		st = optt_err_set(err, OPTT_NOMEM, "cannot create a curl handle");
		goto out;
	}
	sink.body = &resp.body;
	ok &= add_header(&hdrs, "Accept: ", "application/json") == 0;
	ok &= add_header(&hdrs, "Expect:", "") == 0;
	if (req->content_type != NULL)
		ok &= add_header(&hdrs, "Content-Type: ", req->content_type) == 0;
	else
		ok &= add_header(&hdrs, "Content-Type:", "") == 0;
	if (req->authorization.len > 0)
		ok &= add_header(&hdrs, "Authorization: ", req->authorization.data) == 0;
	if (!ok) {
		st = optt_err_set(err, OPTT_NOMEM, "out of memory");
		goto out;
	}
	ok &= curl_easy_setopt(h, CURLOPT_URL, req->url.data) == CURLE_OK;
	ok &= curl_easy_setopt(h, CURLOPT_PROTOCOLS_STR, u.scheme) == CURLE_OK;
	ok &= curl_easy_setopt(h, CURLOPT_FOLLOWLOCATION, 0L) == CURLE_OK;
	ok &= curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L) == CURLE_OK;
	ok &= curl_easy_setopt(h, CURLOPT_TIMEOUT, timeout) == CURLE_OK;
	ok &= curl_easy_setopt(h, CURLOPT_CONNECTTIMEOUT, timeout < 5 ? timeout : 5L) == CURLE_OK;
	ok &= curl_easy_setopt(h, CURLOPT_SSL_VERIFYPEER, 1L) == CURLE_OK;
	ok &= curl_easy_setopt(h, CURLOPT_SSL_VERIFYHOST, 2L) == CURLE_OK;
	/* one request per handle: a session cache only adds state (and, found
	 * by the failure-injection test, a double free in curl 7.88 when its
	 * copy of a session ID cannot be allocated) */
	ok &= curl_easy_setopt(h, CURLOPT_SSL_SESSIONID_CACHE, 0L) == CURLE_OK;
	/* not built for OpenSSL: refused here, never a silent fallback */
	ok &= curl_easy_setopt(h, CURLOPT_SSL_CTX_FUNCTION, ssl_ctx_cb) == CURLE_OK;
	if (is_get) {
		ok &= curl_easy_setopt(h, CURLOPT_HTTPGET, 1L) == CURLE_OK;
	} else {
		ok &= curl_easy_setopt(h, CURLOPT_POST, 1L) == CURLE_OK;
		ok &= curl_easy_setopt(h, CURLOPT_POSTFIELDSIZE, (long)req->body.len) == CURLE_OK;
		ok &= curl_easy_setopt(h, CURLOPT_POSTFIELDS, req->body.len ? req->body.data : "") == CURLE_OK;
	}
	ok &= curl_easy_setopt(h, CURLOPT_HTTPHEADER, hdrs) == CURLE_OK;
	ok &= curl_easy_setopt(h, CURLOPT_USERAGENT, PACKAGE_NAME "/" PACKAGE_VERSION) == CURLE_OK;
	ok &= curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, write_cb) == CURLE_OK;
	ok &= curl_easy_setopt(h, CURLOPT_WRITEDATA, &sink) == CURLE_OK;
	ok &= curl_easy_setopt(h, CURLOPT_ERRORBUFFER, errbuf) == CURLE_OK;
	/* the configured CA alone; else the system's hashed directory, where
	 * OpenSSL reads just the issuer it needs instead of parsing the whole
	 * bundle libcurl would load by default (SPEC §17) */
	ok &= curl_easy_setopt(h, CURLOPT_CAINFO, opts->cafile) == CURLE_OK;
	ok &= curl_easy_setopt(h, CURLOPT_CAPATH, opts->capath != NULL ? opts->capath
						   : opts->cafile != NULL ? NULL : OPTT_SYSTEM_CAPATH) == CURLE_OK;
	if (opts->proxy != NULL)
		ok &= curl_easy_setopt(h, CURLOPT_PROXY, opts->proxy) == CURLE_OK;
	else if (!opts->use_env)
		ok &= curl_easy_setopt(h, CURLOPT_PROXY, "") == CURLE_OK;
	if (!opts->use_env)
		ok &= curl_easy_setopt(h, CURLOPT_NOPROXY, "") == CURLE_OK;
	if (!ok) {
		st = optt_err_set(err, OPTT_SYSTEM, "cannot configure libcurl");
		goto out;
	}
	optt_debug(opts->log, "%s %s", method, req->log_url);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	rc = OPTT_FI_CURL() ? CURLE_OUT_OF_MEMORY : curl_easy_perform(h);
	curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &status);
	optt_sanitize(clean, sizeof(clean), errbuf[0] ? errbuf : curl_easy_strerror(rc));
	if (err != NULL)
		err->http_status = status;
	if (sink.oversize) {
		st = optt_err_set(err, OPTT_BADRESP, "response larger than %d bytes refused",
				  OPTT_RESPONSE_MAX);
	} else if (sink.nomem) {
		st = optt_err_set(err, OPTT_NOMEM, "out of memory");
	} else if (rc == CURLE_OPERATION_TIMEDOUT) {
		st = optt_err_set(err, OPTT_UNAVAILABLE, "no answer within %ld s", timeout);
	} else if (rc != CURLE_OK) {
		st = optt_err_set(err, OPTT_UNAVAILABLE, "%s", clean);
	}
	optt_debug(opts->log, "%s %s -> %s%ld, %zu bytes, %.0f ms", method, req->log_url,
		   st == OPTT_OK ? "HTTP " : "failed, HTTP ", status, resp.body.len,
		   elapsed_ms(&t0));
	if (st != OPTT_OK)
		goto out;
	resp.status = status;
	*ret = resp;
	optt_response_init(&resp);
out:
	OPTT_WIPE(errbuf, sizeof(errbuf));
	if (h != NULL)
		curl_easy_cleanup(h);
	env_restore(!opts->use_env);
	slist_free_wiped(hdrs);
	optt_response_clear(&resp);
	return st;
}
