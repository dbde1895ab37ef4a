/*
 * setup_kube.c - see setup_kube.h.
 *
 * Invariants: the kubeconfig is read once (a regular file, not a symbolic
 * link, at most 4 MiB) into a wiping buffer and parsed into libyaml
 * events; the edit is a list of splices (drop events, insert events) at
 * event positions inside the `users` and `contexts` lists or at the end of
 * the top mapping; every other event goes to libyaml's emitter exactly as
 * the parser gave it.  An entry is ours only if it says so (a user whose
 * exec runs an `optt-token` with args [kube, PROFILE]; a context naming
 * exactly that cluster and user) and holds no anchor; anything else of
 * the same name is left alone and the file is not changed.  The result is
 * parsed again before it replaces the file; nothing is written when no
 * splice was needed.  No YAML is written by hand.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <yaml.h>

#include "cli/setup_kube.h"
#include "common/fsutil.h"
#include "common/handoff.h"
#include "common/mem.h"
#include "common/privdir.h"

#define KUBECONFIG_MAX (4 * 1024 * 1024)
#define EXEC_API "client.authentication.k8s.io/v1beta1"
#define MAX_INSERT 32 /* events of the largest splice: users: [ the entry ] */
#define MAX_SPLICES 4

struct doc {
	yaml_event_t *ev;
	size_t n, cap;
};

/* drop `drop` events at position `at` and emit ins[] there instead */
struct splice {
	size_t at, drop;
	yaml_event_t ins[MAX_INSERT];
	size_t nins;
	int failed; /* an event could not be made (out of memory) */
};

struct edit {
	struct doc d;
	struct splice s[MAX_SPLICES];
	size_t ns;
	int changed; /* a splice, or a list turned from flow to block style */
	const char *path;
	const char *profile, *cluster, *user, *command;
	char context[512];
};

/* --- reading events ----------------------------------------------------- */

/* free an event of ours, its value wiped first (a kubeconfig may hold
 * tokens and keys; what libyaml copied internally it frees unwiped) */
static void
drop_event(yaml_event_t *e)
{
	if (e->type == YAML_SCALAR_EVENT && e->data.scalar.value != NULL)
		explicit_bzero(e->data.scalar.value, e->data.scalar.length);
	yaml_event_delete(e);
}

static void
doc_clear(struct doc *d)
{
	size_t i;

	for (i = 0; i < d->n; i++)
		drop_event(&d->ev[i]);
	free(d->ev);
	memset(d, 0, sizeof(*d));
}

/* All events of data into d; 0, or -1 with a message naming the line. */
static int
doc_parse(struct doc *d, const char *path, const char *data, size_t len)
{
	yaml_parser_t parser;
	yaml_event_t *grown;
	int r = -1;

	memset(d, 0, sizeof(*d));
	if (!yaml_parser_initialize(&parser))
		return -1;
	yaml_parser_set_input_string(&parser, (const unsigned char *)data, len);
	for (;;) {
		if (d->n == d->cap) {
			if ((grown = reallocarray(d->ev, d->cap ? d->cap * 2 : 256, sizeof(*grown))) == NULL) {
				fprintf(stderr, "optt: out of memory\n");
				goto out;
			}
			d->ev = grown;
			d->cap = d->cap ? d->cap * 2 : 256;
		}
		if (!yaml_parser_parse(&parser, &d->ev[d->n])) {
			fprintf(stderr, "optt: %s: not YAML (line %zu: %s)\n", path, parser.problem_mark.line + 1,
				parser.problem ? parser.problem : "error");
			goto out;
		}
		if (d->ev[d->n++].type == YAML_STREAM_END_EVENT)
			break;
	}
	r = 0;
out:
	yaml_parser_delete(&parser);
	return r;
}

/* the index of the last event of the node starting at i */
static size_t
node_end(const struct doc *d, size_t i)
{
	long depth = 0;

	for (; i < d->n; i++) {
		switch (d->ev[i].type) {
		case YAML_SEQUENCE_START_EVENT:
		case YAML_MAPPING_START_EVENT:
			depth++;
			break;
		case YAML_SEQUENCE_END_EVENT:
		case YAML_MAPPING_END_EVENT:
			depth--;
			break;
		default:
			break;
		}
		if (depth <= 0)
			return i;
	}
	return d->n - 1;
}

static int
is_scalar(const struct doc *d, size_t i, const char *s)
{
	const yaml_event_t *e = &d->ev[i];

	return i != 0 && e->type == YAML_SCALAR_EVENT && e->data.scalar.length == strlen(s) &&
	       memcmp(e->data.scalar.value, s, e->data.scalar.length) == 0;
}

/* a plain null (empty, ~, null), as kubectl writes an empty list */
static int
is_null(const struct doc *d, size_t i)
{
	const yaml_event_t *e = &d->ev[i];

	return e->type == YAML_SCALAR_EVENT && e->data.scalar.style == YAML_PLAIN_SCALAR_STYLE &&
	       e->data.scalar.tag == NULL &&
	       (is_scalar(d, i, "") || is_scalar(d, i, "~") || is_scalar(d, i, "null") ||
		is_scalar(d, i, "Null") || is_scalar(d, i, "NULL"));
}

/* The value of the mapping at m under the scalar key; 0 when none (the
 * stream's first event is never a value). */
static size_t
map_get(const struct doc *d, size_t m, const char *key)
{
	size_t j, v;

	if (m == 0 || d->ev[m].type != YAML_MAPPING_START_EVENT)
		return 0;
	for (j = m + 1; j < d->n && d->ev[j].type != YAML_MAPPING_END_EVENT; j = node_end(d, v) + 1) {
		v = node_end(d, j) + 1;
		if (is_scalar(d, j, key))
			return v;
	}
	return 0;
}

/* the item of the sequence at s that is a mapping with `name: name`; 0 when none */
static size_t
seq_find(const struct doc *d, size_t s, const char *name, size_t *ret_count)
{
	size_t j, found = 0, count = 0;

	for (j = s + 1; j < d->n && d->ev[j].type != YAML_SEQUENCE_END_EVENT; j = node_end(d, j) + 1) {
		count++;
		if (found == 0 && is_scalar(d, map_get(d, j, "name"), name))
			found = j;
	}
	if (ret_count != NULL)
		*ret_count = count;
	return found;
}

static int
has_anchor(const struct doc *d, size_t from, size_t to)
{
	const yaml_event_t *e;

	for (; from <= to; from++) {
		e = &d->ev[from];
		if ((e->type == YAML_SCALAR_EVENT && e->data.scalar.anchor != NULL) ||
		    (e->type == YAML_SEQUENCE_START_EVENT && e->data.sequence_start.anchor != NULL) ||
		    (e->type == YAML_MAPPING_START_EVENT && e->data.mapping_start.anchor != NULL))
			return 1;
	}
	return 0;
}

/* --- making events ------------------------------------------------------ */

/* A string a YAML 1.1 or 1.2 reader takes for a string when written plain:
 * starts with a letter or '/', and is no boolean or null word. */
static int
plain_ok(const char *s)
{
	static const char *const words[] = { "y", "yes", "n", "no", "true", "false", "on", "off", "null" };
	size_t i;

	if (!((s[0] >= 'a' && s[0] <= 'z') || (s[0] >= 'A' && s[0] <= 'Z') || s[0] == '/'))
		return 0;
	for (i = 0; i < sizeof(words) / sizeof(words[0]); i++)
		if (strcasecmp(s, words[i]) == 0)
			return 0;
	return 1;
}

static yaml_event_t *
next_slot(struct splice *s)
{
	if (s->nins >= MAX_INSERT) {
		s->failed = 1;
		return NULL;
	}
	return &s->ins[s->nins];
}

/* a string (quoted unless plain_ok), or with v NULL a plain null */
static void
scalar(struct splice *s, const char *v)
{
	yaml_event_t *e = next_slot(s);
	const char *text = v != NULL ? v : "null";
	yaml_scalar_style_t style = v == NULL	      ? YAML_PLAIN_SCALAR_STYLE
				    : plain_ok(v) ? YAML_ANY_SCALAR_STYLE
						  : YAML_DOUBLE_QUOTED_SCALAR_STYLE;

	if (e == NULL ||
	    !yaml_scalar_event_initialize(e, NULL, NULL, (const yaml_char_t *)text, (int)strlen(text), 1, 1, style))
		s->failed = 1;
	else
		s->nins++;
}

/* '{' '}' '[' ']' open and close a block mapping or sequence */
static void
collection(struct splice *s, char what)
{
	yaml_event_t *e = next_slot(s);
	int ok = 0;

	if (e != NULL && what == '{')
		ok = yaml_mapping_start_event_initialize(e, NULL, NULL, 1, YAML_BLOCK_MAPPING_STYLE);
	else if (e != NULL && what == '[')
		ok = yaml_sequence_start_event_initialize(e, NULL, NULL, 1, YAML_BLOCK_SEQUENCE_STYLE);
	else if (e != NULL && what == '}')
		ok = yaml_mapping_end_event_initialize(e);
	else if (e != NULL)
		ok = yaml_sequence_end_event_initialize(e);
	if (!ok)
		s->failed = 1;
	else
		s->nins++;
}

/* the users entry: name, user.exec {apiVersion, command, args, interactiveMode} */
static void
user_entry(struct edit *ed, struct splice *s)
{
	collection(s, '{');
	scalar(s, "name");
	scalar(s, ed->user);
	scalar(s, "user");
	collection(s, '{');
	scalar(s, "exec");
	collection(s, '{');
	scalar(s, "apiVersion");
	scalar(s, EXEC_API);
	scalar(s, "command");
	scalar(s, ed->command);
	scalar(s, "args");
	collection(s, '[');
	scalar(s, "kube");
	scalar(s, ed->profile);
	collection(s, ']');
	scalar(s, "interactiveMode");
	scalar(s, "IfAvailable");
	collection(s, '}');
	collection(s, '}');
	collection(s, '}');
}

/* the contexts entry: name USER@NAME, context {cluster, user} */
static void
context_entry(struct edit *ed, struct splice *s)
{
	collection(s, '{');
	scalar(s, "name");
	scalar(s, ed->context);
	scalar(s, "context");
	collection(s, '{');
	scalar(s, "cluster");
	scalar(s, ed->cluster);
	scalar(s, "user");
	scalar(s, ed->user);
	collection(s, '}');
	collection(s, '}');
}

static struct splice *
new_splice(struct edit *ed, size_t at, size_t drop)
{
	struct splice *s = &ed->s[ed->ns++]; /* at most two per list, two lists */

	s->at = at;
	s->drop = drop;
	ed->changed = 1;
	return s;
}

/* --- what is ours ------------------------------------------------------- */

enum owner { FOREIGN, OURS_STALE, OURS };

/* a users entry is ours when its exec runs an optt-token with [kube, PROFILE] */
static enum owner
user_owner(const struct edit *ed, size_t item)
{
	const struct doc *d = &ed->d;
	size_t x = map_get(d, map_get(d, item, "user"), "exec");
	size_t cmd = map_get(d, x, "command"), args = map_get(d, x, "args"), n = 0;
	const char *c, *slash;

	if (cmd == 0 || d->ev[cmd].type != YAML_SCALAR_EVENT || args == 0 ||
	    d->ev[args].type != YAML_SEQUENCE_START_EVENT || has_anchor(d, item, node_end(d, item)))
		return FOREIGN;
	c = (const char *)d->ev[cmd].data.scalar.value;
	slash = strrchr(c, '/');
	(void)seq_find(d, args, "", &n); /* (for its count of items) */
	if (strcmp(slash != NULL ? slash + 1 : c, "optt-token") != 0 || n != 2 || !is_scalar(d, args + 1, "kube") ||
	    !is_scalar(d, args + 2, ed->profile))
		return FOREIGN;
	return is_scalar(d, cmd, ed->command) && is_scalar(d, map_get(d, x, "apiVersion"), EXEC_API) &&
			       is_scalar(d, map_get(d, x, "interactiveMode"), "IfAvailable")
		       ? OURS
		       : OURS_STALE;
}

/* a context is ours when it names exactly that cluster and user */
static enum owner
context_owner(const struct edit *ed, size_t item)
{
	const struct doc *d = &ed->d;
	size_t c = map_get(d, item, "context");

	return is_scalar(d, map_get(d, c, "cluster"), ed->cluster) &&
			       is_scalar(d, map_get(d, c, "user"), ed->user) &&
			       !has_anchor(d, item, node_end(d, item))
		       ? OURS
		       : FOREIGN;
}

/* Plan the edit of one list (`users` or `contexts`) of the top mapping at
 * root.  0 planned (or nothing to do), 1 refused (left alone: a foreign
 * entry on setup), 2 the file is not a kubeconfig we can edit. */
static int
plan_list(struct edit *ed, size_t root, const char *key, const char *name, int undo,
	  enum owner (*owner)(const struct edit *, size_t), void (*entry)(struct edit *, struct splice *))
{
	struct doc *d = &ed->d;
	size_t val = map_get(d, root, key), item = 0, count = 0;
	enum owner o = FOREIGN;
	struct splice *s;

	if (val != 0 && d->ev[val].type == YAML_SEQUENCE_START_EVENT) {
		if ((item = seq_find(d, val, name, &count)) != 0)
			o = owner(ed, item);
	} else if (val != 0 && !is_null(d, val)) {
		fprintf(stderr, "optt: %s: %s is not a list; left alone\n", ed->path, key);
		return 2;
	}
	if (item != 0 && o == FOREIGN) {
		fprintf(stderr, "optt: %s: %s entry '%s' is not the one optt-token %s; left alone%s\n", ed->path,
			key, name, undo ? "adds" : "would add", undo ? "" : " (choose another --user)");
		return undo ? 0 : 1;
	}
	if (undo) {
		if (item == 0)
			return 0;
		/* the last entry: the list becomes null again, as kubectl writes an empty one */
		s = count == 1 ? new_splice(ed, val, node_end(d, val) - val + 1)
			       : new_splice(ed, item, node_end(d, item) - item + 1);
		if (count == 1)
			scalar(s, NULL);
		fprintf(stderr, "optt: %s: removed %s entry '%s'\n", ed->path, key, name);
		return 0;
	}
	if (o == OURS) {
		fprintf(stderr, "optt: %s: %s entry '%s' is already there\n", ed->path, key, name);
		return 0;
	}
	if (item != 0) { /* ours, from another optt-token or an older set-up */
		entry(ed, new_splice(ed, item, node_end(d, item) - item + 1));
		fprintf(stderr, "optt: %s: updated %s entry '%s'\n", ed->path, key, name);
		return 0;
	}
	if (val == 0) { /* no such key: added at the end of the top mapping */
		s = new_splice(ed, node_end(d, root), 0);
		scalar(s, key);
	} else if (d->ev[val].type == YAML_SCALAR_EVENT) { /* null: a list now */
		s = new_splice(ed, val, 1);
	} else { /* appended to the list, written as a block list */
		s = new_splice(ed, node_end(d, val), 0);
		d->ev[val].data.sequence_start.style = YAML_BLOCK_SEQUENCE_STYLE;
	}
	if (val == 0 || d->ev[val].type == YAML_SCALAR_EVENT)
		collection(s, '[');
	entry(ed, s);
	if (val == 0 || d->ev[val].type == YAML_SCALAR_EVENT)
		collection(s, ']');
	fprintf(stderr, "optt: %s: added %s entry '%s'\n", ed->path, key, name);
	return 0;
}

/* --- writing ------------------------------------------------------------ */

static int
to_buf(void *data, unsigned char *buffer, size_t size)
{
	return optt_buf_append(data, buffer, size) == 0;
}

/* e to the emitter, which frees it (after a failure, freed here) */
static void
give(yaml_emitter_t *em, yaml_event_t *e, int *ok)
{
	if (*ok)
		*ok = yaml_emitter_emit(em, e);
	else
		drop_event(e);
	memset(e, 0, sizeof(*e));
}

/* Every event, spliced, through libyaml's emitter into out; 0 or -1. */
static int
emit(struct edit *ed, struct optt_buf *out)
{
	struct doc *d = &ed->d;
	yaml_emitter_t em;
	size_t i, k, j;
	int ok = 1;

	if (!yaml_emitter_initialize(&em))
		return -1;
	yaml_emitter_set_output(&em, to_buf, out);
	yaml_emitter_set_unicode(&em, 1);
	yaml_emitter_set_width(&em, -1); /* never fold a long value */
	yaml_emitter_set_indent(&em, 2);
	yaml_emitter_set_break(&em, YAML_LN_BREAK);
	for (i = 0; i < d->n; i++) {
		for (k = 0; k < ed->ns; k++) {
			if (ed->s[k].at != i)
				continue;
			for (j = 0; j < ed->s[k].nins; j++)
				give(&em, &ed->s[k].ins[j], &ok);
			for (j = 0; j < ed->s[k].drop; j++)
				drop_event(&d->ev[i + j]);
			if (ed->s[k].drop > 0)
				i += ed->s[k].drop - 1;
		}
		if (d->ev[i].type != YAML_NO_EVENT)
			give(&em, &d->ev[i], &ok);
	}
	if (!ok)
		fprintf(stderr, "optt: %s: cannot write YAML: %s\n", ed->path, em.problem ? em.problem : "error");
	yaml_emitter_delete(&em);
	return ok ? 0 : -1;
}

/* Replace path with out (its directory's temp file, the mode, fsync, rename). */
static int
replace(const char *path, const struct optt_buf *out, mode_t mode)
{
	char dir[PATH_MAX] = ".";
	const char *slash = strrchr(path, '/');
	struct optt_err err;
	int dirfd, r = 0;

	optt_err_init(&err);
	if (slash != NULL && (size_t)(slash - path) < sizeof(dir))
		snprintf(dir, sizeof(dir), "%.*s", slash == path ? 1 : (int)(slash - path), path);
	if ((dirfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) < 0) {
		fprintf(stderr, "optt: %s: %s\n", dir, strerror(errno));
		return -1;
	}
	if (optt_privdir_write_mode(dirfd, dir, slash != NULL ? slash + 1 : path, out->data, out->len, mode, &err) !=
	    OPTT_OK) {
		fprintf(stderr, "optt: %s\n", err.msg);
		r = -1;
	}
	close(dirfd);
	return r;
}

/* --- the command -------------------------------------------------------- */

/* the first file of $KUBECONFIG, else ~/.kube/config */
static int
kubeconfig_path(char *out, size_t size)
{
	const char *kc = secure_getenv("KUBECONFIG"), *home = secure_getenv("HOME");
	size_t n;

	if (kc != NULL && (n = strcspn(kc, ":")) > 0)
		return (size_t)snprintf(out, size, "%.*s", (int)n, kc) < size ? 0 : -1;
	if (home != NULL && home[0] == '/')
		return (size_t)snprintf(out, size, "%s/.kube/config", home) < size ? 0 : -1;
	return -1;
}

/* this optt-token, by its absolute path: the one next to the running
 * program (a build tree), else the installed one */
static int
self_path(char *out, size_t size)
{
	if (optt_handoff_sibling("optt-token", out, size) == 0)
		return 0;
	return (size_t)snprintf(out, size, "%s/optt-token", BINDIR) < size && access(out, X_OK) == 0 ? 0 : -1;
}

int
optt_setup_kube(const struct optt_profile *p, const char *cluster, const char *user, int undo)
{
	char path[PATH_MAX], command[PATH_MAX], dflt[300];
	struct optt_buf in, out;
	struct optt_err err;
	struct stat sb;
	struct edit ed;
	struct doc check;
	size_t root, clusters, i, j;
	int rc = 2;

	memset(&ed, 0, sizeof(ed));
	memset(&check, 0, sizeof(check));
	optt_buf_init(&in, KUBECONFIG_MAX);
	optt_buf_init(&out, 2 * KUBECONFIG_MAX);
	optt_err_init(&err);
	if (user == NULL) {
		snprintf(dflt, sizeof(dflt), "optt-%s", p->name);
		user = dflt;
	}
	if (cluster == NULL || cluster[0] == '\0' || user[0] == '\0') {
		fprintf(stderr, "optt: setup kube needs --cluster NAME (and a non-empty --user)\n");
		goto out;
	}
	if (kubeconfig_path(path, sizeof(path)) != 0) {
		fprintf(stderr, "optt: no kubeconfig: set KUBECONFIG or HOME\n");
		goto out;
	}
	if (self_path(command, sizeof(command)) != 0) {
		fprintf(stderr, "optt: cannot find optt-token itself (next to this program or in %s)\n", BINDIR);
		goto out;
	}
	ed.path = path;
	ed.profile = p->name;
	ed.cluster = cluster;
	ed.user = user;
	ed.command = command;
	if ((size_t)snprintf(ed.context, sizeof(ed.context), "%s@%s", user, cluster) >= sizeof(ed.context)) {
		fprintf(stderr, "optt: --user and --cluster are too long\n");
		goto out;
	}
	if (optt_fs_read(path, KUBECONFIG_MAX, OPTT_FS_NOFOLLOW, &sb, &in, &err) != OPTT_OK) {
		fprintf(stderr, "optt: %s%s\n", err.msg,
			strstr(err.msg, "symbolic link") ? " (name the real file in KUBECONFIG)" : "");
		goto out;
	}
	if (doc_parse(&ed.d, path, in.data ? in.data : "", in.len) != 0)
		goto out;
	/* one document whose top is a mapping */
	root = 2;
	if (ed.d.n < 4 || ed.d.ev[1].type != YAML_DOCUMENT_START_EVENT ||
	    ed.d.ev[root].type != YAML_MAPPING_START_EVENT || node_end(&ed.d, root) + 3 != ed.d.n) {
		fprintf(stderr, "optt: %s: not a kubeconfig (one YAML document, a mapping)\n", path);
		goto out;
	}
	clusters = map_get(&ed.d, root, "clusters");
	if (clusters == 0 || ed.d.ev[clusters].type != YAML_SEQUENCE_START_EVENT ||
	    seq_find(&ed.d, clusters, cluster, NULL) == 0) {
		fprintf(stderr, "optt: %s has no cluster '%s' (see: kubectl config get-clusters)\n", path, cluster);
		goto out;
	}
	if ((rc = plan_list(&ed, root, "users", user, undo, user_owner, user_entry)) != 0 ||
	    (rc = plan_list(&ed, root, "contexts", ed.context, undo, context_owner, context_entry)) != 0)
		goto out; /* refused: nothing written */
	for (i = 0; i < ed.ns; i++)
		if (ed.s[i].failed) {
			fprintf(stderr, "optt: out of memory\n");
			rc = 1;
			goto out;
		}
	if (!ed.changed)
		goto out; /* rc 0: nothing to do, the file stays as it is */
	rc = 1;
	/* written only if it reads back as YAML */
	if (emit(&ed, &out) != 0 || doc_parse(&check, path, out.data, out.len) != 0 ||
	    replace(path, &out, sb.st_mode & 07777) != 0)
		goto out;
	rc = 0;
	if (!undo)
		fprintf(stderr, "optt: use it: kubectl --context %s ... (or: kubectl config use-context %s)\n",
			ed.context, ed.context);
out:
	doc_clear(&check);
	doc_clear(&ed.d);
	for (i = 0; i < ed.ns; i++)
		for (j = 0; j < ed.s[i].nins; j++)
			yaml_event_delete(&ed.s[i].ins[j]);
	optt_buf_clear(&in);
	optt_buf_clear(&out);
	return rc;
}
