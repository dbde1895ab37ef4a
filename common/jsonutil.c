/* jsonutil.c - json-c with limits and wiping; see jsonutil.h. */
#include "config.h"

#include <stdint.h>
#include <string.h>

#include "common/jsonutil.h"

struct json_object *
optt_json_parse(const char *s, size_t n)
{
	struct json_tokener *tok;
	struct json_object *o = NULL;
	size_t used;

	if (n > 0x7fffffff || (tok = json_tokener_new_ex(OPTT_JSON_DEPTH)) == NULL)
		return NULL;
	json_tokener_set_flags(tok, JSON_TOKENER_STRICT);
	o = json_tokener_parse_ex(tok, s, (int)n);
	used = json_tokener_get_parse_end(tok);
	if (o != NULL && json_tokener_get_error(tok) == json_tokener_success) {
		for (; used < n; used++)
			if (strchr(" \t\r\n", s[used]) == NULL)
				break;
		if (used != n)
			optt_json_free(&o);
	} else if (o != NULL) {
		optt_json_free(&o);
	}
	/* the tokener's scratch buffer held the last string it read */
	if (tok->pb != NULL && tok->pb->buf != NULL && tok->pb->size > 0)
		explicit_bzero(tok->pb->buf, (size_t)tok->pb->size);
	json_tokener_free(tok);
	return o;
}

static void
wipe_strings(struct json_object *o, int depth)
{
	size_t i, n;

	if (o == NULL || depth > OPTT_JSON_DEPTH + 1)
		return;
	switch (json_object_get_type(o)) {
	case json_type_string:
		explicit_bzero((char *)(uintptr_t)json_object_get_string(o),
			       (size_t)json_object_get_string_len(o));
		break;
	case json_type_object: {
		struct json_object_iterator it = json_object_iter_begin(o);
		struct json_object_iterator end = json_object_iter_end(o);

		for (; !json_object_iter_equal(&it, &end); json_object_iter_next(&it))
			wipe_strings(json_object_iter_peek_value(&it), depth + 1);
		break;
	}
	case json_type_array:
		n = json_object_array_length(o);
		for (i = 0; i < n; i++)
			wipe_strings(json_object_array_get_idx(o, i), depth + 1);
		break;
	default:
		break;
	}
}

void
optt_json_free(struct json_object **o)
{
	if (o == NULL || *o == NULL)
		return;
	wipe_strings(*o, 0);
	json_object_put(*o);
	*o = NULL;
}

const char *
optt_json_str(struct json_object *o, const char *k)
{
	struct json_object *v;

	if (o == NULL || !json_object_is_type(o, json_type_object) ||
	    !json_object_object_get_ex(o, k, &v) || !json_object_is_type(v, json_type_string))
		return NULL;
	return json_object_get_string(v);
}

int
optt_json_escape(struct optt_buf *b, const char *s)
{
	static const char hex[] = "0123456789abcdef";
	char esc[6];
	int r = optt_buf_puts(b, "\"");

	for (; r == 0 && *s != '\0'; s++) {
		unsigned char c = (unsigned char)*s;

		if (c == '"' || c == '\\') {
			esc[0] = '\\';
			esc[1] = (char)c;
			r = optt_buf_append(b, esc, 2);
		} else if (c < 0x20) {
			memcpy(esc, "\\u00", 4);
			esc[4] = hex[c >> 4];
			esc[5] = hex[c & 15];
			r = optt_buf_append(b, esc, 6);
		} else {
			r = optt_buf_append(b, s, 1);
		}
	}
	OPTT_WIPE(esc, sizeof(esc));
	return r == 0 ? optt_buf_puts(b, "\"") : r;
}

