/*
 * users.h - the [users] section of optt.conf(5) (SPEC §15, §16): one key table
 * (users.c) that both the token core's configuration (common/conf.c, for
 * pam_optt and optt-token check-config) and the NSS module parse with.
 *
 * Ownership: struct optt_users owns its strings and the compiled `names`
 * expression; optt_users_clear frees them.  Nothing here is secret.
 * Failure: the setters and optt_users_finish return -1 with a one-line
 * reason in why (naming the key); they never abort.
 */
#ifndef OPTT_ACCOUNTS_USERS_H
#define OPTT_ACCOUNTS_USERS_H

#include <regex.h>
#include <stddef.h>
#include <stdint.h>

#include "accounts/groups.h"

enum optt_ukey {
	OPTT_UK_REGISTER,
	OPTT_UK_SSH_FIRST_LOGIN,
	OPTT_UK_NAMES,
	OPTT_UK_UID_RANGE,
	OPTT_UK_HOME,
	OPTT_UK_SHELL,
	OPTT_UK_IGNORE,
	OPTT_UK_SSH_PROGRAMS,
	OPTT_UK_LEDGER_DIR,
	OPTT_UK_GROUPS_CLAIM, /* SPEC §16 */
	OPTT_UK_GROUP_MAP,
	OPTT_UK_GROUP_PREFIX,
	OPTT_UK_COUNT
};

struct optt_users {
	char *text[OPTT_UK_COUNT]; /* the values as written (or the defaults, once finished) */
	int set[OPTT_UK_COUNT];    /* set in a file */
	int reg, ssh_first_login;
	uint32_t uid_min, uid_max;
	regex_t names_re;
	int names_compiled;
	int finished;
};

/* The compiled-in places (SPEC §15): $(localstatedir)/lib/optt/users,
 * $(sysconfdir)/optt/optt.conf and $(sysconfdir)/optt/uids.  NSS reads
 * only these: the ledger and the configuration never come from the
 * environment or the caller. */
extern const char optt_users_ledger_dir[];
extern const char optt_users_config[];
extern const char optt_users_pins[];

void optt_users_init(struct optt_users *u);
void optt_users_clear(struct optt_users *u);

/* The key's index in the table, or -1; and its name. */
int optt_users_key(const char *name);
const char *optt_users_key_name(enum optt_ukey k);

/* Set key k from text (checked as the table says).  0, or -1 and why. */
int optt_users_set(struct optt_users *u, enum optt_ukey k, const char *value, char *why, size_t n);
/* Fill the defaults of the keys not set, compile `names`, check the keys
 * against each other (ssh_first_login needs register).  0 or -1 and why. */
int optt_users_finish(struct optt_users *u, char *why, size_t n);

/* The [users] section of the file at path, as NSS reads it: the file must
 * be a root-owned regular file, not writable by group or others, not a
 * symbolic link, at most 64 KiB; other sections are skipped unread; any
 * error in [users] (or a file that cannot be read) is -1, and u is then
 * left cleared.  0 when the section is valid (or absent: all defaults). */
int optt_users_load(const char *path, struct optt_users *u);

/* Does name pass `names` (a whole match) and stay out of `ignore`, and is
 * it a name the ledger can hold (optt_name_valid)?  1 or 0. */
int optt_users_name_ok(const struct optt_users *u, const char *name);
/* The entry's home: `home` with %u replaced by name, into out (n bytes).
 * 0, or -1 when it does not fit. */
int optt_users_home(const struct optt_users *u, const char *name, char *out, size_t n);
/* Is path (already resolved) one of ssh_programs (each resolved)? */
int optt_users_is_ssh_program(const struct optt_users *u, const char *path);

/* A value of the table, for check-config and the man page test. */
const char *optt_users_value(const struct optt_users *u, enum optt_ukey k);

/* The local group names the values map to (u finished): for each value
 * in order, every group_map entry VALUE:GROUP whose VALUE it is, then
 * group_prefix's PREFIXname -> name when name is a name the ledger can
 * hold (optt_name_valid); each group once, at most OPTT_GROUPS_MAX. */
void optt_groups_map(const struct optt_users *u, const struct optt_group_list *values,
		     struct optt_group_list *ret);

/* Whether group_map names GROUP as a target (the admin's explicit choice;
 * group_prefix alone never gives GID 0, SPEC §16, DECISIONS.md). */
int optt_groups_map_names(const struct optt_users *u, const char *group);

#endif
