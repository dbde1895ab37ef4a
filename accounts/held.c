/*
 * held.c - local files, pins and the held-UID rule; see held.h.
 *
 * Invariants: /etc/passwd and /etc/group are read as files, never through
 * NSS; a name is never moved to another UID: the rule only says who
 * holds one.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "accounts/held.h"
#include "accounts/lines.h"
#include "accounts/uid.h"

void
optt_acct_paths_default(struct optt_acct_paths *p)
{
	p->ledger_dir = optt_users_ledger_dir;
	p->pins = optt_users_pins;
	p->passwd = "/etc/passwd";
	p->group = "/etc/group";
}

static int
scan_fd(int fd, optt_line_fn fn, void *ctx, int keep_long)
{
	struct optt_lines *l;
	const char *line;
	size_t n;
	int r;

	if (fd < 0)
		return -1;
	if ((l = malloc(sizeof(*l))) == NULL) {
		close(fd);
		return -1;
	}
	optt_lines_fd(l, fd);
	if (keep_long)
		optt_lines_keep_long(l);
	while ((r = optt_lines_next(l, &line, &n)) == 1)
		if (fn(ctx, line, n) != 0)
			break;
	free(l);
	close(fd);
	return r < 0 ? -1 : 0;
}

int
optt_scan_path(const char *path, optt_line_fn fn, void *ctx)
{
	return scan_fd(optt_lines_open(path), fn, ctx, 0);
}

/* /etc/passwd and /etc/group: long lines read by their start */
static int
scan_etc(const char *path, optt_line_fn fn, void *ctx)
{
	return scan_fd(optt_lines_open(path), fn, ctx, 1);
}

int
optt_scan_in(const char *dir, const char *name, optt_line_fn fn, void *ctx)
{
	char path[4096];
	int n = snprintf(path, sizeof(path), "%s/%s", dir, name);

	if (n < 0 || (size_t)n >= sizeof(path))
		return -1;
	return optt_scan_path(path, fn, ctx);
}

struct find {
	const char *name; /* wanted name, or NULL */
	uint32_t id;      /* wanted id when name is NULL */
	const char *other; /* the id's holder must not be this name */
	int found;
	char holder[OPTT_NAME_MAX_TEXT];
	uint32_t got;
};

static void
note(struct find *f, struct optt_field name, uint32_t id)
{
	f->found = 1;
	f->got = id;
	memcpy(f->holder, name.p, name.n);
	f->holder[name.n] = '\0';
}

/* does this line's name (or id, held by another name) match? */
static int
want(struct find *f, struct optt_field name, uint32_t id)
{
	if (f->name != NULL)
		return optt_field_is(name, f->name);
	return id == f->id && (f->other == NULL || !optt_field_is(name, f->other));
}

static int
pw_cb(void *ctx, const char *line, size_t n)
{
	struct optt_pwline e;

	if (optt_parse_pwline(line, n, &e) && want(ctx, e.name, e.uid)) {
		note(ctx, e.name, e.uid);
		return 1;
	}
	return 0;
}

/* NAME:PASSWORD:ID:... of the system's own files, read leniently: another
 * tool wrote them, and whatever the rest of a line holds (a trailing
 * comma in a member list, a long one), its name and id count - a local
 * name or id must never go unseen (SPEC §15: never registered, held) */
static int
etc_line(const char *line, size_t n, struct optt_field *ret_name, uint32_t *ret_id)
{
	const char *c1, *c2, *c3;

	if (n == 0 || line[0] == '#' || line[0] == '+' || line[0] == '-' ||
	    (c1 = memchr(line, ':', n)) == NULL || c1 == line ||
	    (c2 = memchr(c1 + 1, ':', n - (size_t)(c1 + 1 - line))) == NULL)
		return 0;
	c3 = memchr(c2 + 1, ':', n - (size_t)(c2 + 1 - line));
	if (optt_parse_u32(c2 + 1, (size_t)((c3 != NULL ? c3 : line + n) - (c2 + 1)), 4294967294u, ret_id) != 0)
		return 0;
	ret_name->p = line;
	ret_name->n = (size_t)(c1 - line);
	return 1;
}

static int
etc_cb(void *ctx, const char *line, size_t n)
{
	struct optt_field name;
	uint32_t id;

	if (etc_line(line, n, &name, &id) && want(ctx, name, id)) {
		note(ctx, name, id);
		return 1;
	}
	return 0;
}

/* the ledger's private groups only: a mapped local group's line (SPEC
 * §16, it has members) holds no UID of ours, its GID is /etc/group's */
static int
private_cb(void *ctx, const char *line, size_t n)
{
	struct optt_grline e;

	if (optt_parse_grline(line, n, &e) && e.members.n == 0 && want(ctx, e.name, e.gid)) {
		note(ctx, e.name, e.gid);
		return 1;
	}
	return 0;
}

static int
pin_cb(void *ctx, const char *line, size_t n)
{
	struct optt_pinline e;

	if (optt_parse_pinline(line, n, &e) && want(ctx, e.name, e.uid)) {
		note(ctx, e.name, e.uid);
		return 1;
	}
	return 0;
}

static int
find_etc_name(const char *path, const char *name)
{
	struct find f;

	memset(&f, 0, sizeof(f));
	f.name = name;
	scan_etc(path, etc_cb, &f);
	return f.found;
}

int
optt_local_user(const struct optt_acct_paths *p, const char *name)
{
	return find_etc_name(p->passwd, name);
}

int
optt_local_group(const struct optt_acct_paths *p, const char *name)
{
	return find_etc_name(p->group, name);
}

int
optt_local_group_gids(const struct optt_acct_paths *p, const struct optt_group_list *names, uint32_t *gids,
		      unsigned char *found)
{
	struct optt_lines *l;
	int fd, r;

	memset(found, 0, names->n);
	if (names->n == 0)
		return 0;
	if ((fd = optt_lines_open(p->group)) < 0)
		return -1;
	if ((l = malloc(sizeof(*l))) == NULL) {
		close(fd);
		return -1;
	}
	optt_lines_fd(l, fd);
	optt_lines_keep_long(l);
	r = optt_etc_group_gids(l, names, gids, found);
	free(l);
	close(fd);
	return r;
}

int
optt_local_group_is(const struct optt_acct_paths *p, const char *name, uint32_t gid)
{
	struct optt_group_list *one;
	unsigned char found = 0;
	uint32_t got = 0;
	int r;

	if ((one = malloc(sizeof(*one))) == NULL)
		return -1;
	optt_group_list_init(one);
	if (optt_group_list_add(one, name, strlen(name)) != 1)
		r = 0;
	else if (optt_local_group_gids(p, one, &got, &found) != 0)
		r = -1;
	else
		r = found && got == gid;
	free(one);
	return r;
}

struct binding {
	const char *name;
	char *provider, *subject;
	size_t pn, sn;
	int found;
};

static int
st_cb(void *ctx, const char *line, size_t n)
{
	struct binding *b = ctx;
	struct optt_stline e;

	if (!optt_parse_stline(line, n, &e) || !optt_field_is(e.name, b->name))
		return 0;
	b->found = optt_field_decode(e.provider, b->provider, b->pn) != (size_t)-1 &&
		   optt_field_decode(e.subject, b->subject, b->sn) != (size_t)-1;
	return 1;
}

int
optt_ledger_binding(const struct optt_acct_paths *p, const char *name, char *provider, size_t pn,
		    char *subject, size_t sn)
{
	struct binding b = { name, provider, subject, pn, sn, 0 };

	optt_scan_in(p->ledger_dir, "state", st_cb, &b);
	return b.found;
}

int
optt_ledger_has(const struct optt_acct_paths *p, const char *name)
{
	struct find f;

	memset(&f, 0, sizeof(f));
	f.name = name;
	optt_scan_in(p->ledger_dir, "passwd", pw_cb, &f);
	return f.found;
}

int
optt_pin_of(const struct optt_acct_paths *p, const char *name, uint32_t *ret)
{
	struct find f;

	memset(&f, 0, sizeof(f));
	f.name = name;
	optt_scan_path(p->pins, pin_cb, &f);
	if (f.found)
		*ret = f.got;
	return f.found;
}

uint32_t
optt_uid_for(const struct optt_acct_paths *p, const struct optt_users *u, const char *name, int *ret_pinned)
{
	uint32_t uid;

	*ret_pinned = optt_pin_of(p, name, &uid);
	return *ret_pinned ? uid : optt_uid_rule(name, u->uid_min, u->uid_max);
}

/* who else has id in one file: 1 and holder */
static int
held_in(const char *dir, const char *file, optt_line_fn fn, const char *name, uint32_t id,
	struct optt_holder *ret, enum optt_holder_kind kind)
{
	struct find f;

	memset(&f, 0, sizeof(f));
	f.id = id;
	f.other = name;
	if (dir != NULL)
		optt_scan_in(dir, file, fn, &f);
	else if (fn == etc_cb)
		scan_etc(file, fn, &f);
	else
		optt_scan_path(file, fn, &f);
	if (!f.found)
		return 0;
	ret->kind = kind;
	memcpy(ret->name, f.holder, sizeof(ret->name));
	return 1;
}

int
optt_uid_held(const struct optt_acct_paths *p, const char *name, uint32_t uid, struct optt_holder *ret)
{
	memset(ret, 0, sizeof(*ret));
	if (optt_uid_reserved(uid)) {
		ret->kind = OPTT_HELD_RESERVED;
		return 1;
	}
	/* a local account holds its UID whatever its name */
	return held_in(p->ledger_dir, "passwd", pw_cb, name, uid, ret, OPTT_HELD_LEDGER) ||
	       held_in(p->ledger_dir, "group", private_cb, name, uid, ret, OPTT_HELD_LEDGER) ||
	       held_in(NULL, p->pins, pin_cb, name, uid, ret, OPTT_HELD_PIN) ||
	       held_in(NULL, p->passwd, etc_cb, NULL, uid, ret, OPTT_HELD_PASSWD) ||
	       held_in(NULL, p->group, etc_cb, NULL, uid, ret, OPTT_HELD_GROUP);
}

void
optt_holder_text(const struct optt_acct_paths *p, const struct optt_holder *h, char *out, size_t n)
{
	switch (h->kind) {
	case OPTT_HELD_NONE:
		snprintf(out, n, "nobody");
		return;
	case OPTT_HELD_LEDGER:
		snprintf(out, n, "the registered user '%s' (%s)", h->name, p->ledger_dir);
		return;
	case OPTT_HELD_PIN:
		snprintf(out, n, "the pin of '%s' (%s)", h->name, p->pins);
		return;
	case OPTT_HELD_PASSWD:
		snprintf(out, n, "the local user '%s' (%s)", h->name, p->passwd);
		return;
	case OPTT_HELD_GROUP:
		snprintf(out, n, "the local group '%s' (%s)", h->name, p->group);
		return;
	case OPTT_HELD_RESERVED:
		snprintf(out, n, "the system (65534, 65535 and 61184-65519 are reserved)");
		return;
	}
}
