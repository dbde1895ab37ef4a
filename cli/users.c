/*
 * users.c - `optt-token users` and the [users] part of check-config
 * --pam; see users.h.
 *
 * Invariants: the ledger changes only through the one writer
 * (accounts/ledger_write.h), under its lock; forget never touches a home
 * directory; what is printed holds no token or password.
 */
#include "config.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "accounts/groups.h"
#include "accounts/held.h"
#include "accounts/ledger.h"
#include "accounts/ledger_write.h"
#include "accounts/lines.h"
#include "cli/users.h"
#include "common/mem.h"
#include "common/url.h"

static void
paths_of(const struct optt_conf *c, struct optt_acct_paths *p)
{
	optt_acct_paths_default(p);
	p->ledger_dir = optt_users_value(&c->users, OPTT_UK_LEDGER_DIR);
}

static void
when(int64_t t, char *buf, size_t n)
{
	time_t tt = (time_t)t;
	struct tm tm;

	if (t <= 0 || gmtime_r(&tt, &tm) == NULL || strftime(buf, n, "%Y-%m-%dT%H:%M:%SZ", &tm) == 0)
		snprintf(buf, n, "-");
}

/* --- list ------------------------------------------------------------- */

struct last_of {
	const char *name;
	int64_t last;
	char *groups; /* the stored groups (SPEC §16), "a,b" */
	size_t gn;
};

static int
last_cb(void *ctx, const char *line, size_t n)
{
	struct last_of *lo = ctx;
	struct optt_stline e;

	if (!optt_parse_stline(line, n, &e) || !optt_field_is(e.name, lo->name))
		return 0;
	lo->last = e.last;
	snprintf(lo->groups, lo->gn, "%.*s", (int)e.groups.n, e.groups.p);
	return 1;
}

/* The writer keeps passwd and state in the same order (each rewrite drops
 * a name's lines and appends them at the end of both), so the list reads
 * them side by side and looks a state line up only when they disagree. */
static int
users_list(const struct optt_acct_paths *p)
{
	struct optt_lines *pl = malloc(sizeof(*pl)), *sl = malloc(sizeof(*sl));
	struct optt_pwline e;
	struct optt_stline st;
	const char *line, *sline;
	char path[4096], name[OPTT_NAME_MAX_TEXT], prov[OPTT_LINE_MAX], sub[OPTT_LINE_MAX], last[32],
		groups[OPTT_LINE_MAX];
	size_t n, sn;
	int pfd = -1, sfd = -1, rows = 0, rc = 0, have_st;

	printf("%-20s %10s  %-20s %-20s %s\n", "NAME", "UID", "GROUPS", "LAST ONLINE LOGIN", "SUBJECT");
	snprintf(path, sizeof(path), "%s/passwd", p->ledger_dir);
	if (pl == NULL || sl == NULL || ((pfd = optt_lines_open(path)) < 0 && errno != ENOENT)) {
		fprintf(stderr, "optt: %s: cannot read: %s\n", path, strerror(errno));
		rc = 3;
		goto out;
	}
	snprintf(path, sizeof(path), "%s/state", p->ledger_dir);
	sfd = optt_lines_open(path);
	optt_lines_fd(pl, pfd);
	optt_lines_fd(sl, sfd);
	while (pfd >= 0 && optt_lines_next(pl, &line, &n) == 1) {
		if (!optt_parse_pwline(line, n, &e))
			continue;
		snprintf(name, sizeof(name), "%.*s", (int)e.name.n, e.name.p);
		have_st = 0;
		while (sfd >= 0 && optt_lines_next(sl, &sline, &sn) == 1)
			if (optt_parse_stline(sline, sn, &st)) {
				have_st = optt_field_is(st.name, name);
				break;
			}
		groups[0] = '\0';
		if (have_st) {
			snprintf(groups, sizeof(groups), "%.*s", (int)st.groups.n, st.groups.p);
			when(st.last, last, sizeof(last));
			if (optt_field_decode(st.subject, sub, sizeof(sub)) == (size_t)-1)
				snprintf(sub, sizeof(sub), "(unreadable)");
		} else {
			struct last_of lo = { name, 0, groups, sizeof(groups) };

			optt_scan_in(p->ledger_dir, "state", last_cb, &lo);
			when(lo.last, last, sizeof(last));
			if (!optt_ledger_binding(p, name, prov, sizeof(prov), sub, sizeof(sub)))
				snprintf(sub, sizeof(sub), "(no state)");
		}
		printf("%-20s %10lu  %-20s %-20s %s\n", name, (unsigned long)e.uid, groups[0] ? groups : "-", last, sub);
		rows++;
	}
	fprintf(stderr, "optt: %d registered user%s (%s)\n", rows, rows == 1 ? "" : "s", p->ledger_dir);
out:
	if (pfd >= 0)
		close(pfd);
	if (sfd >= 0)
		close(sfd);
	free(pl);
	free(sl);
	return rc;
}

/* --- show ------------------------------------------------------------- */

struct one {
	const char *name;
	int found;
	unsigned long uid;
	char home[OPTT_LINE_MAX], shell[OPTT_LINE_MAX], groups[OPTT_LINE_MAX];
	int64_t last, created;
};

static int
show_pw(void *ctx, const char *line, size_t n)
{
	struct one *o = ctx;
	struct optt_pwline e;

	if (!optt_parse_pwline(line, n, &e) || !optt_field_is(e.name, o->name))
		return 0;
	o->found = 1;
	o->uid = e.uid;
	snprintf(o->home, sizeof(o->home), "%.*s", (int)e.home.n, e.home.p);
	snprintf(o->shell, sizeof(o->shell), "%.*s", (int)e.shell.n, e.shell.p);
	return 1;
}

static int
show_st(void *ctx, const char *line, size_t n)
{
	struct one *o = ctx;
	struct optt_stline e;

	if (!optt_parse_stline(line, n, &e) || !optt_field_is(e.name, o->name))
		return 0;
	o->last = e.last;
	o->created = e.created;
	snprintf(o->groups, sizeof(o->groups), "%.*s", (int)e.groups.n, e.groups.p);
	return 1;
}

/* SPEC §16: the groups of the last online login (the state line), each
 * with the GID /etc/group gives it now - what initgroups answers */
static void
show_groups(const struct optt_acct_paths *p, const char *stored)
{
	struct optt_group_list *gl = malloc(sizeof(*gl));
	struct optt_field f = { stored, strlen(stored) }, m;
	uint32_t gids[OPTT_GROUPS_MAX];
	unsigned char found[OPTT_GROUPS_MAX];
	size_t pos, i;

	if (gl == NULL || stored[0] == '\0') {
		printf("  groups: -%s\n", gl == NULL ? " (out of memory)" : "");
		free(gl);
		return;
	}
	optt_group_list_init(gl);
	for (pos = 0; optt_members_next(f, &pos, &m);)
		(void)optt_group_list_add(gl, m.p, m.n);
	optt_local_group_gids(p, gl, gids, found);
	printf("  groups:");
	for (i = 0; i < gl->n; i++) {
		if (found[i])
			printf(" %s(%lu)", gl->name[i], (unsigned long)gids[i]);
		else
			printf(" %s(not in %s: not given)", gl->name[i], p->group);
	}
	printf("\n");
	free(gl);
}

static int
users_show(const struct optt_conf *c, const struct optt_acct_paths *p, const char *name)
{
	const struct optt_users *u = &c->users;
	struct one o;
	struct optt_holder h;
	char prov[OPTT_LINE_MAX], sub[OPTT_LINE_MAX], t1[32], t2[32], who[512];
	uint32_t uid;
	int pinned;

	memset(&o, 0, sizeof(o));
	o.name = name;
	optt_scan_in(p->ledger_dir, "passwd", show_pw, &o);
	uid = optt_uid_for(p, u, name, &pinned);
	printf("name: %s\n", name);
	if (o.found) {
		optt_scan_in(p->ledger_dir, "state", show_st, &o);
		when(o.created, t1, sizeof(t1));
		when(o.last, t2, sizeof(t2));
		printf("  registered: yes (%s)\n  uid: %lu\n  gid: %lu (private group %s)\n  home: %s\n  shell: %s\n",
		       p->ledger_dir, o.uid, o.uid, name, o.home, o.shell);
		if (optt_ledger_binding(p, name, prov, sizeof(prov), sub, sizeof(sub)))
			printf("  provider: %s\n  subject: %s\n", prov, sub);
		else
			printf("  provider: (no state line: a login is refused until users forget)\n");
		show_groups(p, o.groups);
		printf("  registered at: %s\n  last online login: %s\n", t1, t2);
	} else {
		printf("  registered: no\n");
	}
	printf("  the rule gives: UID %lu (%s)\n", (unsigned long)uid,
	       pinned ? "pinned in the uids file" : "MurmurHash3 over uid_range");
	if (optt_uid_held(p, name, uid, &h)) {
		optt_holder_text(p, &h, who, sizeof(who));
		printf("  held by: %s\n", who);
	} else {
		printf("  held by: nobody else\n");
	}
	if (!o.found)
		printf("  may register: %s\n",
		       optt_local_user(p, name) ? "no (a local user)"
		       : optt_local_group(p, name) ? "no (a local group's name)"
		       : !optt_users_name_ok(u, name) ? "no (fails [users] names or ignore)"
		       : optt_uid_held(p, name, uid, &h) ? "no (its UID is held: pin it)"
		       : !u->reg ? "no (register = no)" : "yes, at its first online login");
	return 0;
}

/* --- forget ----------------------------------------------------------- */

/* the offline verifiers "<profile>@<name>" of every offline_dir (SPEC §11) */
static int
forget_verifiers(const struct optt_conf *c, const char *name)
{
	struct optt_buf suffix;
	const char *dirs[OPTT_CONF_MAX_SOURCES + 257];
	size_t nd = 0, i, j, sl, nl;
	struct dirent *de;
	DIR *d;
	int removed = 0, fd;

	optt_buf_init(&suffix, 4096);
	if (optt_buf_puts(&suffix, "@") != 0 || optt_url_encode(&suffix, name) != 0) {
		optt_buf_clear(&suffix);
		return -1;
	}
	for (i = 0; i < c->nprofiles && nd < sizeof(dirs) / sizeof(dirs[0]); i++) {
		const char *dir = optt_pstr(&c->profiles[i], OPTT_K_OFFLINE_DIR);

		for (j = 0; j < nd && strcmp(dirs[j], dir) != 0; j++)
			;
		if (j == nd)
			dirs[nd++] = dir;
	}
	sl = suffix.len;
	for (i = 0; i < nd; i++) {
		if ((fd = open(dirs[i], O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)) < 0)
			continue;
		if ((d = fdopendir(fd)) == NULL) {
			close(fd);
			continue;
		}
		while ((de = readdir(d)) != NULL) {
			nl = strlen(de->d_name);
			if (nl > sl && strcmp(de->d_name + nl - sl, suffix.data) == 0 &&
			    unlinkat(dirfd(d), de->d_name, 0) == 0)
				removed++;
		}
		closedir(d);
	}
	optt_buf_clear(&suffix);
	return removed;
}

static int
users_forget(const struct optt_conf *c, const struct optt_acct_paths *p, const char *name)
{
	struct optt_err err;
	int found = 0, verifiers;

	optt_err_init(&err);
	if (optt_ledger_forget(p, name, &found, &err) != OPTT_OK) {
		fprintf(stderr, "optt: %s\n", err.msg);
		return 3;
	}
	verifiers = forget_verifiers(c, name);
	if (!found && verifiers <= 0) {
		fprintf(stderr, "optt: '%s' is not registered (%s)\n", name, p->ledger_dir);
		return 1;
	}
	fprintf(stderr, "optt: forgot '%s': %s, %d offline verifier%s; the home directory is kept\n", name,
		found ? "its entry, private group, memberships and state" : "no ledger entry",
		verifiers < 0 ? 0 : verifiers, verifiers == 1 ? "" : "s");
	return 0;
}

int
optt_cli_users(const struct optt_conf *c, int argc, char **argv)
{
	struct optt_acct_paths p;

	paths_of(c, &p);
	if (argc == 1 && strcmp(argv[0], "list") == 0)
		return users_list(&p);
	if (argc == 2 && strcmp(argv[0], "show") == 0)
		return users_show(c, &p, argv[1]);
	if (argc == 2 && strcmp(argv[0], "forget") == 0)
		return users_forget(c, &p, argv[1]);
	fprintf(stderr, "optt: users takes list, show NAME or forget NAME (see optt-token --help)\n");
	return 2;
}

/* --- check-config --pam ------------------------------------------------ */

/* does the first uncommented "DB:" line of nsswitch.conf name optt? */
static int
nsswitch_has(const char *text, const char *db)
{
	const char *line = text, *end;
	size_t dl = strlen(db);

	for (; *line != '\0'; line = *end ? end + 1 : end) {
		end = line + strcspn(line, "\n");
		line += strspn(line, " \t");
		if (strncmp(line, db, dl) != 0 || line[dl] != ':')
			continue;
		for (line += dl + 1; line < end;) {
			size_t n;

			line += strspn(line, " \t");
			n = strcspn(line, " \t\n");
			if (n == 4 && strncmp(line, "optt", 4) == 0)
				return 1;
			if (line[0] == '#')
				break;
			line += n ? n : 1;
		}
		return 0;
	}
	return 0;
}

static char *
slurp(const char *path)
{
	struct optt_lines l;
	struct optt_buf b;
	const char *line;
	size_t n;
	int fd;

	if ((fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK)) < 0)
		return NULL;
	optt_buf_init(&b, 1024 * 1024);
	optt_lines_fd(&l, fd);
	while (optt_lines_next(&l, &line, &n) == 1)
		if (optt_buf_append(&b, line, n) != 0 || optt_buf_append(&b, "\n", 1) != 0)
			break;
	close(fd);
	if (optt_buf_append(&b, "", 0) != 0) {
		optt_buf_clear(&b);
		return NULL;
	}
	return optt_buf_steal(&b);
}

/* nscd "caches passwd" (SPEC §15): its socket exists and nscd.conf says
 * enable-cache passwd yes */
static int
nscd_caches_passwd(void)
{
	char *text;
	const char *line, *p;
	int yes = 0;
	size_t n;

	if (access("/run/nscd/socket", F_OK) != 0 || (text = slurp("/etc/nscd.conf")) == NULL)
		return 0;
	for (line = text; *line != '\0'; line += n + (line[n] == '\n')) {
		n = strcspn(line, "\n");
		p = line + strspn(line, " \t");
		if (strncmp(p, "enable-cache", 12) != 0)
			continue;
		p += 12 + strspn(p + 12, " \t");
		if (strncmp(p, "passwd", 6) != 0)
			continue;
		p += 6 + strspn(p + 6, " \t");
		yes = strncmp(p, "yes", 3) == 0;
	}
	optt_free_str(&text);
	return yes;
}

/* a session line of some /etc/pam.d file that loads pam_mkhomedir */
static int
mkhomedir_somewhere(void)
{
	DIR *d = opendir("/etc/pam.d");
	struct dirent *de;
	char path[4096], *text;
	const char *line, *p;
	size_t n;
	int found = 0;

	if (d == NULL)
		return 0;
	while (!found && (de = readdir(d)) != NULL) {
		if (de->d_name[0] == '.' || snprintf(path, sizeof(path), "/etc/pam.d/%s", de->d_name) >= (int)sizeof(path) ||
		    (text = slurp(path)) == NULL)
			continue;
		for (line = text; *line != '\0' && !found; line += n + (line[n] == '\n')) {
			n = strcspn(line, "\n");
			p = line + strspn(line, " \t-");
			if (strncmp(p, "session", 7) == 0 && memmem(p, n - (size_t)(p - line), "pam_mkhomedir", 13) != NULL)
				found = 1;
		}
		optt_free_str(&text);
	}
	closedir(d);
	return found;
}

struct pincheck {
	int lineno, warnings;
	const char *path;
};

static int
pin_line(void *ctx, const char *line, size_t n)
{
	struct pincheck *pc = ctx;
	struct optt_pinline e;

	pc->lineno++;
	if (n == 0 || line[0] == '#' || optt_parse_pinline(line, n, &e))
		return 0;
	printf("warning: %s:%d: not a pin (NAME:UID, UID within 1000-2147483647): ignored\n", pc->path, pc->lineno);
	pc->warnings++;
	return 0;
}

struct heldcheck {
	const struct optt_acct_paths *p;
	int warnings;
};

static int
held_line(void *ctx, const char *line, size_t n)
{
	struct heldcheck *hc = ctx;
	struct optt_pwline e;
	struct optt_holder h;
	char name[OPTT_NAME_MAX_TEXT], who[512];

	if (!optt_parse_pwline(line, n, &e))
		return 0;
	memcpy(name, e.name.p, e.name.n);
	name[e.name.n] = '\0';
	if (optt_uid_held(hc->p, name, e.uid, &h)) {
		optt_holder_text(hc->p, &h, who, sizeof(who));
		printf("warning: the registered user '%s' has UID %lu, now also held by %s (still answered)\n", name,
		       (unsigned long)e.uid, who);
		hc->warnings++;
	}
	return 0;
}

/* SPEC §16: each group_map target, and whether /etc/group has it; a
 * missing one is a warning (with register = yes) */
static int
group_map_check(const struct optt_users *u, const struct optt_acct_paths *p)
{
	struct optt_group_list *gl = malloc(sizeof(*gl));
	const char *cur = optt_users_value(u, OPTT_UK_GROUP_MAP), *w, *colon;
	uint32_t gids[OPTT_GROUPS_MAX];
	unsigned char found[OPTT_GROUPS_MAX];
	size_t n, i;
	int warnings = 0;

	if (gl == NULL)
		return 0;
	optt_group_list_init(gl);
	while (optt_words_next(&cur, &w, &n))
		if ((colon = memchr(w, ':', n)) != NULL)
			(void)optt_group_list_add(gl, colon + 1, n - (size_t)(colon - w) - 1);
	if (optt_local_group_gids(p, gl, gids, found) != 0 && gl->n > 0)
		printf("  %s cannot be read\n", p->group);
	for (i = 0; i < gl->n; i++) {
		if (found[i]) {
			printf("  group_map target %s: a local group (GID %lu in %s)\n", gl->name[i], (unsigned long)gids[i],
			       p->group);
		} else if (u->reg) {
			printf("warning: group_map target %s: not a local group in %s (skipped at every login)\n",
			       gl->name[i], p->group);
			warnings++;
		} else {
			printf("  group_map target %s: not a local group in %s\n", gl->name[i], p->group);
		}
	}
	if (u->text[OPTT_UK_GROUP_PREFIX] != NULL && u->text[OPTT_UK_GROUP_PREFIX][0] != '\0')
		printf("  group_prefix %s: a value %sNAME makes the user a member of the local group NAME, if there is "
		       "one\n", u->text[OPTT_UK_GROUP_PREFIX], u->text[OPTT_UK_GROUP_PREFIX]);
	free(gl);
	return warnings;
}

int
optt_cli_users_check(const struct optt_conf *c)
{
	const struct optt_users *u = &c->users;
	struct optt_acct_paths p;
	struct pincheck pc;
	struct heldcheck hc;
	char *ns;
	int w = 0, missing;
	size_t k;

	paths_of(c, &p);
	printf("[users]\n");
	for (k = 0; k < OPTT_UK_COUNT; k++)
		printf("  %s = %s\n", optt_users_key_name((enum optt_ukey)k), optt_users_value(u, (enum optt_ukey)k));
	missing = group_map_check(u, &p);
	if (!u->reg) {
		printf("  register = no: pam_optt registers no one; libnss_optt answers the ledger only\n");
		return 0;
	}
	if (strcmp(p.ledger_dir, optt_users_ledger_dir) != 0) {
		printf("warning: ledger_dir %s is not %s, the only ledger libnss_optt reads\n", p.ledger_dir,
		       optt_users_ledger_dir);
		w++;
	}
	ns = slurp("/etc/nsswitch.conf");
	if (ns == NULL || !nsswitch_has(ns, "passwd")) {
		printf("warning: /etc/nsswitch.conf: no 'optt' on the passwd line (registered users are not found)\n");
		w++;
	}
	if (ns == NULL || !nsswitch_has(ns, "group")) {
		printf("warning: /etc/nsswitch.conf: no 'optt' on the group line (private groups are not found)\n");
		w++;
	}
	optt_free_str(&ns);
	if (nscd_caches_passwd()) {
		printf("warning: nscd caches passwd (/run/nscd/socket, /etc/nscd.conf): lookups run in nscd, not in "
		       "sshd, so ssh_first_login cannot work (enable-cache passwd no)\n");
		w++;
	}
	if (!mkhomedir_somewhere()) {
		printf("warning: no session stack in /etc/pam.d has pam_mkhomedir: new users get no home directory "
		       "(pam-auth-update --enable optt-mkhomedir, or Debian's mkhomedir)\n");
		w++;
	}
	pc.lineno = 0;
	pc.warnings = 0;
	pc.path = p.pins;
	optt_scan_path(p.pins, pin_line, &pc);
	hc.p = &p;
	hc.warnings = 0;
	optt_scan_in(p.ledger_dir, "passwd", held_line, &hc);
	return w + missing + pc.warnings + hc.warnings;
}
