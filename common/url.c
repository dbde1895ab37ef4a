/* url.c - URLs and encodings; see url.h. */
#include "config.h"

#include <arpa/inet.h>
#include <ctype.h>
#include <string.h>
#include <strings.h>

#include "common/url.h"

static int
unreserved(unsigned char c)
{
	return isalnum(c) || c == '-' || c == '.' || c == '_' || c == '~';
}

int
optt_url_encode(struct optt_buf *out, const char *s)
{
	static const char hex[] = "0123456789ABCDEF";
	char esc[3];
	int r;

	for (; *s != '\0'; s++) {
		unsigned char c = (unsigned char)*s;

		if (unreserved(c)) {
			r = optt_buf_append(out, s, 1);
		} else {
			esc[0] = '%';
			esc[1] = hex[c >> 4];
			esc[2] = hex[c & 15];
			r = optt_buf_append(out, esc, 3);
		}
		if (r != 0)
			return r;
	}
	return 0;
}

int
optt_hexval(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

int
optt_url_decode(struct optt_buf *out, const char *s, size_t n, int form)
{
	size_t i;
	char c;
	int r, hi, lo;

	for (i = 0; i < n; i++) {
		c = s[i];
		if (c == '%' && i + 2 < n && (hi = optt_hexval(s[i + 1])) >= 0 &&
		    (lo = optt_hexval(s[i + 2])) >= 0) {
			c = (char)(hi * 16 + lo);
			i += 2;
		} else if (c == '+' && form) {
			c = ' ';
		}
		if ((r = optt_buf_append(out, &c, 1)) != 0)
			return r;
	}
	return 0;
}

int
optt_host_is_loopback(const char *host)
{
	struct in_addr a4;
	struct in6_addr a6;

	if (strcasecmp(host, "localhost") == 0)
		return 1;
	if (inet_pton(AF_INET, host, &a4) == 1)
		return (ntohl(a4.s_addr) >> 24) == 127;
	if (inet_pton(AF_INET6, host, &a6) == 1)
		return IN6_IS_ADDR_LOOPBACK(&a6);
	return 0;
}

enum optt_status
optt_url_parse(const char *url, const char *what, struct optt_url *ret,
	       struct optt_err *err)
{
	struct optt_url u;
	const char *p, *auth, *end, *hend, *portp;
	size_t hlen;
	long port = 0;

	memset(&u, 0, sizeof(u));
	if (strncasecmp(url, "https://", 8) == 0) {
		memcpy(u.scheme, "https", 6);
		auth = url + 8;
	} else if (strncasecmp(url, "http://", 7) == 0) {
		memcpy(u.scheme, "http", 5);
		auth = url + 7;
	} else {
		return optt_err_set(err, OPTT_CONFIG, "%s: not an https:// URL", what);
	}
	end = auth + strcspn(auth, "/?#");
	for (p = auth; p < end; p++) {
		if (*p == '@')
			return optt_err_set(err, OPTT_CONFIG,
					    "%s: credentials in the URL are not allowed", what);
		if ((unsigned char)*p <= 0x20 || *p == '\\' || (unsigned char)*p >= 0x7f)
			return optt_err_set(err, OPTT_CONFIG, "%s: invalid host", what);
	}
	if (*auth == '[') {
		hend = memchr(auth, ']', (size_t)(end - auth));
		if (hend == NULL)
			return optt_err_set(err, OPTT_CONFIG, "%s: invalid IPv6 host", what);
		hlen = (size_t)(hend - auth - 1);
		portp = hend + 1;
		auth++;
	} else {
		hend = memchr(auth, ':', (size_t)(end - auth));
		if (hend == NULL)
			hend = end;
		hlen = (size_t)(hend - auth);
		portp = hend;
	}
	if (hlen == 0 || hlen >= sizeof(u.host))
		return optt_err_set(err, OPTT_CONFIG, "%s: invalid host", what);
	memcpy(u.host, auth, hlen);
	u.host[hlen] = '\0';
	if (portp < end) {
		if (*portp != ':' || portp + 1 == end)
			return optt_err_set(err, OPTT_CONFIG, "%s: invalid port", what);
		for (p = portp + 1; p < end; p++) {
			if (*p < '0' || *p > '9' || port > 65535)
				return optt_err_set(err, OPTT_CONFIG, "%s: invalid port", what);
			port = port * 10 + (*p - '0');
		}
		if (port < 1 || port > 65535)
			return optt_err_set(err, OPTT_CONFIG, "%s: invalid port", what);
	}
	u.port = (int)port;
	u.loopback = optt_host_is_loopback(u.host);
	if (strcmp(u.scheme, "http") == 0 && !u.loopback)
		return optt_err_set(err, OPTT_CONFIG,
				    "%s: plain http is allowed only to loopback hosts; use https", what);
	*ret = u;
	return OPTT_OK;
}

int
optt_url_redact(struct optt_buf *out, const char *url)
{
	return optt_buf_append(out, url, strcspn(url, "?#"));
}

int
optt_base64_encode(struct optt_buf *out, const unsigned char *p, size_t n)
{
	static const char tbl[] =
		"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
	char q[4];
	size_t i;
	unsigned v;
	int r = 0;

	for (i = 0; i < n && r == 0; i += 3) {
		v = (unsigned)p[i] << 16;
		if (i + 1 < n)
			v |= (unsigned)p[i + 1] << 8;
		if (i + 2 < n)
			v |= p[i + 2];
		q[0] = tbl[(v >> 18) & 63];
		q[1] = tbl[(v >> 12) & 63];
		q[2] = i + 1 < n ? tbl[(v >> 6) & 63] : '=';
		q[3] = i + 2 < n ? tbl[v & 63] : '=';
		r = optt_buf_append(out, q, 4);
	}
	OPTT_WIPE(q, sizeof(q));
	return r;
}

static int
b64val(int c)
{
	if (c >= 'A' && c <= 'Z')
		return c - 'A';
	if (c >= 'a' && c <= 'z')
		return c - 'a' + 26;
	if (c >= '0' && c <= '9')
		return c - '0' + 52;
	if (c == '-' || c == '+')
		return 62;
	if (c == '_' || c == '/')
		return 63;
	return -1;
}

int
optt_base64url_decode(struct optt_buf *out, const char *s, size_t n)
{
	unsigned v = 0;
	int bits = 0, d, r;
	size_t i;
	char c;

	while (n > 0 && s[n - 1] == '=')
		n--;
	if (n % 4 == 1)
		return -3;
	for (i = 0; i < n; i++) {
		if ((d = b64val((unsigned char)s[i])) < 0)
			return -3;
		v = (v << 6) | (unsigned)d;
		bits += 6;
		if (bits >= 8) {
			bits -= 8;
			c = (char)((v >> bits) & 0xff);
			if ((r = optt_buf_append(out, &c, 1)) != 0)
				return r;
		}
	}
	return 0;
}
