/*
 * ledger.h - the user ledger's line formats (SPEC §15), as pure functions
 * over bytes: a line in, an entry out (pointers into the line, never a
 * copy), or an entry in, a line out.  Every reader of the ledger, the pins
 * file and /etc/passwd and /etc/group parses with these; the fuzz target
 * fuzz/fuzz_ledger.c drives them.
 *
 *   <ledger>/passwd   NAME:*:UID:GID::HOME:SHELL        (GID = UID, GECOS empty)
 *   <ledger>/group    NAME:x:GID:                       (the private group)
 *                     GROUP:x:GID:NAME,NAME...          (a mapped local group, SPEC §16:
 *                                                        /etc/group's name and GID; a
 *                                                        group may have several lines;
 *                                                        never without members)
 *   <ledger>/state    NAME:PROVIDER:SUBJECT:LAST:CREATED:GROUPS
 *                     (each field percent-encoded: ':' '%' ',' and every
 *                     byte <= 0x20 or >= 0x7f; LAST and CREATED are epoch
 *                     seconds of the last online login and the registration;
 *                     GROUPS the user's mapped group names, comma-separated)
 *   $(sysconfdir)/optt/uids   NAME:UID              (pins; '#' comments)
 *
 * Blank lines and lines starting with '#' are no entry in every file.
 * Nothing here is secret (the subject is an identifier, not a credential).
 */
#ifndef OPTT_ACCOUNTS_LEDGER_H
#define OPTT_ACCOUNTS_LEDGER_H

#include <stddef.h>
#include <stdint.h>

#define OPTT_NAME_MAX 255   /* bytes of a user or group name */
#define OPTT_NAME_MAX_TEXT (OPTT_NAME_MAX + 1)

/* A field: a slice of the line it was parsed from. */
struct optt_field {
	const char *p;
	size_t n;
};

struct optt_pwline {
	struct optt_field name, passwd, gecos, home, shell;
	uint32_t uid, gid;
};

struct optt_grline {
	struct optt_field name, passwd, members; /* members: "a,b,c" or empty */
	uint32_t gid;
};

struct optt_stline {
	struct optt_field name, provider, subject, groups; /* still encoded */
	int64_t last, created;
};

struct optt_pinline {
	struct optt_field name;
	uint32_t uid;
};

/* 1 when the n bytes are a name the ledger may hold: 1 to 255 bytes of
 * printable ASCII without ':', ',', '/', '\\', blanks or '#', not starting
 * with '-', '+' or '.', and not all digits (so a name is never a UID, a
 * path or an NSS compat entry, and never breaks a line or a member list).
 * SPEC §15's `names` expression is applied on top, by policy. */
int optt_name_valid(const char *s, size_t n);

/* Split line into exactly nf ':'-separated fields: 0, or -1 for another count. */
int optt_split_fields(const char *line, size_t n, struct optt_field *f, size_t nf);

/* Each: 1 an entry, 0 not one (blank, comment or malformed). */
int optt_parse_pwline(const char *line, size_t n, struct optt_pwline *ret);
int optt_parse_grline(const char *line, size_t n, struct optt_grline *ret);
int optt_parse_stline(const char *line, size_t n, struct optt_stline *ret);
/* A pin's UID must be within 1000...2147483647 (else 0). */
int optt_parse_pinline(const char *line, size_t n, struct optt_pinline *ret);

/* 1 when field f equals the NUL-terminated s. */
int optt_field_is(struct optt_field f, const char *s);
/* Strict decimal in [0, max] (no sign, no blanks, no leading zeros but
 * "0", at most 10 digits for 32 bits): 0 and *ret, else -1. */
int optt_parse_u32(const char *s, size_t n, uint32_t max, uint32_t *ret);
/* Is name in the comma-separated list? */
int optt_list_has(struct optt_field list, const char *name);

/* Percent-encode s (as the state file wants) into out (n bytes): the
 * length written, or (size_t)-1 when it does not fit. */
size_t optt_field_encode(const char *s, char *out, size_t n);
/* Decode a state field into out (n bytes, NUL-terminated): the length, or
 * (size_t)-1 for a bad escape, a NUL, or no room. */
size_t optt_field_decode(struct optt_field f, char *out, size_t n);

#endif
