/*
 * ledger_write.c - the ledger's writer; see ledger_write.h.
 *
 * Invariants: nothing is written unless the lock is held; the files are
 * read after the lock is taken (never before), so the held-UID check and
 * the write see the same ledger; lines that do not parse are dropped on
 * rewrite (a reader skips them anyway); a name is never moved to another
 * UID and never bound to another provider or subject here; a user's
 * mapped groups (SPEC §16) are replaced whole at each registration, never
 * take a registered user's private group name, and no group line it
 * writes is over OPTT_LINE_MAX.
 */
#include "config.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "accounts/groups.h"
#include "accounts/ledger.h"
#include "accounts/ledger_write.h"
#include "accounts/lines.h"
#include "common/fsutil.h"
#include "common/mem.h"
#include "common/privdir.h"

#define LEDGER_MAX (256u * 1024 * 1024)
#define LOCK_WAIT_S 30

enum { F_PASSWD, F_GROUP, F_STATE, F_COUNT };
static const char *const fname[F_COUNT] = { "passwd", "group", "state" };
static const mode_t fmode[F_COUNT] = { 0644, 0644, 0600 };

struct ledger {
	int dirfd, lockfd;
	const char *dir;
	struct optt_buf in[F_COUNT], out[F_COUNT];
};

static void
ledger_init(struct ledger *l, const char *dir)
{
	size_t i;

	l->dirfd = l->lockfd = -1;
	l->dir = dir;
	for (i = 0; i < F_COUNT; i++) {
		optt_buf_init(&l->in[i], LEDGER_MAX);
		optt_buf_init(&l->out[i], LEDGER_MAX);
	}
}

static void
ledger_close(struct ledger *l)
{
	size_t i;

	for (i = 0; i < F_COUNT; i++) {
		optt_buf_clear(&l->in[i]);
		optt_buf_clear(&l->out[i]);
	}
	optt_privdir_unlock(l->lockfd);
	if (l->dirfd >= 0)
		close(l->dirfd);
	ledger_init(l, l->dir);
}

/* the whole file (missing: empty), checked on the descriptor */
static enum optt_status
slurp(struct ledger *l, size_t i, struct optt_err *err)
{
	int fd, r, e;

	if (optt_buf_append(&l->in[i], "", 0) != 0)
		return optt_err_set(err, OPTT_NOMEM, "out of memory");
	if ((fd = optt_lines_openat(l->dirfd, fname[i])) < 0)
		return errno == ENOENT ? OPTT_OK
				       : optt_err_set(err, OPTT_SYSTEM, "%s/%s: refused: %s", l->dir, fname[i],
						      errno == EPERM ? "not a root-owned regular file closed to writers"
								     : strerror(errno));
	r = optt_fd_read_all(fd, &l->in[i]);
	e = errno; /* before close can change it */
	close(fd);
	if (r == -3)
		return optt_err_set(err, OPTT_SYSTEM, "%s/%s: read: %s", l->dir, fname[i], strerror(e));
	if (r != 0)
		return optt_err_set(err, r == -2 ? OPTT_SYSTEM : OPTT_NOMEM, "%s/%s: too large or out of memory",
				    l->dir, fname[i]);
	return OPTT_OK;
}

/* temp files of writers that died before their rename: with the lock
 * held no other writer is between its write and its rename */
static void
remove_stale_temps(int dirfd)
{
	struct dirent *de;
	DIR *d;
	int fd = dup(dirfd);
	size_t n;

	if (fd < 0 || (d = fdopendir(fd)) == NULL) {
		if (fd >= 0)
			close(fd);
		return;
	}
	while ((de = readdir(d)) != NULL) {
		n = strlen(de->d_name);
		if (de->d_name[0] == '.' && n > 4 && strcmp(de->d_name + n - 4, ".tmp") == 0)
			unlinkat(dirfd, de->d_name, 0);
	}
	closedir(d);
}

static enum optt_status
ledger_open(struct ledger *l, struct optt_err *err)
{
	enum optt_status st;
	size_t i;

	/* SPEC §19: root's, 0755, made so by whichever feature comes first */
	if ((st = optt_fs_open_rootdir(l->dir, 0755, &l->dirfd, err)) != OPTT_OK ||
	    (st = optt_privdir_lock(l->dirfd, ".lock", LOCK_WAIT_S, &l->lockfd, err)) != OPTT_OK)
		return st;
	remove_stale_temps(l->dirfd);
	for (i = 0; i < F_COUNT; i++)
		if ((st = slurp(l, i, err)) != OPTT_OK)
			return st;
	return OPTT_OK;
}

/* write out[] for the files in order (each: temp, fsync, rename) */
static enum optt_status
ledger_commit(struct ledger *l, const int *order, struct optt_err *err)
{
	enum optt_status st;
	size_t i;

	for (i = 0; i < F_COUNT; i++)
		if ((st = optt_privdir_write_mode(l->dirfd, l->dir, fname[order[i]],
						  l->out[order[i]].data ? l->out[order[i]].data : "",
						  l->out[order[i]].len, fmode[order[i]], err)) != OPTT_OK)
			return st;
	if (fsync(l->dirfd) != 0)
		return optt_err_set(err, OPTT_SYSTEM, "%s: fsync: %s", l->dir, strerror(errno));
	return OPTT_OK;
}

static int
put(struct optt_buf *b, const char *s, size_t n)
{
	return optt_buf_append(b, s, n) == 0 && optt_buf_append(b, "\n", 1) == 0 ? 0 : -1;
}

/* name's own lines, copied out of the old files */
struct found {
	char pwbuf[OPTT_LINE_MAX], stbuf[OPTT_LINE_MAX];
	struct optt_pwline pw;
	struct optt_stline st;
	int has_pw, has_st;
};

/* a mapped group's line without name among its members (no line when
 * none is left) */
static int
put_without_member(struct optt_buf *b, const char *line, const struct optt_grline *gr, const char *name)
{
	const char *p, *end = gr->members.p + gr->members.n, *c;
	size_t start = b->len, ml, nl = strlen(name);
	int first = 1;

	if (optt_buf_append(b, line, (size_t)(gr->members.p - line)) != 0)
		return -1;
	for (p = gr->members.p; p < end; p = c + 1) {
		if ((c = memchr(p, ',', (size_t)(end - p))) == NULL)
			c = end;
		ml = (size_t)(c - p);
		if (ml == nl && memcmp(p, name, ml) == 0)
			continue;
		if ((!first && optt_buf_append(b, ",", 1) != 0) || optt_buf_append(b, p, ml) != 0)
			return -1;
		first = 0;
	}
	if (first) {
		b->len = start;
		b->data[start] = '\0';
		return 0;
	}
	return optt_buf_append(b, "\n", 1);
}

/*
 * Copy file i's valid lines to its output, leaving out name's line and
 * name from every member list; name's passwd and state lines go to f
 * (when not NULL).  0, or -1 out of memory.
 */
static int
copy_without(struct ledger *l, size_t i, const char *name, struct found *f)
{
	struct optt_lines lr;
	struct optt_pwline pw;
	struct optt_grline gr;
	struct optt_stline st;
	struct optt_field nm;
	const char *line;
	size_t n;
	int ok;

	optt_lines_mem(&lr, l->in[i].data, l->in[i].len);
	while (optt_lines_next(&lr, &line, &n) == 1) {
		if (i == F_PASSWD)
			ok = optt_parse_pwline(line, n, &pw), nm = pw.name;
		else if (i == F_GROUP)
			ok = optt_parse_grline(line, n, &gr), nm = gr.name;
		else
			ok = optt_parse_stline(line, n, &st), nm = st.name;
		if (!ok)
			continue;
		if (optt_field_is(nm, name)) {
			if (f != NULL && i == F_PASSWD && !f->has_pw) {
				memcpy(f->pwbuf, line, n);
				f->has_pw = optt_parse_pwline(f->pwbuf, n, &f->pw);
			} else if (f != NULL && i == F_STATE && !f->has_st) {
				memcpy(f->stbuf, line, n);
				f->has_st = optt_parse_stline(f->stbuf, n, &f->st);
			}
			continue;
		}
		if (i == F_GROUP && optt_list_has(gr.members, name)) {
			if (put_without_member(&l->out[i], line, &gr, name) != 0)
				return -1;
			continue;
		}
		if (put(&l->out[i], line, n) != 0)
			return -1;
	}
	return 0;
}

/* Lock and read the ledger, and copy every file to its output without
 * name (whose own lines go to *ret_f, the caller's to free). */
static enum optt_status
ledger_take(struct ledger *l, const char *name, struct found **ret_f, struct optt_err *err)
{
	enum optt_status st;
	size_t i;

	if ((*ret_f = calloc(1, sizeof(**ret_f))) == NULL)
		return optt_err_set(err, OPTT_NOMEM, "out of memory");
	if ((st = ledger_open(l, err)) != OPTT_OK)
		return st;
	for (i = 0; i < F_COUNT; i++)
		if (copy_without(l, i, name, *ret_f) != 0)
			return optt_err_set(err, OPTT_NOMEM, "out of memory");
	return OPTT_OK;
}

/* "NAME:PROVIDER:SUBJECT:LAST:CREATED:GROUPS" (GROUPS: the groups stored) */
static int
put_state(struct optt_buf *b, const struct optt_reg_entry *e, int64_t created)
{
	char prov[3 * OPTT_LINE_MAX], sub[3 * OPTT_LINE_MAX], nums[64];
	size_t i, len;
	int first = 1;

	if (optt_field_encode(e->provider, prov, sizeof(prov)) == (size_t)-1 ||
	    optt_field_encode(e->subject, sub, sizeof(sub)) == (size_t)-1)
		return -2;
	snprintf(nums, sizeof(nums), ":%lld:%lld:", (long long)e->now, (long long)created);
	len = strlen(e->name) + strlen(prov) + strlen(sub) + strlen(nums) + 3;
	if (len > OPTT_LINE_MAX)
		return -2;
	if (optt_buf_puts(b, e->name) != 0 || optt_buf_puts(b, ":") != 0 || optt_buf_puts(b, prov) != 0 ||
	    optt_buf_puts(b, ":") != 0 || optt_buf_puts(b, sub) != 0 || optt_buf_puts(b, nums) != 0)
		return -1;
	/* the groups that fit the line, in order; the others are not stored
	 * anywhere (the group lines follow stored[]) */
	for (i = 0; e->groups != NULL && i < e->groups->n; i++) {
		size_t gl = strlen(e->groups->name[i]) + !first;

		if (!e->stored[i])
			continue;
		if (len + gl > OPTT_LINE_MAX) {
			e->stored[i] = 0;
			continue;
		}
		if ((!first && optt_buf_puts(b, ",") != 0) || optt_buf_puts(b, e->groups->name[i]) != 0)
			return -1;
		len += gl;
		first = 0;
	}
	return optt_buf_puts(b, "\n") == 0 ? 0 : -1;
}

/* SPEC §16: which of e's groups may be stored - not the name of a
 * private group in the ledger (a registered user's, e's own included) */
static void
groups_storable(const struct ledger *l, const struct optt_reg_entry *e)
{
	struct optt_lines lr;
	struct optt_grline gr;
	const char *line;
	size_t n, i;
	int k;

	for (i = 0; e->groups != NULL && i < e->groups->n; i++)
		e->stored[i] = strcmp(e->groups->name[i], e->name) != 0;
	if (e->groups == NULL)
		return;
	optt_lines_mem(&lr, l->in[F_GROUP].data, l->in[F_GROUP].len);
	while (optt_lines_next(&lr, &line, &n) == 1)
		if (optt_parse_grline(line, n, &gr) && gr.members.n == 0 &&
		    (k = optt_group_list_find(e->groups, gr.name.p, gr.name.n)) >= 0)
			e->stored[k] = 0;
}

/* room kept in a line we add a member to, so that a GID refreshed later
 * (at most 9 more digits) never pushes it over OPTT_LINE_MAX */
#define GID_SLACK 10

/* "NAME:PASSWD:GID:MEMBERS" of gr with gid and without the member drop,
 * into out (OPTT_LINE_MAX bytes): its length (newline not included), or
 * (size_t)-1 when line and newline would be over OPTT_LINE_MAX;
 * *ret_members counts the members written */
static size_t
group_line(char *out, const struct optt_grline *gr, uint32_t gid, const char *drop, int *ret_members)
{
	struct optt_field m;
	size_t pos, len, dl = strlen(drop);
	int r;

	*ret_members = 0;
	r = snprintf(out, OPTT_LINE_MAX, "%.*s:%.*s:%lu:", (int)gr->name.n, gr->name.p, (int)gr->passwd.n,
		     gr->passwd.p, (unsigned long)gid);
	if (r < 0 || (size_t)r + 1 > OPTT_LINE_MAX)
		return (size_t)-1;
	len = (size_t)r;
	for (pos = 0; optt_members_next(gr->members, &pos, &m);) {
		if (m.n == dl && memcmp(m.p, drop, dl) == 0)
			continue;
		if (len + (*ret_members > 0) + m.n + 1 > OPTT_LINE_MAX)
			return (size_t)-1;
		if ((*ret_members)++ > 0)
			out[len++] = ',';
		memcpy(out + len, m.p, m.n);
		len += m.n;
	}
	return len;
}

/*
 * The group file rewritten for e (SPEC §16): e's private line and e's
 * name in every member list left out (the caller appends e's private
 * line); each line of a stored group gets the GID /etc/group has now, and
 * e joins the first of its lines with room, else a new line; a mapped
 * line left without members goes.  0, or -1 out of memory.
 */
static int
copy_groups(struct ledger *l, const struct optt_reg_entry *e)
{
	unsigned char added[OPTT_GROUPS_MAX] = { 0 };
	struct optt_buf *b = &l->out[F_GROUP];
	struct optt_lines lr;
	struct optt_grline gr;
	const char *line;
	char *out;
	size_t n, len, i, el = strlen(e->name);
	int k, members, r = -1;

	if ((out = malloc(OPTT_LINE_MAX)) == NULL)
		return -1;
	optt_lines_mem(&lr, l->in[F_GROUP].data, l->in[F_GROUP].len);
	while (optt_lines_next(&lr, &line, &n) == 1) {
		if (!optt_parse_grline(line, n, &gr) || optt_field_is(gr.name, e->name))
			continue;
		if (gr.members.n == 0) { /* another user's private group */
			if (put(b, line, n) != 0)
				goto out;
			continue;
		}
		k = e->groups != NULL ? optt_group_list_find(e->groups, gr.name.p, gr.name.n) : -1;
		if (k >= 0 && !e->stored[k])
			k = -1;
		len = group_line(out, &gr, k >= 0 ? e->gids[k] : gr.gid, e->name, &members);
		if (len == (size_t)-1) /* made by hand, no room for a longer GID: as it was */
			len = group_line(out, &gr, gr.gid, e->name, &members);
		if (len == (size_t)-1 || members == 0)
			continue; /* nobody left in it */
		if (k >= 0 && !added[k] && len + 1 + el + 1 + GID_SLACK <= OPTT_LINE_MAX) {
			out[len++] = ',';
			memcpy(out + len, e->name, el);
			len += el;
			added[k] = 1;
		}
		if (put(b, out, len) != 0)
			goto out;
	}
	for (i = 0; e->groups != NULL && i < e->groups->n; i++) {
		if (!e->stored[i] || added[i])
			continue;
		len = (size_t)snprintf(out, OPTT_LINE_MAX, "%s:x:%lu:%s", e->groups->name[i], (unsigned long)e->gids[i],
				       e->name);
		if (put(b, out, len) != 0)
			goto out;
	}
	r = 0;
out:
	free(out);
	return r;
}

/* do the stored binding and e agree?  (a missing state line: they do not) */
static enum optt_ledger_refusal
binding(const struct found *f, const struct optt_reg_entry *e)
{
	char v[OPTT_LINE_MAX];

	if (!f->has_st || optt_field_decode(f->st.provider, v, sizeof(v)) == (size_t)-1 ||
	    strcmp(v, e->provider) != 0)
		return OPTT_LEDGER_OTHER_PROVIDER;
	if (optt_field_decode(f->st.subject, v, sizeof(v)) == (size_t)-1 || strcmp(v, e->subject) != 0)
		return OPTT_LEDGER_OTHER_SUBJECT;
	return OPTT_LEDGER_DONE;
}

enum optt_status
optt_ledger_register(const struct optt_acct_paths *p, const struct optt_reg_entry *e,
		     enum optt_ledger_refusal *ret, struct optt_holder *ret_holder, struct optt_err *err)
{
	static const int order[F_COUNT] = { F_STATE, F_GROUP, F_PASSWD };
	struct ledger l;
	struct found *f = NULL;
	enum optt_status st;
	enum optt_ledger_refusal res = OPTT_LEDGER_DONE;
	int64_t created;
	char line[OPTT_LINE_MAX + 64];
	int n, r;

	ledger_init(&l, p->ledger_dir);
	memset(ret_holder, 0, sizeof(*ret_holder));
	if ((st = ledger_take(&l, e->name, &f, err)) != OPTT_OK)
		goto out;
	created = e->now;
	if (f->has_pw) {
		/* registered: the binding must hold; UID, home and shell stay */
		if ((res = binding(f, e)) != OPTT_LEDGER_DONE)
			goto out;
		created = f->st.created;
		n = snprintf(line, sizeof(line), "%.*s", (int)(f->pw.shell.p + f->pw.shell.n - f->pwbuf), f->pwbuf);
	} else {
		if (optt_local_user(p, e->name) || optt_local_group(p, e->name)) {
			res = OPTT_LEDGER_LOCAL;
			goto out;
		}
		if (optt_uid_held(p, e->name, e->uid, ret_holder)) {
			res = OPTT_LEDGER_HELD;
			goto out;
		}
		n = snprintf(line, sizeof(line), "%s:*:%lu:%lu::%s:%s", e->name, (unsigned long)e->uid,
			     (unsigned long)e->uid, e->home, e->shell);
	}
	if (n < 0 || (size_t)n + 1 > OPTT_LINE_MAX) {
		st = optt_err_set(err, OPTT_SYSTEM, "the entry of '%s' would be over %d bytes", e->name, OPTT_LINE_MAX);
		goto out;
	}
	if (put(&l.out[F_PASSWD], line, (size_t)n) != 0)
		goto nomem;
	/* SPEC §16: the state line says which groups are stored, then the
	 * group file follows it (membership replaced) */
	groups_storable(&l, e);
	if ((r = put_state(&l.out[F_STATE], e, created)) != 0) {
		if (r == -1)
			goto nomem;
		st = optt_err_set(err, OPTT_SYSTEM, "the state of '%s' would be over %d bytes", e->name, OPTT_LINE_MAX);
		goto out;
	}
	optt_buf_clear(&l.out[F_GROUP]);
	if (copy_groups(&l, e) != 0)
		goto nomem;
	n = snprintf(line, sizeof(line), "%s:x:%lu:", e->name,
		     (unsigned long)(f->has_pw ? f->pw.gid : e->uid));
	if (put(&l.out[F_GROUP], line, (size_t)n) != 0)
		goto nomem;
	st = ledger_commit(&l, order, err);
	goto out;
nomem:
	st = optt_err_set(err, OPTT_NOMEM, "out of memory");
out:
	if (st == OPTT_OK)
		*ret = res;
	free(f);
	ledger_close(&l);
	return st;
}

enum optt_status
optt_ledger_forget(const struct optt_acct_paths *p, const char *name, int *ret_found, struct optt_err *err)
{
	static const int order[F_COUNT] = { F_PASSWD, F_GROUP, F_STATE };
	struct ledger l;
	struct found *f = NULL;
	enum optt_status st;

	ledger_init(&l, p->ledger_dir);
	if ((st = ledger_take(&l, name, &f, err)) != OPTT_OK)
		goto out;
	/* anything of the name's in any file: rewrite all three */
	if (f->has_pw || f->has_st || l.out[F_GROUP].len != l.in[F_GROUP].len)
		st = ledger_commit(&l, order, err);
	if (st == OPTT_OK)
		*ret_found = f->has_pw;
out:
	free(f);
	ledger_close(&l);
	return st;
}
