/*
 * mem.h - secret-safe memory helpers.
 *
 * struct optt_buf is a growable byte buffer with a hard size cap.  It grows
 * by allocate-copy-wipe-free, so no stale copy of its content is left in
 * freed memory, and it is wiped when cleared.  Its data is always
 * NUL-terminated.  Use it for anything that may hold a secret: request
 * bodies, URLs with credentials, response bodies.
 */
#ifndef OPTT_MEM_H
#define OPTT_MEM_H

#include <stddef.h>
#include <string.h>

/* Wipe a stack array or struct before it goes out of scope. */
#define OPTT_WIPE(p, n) explicit_bzero((p), (n))

struct optt_buf {
	char *data;   /* NUL-terminated; NULL until the first append */
	size_t len;   /* bytes used, not counting the NUL */
	size_t cap;   /* bytes allocated */
	size_t max;   /* the cap on len */
};

void optt_buf_init(struct optt_buf *b, size_t max);
/* 0 on success, -1 out of memory, -2 over the cap (b unchanged). */
int optt_buf_append(struct optt_buf *b, const void *p, size_t n);
int optt_buf_puts(struct optt_buf *b, const char *s);
/* Wipe, free and re-init with the same cap. */
void optt_buf_clear(struct optt_buf *b);
/* Hand the data to the caller (who must optt_free_str it); b is reset. */
char *optt_buf_steal(struct optt_buf *b);

/* Wipe the string's bytes, free it, set *s to NULL.  NULL-safe. */
void optt_free_str(char **s);
/* Wipe n bytes, then free.  NULL-safe. */
void optt_freezero(void *p, size_t n);
/* strdup that returns NULL for NULL. */
char *optt_strdup(const char *s);
/* Replace *dst with a copy of src (old value wiped).  0 or -1 (no memory). */
int optt_str_set(char **dst, const char *src);
/* Constant-time comparison of two NUL-terminated strings (by the longer). */
int optt_ct_streq(const char *a, const char *b);

#endif
