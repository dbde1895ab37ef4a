/* status.c - error vocabulary; see status.h. */
#include "config.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "common/status.h"

void
optt_err_init(struct optt_err *err)
{
	if (err == NULL)
		return;
	memset(err, 0, sizeof(*err));
}

enum optt_status
optt_err_set(struct optt_err *err, enum optt_status st, const char *fmt, ...)
{
	va_list ap;

	if (err == NULL)
		return st;
	va_start(ap, fmt);
	vsnprintf(err->msg, sizeof(err->msg), fmt, ap);
	va_end(ap);
	return st;
}

const char *
optt_status_name(enum optt_status st)
{
	switch (st) {
	case OPTT_OK:
		return "ok";
	case OPTT_REJECTED:
		return "rejected";
	case OPTT_DENIED:
		return "denied";
	case OPTT_UNAVAILABLE:
		return "unavailable";
	case OPTT_BADRESP:
		return "bad response";
	case OPTT_CLIENT:
		return "client misconfigured";
	case OPTT_CONFIG:
		return "configuration error";
	case OPTT_NOMEM:
		return "out of memory";
	case OPTT_SYSTEM:
		return "system error";
	}
	return "unknown";
}

void
optt_sanitize(char *dst, size_t dstlen, const char *src)
{
	size_t i = 0;

	if (dstlen == 0)
		return;
	for (; src != NULL && *src != '\0' && i + 1 < dstlen; src++)
		dst[i++] = (*src >= 0x20 && *src < 0x7f) ? *src : '?';
	dst[i] = '\0';
}

void
optt_log_escape(char *dst, size_t dstlen, const char *src, int keep_spaces)
{
	static const char hex[] = "0123456789abcdef";
	size_t i = 0;
	unsigned char c;

	if (dstlen == 0)
		return;
	for (; src != NULL && *src != '\0'; src++) {
		c = (unsigned char)*src;
		if (c > 0x20 && c < 0x7f && c != '=' && c != '"' && c != '\\') {
			if (i + 1 >= dstlen)
				break;
			dst[i++] = (char)c;
		} else if (c == ' ' && keep_spaces) {
			if (i + 1 >= dstlen)
				break;
			dst[i++] = ' ';
		} else {
			if (i + 4 >= dstlen)
				break;
			dst[i++] = '\\';
			dst[i++] = 'x';
			dst[i++] = hex[c >> 4];
			dst[i++] = hex[c & 15];
		}
	}
	dst[i] = '\0';
}
