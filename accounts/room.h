/*
 * room.h - filling the buffer an NSS caller lends (getpwnam_r and kin):
 * strings and one aligned array of pointers, packed from the start of
 * buf.  Every call says whether it fitted; a caller that gets NULL answers
 * ERANGE (NSS_STATUS_TRYAGAIN) and glibc retries with a larger buffer.
 * Nothing is allocated; nothing here is secret.
 */
#ifndef OPTT_ACCOUNTS_ROOM_H
#define OPTT_ACCOUNTS_ROOM_H

#include <stddef.h>

struct optt_room {
	char *buf;
	size_t len, used;
};

/* A copy of the n bytes at p and a NUL, or NULL when it does not fit. */
char *optt_room_put(struct optt_room *r, const char *p, size_t n);

/* count + 1 pointers, aligned for char *, with at least then bytes left
 * after them (for the strings they will point to), or NULL. */
char **optt_room_ptrs(struct optt_room *r, size_t count, size_t then);

#endif
