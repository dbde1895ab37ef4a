/*
 * groups.h - groups from the token (SPEC §16), the libc-only part: which
 * claim values count, what [users] group_map and group_prefix make of
 * them, and the two group files read for it - the ledger's lines of
 * mapped local groups (GROUP:x:GID:member,member...) and /etc/group,
 * read as a file by name (never through NSS: this runs inside it).
 *
 * Pure functions over bytes and struct optt_lines (memory or a
 * descriptor); nothing is allocated, nothing kept between calls, nothing
 * here is secret.  The fuzz target fuzz/fuzz_group.c drives every reader.
 *
 * A mapped group may have several ledger lines (GROUP:x:GID:a,b and
 * GROUP:x:GID:c): a line holds at most OPTT_LINE_MAX bytes, a group may
 * have more members than fit in one.  Readers take them all.
 */
#ifndef OPTT_ACCOUNTS_GROUPS_H
#define OPTT_ACCOUNTS_GROUPS_H

#include <stddef.h>
#include <stdint.h>

#include "accounts/ledger.h"
#include "accounts/lines.h"

#define OPTT_GROUPS_MAX 64        /* claim values kept, and groups per user (SPEC §16) */
#define OPTT_GROUP_VALUE_MAX 255  /* a longer claim value is dropped: it could name no group */

/* An ordered set of at most OPTT_GROUPS_MAX names (claim values or
 * groups), each NUL-terminated, at most OPTT_GROUP_VALUE_MAX bytes. */
struct optt_group_list {
	size_t n;
	char name[OPTT_GROUPS_MAX][OPTT_GROUP_VALUE_MAX + 1];
};

void optt_group_list_init(struct optt_group_list *l);
/* the index of the n bytes s in l, or -1 */
int optt_group_list_find(const struct optt_group_list *l, const char *s, size_t n);
/* append s unless it is there: 1 added, 0 already there, -1 full or too long */
int optt_group_list_add(struct optt_group_list *l, const char *s, size_t n);

/* SPEC §16's filter: 1 when a claim value counts - 1 to
 * OPTT_GROUP_VALUE_MAX bytes of valid UTF-8 with no ':', no ',', no white
 * space (ASCII or Unicode White_Space) and no control character (C0, DEL,
 * C1); else 0 (dropped). */
int optt_group_value_ok(const char *s, size_t n);
/* One claim value, in claim order: kept (1) when it counts and is not
 * there yet; 0 dropped or repeated; -1 the list already holds
 * OPTT_GROUPS_MAX values (stop reading). */
int optt_group_values_take(struct optt_group_list *values, const char *s, size_t n);

/* The next blank-separated word of a [users] value at *cursor: 1 and
 * (*ret, *ret_n), the cursor moved past it; 0 at the end. */
int optt_words_next(const char **cursor, const char **ret, size_t *ret_n);

/* An /etc/group line, leniently: NAME:PASSWD:GID:MEMBERS with a
 * non-empty name and a strict GID (members are not looked at: another
 * tool's member list must not hide a group).  1 and the fields, or 0. */
int optt_parse_etc_grline(const char *line, size_t n, struct optt_field *ret_name, uint32_t *ret_gid);
/* One pass over /etc/group text: found[i] = 1 and gids[i] for each
 * names->name[i] that has a line (the first line of a name wins, as
 * nss_files answers).  0, or -1 when a read failed. */
int optt_etc_group_gids(struct optt_lines *l, const struct optt_group_list *names, uint32_t *gids,
			unsigned char *found);

/* The ledger's group file: user's private group (the member-less line of
 * that name: *ret_has_private, *ret_private_gid) and the names of the
 * mapped groups whose members include user (in file order, each once, at
 * most OPTT_GROUPS_MAX).  0, or -1 when a read failed. */
int optt_ledger_groups_of(struct optt_lines *l, const char *user, int *ret_has_private,
			  uint32_t *ret_private_gid, struct optt_group_list *ret_mapped);

/* A member list "a,b,c": the next member from *pos (start at 0): 1 and
 * *ret; 0 at the end. */
int optt_members_next(struct optt_field list, size_t *pos, struct optt_field *ret);

/* The members of a mapped group across its ledger lines (every line of
 * name and gid with members): *ret_count of them, *ret_bytes with a NUL
 * each.  0, or -1 when a read failed. */
int optt_ledger_group_size(struct optt_lines *l, const char *name, uint32_t gid, size_t *ret_count,
			   size_t *ret_bytes);

/* The answer to getgrnam/getgrgid for a mapped group: gr filled in the
 * caller's buffer (glibc's NSS rules: strings and the member array in
 * buf) with name, "x", gid and the members of all its lines, read twice
 * (counted, then copied: rewound in between, so a descriptor reads the
 * same file both times).  0 filled, -1 buf too small (ERANGE), -2 a read
 * failed. */
struct group;
int optt_group_fill_mapped(struct optt_lines *l, const char *name, uint32_t gid, struct group *gr, char *buf,
			   size_t len);

#endif
