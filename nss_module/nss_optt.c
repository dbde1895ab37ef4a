/*
 * nss_optt.c - libnss_optt.so.2: the glibc NSS entry points for passwd
 * and group over the user ledger (SPEC §15), each a few lines over the
 * libc-only tier in accounts/.
 *
 * Invariants: no network, no file written, no getpwnam/getgrnam-style call (the
 * local files are read as files); every path is compiled in (the ledger,
 * optt.conf, the pins), none comes from the environment or the caller,
 * since NSS runs inside setuid programs; a name not in the ledger is
 * answered only for a root caller that is sshd (accounts/caller.h) with
 * ssh_first_login on in a valid [users] section - an unreadable or invalid
 * one synthesizes nothing and the ledger is still answered; a buffer too
 * small gives NSS_STATUS_TRYAGAIN with *errnop = ERANGE and consumes
 * nothing (enumeration included); the only state kept between calls is
 * the two enumeration cursors and the few entries synthesized for sshd in
 * this process (so that its later getpwuid/getgrgid of the same user get
 * the same answer), each under a mutex.  A mapped local group (SPEC §16)
 * is answered only while /etc/group itself has that name with that GID,
 * and initgroups takes its GID from /etc/group by name; group
 * enumeration never lists one.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <nss.h>
#include <pthread.h>
#include <pwd.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "accounts/caller.h"
#include "accounts/groups.h"
#include "accounts/held.h"
#include "accounts/ledger.h"
#include "accounts/lines.h"
#include "accounts/room.h"
#include "accounts/users.h"
#include "nss_module/nss_optt.h"

#define NSS_EXPORT __attribute__((visibility("default")))

/* --- where to look (compiled in; a unit-test copy may look elsewhere) --- */

#ifdef OPTT_NSS_TESTING
struct optt_nss_test_paths optt_nss_test;
#endif

static void
where(struct optt_acct_paths *p, const char **conf, const char **proc)
{
	optt_acct_paths_default(p);
	*conf = optt_users_config;
	*proc = "/proc";
#ifdef OPTT_NSS_TESTING
	if (optt_nss_test.ledger_dir != NULL) {
		p->ledger_dir = optt_nss_test.ledger_dir;
		p->pins = optt_nss_test.pins;
		p->passwd = optt_nss_test.passwd;
		p->group = optt_nss_test.group;
		*conf = optt_nss_test.conf;
		*proc = optt_nss_test.proc;
	}
#endif
}

/* --- filling the caller's buffer ------------------------------------- */

static char *
put(struct optt_room *r, struct optt_field f)
{
	return optt_room_put(r, f.p, f.n);
}

/* 0 filled, -1 no room */
static int
fill_pw(const struct optt_pwline *e, struct passwd *pw, char *buf, size_t len)
{
	struct optt_room r = { buf, len, 0 };

	if ((pw->pw_name = put(&r, e->name)) == NULL || (pw->pw_passwd = put(&r, e->passwd)) == NULL ||
	    (pw->pw_gecos = put(&r, e->gecos)) == NULL || (pw->pw_dir = put(&r, e->home)) == NULL ||
	    (pw->pw_shell = put(&r, e->shell)) == NULL)
		return -1;
	pw->pw_uid = e->uid;
	pw->pw_gid = e->gid;
	return 0;
}

static int
fill_gr(const struct optt_grline *e, struct group *gr, char *buf, size_t len)
{
	struct optt_room r = { buf, len, 0 };
	const char *p, *end = e->members.p + e->members.n, *c;
	size_t count = e->members.n > 0, i;
	char **mem;

	for (p = e->members.p; p < end; p++)
		count += *p == ',';
	if ((gr->gr_name = put(&r, e->name)) == NULL || (gr->gr_passwd = put(&r, e->passwd)) == NULL ||
	    (mem = optt_room_ptrs(&r, count, 0)) == NULL)
		return -1;
	for (i = 0, p = e->members.p; i < count; i++, p = c + 1) {
		struct optt_field f;

		if ((c = memchr(p, ',', (size_t)(end - p))) == NULL)
			c = end;
		f.p = p;
		f.n = (size_t)(c - p);
		if ((mem[i] = put(&r, f)) == NULL)
			return -1;
	}
	mem[count] = NULL;
	gr->gr_mem = mem;
	gr->gr_gid = e->gid;
	return 0;
}

/* --- one lookup in one ledger file ----------------------------------- */

struct want {
	const char *name; /* or NULL: by id */
	uint32_t id;
	int private_only; /* group enumeration: private groups only */
	struct passwd *pw;
	struct group *gr;
	char *buf;
	size_t len;
	enum nss_status status;
	/* SPEC §16: the first line found is a mapped local group's */
	int mapped;
	char mapped_name[OPTT_NAME_MAX_TEXT];
	uint32_t mapped_gid;
};

static int
pw_line(void *ctx, const char *line, size_t n)
{
	struct want *w = ctx;
	struct optt_pwline e;

	if (!optt_parse_pwline(line, n, &e) || (w->name != NULL ? !optt_field_is(e.name, w->name) : e.uid != w->id))
		return 0;
	w->status = fill_pw(&e, w->pw, w->buf, w->len) == 0 ? NSS_STATUS_SUCCESS : NSS_STATUS_TRYAGAIN;
	return 1;
}

static int
gr_line(void *ctx, const char *line, size_t n)
{
	struct want *w = ctx;
	struct optt_grline e;

	if (!optt_parse_grline(line, n, &e) || (w->name != NULL ? !optt_field_is(e.name, w->name) : e.gid != w->id))
		return 0;
	if (e.members.n > 0) {
		/* a mapped local group (SPEC §16): answered from all its lines */
		w->mapped = 1;
		memcpy(w->mapped_name, e.name.p, e.name.n);
		w->mapped_name[e.name.n] = '\0';
		w->mapped_gid = e.gid;
		return 1;
	}
	w->status = fill_gr(&e, w->gr, w->buf, w->len) == 0 ? NSS_STATUS_SUCCESS : NSS_STATUS_TRYAGAIN;
	return 1;
}

static enum nss_status
finish(struct want *w, int readable, int *errnop)
{
	if (w->status == NSS_STATUS_TRYAGAIN)
		*errnop = ERANGE;
	else if (w->status != NSS_STATUS_SUCCESS)
		*errnop = ENOENT;
	if (w->status == NSS_STATUS_NOTFOUND && !readable)
		return NSS_STATUS_UNAVAIL;
	return w->status;
}

static enum nss_status
ledger_lookup(const char *file, optt_line_fn fn, struct want *w, int *errnop)
{
	struct optt_acct_paths p;
	const char *conf, *proc;
	int readable;

	where(&p, &conf, &proc);
	w->status = NSS_STATUS_NOTFOUND;
	readable = optt_scan_in(p.ledger_dir, file, fn, w) == 0;
	return finish(w, readable, errnop);
}

/* --- mapped local groups (SPEC §16) ----------------------------------- */

/* getgrnam/getgrgid of a mapped local group: NOTFOUND unless /etc/group
 * still has it with that GID */
static enum nss_status
mapped_answer(const struct want *w, int *errnop)
{
	struct optt_acct_paths p;
	struct optt_lines *l = NULL;
	const char *conf, *proc;
	char path[4096];
	int fd = -1, r;
	enum nss_status st = NSS_STATUS_NOTFOUND;

	where(&p, &conf, &proc);
	*errnop = ENOENT;
	if (optt_local_group_is(&p, w->mapped_name, w->mapped_gid) != 1)
		return NSS_STATUS_NOTFOUND;
	if ((size_t)snprintf(path, sizeof(path), "%s/group", p.ledger_dir) >= sizeof(path) ||
	    (fd = optt_lines_open(path)) < 0)
		return NSS_STATUS_UNAVAIL;
	if ((l = malloc(sizeof(*l))) == NULL) {
		*errnop = ENOMEM;
		st = NSS_STATUS_TRYAGAIN;
		goto out;
	}
	optt_lines_fd(l, fd);
	r = optt_group_fill_mapped(l, w->mapped_name, w->mapped_gid, w->gr, w->buf, w->len);
	if (r == 0) {
		st = NSS_STATUS_SUCCESS;
		*errnop = 0;
	} else if (r == -1) {
		st = NSS_STATUS_TRYAGAIN;
		*errnop = ERANGE;
	} else {
		st = NSS_STATUS_UNAVAIL;
	}
out:
	free(l);
	close(fd);
	return st;
}

/* --- sshd's first login ---------------------------------------------- */

#define REMEMBERED 8
static struct {
	pthread_mutex_t lock;
	char name[REMEMBERED][OPTT_NAME_MAX_TEXT];
	uint32_t uid[REMEMBERED];
	unsigned next;
} synth = { PTHREAD_MUTEX_INITIALIZER, { { 0 } }, { 0 }, 0 };

/* The entry sshd may be given for a name not in the ledger (SPEC §15):
 * 1 and *ret_uid, home and shell (n bytes each), else 0. */
static int
synthesize(const char *name, uint32_t *ret_uid, char *home, char *shell, size_t n)
{
	struct optt_acct_paths p;
	struct optt_users u;
	struct optt_holder h;
	const char *conf, *proc;
	uint32_t uid;
	int pinned, ok = 0;

	if (getuid() != 0 || geteuid() != 0)
		return 0; /* before reading anything: most callers stop here */
	where(&p, &conf, &proc);
	if (optt_users_load(conf, &u) != 0)
		return 0;
	if (u.ssh_first_login && optt_caller_is_ssh(&u, proc, getuid(), geteuid(), getppid()) &&
	    optt_users_name_ok(&u, name) && !optt_local_user(&p, name) && !optt_local_group(&p, name)) {
		uid = optt_uid_for(&p, &u, name, &pinned);
		ok = !optt_uid_held(&p, name, uid, &h) && optt_users_home(&u, name, home, n) == 0 &&
		     strlen(optt_users_value(&u, OPTT_UK_SHELL)) < n;
		if (ok) {
			*ret_uid = uid;
			memcpy(shell, optt_users_value(&u, OPTT_UK_SHELL), strlen(optt_users_value(&u, OPTT_UK_SHELL)) + 1);
		}
	}
	optt_users_clear(&u);
	if (ok) {
		pthread_mutex_lock(&synth.lock);
		memcpy(synth.name[synth.next % REMEMBERED], name, strlen(name) + 1);
		synth.uid[synth.next % REMEMBERED] = *ret_uid;
		synth.next++;
		pthread_mutex_unlock(&synth.lock);
	}
	return ok;
}

/* a name synthesized earlier in this process, by UID: 1 and its name */
static int
remembered(uint32_t uid, char *name)
{
	unsigned i;
	int found = 0;

	if (getuid() != 0 || geteuid() != 0)
		return 0;
	pthread_mutex_lock(&synth.lock);
	for (i = 0; i < REMEMBERED && !found; i++)
		if (synth.name[i][0] != '\0' && synth.uid[i] == uid) {
			memcpy(name, synth.name[i], sizeof(synth.name[i]));
			found = 1;
		}
	pthread_mutex_unlock(&synth.lock);
	return found;
}

static enum nss_status
synth_pw(const char *name, struct passwd *pw, char *buf, size_t len, int *errnop)
{
	char home[OPTT_LINE_MAX], shell[OPTT_LINE_MAX];
	struct optt_pwline e;
	uint32_t uid;

	if (strlen(name) > OPTT_NAME_MAX || !synthesize(name, &uid, home, shell, sizeof(home)))
		return NSS_STATUS_NOTFOUND;
	memset(&e, 0, sizeof(e));
	e.name.p = name, e.name.n = strlen(name);
	e.passwd.p = "*", e.passwd.n = 1;
	e.gecos.p = "", e.gecos.n = 0;
	e.home.p = home, e.home.n = strlen(home);
	e.shell.p = shell, e.shell.n = strlen(shell);
	e.uid = e.gid = uid;
	if (fill_pw(&e, pw, buf, len) != 0) {
		*errnop = ERANGE;
		return NSS_STATUS_TRYAGAIN;
	}
	return NSS_STATUS_SUCCESS;
}

static enum nss_status
synth_gr(const char *name, uint32_t known_uid, struct group *gr, char *buf, size_t len, int *errnop)
{
	char home[OPTT_LINE_MAX], shell[OPTT_LINE_MAX];
	struct optt_grline e;
	uint32_t uid = known_uid;

	if (strlen(name) > OPTT_NAME_MAX || (known_uid == 0 && !synthesize(name, &uid, home, shell, sizeof(home))))
		return NSS_STATUS_NOTFOUND;
	memset(&e, 0, sizeof(e));
	e.name.p = name, e.name.n = strlen(name);
	e.passwd.p = "x", e.passwd.n = 1;
	e.members.p = "", e.members.n = 0;
	e.gid = uid;
	if (fill_gr(&e, gr, buf, len) != 0) {
		*errnop = ERANGE;
		return NSS_STATUS_TRYAGAIN;
	}
	return NSS_STATUS_SUCCESS;
}

/* --- passwd ------------------------------------------------------------ */

NSS_EXPORT enum nss_status
_nss_optt_getpwnam_r(const char *name, struct passwd *pw, char *buf, size_t len, int *errnop)
{
	struct want w = { name, 0, 0, pw, NULL, buf, len, NSS_STATUS_NOTFOUND, 0, "", 0 };
	enum nss_status st = ledger_lookup("passwd", pw_line, &w, errnop);

	if (st == NSS_STATUS_NOTFOUND || st == NSS_STATUS_UNAVAIL) {
		int e = *errnop;
		enum nss_status s2 = synth_pw(name, pw, buf, len, errnop);

		if (s2 != NSS_STATUS_NOTFOUND)
			return s2;
		*errnop = e;
	}
	return st;
}

NSS_EXPORT enum nss_status
_nss_optt_getpwuid_r(uid_t uid, struct passwd *pw, char *buf, size_t len, int *errnop)
{
	struct want w = { NULL, uid, 0, pw, NULL, buf, len, NSS_STATUS_NOTFOUND, 0, "", 0 };
	enum nss_status st = ledger_lookup("passwd", pw_line, &w, errnop);
	char name[OPTT_NAME_MAX_TEXT];

	if ((st == NSS_STATUS_NOTFOUND || st == NSS_STATUS_UNAVAIL) && remembered(uid, name)) {
		enum nss_status s2 = synth_pw(name, pw, buf, len, errnop);

		if (s2 != NSS_STATUS_NOTFOUND)
			return s2;
	}
	return st;
}

/* --- group ------------------------------------------------------------- */

NSS_EXPORT enum nss_status
_nss_optt_getgrnam_r(const char *name, struct group *gr, char *buf, size_t len, int *errnop)
{
	struct want w = { name, 0, 0, NULL, gr, buf, len, NSS_STATUS_NOTFOUND, 0, "", 0 };
	enum nss_status st = ledger_lookup("group", gr_line, &w, errnop);

	if (w.mapped)
		return mapped_answer(&w, errnop);

	if (st == NSS_STATUS_NOTFOUND || st == NSS_STATUS_UNAVAIL) {
		int e = *errnop;
		enum nss_status s2 = synth_gr(name, 0, gr, buf, len, errnop);

		if (s2 != NSS_STATUS_NOTFOUND)
			return s2;
		*errnop = e;
	}
	return st;
}

NSS_EXPORT enum nss_status
_nss_optt_getgrgid_r(gid_t gid, struct group *gr, char *buf, size_t len, int *errnop)
{
	struct want w = { NULL, gid, 0, NULL, gr, buf, len, NSS_STATUS_NOTFOUND, 0, "", 0 };
	enum nss_status st = ledger_lookup("group", gr_line, &w, errnop);
	char name[OPTT_NAME_MAX_TEXT];

	if (w.mapped)
		return mapped_answer(&w, errnop);

	if ((st == NSS_STATUS_NOTFOUND || st == NSS_STATUS_UNAVAIL) && gid != 0 && remembered(gid, name)) {
		enum nss_status s2 = synth_gr(name, gid, gr, buf, len, errnop);

		if (s2 != NSS_STATUS_NOTFOUND)
			return s2;
	}
	return st;
}

/* --- initgroups ------------------------------------------------------ */

struct groups_of {
	gid_t skip;
	long *start, *size, limit;
	gid_t **groups;
};

/* glibc's protocol: *start entries used of *size, grown by realloc up to
 * limit (> 0); full at the limit is no error.  0, or -1 out of memory. */
static int
add_gid(struct groups_of *g, gid_t gid)
{
	long i, nsize;
	gid_t *ng;

	if (gid == g->skip)
		return 0;
	for (i = 0; i < *g->start; i++)
		if ((*g->groups)[i] == gid)
			return 0;
	if (*g->start == *g->size) {
		if (g->limit > 0 && *g->size >= g->limit)
			return 0; /* glibc's limit: no more */
		nsize = *g->size > 0 ? 2 * *g->size : 16;
		if (g->limit > 0 && nsize > g->limit)
			nsize = g->limit;
		if ((ng = realloc(*g->groups, (size_t)nsize * sizeof(gid_t))) == NULL)
			return -1;
		*g->groups = ng;
		*g->size = nsize;
	}
	(*g->groups)[(*g->start)++] = gid;
	return 0;
}

/* one file of the ledger kind through a heap reader: 0, -1 cannot open, -2 no memory */
static int
open_lines(const char *dir, const char *file, struct optt_lines **ret)
{
	char path[4096];
	int fd;

	if (dir != NULL ? (size_t)snprintf(path, sizeof(path), "%s/%s", dir, file) >= sizeof(path)
			: (size_t)snprintf(path, sizeof(path), "%s", file) >= sizeof(path))
		return -1;
	if ((fd = optt_lines_open(path)) < 0)
		return -1;
	if ((*ret = malloc(sizeof(**ret))) == NULL) {
		close(fd);
		return -2;
	}
	optt_lines_fd(*ret, fd);
	return 0;
}

static void
close_lines(struct optt_lines **l)
{
	if (*l != NULL) {
		close((*l)->fd);
		free(*l);
		*l = NULL;
	}
}

/* For a ledger user (its private group's GID is the primary GID given):
 * the mapped local groups (SPEC §16) with the GIDs /etc/group gives their
 * names now - the private group is the primary one, which glibc already
 * holds.  Two files, one pass each. */
NSS_EXPORT enum nss_status
_nss_optt_initgroups_dyn(const char *user, gid_t group, long int *start, long int *size, gid_t **groupsp,
			 long int limit, int *errnop)
{
	struct groups_of g = { group, start, size, limit, groupsp };
	struct optt_acct_paths p;
	struct optt_lines *l = NULL;
	struct optt_group_list *mapped = NULL;
	const char *conf, *proc;
	uint32_t private_gid = 0, gids[OPTT_GROUPS_MAX];
	unsigned char found[OPTT_GROUPS_MAX];
	enum nss_status st = NSS_STATUS_NOTFOUND;
	size_t i;
	int has_private = 0, any = 0, r;

	where(&p, &conf, &proc);
	*errnop = ENOENT;
	if ((r = open_lines(p.ledger_dir, "group", &l)) != 0 || (mapped = malloc(sizeof(*mapped))) == NULL) {
		st = r == -1 ? NSS_STATUS_UNAVAIL : NSS_STATUS_TRYAGAIN;
		*errnop = r == -1 ? ENOENT : ENOMEM;
		goto out;
	}
	if (optt_ledger_groups_of(l, user, &has_private, &private_gid, mapped) != 0) {
		st = NSS_STATUS_UNAVAIL;
		goto out;
	}
	close_lines(&l);
	/* only the ledger user: a private group whose GID is the primary one
	 * the caller passes (a local account of the same name, found first
	 * in files, has its own) - never another name's mapped groups */
	if (!has_private || private_gid != group)
		goto out;
	any = 1;
	if (mapped->n > 0 && open_lines(NULL, p.group, &l) == 0 && optt_etc_group_gids(l, mapped, gids, found) == 0)
		for (i = 0; i < mapped->n; i++) {
			if (!found[i])
				continue;
			if (add_gid(&g, gids[i]) != 0)
				goto nomem;
			any = 1;
		}
	if (any) {
		st = NSS_STATUS_SUCCESS;
		*errnop = 0;
	}
	goto out;
nomem:
	st = NSS_STATUS_TRYAGAIN;
	*errnop = ENOMEM;
out:
	close_lines(&l);
	free(mapped);
	return st;
}

/* --- enumeration ------------------------------------------------------ */

struct cursor {
	pthread_mutex_t lock;
	int fd;
	uint64_t offset;
};
static struct cursor pw_cur = { PTHREAD_MUTEX_INITIALIZER, -1, 0 };
static struct cursor gr_cur = { PTHREAD_MUTEX_INITIALIZER, -1, 0 };

static enum nss_status
cursor_set(struct cursor *c, const char *file)
{
	struct optt_acct_paths p;
	const char *conf, *proc;
	char path[4096];

	where(&p, &conf, &proc);
	pthread_mutex_lock(&c->lock);
	if (c->fd >= 0)
		close(c->fd);
	c->offset = 0;
	c->fd = (size_t)snprintf(path, sizeof(path), "%s/%s", p.ledger_dir, file) < sizeof(path)
			? optt_lines_open(path)
			: -1;
	pthread_mutex_unlock(&c->lock);
	return c->fd >= 0 ? NSS_STATUS_SUCCESS : NSS_STATUS_UNAVAIL;
}

static enum nss_status
cursor_end(struct cursor *c)
{
	pthread_mutex_lock(&c->lock);
	if (c->fd >= 0)
		close(c->fd);
	c->fd = -1;
	c->offset = 0;
	pthread_mutex_unlock(&c->lock);
	return NSS_STATUS_SUCCESS;
}

/* the next entry from the cursor: the offset moves only past an entry
 * handed out (or the lines skipped before it), never past one that did
 * not fit, so glibc's retry with a larger buffer gets the same entry */
static enum nss_status
cursor_next(struct cursor *c, const char *file, optt_line_fn fn, struct want *w, int *errnop)
{
	struct optt_lines *l = NULL;
	const char *line;
	size_t n;
	int r;

	pthread_mutex_lock(&c->lock);
	w->status = NSS_STATUS_NOTFOUND;
	if (c->fd < 0) {
		pthread_mutex_unlock(&c->lock);
		if (cursor_set(c, file) != NSS_STATUS_SUCCESS) {
			*errnop = ENOENT;
			return NSS_STATUS_UNAVAIL;
		}
		pthread_mutex_lock(&c->lock);
	}
	if (c->fd < 0 || (l = malloc(sizeof(*l))) == NULL ||
	    lseek(c->fd, (off_t)c->offset, SEEK_SET) == (off_t)-1) {
		w->status = c->fd < 0 ? NSS_STATUS_UNAVAIL : NSS_STATUS_TRYAGAIN;
		*errnop = c->fd < 0 ? ENOENT : ENOMEM;
		goto out;
	}
	optt_lines_fd(l, c->fd);
	while ((r = optt_lines_next(l, &line, &n)) == 1) {
		/* where this line began (for a last line without its newline, the
		 * byte before it, which reads as an empty line: no entry) */
		uint64_t before = l->offset >= n + 1 ? l->offset - n - 1 : 0;

		if (fn(w, line, n)) {
			c->offset += w->status == NSS_STATUS_SUCCESS ? l->offset : before;
			break;
		}
	}
	if (w->status == NSS_STATUS_NOTFOUND)
		c->offset += l->offset;
	*errnop = w->status == NSS_STATUS_TRYAGAIN ? ERANGE : ENOENT;
out:
	free(l);
	pthread_mutex_unlock(&c->lock);
	return w->status;
}

/* enumeration takes every line: the matchers accept any entry */
static int
pw_any(void *ctx, const char *line, size_t n)
{
	struct want *w = ctx;
	struct optt_pwline e;

	if (!optt_parse_pwline(line, n, &e))
		return 0;
	w->status = fill_pw(&e, w->pw, w->buf, w->len) == 0 ? NSS_STATUS_SUCCESS : NSS_STATUS_TRYAGAIN;
	return 1;
}

static int
gr_private(void *ctx, const char *line, size_t n)
{
	struct want *w = ctx;
	struct optt_grline e;

	/* SPEC §15: the private groups only (a mapped group has members) */
	if (!optt_parse_grline(line, n, &e) || e.members.n != 0)
		return 0;
	w->status = fill_gr(&e, w->gr, w->buf, w->len) == 0 ? NSS_STATUS_SUCCESS : NSS_STATUS_TRYAGAIN;
	return 1;
}

NSS_EXPORT enum nss_status
_nss_optt_setpwent(int stayopen)
{
	(void)stayopen;
	return cursor_set(&pw_cur, "passwd");
}

NSS_EXPORT enum nss_status
_nss_optt_getpwent_r(struct passwd *pw, char *buf, size_t len, int *errnop)
{
	struct want w = { NULL, 0, 0, pw, NULL, buf, len, NSS_STATUS_NOTFOUND, 0, "", 0 };

	return cursor_next(&pw_cur, "passwd", pw_any, &w, errnop);
}

NSS_EXPORT enum nss_status
_nss_optt_endpwent(void)
{
	return cursor_end(&pw_cur);
}

NSS_EXPORT enum nss_status
_nss_optt_setgrent(int stayopen)
{
	(void)stayopen;
	return cursor_set(&gr_cur, "group");
}

NSS_EXPORT enum nss_status
_nss_optt_getgrent_r(struct group *gr, char *buf, size_t len, int *errnop)
{
	struct want w = { NULL, 0, 1, NULL, gr, buf, len, NSS_STATUS_NOTFOUND, 0, "", 0 };

	return cursor_next(&gr_cur, "group", gr_private, &w, errnop);
}

NSS_EXPORT enum nss_status
_nss_optt_endgrent(void)
{
	return cursor_end(&gr_cur);
}
