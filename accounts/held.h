/*
 * held.h - who may have which UID (SPEC §15): the local files read
 * directly (never getpwnam/getgrnam: this runs inside NSS, and asking NSS
 * would recurse into ourselves), the pins, and the held-UID rule.
 *
 * Every function reads files through lines.h (checked on the descriptor,
 * a long or NUL-holding line skipped) and holds nothing between calls.
 * A file that cannot be read counts as empty, except where said.
 */
#ifndef OPTT_ACCOUNTS_HELD_H
#define OPTT_ACCOUNTS_HELD_H

#include <stddef.h>
#include <stdint.h>

#include "accounts/groups.h"
#include "accounts/ledger.h"
#include "accounts/users.h"

/* The files the rule reads.  NSS and the tools use optt_acct_paths_default
 * (the compiled-in ledger and pins, /etc/passwd, /etc/group); pam_optt and
 * optt-token take the ledger from [users] ledger_dir; unit tests point
 * every one of them at their own directory. */
struct optt_acct_paths {
	const char *ledger_dir;
	const char *pins;
	const char *passwd;
	const char *group;
};
void optt_acct_paths_default(struct optt_acct_paths *p);

/* Call fn on every line of the file at path that keeps lines.h's rules
 * until it returns non-zero.  0 when the file was read (to its end or to
 * the stop), -1 when it cannot be opened or read. */
typedef int (*optt_line_fn)(void *ctx, const char *line, size_t n);
int optt_scan_path(const char *path, optt_line_fn fn, void *ctx);
/* the same for dir/name */
int optt_scan_in(const char *dir, const char *name, optt_line_fn fn, void *ctx);

/* 1 when /etc/passwd (or /etc/group) has a line for name, else 0. */
int optt_local_user(const struct optt_acct_paths *p, const char *name);
int optt_local_group(const struct optt_acct_paths *p, const char *name);

/* SPEC §16: the GIDs /etc/group gives the names (one pass, by name, as a
 * file): found[i] and gids[i] for names->name[i].  0, or -1 when the file
 * cannot be read (then nothing is found). */
int optt_local_group_gids(const struct optt_acct_paths *p, const struct optt_group_list *names, uint32_t *gids,
			  unsigned char *found);

/* 1 when /etc/group has the group name with GID gid (its first line of
 * that name), 0 when not, -1 when it cannot be read. */
int optt_local_group_is(const struct optt_acct_paths *p, const char *name, uint32_t gid);

/* The name's pin: 1 and *ret (the first valid line for the name wins),
 * 0 when it has none. */
int optt_pin_of(const struct optt_acct_paths *p, const char *name, uint32_t *ret);

/* The UID the name gets: its pin, else the rule over u's uid_range. */
uint32_t optt_uid_for(const struct optt_acct_paths *p, const struct optt_users *u, const char *name,
		      int *ret_pinned);

enum optt_holder_kind {
	OPTT_HELD_NONE,
	OPTT_HELD_LEDGER,   /* another name of the ledger (passwd or its private group) */
	OPTT_HELD_PIN,      /* another name's pin */
	OPTT_HELD_PASSWD,   /* a UID of /etc/passwd */
	OPTT_HELD_GROUP,    /* a GID of /etc/group */
	OPTT_HELD_RESERVED, /* 65534, 65535, 61184-65519 */
};
struct optt_holder {
	enum optt_holder_kind kind;
	char name[OPTT_NAME_MAX_TEXT];
};
/* The ledger's binding of name (its state line), decoded into provider
 * and subject (pn and sn bytes): 1; 0 when name has no readable state. */
int optt_ledger_binding(const struct optt_acct_paths *p, const char *name, char *provider, size_t pn,
			char *subject, size_t sn);
/* 1 when the ledger's passwd has name. */
int optt_ledger_has(const struct optt_acct_paths *p, const char *name);

/* Is uid held by anyone but name?  1 and *ret says by whom, or 0. */
int optt_uid_held(const struct optt_acct_paths *p, const char *name, uint32_t uid, struct optt_holder *ret);
/* "the local user 'x' (/etc/passwd)", "the pin of 'x' (PATH)", ... */
void optt_holder_text(const struct optt_acct_paths *p, const struct optt_holder *h, char *out, size_t n);

#endif
