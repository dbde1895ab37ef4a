/*
 * users.c - the [users] key table and policy; see users.h.
 *
 * Invariants: one table gives every key its name, checker and default;
 * values that end up in a passwd line (home, shell) can hold no ':' and
 * no control byte; `names` is applied as a whole match whatever anchors
 * the admin wrote; the NSS reader refuses a file root does not own or
 * others can write, as pam_optt does (SPEC §2).
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <ini.h>

#include "accounts/groups.h"
#include "accounts/ledger.h"
#include "accounts/uid.h"
#include "accounts/users.h"

#define USERS_MAX_FILE (64 * 1024)
#define USERS_MAX_INI_LINE 197 /* inih's line buffer is 200 bytes with CR LF NUL */

const char optt_users_ledger_dir[] = LOCALSTATEDIR "/lib/optt/users";
const char optt_users_config[] = SYSCONFDIR "/optt/optt.conf";
const char optt_users_pins[] = SYSCONFDIR "/optt/uids";

enum utype { UT_BOOL, UT_REGEX, UT_RANGE, UT_TEMPLATE, UT_ABSPATH, UT_WORDS, UT_PATHS, UT_CLAIMS, UT_GROUPMAP, UT_PREFIX };

static const struct ukeydef {
	const char *name;
	enum utype type;
	const char *dflt;
} ukeys[OPTT_UK_COUNT] = {
	[OPTT_UK_REGISTER] = { "register", UT_BOOL, "no" },
	[OPTT_UK_SSH_FIRST_LOGIN] = { "ssh_first_login", UT_BOOL, "no" },
	[OPTT_UK_NAMES] = { "names", UT_REGEX, "^[a-z_][a-z0-9_.-]{0,31}$" },
	[OPTT_UK_UID_RANGE] = { "uid_range", UT_RANGE, "200000-999999999" },
	[OPTT_UK_HOME] = { "home", UT_TEMPLATE, "/home/%u" },
	[OPTT_UK_SHELL] = { "shell", UT_ABSPATH, "/bin/bash" },
	[OPTT_UK_IGNORE] = { "ignore", UT_WORDS, "gdm* sddm* lightdm* pam_unix_non_existent*" },
	[OPTT_UK_SSH_PROGRAMS] = { "ssh_programs", UT_PATHS, "/usr/sbin/sshd /usr/lib/openssh/sshd-session" },
	[OPTT_UK_LEDGER_DIR] = { "ledger_dir", UT_ABSPATH, optt_users_ledger_dir },
	/* SPEC §16: groups from the token */
	[OPTT_UK_GROUPS_CLAIM] = { "groups_claim", UT_CLAIMS, "authorities groups" },
	[OPTT_UK_GROUP_MAP] = { "group_map", UT_GROUPMAP, "" },
	[OPTT_UK_GROUP_PREFIX] = { "group_prefix", UT_PREFIX, "" },
};

void
optt_users_init(struct optt_users *u)
{
	memset(u, 0, sizeof(*u));
}

void
optt_users_clear(struct optt_users *u)
{
	size_t k;

	if (u == NULL)
		return;
	for (k = 0; k < OPTT_UK_COUNT; k++)
		free(u->text[k]);
	if (u->names_compiled)
		regfree(&u->names_re);
	optt_users_init(u);
}

int
optt_users_key(const char *name)
{
	int k;

	for (k = 0; k < OPTT_UK_COUNT; k++)
		if (strcmp(ukeys[k].name, name) == 0)
			return k;
	return -1;
}

const char *
optt_users_key_name(enum optt_ukey k)
{
	return ukeys[k].name;
}

const char *
optt_users_value(const struct optt_users *u, enum optt_ukey k)
{
	return u->text[k] != NULL ? u->text[k] : ukeys[k].dflt;
}

static int
bad(char *why, size_t n, const char *key, const char *msg)
{
	snprintf(why, n, "key '%s': %s", key, msg);
	return -1;
}

/* no ':' and no control byte: the value lands in a passwd line */
static int
line_safe(const char *v)
{
	for (; *v != '\0'; v++)
		if ((unsigned char)*v < 0x20 || *v == 0x7f || *v == ':')
			return 0;
	return 1;
}

static int
parse_range(const char *v, uint32_t *ret_min, uint32_t *ret_max)
{
	const char *dash = strchr(v, '-');
	uint32_t lo, hi;

	if (dash == NULL || optt_parse_u32(v, (size_t)(dash - v), (uint32_t)OPTT_UID_HIGHEST, &lo) != 0 ||
	    optt_parse_u32(dash + 1, strlen(dash + 1), (uint32_t)OPTT_UID_HIGHEST, &hi) != 0 ||
	    lo < (uint32_t)OPTT_UID_LOWEST || lo > hi)
		return -1;
	*ret_min = lo;
	*ret_max = hi;
	return 0;
}

/* each blank-separated word passes ok() */
static int
words_ok(const char *v, int paths)
{
	size_t n;
	int any = 0;

	for (;;) {
		v += strspn(v, " \t");
		if ((n = strcspn(v, " \t")) == 0)
			return any || !paths;
		if (paths && v[0] != '/')
			return 0;
		if (!paths && memchr(v, '*', n) != NULL && memchr(v, '*', n) != v + n - 1)
			return 0; /* '*' only as the last character: a prefix */
		any = 1;
		v += n;
	}
}

#define USERS_MAX_CLAIMS 16

/* groups_claim: 1 to USERS_MAX_CLAIMS claim names of printable ASCII */
static int
claims_ok(const char *v)
{
	const char *w;
	size_t n, i, count = 0;

	while (optt_words_next(&v, &w, &n)) {
		for (i = 0; i < n; i++)
			if (w[i] <= 0x20 || w[i] >= 0x7f)
				return 0;
		if (++count > USERS_MAX_CLAIMS)
			return 0;
	}
	return count > 0;
}

/* group_map: VALUE:GROUP words, VALUE a value that can count (SPEC §16's
 * filter), GROUP a name the ledger can hold; at most OPTT_GROUPS_MAX */
static int
group_map_ok(const char *v)
{
	const char *w, *colon;
	size_t n, count = 0;

	while (optt_words_next(&v, &w, &n)) {
		if ((colon = memchr(w, ':', n)) == NULL || !optt_group_value_ok(w, (size_t)(colon - w)) ||
		    !optt_name_valid(colon + 1, n - (size_t)(colon - w) - 1) || ++count > OPTT_GROUPS_MAX)
			return 0;
	}
	return 1;
}

static int
check_value(enum optt_ukey k, const char *v, char *why, size_t n)
{
	const char *key = ukeys[k].name, *pc;
	regex_t re;
	uint32_t lo, hi;
	int r;

	switch (ukeys[k].type) {
	case UT_BOOL:
		if (strcmp(v, "yes") != 0 && strcmp(v, "no") != 0)
			return bad(why, n, key, "expected yes or no");
		return 0;
	case UT_REGEX:
		if (v[0] == '\0')
			return bad(why, n, key, "empty value");
		if ((r = regcomp(&re, v, REG_EXTENDED)) != 0) {
			char msg[128];

			regerror(r, NULL, msg, sizeof(msg));
			snprintf(why, n, "key '%s': not a POSIX extended regular expression: %s", key, msg);
			return -1;
		}
		regfree(&re);
		return 0;
	case UT_RANGE:
		if (parse_range(v, &lo, &hi) != 0)
			return bad(why, n, key, "expected MIN-MAX, MIN <= MAX, within 1000-2147483647");
		return 0;
	case UT_TEMPLATE:
		for (pc = strchr(v, '%'); pc != NULL; pc = strchr(pc + 2, '%'))
			if (pc[1] != 'u')
				return bad(why, n, key, "%u (the name) is the only placeholder");
		/* fall through */
	case UT_ABSPATH:
		if (v[0] != '/' || !line_safe(v))
			return bad(why, n, key, "expected an absolute path without ':' or control characters");
		return 0;
	case UT_WORDS:
	case UT_PATHS:
		if (!line_safe(v) || !words_ok(v, ukeys[k].type == UT_PATHS))
			return bad(why, n, key, ukeys[k].type == UT_PATHS ? "expected absolute paths"
						: "expected names, '*' only at the end of one");
		return 0;
	case UT_CLAIMS:
		if (!claims_ok(v))
			return bad(why, n, key, "expected 1 to 16 claim names (printable ASCII, separated by blanks)");
		return 0;
	case UT_GROUPMAP:
		if (!group_map_ok(v))
			return bad(why, n, key, "expected VALUE:GROUP ... (VALUE without ':', ',', blanks or control "
						"characters; GROUP a group name; at most 64)");
		return 0;
	case UT_PREFIX:
		if (v[0] != '\0' && (!optt_group_value_ok(v, strlen(v)) || strlen(v) >= OPTT_GROUP_VALUE_MAX))
			return bad(why, n, key, "expected a prefix without ':', ',', blanks or control characters");
		return 0;
	}
	return bad(why, n, key, "unknown key type");
}

int
optt_users_set(struct optt_users *u, enum optt_ukey k, const char *value, char *why, size_t n)
{
	char *copy;

	if (check_value(k, value, why, n) != 0)
		return -1;
	if ((copy = strdup(value)) == NULL)
		return bad(why, n, ukeys[k].name, "out of memory");
	free(u->text[k]);
	u->text[k] = copy;
	u->set[k] = 1;
	u->finished = 0;
	return 0;
}

int
optt_users_finish(struct optt_users *u, char *why, size_t n)
{
	size_t k;

	for (k = 0; k < OPTT_UK_COUNT; k++)
		if (u->text[k] == NULL && (u->text[k] = strdup(ukeys[k].dflt)) == NULL)
			return bad(why, n, ukeys[k].name, "out of memory");
	u->reg = strcmp(u->text[OPTT_UK_REGISTER], "yes") == 0;
	u->ssh_first_login = strcmp(u->text[OPTT_UK_SSH_FIRST_LOGIN], "yes") == 0;
	if (u->ssh_first_login && !u->reg)
		return bad(why, n, "ssh_first_login", "needs register = yes");
	if (parse_range(u->text[OPTT_UK_UID_RANGE], &u->uid_min, &u->uid_max) != 0)
		return bad(why, n, "uid_range", "expected MIN-MAX");
	if (u->names_compiled)
		regfree(&u->names_re);
	u->names_compiled = regcomp(&u->names_re, u->text[OPTT_UK_NAMES], REG_EXTENDED) == 0;
	if (!u->names_compiled)
		return bad(why, n, "names", "cannot be compiled");
	u->finished = 1;
	return 0;
}

/* --- NSS's reader ------------------------------------------------------- */

struct load_ctx {
	struct optt_users *u;
	int seen[OPTT_UK_COUNT];
	int bad;
};

static int
load_handler(void *user, const char *section, const char *name, const char *value)
{
	struct load_ctx *x = user;
	char why[160];
	int k;

	if (strcmp(section, "users") != 0)
		return 1; /* the token core's sections: not ours to judge here */
	if ((k = optt_users_key(name)) < 0 || x->seen[k] ||
	    optt_users_set(x->u, (enum optt_ukey)k, value, why, sizeof(why)) != 0) {
		x->bad = 1;
		return 0;
	}
	x->seen[k] = 1;
	return 1;
}

/* the whole file, checked on its descriptor; NULL when refused */
static char *
read_conf(const char *path)
{
	struct stat sb;
	char *buf = NULL;
	size_t len = 0;
	ssize_t r;
	int fd;

	if ((fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK | O_NOCTTY)) < 0)
		return NULL;
	if (fstat(fd, &sb) != 0 || !S_ISREG(sb.st_mode) || sb.st_uid != 0 || (sb.st_mode & (S_IWGRP | S_IWOTH)) ||
	    sb.st_size > USERS_MAX_FILE || (buf = malloc(USERS_MAX_FILE + 1)) == NULL)
		goto fail;
	for (;;) {
		r = read(fd, buf + len, USERS_MAX_FILE + 1 - len);
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0)
			goto fail;
		if (r == 0)
			break;
		len += (size_t)r;
		if (len > USERS_MAX_FILE)
			goto fail;
	}
	close(fd);
	buf[len] = '\0';
	if (strlen(buf) != len) { /* a NUL byte */
		free(buf);
		return NULL;
	}
	return buf;
fail:
	free(buf);
	close(fd);
	return NULL;
}

int
optt_users_load(const char *path, struct optt_users *u)
{
	struct load_ctx x;
	char *buf, why[160];
	const char *line;
	size_t n;
	int r = -1;

	optt_users_init(u);
	memset(&x, 0, sizeof(x));
	x.u = u;
	if ((buf = read_conf(path)) == NULL)
		return -1;
	for (line = buf; *line != '\0'; line += n + (line[n] == '\n'))
		if ((n = strcspn(line, "\n")) > USERS_MAX_INI_LINE)
			goto out;
	if (ini_parse_string(buf, load_handler, &x) == 0 && !x.bad && optt_users_finish(u, why, sizeof(why)) == 0)
		r = 0;
out:
	free(buf);
	if (r != 0)
		optt_users_clear(u);
	return r;
}

/* --- the policy ------------------------------------------------------- */

static int
ignored(const struct optt_users *u, const char *name)
{
	const char *v = optt_users_value(u, OPTT_UK_IGNORE);
	size_t n;

	for (;;) {
		v += strspn(v, " \t");
		if ((n = strcspn(v, " \t")) == 0)
			return 0;
		if (v[n - 1] == '*' ? strncmp(name, v, n - 1) == 0 : strlen(name) == n && strncmp(name, v, n) == 0)
			return 1;
		v += n;
	}
}

int
optt_users_name_ok(const struct optt_users *u, const char *name)
{
	regmatch_t m;
	size_t len = strlen(name);

	if (!u->finished || !optt_name_valid(name, len) || ignored(u, name))
		return 0;
	/* a whole match, whatever anchors the expression has */
	return regexec(&u->names_re, name, 1, &m, 0) == 0 && m.rm_so == 0 && (size_t)m.rm_eo == len;
}

int
optt_users_home(const struct optt_users *u, const char *name, char *out, size_t n)
{
	const char *t = optt_users_value(u, OPTT_UK_HOME);
	size_t o = 0, l;

	for (; *t != '\0'; t++) {
		if (t[0] == '%' && t[1] == 'u') {
			l = strlen(name);
			if (o + l >= n)
				return -1;
			memcpy(out + o, name, l);
			o += l;
			t++;
		} else {
			if (o + 1 >= n)
				return -1;
			out[o++] = *t;
		}
	}
	if (n == 0)
		return -1;
	out[o] = '\0';
	return 0;
}

int
optt_users_is_ssh_program(const struct optt_users *u, const char *path)
{
	const char *v = optt_users_value(u, OPTT_UK_SSH_PROGRAMS);
	char entry[4096], real[4096];
	size_t n;

	for (;;) {
		v += strspn(v, " \t");
		if ((n = strcspn(v, " \t")) == 0)
			return 0;
		if (n < sizeof(entry)) {
			memcpy(entry, v, n);
			entry[n] = '\0';
			/* symbolic links resolved on both sides (SPEC §15) */
			if (realpath(entry, real) != NULL && strcmp(real, path) == 0)
				return 1;
		}
		v += n;
	}
}

/* --- the token's group values mapped by group_map and group_prefix (SPEC §16) */

void
optt_groups_map(const struct optt_users *u, const struct optt_group_list *values, struct optt_group_list *ret)
{
	const char *prefix = optt_users_value(u, OPTT_UK_GROUP_PREFIX), *cur, *w, *colon;
	size_t i, n, pl = strlen(prefix), vl;

	optt_group_list_init(ret);
	for (i = 0; i < values->n; i++) {
		vl = strlen(values->name[i]);
		cur = optt_users_value(u, OPTT_UK_GROUP_MAP);
		while (optt_words_next(&cur, &w, &n)) {
			/* VALUE:GROUP, checked when the key was set */
			if ((colon = memchr(w, ':', n)) == NULL || (size_t)(colon - w) != vl ||
			    memcmp(w, values->name[i], vl) != 0)
				continue;
			if (optt_name_valid(colon + 1, n - vl - 1))
				(void)optt_group_list_add(ret, colon + 1, n - vl - 1);
		}
		if (pl > 0 && vl > pl && memcmp(values->name[i], prefix, pl) == 0 &&
		    optt_name_valid(values->name[i] + pl, vl - pl))
			(void)optt_group_list_add(ret, values->name[i] + pl, vl - pl);
	}
}

int
optt_groups_map_names(const struct optt_users *u, const char *group)
{
	const char *cur = optt_users_value(u, OPTT_UK_GROUP_MAP), *w, *colon;
	size_t n, gl = strlen(group);

	while (optt_words_next(&cur, &w, &n))
		if ((colon = memchr(w, ':', n)) != NULL && (size_t)(w + n - colon - 1) == gl &&
		    memcmp(colon + 1, group, gl) == 0)
			return 1;
	return 0;
}
