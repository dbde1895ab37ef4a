/*
 * room.c - filling the buffer an NSS caller lends (room.h).
 */
#include "config.h"

#include <stdint.h>
#include <string.h>

#include "accounts/room.h"

char *
optt_room_put(struct optt_room *r, const char *p, size_t n)
{
	char *s;

	if (r->len - r->used < n + 1)
		return NULL;
	s = r->buf + r->used;
	memcpy(s, p, n);
	s[n] = '\0';
	r->used += n + 1;
	return s;
}

char **
optt_room_ptrs(struct optt_room *r, size_t count, size_t then)
{
	size_t pad = (sizeof(char *) - ((uintptr_t)(r->buf + r->used) % sizeof(char *))) % sizeof(char *);
	size_t left = r->len - r->used;
	char **v;

	if (left < pad || (left - pad) / sizeof(char *) < count + 1 ||
	    left - pad - (count + 1) * sizeof(char *) < then)
		return NULL;
	v = (char **)(void *)(r->buf + r->used + pad);
	r->used += pad + (count + 1) * sizeof(char *);
	return v;
}
