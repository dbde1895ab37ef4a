/*
 * ledger.c - the ledger's line formats; see ledger.h.
 *
 * Invariants: a parser reads only the n bytes it is given (never past
 * them, never a NUL terminator), accepts exactly the format and nothing
 * looser (a field too many or too few, a number with a sign, a blank or a
 * leading zero, a name the ledger could not have written: no entry), and
 * allocates nothing.
 */
#include "config.h"

#include <string.h>

#include "accounts/ledger.h"
#include "accounts/uid.h"

int
optt_name_valid(const char *s, size_t n)
{
	size_t i, digits = 0;
	unsigned char c;

	if (n == 0 || n > OPTT_NAME_MAX || s[0] == '-' || s[0] == '+' || s[0] == '.')
		return 0;
	for (i = 0; i < n; i++) {
		c = (unsigned char)s[i];
		if (c <= 0x20 || c >= 0x7f || c == ':' || c == ',' || c == '/' || c == '\\' || c == '#')
			return 0;
		digits += c >= '0' && c <= '9';
	}
	return digits < n;
}

int
optt_parse_u32(const char *s, size_t n, uint32_t max, uint32_t *ret)
{
	uint64_t v = 0;
	size_t i;

	if (n == 0 || n > 10 || (n > 1 && s[0] == '0'))
		return -1;
	for (i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -1;
		v = v * 10 + (uint64_t)(s[i] - '0');
	}
	if (v > max)
		return -1;
	*ret = (uint32_t)v;
	return 0;
}

static int
parse_i64(struct optt_field f, int64_t *ret)
{
	int64_t v = 0;
	size_t i;

	if (f.n == 0 || f.n > 18 || (f.n > 1 && f.p[0] == '0'))
		return -1;
	for (i = 0; i < f.n; i++) {
		if (f.p[i] < '0' || f.p[i] > '9')
			return -1;
		v = v * 10 + (f.p[i] - '0');
	}
	*ret = v;
	return 0;
}

int
optt_split_fields(const char *line, size_t n, struct optt_field *f, size_t nf)
{
	const char *p = line, *end = line + n, *c;
	size_t i;

	for (i = 0; i < nf; i++) {
		c = memchr(p, ':', (size_t)(end - p));
		if ((c == NULL) != (i == nf - 1))
			return -1;
		f[i].p = p;
		f[i].n = c != NULL ? (size_t)(c - p) : (size_t)(end - p);
		p = c != NULL ? c + 1 : end;
	}
	return 0;
}

static int
no_entry(const char *line, size_t n)
{
	return n == 0 || line[0] == '#';
}

/* printable text with no control byte (home, shell, GECOS, password field) */
static int
plain(struct optt_field f)
{
	size_t i;

	for (i = 0; i < f.n; i++)
		if ((unsigned char)f.p[i] < 0x20 || (unsigned char)f.p[i] == 0x7f)
			return 0;
	return 1;
}

int
optt_parse_pwline(const char *line, size_t n, struct optt_pwline *ret)
{
	struct optt_field f[7];

	if (no_entry(line, n) || optt_split_fields(line, n, f, 7) != 0 || !optt_name_valid(f[0].p, f[0].n) ||
	    optt_parse_u32(f[2].p, f[2].n, 4294967294u, &ret->uid) != 0 ||
	    optt_parse_u32(f[3].p, f[3].n, 4294967294u, &ret->gid) != 0 || !plain(f[1]) || !plain(f[4]) ||
	    !plain(f[5]) || !plain(f[6]))
		return 0;
	ret->name = f[0];
	ret->passwd = f[1];
	ret->gecos = f[4];
	ret->home = f[5];
	ret->shell = f[6];
	return 1;
}

int
optt_list_has(struct optt_field list, const char *name)
{
	const char *p = list.p, *end = list.p + list.n, *c;
	size_t len = strlen(name);

	while (p < end) {
		c = memchr(p, ',', (size_t)(end - p));
		if (c == NULL)
			c = end;
		if ((size_t)(c - p) == len && memcmp(p, name, len) == 0)
			return 1;
		p = c + 1;
	}
	return 0;
}

/* "a,b,c": every member a valid name, no empty one */
static int
valid_members(struct optt_field m)
{
	const char *p = m.p, *end = m.p + m.n, *c;

	if (m.n == 0)
		return 1;
	for (;;) {
		c = memchr(p, ',', (size_t)(end - p));
		if (!optt_name_valid(p, c != NULL ? (size_t)(c - p) : (size_t)(end - p)))
			return 0;
		if (c == NULL)
			return 1;
		p = c + 1;
	}
}

int
optt_parse_grline(const char *line, size_t n, struct optt_grline *ret)
{
	struct optt_field f[4];

	if (no_entry(line, n) || optt_split_fields(line, n, f, 4) != 0 || !optt_name_valid(f[0].p, f[0].n) ||
	    optt_parse_u32(f[2].p, f[2].n, 4294967294u, &ret->gid) != 0 || !plain(f[1]) ||
	    !valid_members(f[3]))
		return 0;
	ret->name = f[0];
	ret->passwd = f[1];
	ret->members = f[3];
	return 1;
}

/* an encoded field: only bytes the encoder leaves, and well-formed escapes */
static int
encoded(struct optt_field f)
{
	size_t i;
	unsigned char c;

	for (i = 0; i < f.n; i++) {
		c = (unsigned char)f.p[i];
		if (c <= 0x20 || c >= 0x7f || c == ':' || c == ',')
			return 0;
	}
	return 1;
}

int
optt_parse_stline(const char *line, size_t n, struct optt_stline *ret)
{
	struct optt_field f[6];

	if (no_entry(line, n) || optt_split_fields(line, n, f, 6) != 0 || !optt_name_valid(f[0].p, f[0].n) ||
	    !encoded(f[1]) || !encoded(f[2]) || parse_i64(f[3], &ret->last) != 0 ||
	    parse_i64(f[4], &ret->created) != 0 || !valid_members(f[5]))
		return 0;
	ret->name = f[0];
	ret->provider = f[1];
	ret->subject = f[2];
	ret->groups = f[5];
	return 1;
}

int
optt_parse_pinline(const char *line, size_t n, struct optt_pinline *ret)
{
	struct optt_field f[2];

	if (no_entry(line, n) || optt_split_fields(line, n, f, 2) != 0 || !optt_name_valid(f[0].p, f[0].n) ||
	    optt_parse_u32(f[1].p, f[1].n, (uint32_t)OPTT_UID_HIGHEST, &ret->uid) != 0 ||
	    ret->uid < (uint32_t)OPTT_UID_LOWEST)
		return 0;
	ret->name = f[0];
	return 1;
}

int
optt_field_is(struct optt_field f, const char *s)
{
	return strlen(s) == f.n && memcmp(f.p, s, f.n) == 0;
}

size_t
optt_field_encode(const char *s, char *out, size_t n)
{
	static const char hex[] = "0123456789ABCDEF";
	size_t o = 0;
	unsigned char c;

	for (; *s != '\0'; s++) {
		c = (unsigned char)*s;
		if (c <= 0x20 || c >= 0x7f || c == ':' || c == ',' || c == '%') {
			if (o + 3 >= n)
				return (size_t)-1;
			out[o++] = '%';
			out[o++] = hex[c >> 4];
			out[o++] = hex[c & 15];
		} else {
			if (o + 1 >= n)
				return (size_t)-1;
			out[o++] = (char)c;
		}
	}
	if (o >= n)
		return (size_t)-1;
	out[o] = '\0';
	return o;
}

static int
hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	return -1;
}

size_t
optt_field_decode(struct optt_field f, char *out, size_t n)
{
	size_t i, o = 0;
	int hi, lo;

	for (i = 0; i < f.n; i++) {
		if (o + 1 >= n)
			return (size_t)-1;
		if (f.p[i] != '%') {
			out[o++] = f.p[i];
			continue;
		}
		if (i + 2 >= f.n)
			return (size_t)-1;
		hi = hexval(f.p[i + 1]);
		lo = hexval(f.p[i + 2]);
		if (hi < 0 || lo < 0 || (hi == 0 && lo == 0))
			return (size_t)-1;
		out[o++] = (char)(hi << 4 | lo);
		i += 2;
	}
	if (n == 0)
		return (size_t)-1;
	out[o] = '\0';
	return o;
}
