/*
 * device.c - RFC 8628; see device.h.
 *
 * Invariants: nothing is shown unless both verification URIs are https
 * URLs and every shown text is printable; a poll is never sent sooner than the current interval after
 * the previous request (the first one waits an interval too); slow_down
 * adds 5 s for every later poll; the wait ends at the code's lifetime or
 * the local limit, whichever is first; the device code is wiped.
 */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "common/device.h"
#include "common/http.h"
#include "common/jsonutil.h"
#include "common/mem.h"
#include "common/url.h"

void
optt_device_init(struct optt_device *d)
{
	memset(d, 0, sizeof(*d));
}

void
optt_device_clear(struct optt_device *d)
{
	if (d == NULL)
		return;
	optt_free_str(&d->device_code);
	optt_free_str(&d->user_code);
	optt_free_str(&d->verification_uri);
	optt_free_str(&d->verification_uri_complete);
	optt_device_init(d);
}

/* text that is safe to print on a terminal: printable ASCII, no blanks */
static int
printable(const char *s)
{
	if (s == NULL || *s == '\0')
		return 0;
	for (; *s != '\0'; s++)
		if ((unsigned char)*s <= 0x20 || (unsigned char)*s >= 0x7f)
			return 0;
	return 1;
}

/* an https URL (SPEC §19): what the user is told to open must be the
 * provider's web page, never javascript:, data:, file: or plain http -
 * not even to loopback, where anyone on the host may be listening */
static int
https_url(const char *s)
{
	struct optt_url u;

	return optt_url_parse(s, "verification_uri", &u, NULL) == OPTT_OK && strcmp(u.scheme, "https") == 0;
}

/* a positive whole number of seconds (number or numeric string), clamped */
static long
seconds(struct json_object *o, const char *k, long dflt, long max)
{
	struct json_object *v;
	long n;

	if (!json_object_object_get_ex(o, k, &v))
		return dflt;
	if (json_object_is_type(v, json_type_int))
		n = (long)json_object_get_int64(v);
	else if (!json_object_is_type(v, json_type_string) ||
		 optt_parse_long(json_object_get_string(v), 1, 1L << 30, &n) != 0)
		return -1;
	if (n < 1)
		return -1;
	return n > max ? max : n;
}

enum optt_status
optt_device_parse(long http_status, const char *body, size_t len, int64_t now,
		  struct optt_device *ret, struct optt_err *err)
{
	struct optt_device d;
	struct optt_token t;
	struct json_object *o = NULL;
	const char *uc, *uri, *uric;
	enum optt_status st = OPTT_OK;

	optt_device_init(&d);
	if (http_status != 200) {
		/* classified as a token endpoint's answer would be (never a success) */
		optt_token_init(&t);
		st = optt_token_parse(http_status, body, len, now, 300, &t, err);
		optt_token_clear(&t);
		return st == OPTT_OK ? optt_err_set(err, OPTT_BADRESP, "bad device authorization response")
				     : st;
	}
	if ((o = optt_json_parse(body, len)) == NULL || !json_object_is_type(o, json_type_object)) {
		st = optt_err_set(err, OPTT_BADRESP, "bad response: the device authorization is not a JSON object");
		goto out;
	}
	uc = optt_json_str(o, "user_code");
	uri = optt_json_str(o, "verification_uri");
	uric = optt_json_str(o, "verification_uri_complete");
	d.expires_in = seconds(o, "expires_in", -1, OPTT_DEVICE_MAX_LIFETIME);
	d.interval = seconds(o, "interval", OPTT_DEVICE_DEFAULT_INTERVAL, OPTT_DEVICE_MAX_INTERVAL);
	if (optt_json_str(o, "device_code") == NULL || optt_json_str(o, "device_code")[0] == '\0' ||
	    !printable(uc) || !printable(uri) || (uric != NULL && !printable(uric)) ||
	    d.expires_in < 1 || d.interval < 1) {
		st = optt_err_set(err, OPTT_BADRESP,
				  "bad response: the device authorization lacks device_code, user_code, "
				  "verification_uri or expires_in, or holds unprintable text");
		goto out;
	}
	if (!https_url(uri) || (uric != NULL && !https_url(uric))) {
		st = optt_err_set(err, OPTT_BADRESP, "bad response: the device authorization's %s is not an https URL",
				  https_url(uri) ? "verification_uri_complete" : "verification_uri");
		goto out;
	}
	if (optt_str_set(&d.device_code, optt_json_str(o, "device_code")) != 0 ||
	    optt_str_set(&d.user_code, uc) != 0 || optt_str_set(&d.verification_uri, uri) != 0 ||
	    optt_str_set(&d.verification_uri_complete, uric) != 0) {
		st = optt_err_set(err, OPTT_NOMEM, "out of memory");
		goto out;
	}
	d.started = now;
	*ret = d;
	optt_device_init(&d);
out:
	optt_json_free(&o);
	optt_device_clear(&d);
	return st;
}

void
optt_device_instructions(const struct optt_device *d, char *buf, size_t n)
{
	if (d->verification_uri_complete != NULL)
		snprintf(buf, n, "To log in, open %s and enter the code %s (or open %s)", d->verification_uri,
			 d->user_code, d->verification_uri_complete);
	else
		snprintf(buf, n, "To log in, open %s and enter the code %s", d->verification_uri, d->user_code);
}

enum optt_status
optt_device_start(const struct optt_profile *p, const struct optt_grant_ctx *ctx,
		  struct optt_device *ret, struct optt_err *err)
{
	struct optt_response resp;
	struct optt_grant_input in;
	enum optt_status st;

	memset(&in, 0, sizeof(in));
	optt_response_init(&resp);
	st = optt_grant_send(p, OPTT_OP_DEVICE_AUTH, &in, ctx, &resp, err);
	if (st == OPTT_OK)
		st = optt_device_parse(resp.status, resp.body.data, resp.body.len, (int64_t)time(NULL), ret,
				       err);
	optt_response_clear(&resp);
	return st;
}

/* sleep until the monotonic time `until` (seconds) */
static void
sleep_until(double until)
{
	struct timespec now, nap;
	double left;

	for (;;) {
		clock_gettime(CLOCK_MONOTONIC, &now);
		left = until - ((double)now.tv_sec + (double)now.tv_nsec / 1e9);
		if (left <= 0)
			return;
		nap.tv_sec = (time_t)left;
		nap.tv_nsec = (long)((left - (double)nap.tv_sec) * 1e9);
		if (nanosleep(&nap, NULL) != 0 && errno != EINTR)
			return;
	}
}

static double
mono(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

enum optt_status
optt_device_wait(const struct optt_profile *p, const struct optt_grant_ctx *ctx,
		 struct optt_device *d, long max_wait, struct optt_token *ret, struct optt_err *err)
{
	struct optt_grant_input in;
	struct optt_err e;
	enum optt_status st;
	long limit = max_wait > 0 && max_wait < d->expires_in ? max_wait : d->expires_in;
	double start = mono() - (double)((int64_t)time(NULL) - d->started), deadline = start + (double)limit;
	double next = mono() + (double)d->interval;

	memset(&in, 0, sizeof(in));
	in.device_code = d->device_code;
	/* err describes how the wait ended, not the device start before it:
	 * the last poll's HTTP status and error, none for the local limit
	 * (no answer ended the wait; an authorization_pending is no cause) */
	for (;;) {
		if (next > deadline) {
			optt_err_init(err);
			return optt_err_set(err, OPTT_REJECTED,
					    "the code was not approved in time (%ld s): run the login again",
					    limit);
		}
		sleep_until(next);
		optt_err_init(&e);
		st = optt_grant_run(p, OPTT_OP_DEVICE_POLL, &in, ctx, ret, &e);
		next = mono() + (double)d->interval;
		*err = e;
		if (st == OPTT_OK)
			return OPTT_OK;
		if ((st == OPTT_REJECTED || st == OPTT_CLIENT) && strcmp(e.error, "authorization_pending") == 0)
			continue;
		if ((st == OPTT_REJECTED || st == OPTT_CLIENT) && strcmp(e.error, "slow_down") == 0) {
			d->interval += 5; /* RFC 8628 §3.5, for this and every later poll */
			next = mono() + (double)d->interval;
			optt_debug(ctx->log, "device grant: slow_down, polling every %ld s now", d->interval);
			continue;
		}
		/* (err keeps this poll's status and error; only the line is ours) */
		if (strcmp(e.error, "access_denied") == 0)
			return optt_err_set(err, OPTT_REJECTED, "the login was denied at the provider");
		if (strcmp(e.error, "expired_token") == 0)
			return optt_err_set(err, OPTT_REJECTED, "the code expired before it was approved: "
					    "run the login again");
		return st;
	}
}
