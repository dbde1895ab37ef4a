/*
 * jsonutil.h - json-c with the project's limits: depth 16, the whole input
 * must be one value (trailing bytes refused), and objects are released
 * with every string in them wiped first (responses hold tokens).
 */
#ifndef OPTT_JSONUTIL_H
#define OPTT_JSONUTIL_H

#include <stddef.h>

#include <json.h>

#include "common/mem.h"

#define OPTT_JSON_DEPTH 16

/* Parse exactly one JSON value from s[0..n).  NULL on any error. */
struct json_object *optt_json_parse(const char *s, size_t n);
/* Wipe every string (keys and values) in o, then json_object_put(o).  NULL-safe. */
void optt_json_free(struct json_object **o);
/* The string member k of object o, or NULL when absent or not a string. */
const char *optt_json_str(struct json_object *o, const char *k);

/* Append s as a JSON string literal (quotes included). 0, -1 memory, -2 cap. */
int optt_json_escape(struct optt_buf *b, const char *s);

#endif
