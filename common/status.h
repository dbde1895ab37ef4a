/*
 * status.h - the one error vocabulary of optt-auth.
 *
 * Every fallible function returns enum optt_status and takes a
 * struct optt_err * as its last argument.  The err struct holds plain
 * fixed-size text: it never owns memory and never holds a secret (the
 * message is built from names, HTTP statuses and the provider's `error`
 * code, never from a request or a token).
 */
#ifndef OPTT_STATUS_H
#define OPTT_STATUS_H

enum optt_status {
	OPTT_OK = 0,
	OPTT_REJECTED,    /* the provider refused the credentials (400/401/403, invalid_grant) */
	OPTT_DENIED,      /* granted, but a required claim does not hold */
	OPTT_UNAVAILABLE, /* connect, DNS, TLS, timeout, 5xx, 429 */
	OPTT_BADRESP,     /* 200 with bad content, oversize body, redirect */
	OPTT_CLIENT,      /* the client is misconfigured at the provider (invalid_client, 404, ...) */
	OPTT_CONFIG,      /* local configuration or usage error */
	OPTT_NOMEM,       /* out of memory */
	OPTT_SYSTEM,      /* local system failure (I/O, permissions) */
};

struct optt_err {
	long http_status;  /* 0 when no HTTP response was received */
	char error[64];    /* provider's OAuth `error`, sanitised; "" when none */
	char msg[256];     /* one clean line, no secrets */
};

void optt_err_init(struct optt_err *err);
/* Fill err (which may be NULL) and return st.  fmt is a constant of ours,
 * never text that came from a server. */
enum optt_status optt_err_set(struct optt_err *err, enum optt_status st,
			      const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
const char *optt_status_name(enum optt_status st);
/* Copy text from an untrusted source into dst as printable ASCII only. */
void optt_sanitize(char *dst, size_t dstlen, const char *src);
/* Copy src into dst for a `key=value` log line: '=', '"', '\\', control
 * and non-ASCII bytes (and spaces, unless keep_spaces) become \xHH, so a
 * value can never add a field of its own.  Never cuts an escape short. */
void optt_log_escape(char *dst, size_t dstlen, const char *src, int keep_spaces);

#endif
