/*
 * groups.c - groups from the token (SPEC §16); see groups.h.
 *
 * Invariants: a value that could break a group line or a member list
 * (':', ',', blanks, control bytes) never counts, whatever the provider
 * sends; no list ever holds more than OPTT_GROUPS_MAX names, so a claim of
 * any size costs at most one pass; a mapped group is only ever a name the
 * admin wrote in group_map or PREFIXname with a name the ledger can hold;
 * /etc/group is read as a file (nss_files' first-line-wins), never
 * through NSS.
 */
#include "config.h"

#include <grp.h>
#include <string.h>

#include "accounts/groups.h"
#include "accounts/room.h"

void
optt_group_list_init(struct optt_group_list *l)
{
	l->n = 0;
}

int
optt_group_list_find(const struct optt_group_list *l, const char *s, size_t n)
{
	size_t i;

	for (i = 0; i < l->n; i++)
		if (strlen(l->name[i]) == n && memcmp(l->name[i], s, n) == 0)
			return (int)i;
	return -1;
}

int
optt_group_list_add(struct optt_group_list *l, const char *s, size_t n)
{
	if (optt_group_list_find(l, s, n) >= 0)
		return 0;
	if (l->n >= OPTT_GROUPS_MAX || n > OPTT_GROUP_VALUE_MAX)
		return -1;
	memcpy(l->name[l->n], s, n);
	l->name[l->n][n] = '\0';
	l->n++;
	return 1;
}

/* The next code point of valid UTF-8 at s[*i] (n bytes in all): 0 and
 * *ret, or -1 (overlong, surrogate, beyond U+10FFFF, cut short). */
static int
utf8_next(const unsigned char *s, size_t n, size_t *i, uint32_t *ret)
{
	uint32_t c = s[*i], min;
	size_t len, k;

	if (c < 0x80) {
		*ret = c;
		(*i)++;
		return 0;
	}
	if ((c & 0xe0) == 0xc0)
		len = 2, c &= 0x1f, min = 0x80;
	else if ((c & 0xf0) == 0xe0)
		len = 3, c &= 0x0f, min = 0x800;
	else if ((c & 0xf8) == 0xf0)
		len = 4, c &= 0x07, min = 0x10000;
	else
		return -1;
	if (n - *i < len)
		return -1;
	for (k = 1; k < len; k++) {
		if ((s[*i + k] & 0xc0) != 0x80)
			return -1;
		c = c << 6 | (s[*i + k] & 0x3f);
	}
	if (c < min || c > 0x10ffff || (c >= 0xd800 && c <= 0xdfff))
		return -1;
	*i += len;
	*ret = c;
	return 0;
}

/* Unicode White_Space and the control characters (Cc) */
static int
blank_or_control(uint32_t c)
{
	return c <= 0x20 || (c >= 0x7f && c <= 0xa0) || c == 0x1680 || (c >= 0x2000 && c <= 0x200a) ||
	       c == 0x2028 || c == 0x2029 || c == 0x202f || c == 0x205f || c == 0x3000;
}

int
optt_group_value_ok(const char *s, size_t n)
{
	const unsigned char *u = (const unsigned char *)s;
	size_t i = 0;
	uint32_t c;

	if (n == 0 || n > OPTT_GROUP_VALUE_MAX)
		return 0;
	while (i < n) {
		if (utf8_next(u, n, &i, &c) != 0 || blank_or_control(c) || c == ':' || c == ',')
			return 0;
	}
	return 1;
}

int
optt_group_values_take(struct optt_group_list *values, const char *s, size_t n)
{
	if (!optt_group_value_ok(s, n) || optt_group_list_find(values, s, n) >= 0)
		return 0;
	if (values->n >= OPTT_GROUPS_MAX)
		return -1;
	return optt_group_list_add(values, s, n) == 1 ? 1 : -1;
}

int
optt_words_next(const char **cursor, const char **ret, size_t *ret_n)
{
	const char *v = *cursor + strspn(*cursor, " \t");
	size_t n = strcspn(v, " \t");

	if (n == 0)
		return 0;
	*ret = v;
	*ret_n = n;
	*cursor = v + n;
	return 1;
}

int
optt_parse_etc_grline(const char *line, size_t n, struct optt_field *ret_name, uint32_t *ret_gid)
{
	struct optt_field f[4];

	if (n == 0 || line[0] == '#' || line[0] == '+' || line[0] == '-' || optt_split_fields(line, n, f, 4) != 0 ||
	    f[0].n == 0 || optt_parse_u32(f[2].p, f[2].n, 4294967294u, ret_gid) != 0)
		return 0;
	*ret_name = f[0];
	return 1;
}

int
optt_etc_group_gids(struct optt_lines *l, const struct optt_group_list *names, uint32_t *gids, unsigned char *found)
{
	struct optt_field name;
	const char *line;
	size_t n, left = names->n;
	uint32_t gid;
	int r = 0, i;

	memset(found, 0, names->n);
	while (left > 0 && (r = optt_lines_next(l, &line, &n)) == 1) {
		if (!optt_parse_etc_grline(line, n, &name, &gid) || (i = optt_group_list_find(names, name.p, name.n)) < 0 ||
		    found[i])
			continue;
		found[i] = 1;
		gids[i] = gid;
		left--;
	}
	return left > 0 && r < 0 ? -1 : 0;
}

int
optt_members_next(struct optt_field list, size_t *pos, struct optt_field *ret)
{
	const char *p, *c;

	if (*pos >= list.n)
		return 0;
	p = list.p + *pos;
	if ((c = memchr(p, ',', list.n - *pos)) == NULL)
		c = list.p + list.n;
	ret->p = p;
	ret->n = (size_t)(c - p);
	*pos += ret->n + 1;
	return 1;
}

int
optt_ledger_groups_of(struct optt_lines *l, const char *user, int *ret_has_private, uint32_t *ret_private_gid,
		      struct optt_group_list *ret_mapped)
{
	struct optt_grline e;
	const char *line;
	size_t n;
	int r;

	*ret_has_private = 0;
	optt_group_list_init(ret_mapped);
	while ((r = optt_lines_next(l, &line, &n)) == 1) {
		if (!optt_parse_grline(line, n, &e))
			continue;
		if (e.members.n == 0) {
			if (!*ret_has_private && optt_field_is(e.name, user)) {
				*ret_has_private = 1;
				*ret_private_gid = e.gid;
			}
		} else if (optt_list_has(e.members, user)) {
			(void)optt_group_list_add(ret_mapped, e.name.p, e.name.n);
		}
	}
	return r < 0 ? -1 : 0;
}

int
optt_ledger_group_size(struct optt_lines *l, const char *name, uint32_t gid, size_t *ret_count, size_t *ret_bytes)
{
	struct optt_grline e;
	struct optt_field m;
	const char *line;
	size_t n, pos;
	int r;

	*ret_count = *ret_bytes = 0;
	while ((r = optt_lines_next(l, &line, &n)) == 1) {
		if (!optt_parse_grline(line, n, &e) || e.members.n == 0 || e.gid != gid || !optt_field_is(e.name, name))
			continue;
		for (pos = 0; optt_members_next(e.members, &pos, &m);) {
			(*ret_count)++;
			*ret_bytes += m.n + 1;
		}
	}
	return r < 0 ? -1 : 0;
}

int
optt_group_fill_mapped(struct optt_lines *l, const char *name, uint32_t gid, struct group *gr, char *buf, size_t len)
{
	struct optt_room r = { buf, len, 0 };
	struct optt_field m;
	struct optt_grline e;
	const char *line;
	size_t count, bytes, i = 0, pos, n;
	char **mem;

	if (optt_ledger_group_size(l, name, gid, &count, &bytes) != 0 || optt_lines_rewind(l) != 0)
		return -2;
	if ((gr->gr_name = optt_room_put(&r, name, strlen(name))) == NULL ||
	    (gr->gr_passwd = optt_room_put(&r, "x", 1)) == NULL || (mem = optt_room_ptrs(&r, count, bytes)) == NULL)
		return -1;
	while (i < count && optt_lines_next(l, &line, &n) == 1) {
		if (!optt_parse_grline(line, n, &e) || e.members.n == 0 || e.gid != gid || !optt_field_is(e.name, name))
			continue;
		for (pos = 0; i < count && optt_members_next(e.members, &pos, &m);)
			if ((mem[i++] = optt_room_put(&r, m.p, m.n)) == NULL)
				return -1;
	}
	mem[i] = NULL; /* fewer only when a read failed the second time */
	gr->gr_mem = mem;
	gr->gr_gid = gid;
	return 0;
}
