/*
 * ledger_write.h - the one writer of the user ledger (SPEC §15): pam_optt
 * registers and refreshes entries, `optt-token users forget` removes one.
 * Kept out of libopttaccounts on purpose: libtool links a convenience
 * library whole into a shared object, and libnss_optt.so.2 must hold no
 * code that writes (tests/nss/symbols.sh checks its imports).
 *
 * Every change is a read-modify-write of passwd, group and state under
 * one exclusive flock (<ledger>/.lock): each file is written to a fresh
 * temp file, fsync'ed and renamed over the old one, so a crash at any
 * point leaves each file old or new, never torn (state and group go
 * first, passwd - what makes a name registered - last; forget goes the
 * other way).  A mapped group's members are packed into lines of at most
 * OPTT_LINE_MAX bytes (a group may have several lines).  The directory is root's 0755 (created so when missing),
 * passwd and group 0644, state 0600.  Readers take no lock.
 *
 * Uses the token core's status (struct optt_err) and file layer (fsutil,
 * privdir); nothing secret passes through here.
 */
#ifndef OPTT_ACCOUNTS_LEDGER_WRITE_H
#define OPTT_ACCOUNTS_LEDGER_WRITE_H

#include <stdint.h>

#include "accounts/groups.h"
#include "accounts/held.h"
#include "common/status.h"

/* What an online login registers or refreshes. */
struct optt_reg_entry {
	const char *name;
	uint32_t uid;      /* the pin or the rule's UID (optt_uid_for) */
	const char *home;  /* home already expanded */
	const char *shell;
	const char *provider; /* token endpoint, or issuer */
	const char *subject;
	int64_t now;
	/* SPEC §16: the user's mapped local groups (each an existing local
	 * group, in the order of the token) and their GIDs as /etc/group has
	 * them now; NULL for none.  Membership is replaced: the user leaves
	 * every other mapped group.  The writer sets stored[i] (ngroups
	 * entries, the caller's) to 1 for each group it kept, 0 for one it
	 * could not (the name of a registered user's private group, or no
	 * room left in the state line). */
	const struct optt_group_list *groups;
	const uint32_t *gids;
	unsigned char *stored;
};

enum optt_ledger_refusal {
	OPTT_LEDGER_DONE,             /* written */
	OPTT_LEDGER_HELD,             /* a new name whose UID someone else holds: nothing written */
	OPTT_LEDGER_OTHER_PROVIDER,   /* registered through another provider: nothing written */
	OPTT_LEDGER_OTHER_SUBJECT,    /* registered for another subject: nothing written */
	OPTT_LEDGER_LOCAL,            /* a local user or group name: never registered */
};

/* Register e->name, or refresh its last online login and its groups when
 * it is there with the same provider and subject (UID, home and shell
 * never change).
 * OPTT_OK with *ret saying what happened (and *ret_holder for HELD);
 * OPTT_SYSTEM / OPTT_NOMEM / OPTT_UNAVAILABLE (the lock stayed held) with
 * err, nothing changed. */
enum optt_status optt_ledger_register(const struct optt_acct_paths *p, const struct optt_reg_entry *e,
				      enum optt_ledger_refusal *ret, struct optt_holder *ret_holder,
				      struct optt_err *err);

/* Remove name's entry, its private group, its memberships and its state.
 * OPTT_OK with *ret_found (0: it was not registered, nothing changed). */
enum optt_status optt_ledger_forget(const struct optt_acct_paths *p, const char *name, int *ret_found,
				    struct optt_err *err);

#endif
