/*
 * register.c - pam_optt's registration and bindings (SPEC §15); see
 * register.h.
 *
 * Invariants: a name that cannot be registered (held UID, local group
 * name, failing names/ignore) is refused before any request, so its
 * password never leaves the host; a registered name is asked of no other
 * provider than its own; a token of another subject never logs in as a
 * registered name; a new name is written only after a full online
 * success, with exactly the entry sshd was given (the writer refuses,
 * under its lock, a UID someone took meanwhile); local accounts are never
 * registered; offline logins never reach pam_optt_reg_after.  Groups
 * (SPEC §16) come from the token the subject comes from, and only ever
 * name local groups that exist in /etc/group now (their GIDs read there);
 * each online login replaces the set, an unreadable claim gives none.
 */
#include "config.h"

#include <errno.h>
#include <stdarg.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <syslog.h>

#include <security/pam_modules.h>

#include "accounts/groups.h"
#include "accounts/ledger_write.h"
#include "common/jwt.h"
#include "pam_module/register.h"

int
pam_optt_reg_lookup(const char *user, struct pam_optt_who *who)
{
	struct passwd pw, *res = NULL;
	size_t size = 16384;
	char *buf;
	int r;

	memset(who, 0, sizeof(*who));
	for (;;) {
		if ((buf = malloc(size)) == NULL)
			return -2;
		r = getpwnam_r(user, &pw, buf, size, &res);
		if (r == 0 && res != NULL) {
			who->found = 1;
			who->uid = pw.pw_uid;
			who->gid = pw.pw_gid;
			snprintf(who->home, sizeof(who->home), "%s", pw.pw_dir ? pw.pw_dir : "");
			snprintf(who->shell, sizeof(who->shell), "%s", pw.pw_shell ? pw.pw_shell : "");
		}
		free(buf);
		if (r != ERANGE || size >= (1u << 20))
			break;
		size *= 4;
	}
	if (r == 0)
		return res != NULL;
	/* "not found" is reported as 0 with res NULL, or as one of these */
	if (r == ENOENT || r == ESRCH || r == EBADF || r == EPERM)
		return 0;
	return -1;
}

static int refuse(struct pam_optt_refusal *ref, int code, const char *outcome, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

static int
refuse(struct pam_optt_refusal *ref, int code, const char *outcome, const char *fmt, ...)
{
	va_list ap;

	ref->code = code;
	ref->prio = code == PAM_SYSTEM_ERR || code == PAM_SERVICE_ERR ? LOG_ERR : LOG_NOTICE;
	ref->outcome = outcome;
	va_start(ap, fmt);
	vsnprintf(ref->detail, sizeof(ref->detail), fmt, ap);
	va_end(ap);
	return 1;
}

/* a name to register: its UID must be free (SPEC §15 "held") */
static int
candidate(struct pam_optt_reg *r, struct pam_optt_refusal *ref)
{
	struct optt_holder h;
	char who[400], uid[16];
	int pinned;

	r->uid = optt_uid_for(&r->paths, r->users, r->name, &pinned);
	if (optt_uid_held(&r->paths, r->name, r->uid, &h)) {
		optt_holder_text(&r->paths, &h, who, sizeof(who));
		snprintf(uid, sizeof(uid), "%lu", (unsigned long)r->uid);
		return refuse(ref, PAM_PERM_DENIED, "uid-collision",
			      "UID %s is held by %.200s: not registered (pin the name in %s)", uid, who,
			      r->paths.pins);
	}
	if (optt_users_home(r->users, r->name, r->home, sizeof(r->home)) != 0)
		return refuse(ref, PAM_SERVICE_ERR, "config-error", "[users] home: too long for this name");
	r->active = 1;
	r->is_new = 1;
	return 0;
}

int
pam_optt_reg_before(struct pam_optt_reg *r, const struct optt_conf *c, const struct optt_profile *p,
		    const char *user, const struct pam_optt_who *who, int ignore_unknown,
		    struct pam_optt_refusal *ref)
{
	char provider[1024];
	uint32_t uid;
	int pinned;

	memset(r, 0, sizeof(*r));
	optt_acct_paths_default(&r->paths);
	r->users = &c->users;
	r->paths.ledger_dir = optt_users_value(r->users, OPTT_UK_LEDGER_DIR);
	r->name = user;
	r->provider = optt_conf_provider(p); /* as configured: never a discovered endpoint */
	if (who->found && optt_local_user(&r->paths, user))
		return 0; /* a local account: SPEC §5 as ever, never registered */
	if (optt_ledger_has(&r->paths, user)) {
		if (!optt_ledger_binding(&r->paths, user, provider, sizeof(provider), r->subject,
					 sizeof(r->subject)))
			return refuse(ref, PAM_PERM_DENIED, "provider-mismatch",
				      "registered without a binding in %s: optt-token users forget NAME",
				      r->paths.ledger_dir);
		if (strcmp(provider, r->provider) != 0)
			return refuse(ref, PAM_PERM_DENIED, "provider-mismatch",
				      "registered through %.120s, not %.120s: no request", provider, r->provider);
		r->bound = 1;
		r->active = r->users->reg;
		return 0;
	}
	if (who->found) {
		/* neither local nor registered: our own answer to sshd (SPEC §15),
		 * or another source's account (LDAP...), which is never registered */
		if (!r->users->reg || !optt_users_name_ok(r->users, user) || optt_local_group(&r->paths, user))
			return 0;
		uid = optt_uid_for(&r->paths, r->users, user, &pinned);
		if (optt_users_home(r->users, user, r->home, sizeof(r->home)) != 0 || who->uid != uid ||
		    who->gid != uid || strcmp(who->home, r->home) != 0 ||
		    strcmp(who->shell, optt_users_value(r->users, OPTT_UK_SHELL)) != 0)
			return 0;
		return candidate(r, ref);
	}
	if (!r->users->reg || !optt_users_name_ok(r->users, user) || optt_local_group(&r->paths, user)) {
		refuse(ref, ignore_unknown ? PAM_IGNORE : PAM_USER_UNKNOWN, "unknown-user", "%s",
		       !r->users->reg ? "" : optt_local_group(&r->paths, user) ? "a local group's name, never registered"
										: "the name fails [users] names or ignore");
		return 1;
	}
	return candidate(r, ref);
}

static void note(const struct pam_optt_reg *r, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void
note(const struct pam_optt_reg *r, const char *fmt, ...)
{
	char line[512];
	va_list ap;

	if (r->note == NULL)
		return;
	va_start(ap, fmt);
	vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	r->note(r->note_ctx, line);
}

/* SPEC §16: the token's claim values, mapped, then only the local groups */
struct token_groups {
	struct optt_group_list values, mapped, local;
	uint32_t mapped_gid[OPTT_GROUPS_MAX], gids[OPTT_GROUPS_MAX];
	unsigned char found[OPTT_GROUPS_MAX], stored[OPTT_GROUPS_MAX];
};

static int
take_value(void *ctx, const char *s, size_t n)
{
	return optt_group_values_take(ctx, s, n) < 0; /* 64 kept: stop */
}

/* 0, or -1 out of memory */
static int
token_groups(const struct pam_optt_reg *r, const char *token, struct token_groups *g)
{
	const char *names[17], *cur, *w;
	char *claims;
	size_t i, n, nn = 0;

	optt_group_list_init(&g->values);
	optt_group_list_init(&g->mapped);
	optt_group_list_init(&g->local);
	if (optt_users_value(r->users, OPTT_UK_GROUP_MAP)[0] == '\0' &&
	    optt_users_value(r->users, OPTT_UK_GROUP_PREFIX)[0] == '\0')
		return 0; /* nothing can map: no group, no claim read */
	if ((claims = strdup(optt_users_value(r->users, OPTT_UK_GROUPS_CLAIM))) == NULL)
		return -1;
	/* the claim names, NUL-terminated in place (16 at most: users.c) */
	for (cur = claims; nn < 16 && optt_words_next(&cur, &w, &n); nn++) {
		size_t end = (size_t)(cur - claims);

		names[nn] = w;
		if (claims[end] != '\0') {
			claims[end] = '\0';
			cur = claims + end + 1;
		}
	}
	names[nn] = NULL;
	if (token != NULL)
		(void)optt_jwt_claim_strings(token, names, take_value, &g->values);
	free(claims);
	optt_groups_map(r->users, &g->values, &g->mapped);
	if (optt_local_group_gids(&r->paths, &g->mapped, g->mapped_gid, g->found) != 0 && g->mapped.n > 0)
		note(r, "groups: %s cannot be read: no group of the token is given", r->paths.group);
	for (i = 0; i < g->mapped.n; i++) {
		if (!g->found[i]) {
			note(r, "groups: '%s' (from the token) is not a local group in %s: skipped", g->mapped.name[i],
			     r->paths.group);
			continue;
		}
		if (g->mapped_gid[i] == 0 && !optt_groups_map_names(r->users, g->mapped.name[i])) {
			/* GID 0 is root's group: only an explicit group_map gives it */
			note(r, "groups: '%s' (from the token, by group_prefix) has GID 0: not given", g->mapped.name[i]);
			continue;
		}
		g->gids[g->local.n] = g->mapped_gid[i];
		(void)optt_group_list_add(&g->local, g->mapped.name[i], strlen(g->mapped.name[i]));
	}
	return 0;
}

int
pam_optt_reg_after(struct pam_optt_reg *r, const struct optt_token *tok, int64_t now,
		   struct pam_optt_refusal *ref)
{
	struct optt_reg_entry e;
	struct optt_holder h;
	struct optt_err err;
	struct token_groups *g = NULL;
	enum optt_ledger_refusal res;
	enum optt_status st;
	char subject[1024], who[400];
	const char *t = tok->id_token != NULL ? tok->id_token : tok->access_token;
	size_t i;

	memset(ref, 0, sizeof(*ref));
	if (!r->bound && !r->active)
		return 0;
	/* sub, else user_name, else the name (a token without readable claims) */
	if (t == NULL || optt_jwt_subject(t, subject, sizeof(subject)) != 1)
		snprintf(subject, sizeof(subject), "%s", r->name);
	if (r->bound && strcmp(subject, r->subject) != 0)
		return refuse(ref, PAM_PERM_DENIED, "subject-mismatch",
			      "the token's subject is not the one registered for this name");
	if (!r->active)
		return 0;
	memset(&e, 0, sizeof(e));
	e.name = r->name;
	e.uid = r->uid;
	e.home = r->home;
	e.shell = optt_users_value(r->users, OPTT_UK_SHELL);
	e.provider = r->provider;
	e.subject = subject;
	e.now = now;
	/* SPEC §16: the groups come from the token the subject came from */
	if ((g = calloc(1, sizeof(*g))) == NULL || token_groups(r, t, g) != 0) {
		free(g);
		return refuse(ref, PAM_BUF_ERR, "out-of-memory", "the token's groups: out of memory");
	}
	e.groups = &g->local;
	e.gids = g->gids;
	e.stored = g->stored;
	optt_err_init(&err);
	st = optt_ledger_register(&r->paths, &e, &res, &h, &err);
	for (i = 0; st == OPTT_OK && res == OPTT_LEDGER_DONE && i < g->local.n; i++)
		if (!g->stored[i])
			note(r, "groups: '%s' not stored (a registered user's private group has that name, or the "
				"ledger's state line is full)", g->local.name[i]);
	free(g);
	if (st != OPTT_OK) {
		if (r->is_new)
			return refuse(ref, PAM_SYSTEM_ERR, "ledger-error", "not registered: %.200s", err.msg);
		/* with groups from the token, the session would run with an
		 * earlier token's groups (a role the provider took away) */
		if (optt_users_value(r->users, OPTT_UK_GROUP_MAP)[0] != '\0' ||
		    optt_users_value(r->users, OPTT_UK_GROUP_PREFIX)[0] != '\0')
			return refuse(ref, PAM_SYSTEM_ERR, "ledger-error", "groups not refreshed: %.200s", err.msg);
		snprintf(ref->detail, sizeof(ref->detail), "ledger not refreshed: %.200s", err.msg);
		return 0;
	}
	switch (res) {
	case OPTT_LEDGER_DONE:
		return 0;
	case OPTT_LEDGER_HELD:
		optt_holder_text(&r->paths, &h, who, sizeof(who));
		return refuse(ref, PAM_PERM_DENIED, "uid-collision",
			      "the UID was taken meanwhile by %.200s: not registered, no session", who);
	case OPTT_LEDGER_OTHER_PROVIDER:
		return refuse(ref, PAM_PERM_DENIED, "provider-mismatch",
			      "registered meanwhile through another provider");
	case OPTT_LEDGER_OTHER_SUBJECT:
		return refuse(ref, PAM_PERM_DENIED, "subject-mismatch",
			      "the token's subject is not the one registered for this name");
	case OPTT_LEDGER_LOCAL:
		break;
	}
	return refuse(ref, PAM_USER_UNKNOWN, "unknown-user", "a local account of this name appeared");
}
