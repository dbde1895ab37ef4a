/*
 * mem.c - secret-safe memory helpers.
 *
 * Invariant: every byte this file frees was wiped first.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "common/mem.h"

void
optt_buf_init(struct optt_buf *b, size_t max)
{
	b->data = NULL;
	b->len = 0;
	b->cap = 0;
	b->max = max;
}

int
optt_buf_append(struct optt_buf *b, const void *p, size_t n)
{
	size_t need, ncap;
	char *nd;

	if (n > b->max || b->len > b->max - n)
		return -2;
	need = b->len + n + 1;
	if (need > b->cap) {
		ncap = b->cap ? b->cap : 64;
		while (ncap < need)
			ncap *= 2;
		if (ncap > b->max + 1)
			ncap = b->max + 1;
		if ((nd = malloc(ncap)) == NULL)
			return -1;
		if (b->data != NULL) {
			memcpy(nd, b->data, b->len);
			optt_freezero(b->data, b->cap);
		}
		b->data = nd;
		b->cap = ncap;
	}
	if (n > 0)
		memcpy(b->data + b->len, p, n);
	b->len += n;
	b->data[b->len] = '\0';
	return 0;
}

int
optt_buf_puts(struct optt_buf *b, const char *s)
{
	return optt_buf_append(b, s, strlen(s));
}

void
optt_buf_clear(struct optt_buf *b)
{
	if (b == NULL)
		return;
	optt_freezero(b->data, b->cap);
	optt_buf_init(b, b->max);
}

char *
optt_buf_steal(struct optt_buf *b)
{
	char *d = b->data;

	optt_buf_init(b, b->max);
	return d;
}

void
optt_freezero(void *p, size_t n)
{
	if (p == NULL)
		return;
	explicit_bzero(p, n);
	free(p);
}

void
optt_free_str(char **s)
{
	if (s == NULL || *s == NULL)
		return;
	optt_freezero(*s, strlen(*s));
	*s = NULL;
}

char *
optt_strdup(const char *s)
{
	return s == NULL ? NULL : strdup(s);
}

int
optt_str_set(char **dst, const char *src)
{
	char *copy = NULL;

	if (src != NULL && (copy = strdup(src)) == NULL)
		return -1;
	optt_free_str(dst);
	*dst = copy;
	return 0;
}

int
optt_ct_streq(const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b), n = la > lb ? la : lb, i;
	unsigned char d = (unsigned char)(la != lb);

	for (i = 0; i < n; i++)
		d |= (unsigned char)((i < la ? a[i] : 0) ^ (i < lb ? b[i] : 0));
	return d == 0;
}
