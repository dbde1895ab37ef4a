/*
 * url.h - URLs and encodings: percent-encoding (RFC 3986), Base64 (for
 * HTTP Basic) and Base64url (JWT), and the parsing needed to check
 * the transport policy (https, or http to loopback only) and to print a
 * URL without its query string.  Pure functions; output goes to capped
 * optt_bufs, so secrets encoded here are wiped with the buffer.
 */
#ifndef OPTT_URL_H
#define OPTT_URL_H

#include <stddef.h>

#include "common/mem.h"
#include "common/status.h"

struct optt_url {
	char scheme[8];   /* "https" or "http" */
	char host[256];   /* without brackets for IPv6 */
	int port;         /* 0 when not given */
	int loopback;     /* host is 127.0.0.0/8, ::1 or localhost */
};

/* Append s percent-encoded (everything but RFC 3986 unreserved). */
int optt_url_encode(struct optt_buf *out, const char *s);
/* Append s with percent-escapes decoded (and '+' as space when form). */
int optt_url_decode(struct optt_buf *out, const char *s, size_t n, int form);
/* The value of one hex digit, or -1. */
int optt_hexval(int c);

/* Parse an absolute http(s) URL.  Refuses user info, other schemes and
 * plain http to a host that is not loopback: OPTT_CONFIG naming `what`. */
enum optt_status optt_url_parse(const char *url, const char *what,
				struct optt_url *ret, struct optt_err *err);
/* Append the URL without query and fragment (for logs). */
int optt_url_redact(struct optt_buf *out, const char *url);
int optt_host_is_loopback(const char *host);

int optt_base64_encode(struct optt_buf *out, const unsigned char *p, size_t n);
/* Base64url without padding (padding tolerated).  -1 memory, -2 cap, -3 bad input. */
int optt_base64url_decode(struct optt_buf *out, const char *s, size_t n);

#endif
