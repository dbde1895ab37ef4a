/*
 * state.c - the PAM module's offline verifiers and outage back-off; see
 * state.h.
 *
 * Invariants: only root's directories (optt_fs_open_rootdir: no link
 * followed, every component root-owned, not group/other writable); files
 * read only when root's, regular and 0600 (privdir.c), written by temp +
 * fsync + rename; the verifier is yescrypt from the system's libxcrypt
 * with a salt of its own making; crypt_r's work area, the hash and the
 * file's text are wiped before they are freed.  A state file that cannot
 * be parsed is no verifier (never a success).
 */
#include "config.h"

#include <crypt.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <openssl/evp.h>

#include "common/fsutil.h"
#include "common/mem.h"
#include "common/privdir.h"
#include "common/url.h"
#include "pam_module/state.h"

#define STATE_MAX 4096
#define VERIFIER_MAGIC "optt-offline 1"
#define MAX_TIME 253402300799L /* 9999-12-31T23:59:59Z */

static enum optt_status
sha256_hex(const void *data, size_t n, char out[65], struct optt_err *err)
{
	static const char hex[] = "0123456789abcdef";
	unsigned char md[EVP_MAX_MD_SIZE];
	unsigned int len = 0, i;

	if (EVP_Digest(data, n, md, &len, EVP_sha256(), NULL) != 1 || len != 32)
		return optt_err_set(err, OPTT_SYSTEM, "SHA-256 is not available");
	for (i = 0; i < len; i++) {
		out[2 * i] = hex[md[i] >> 4];
		out[2 * i + 1] = hex[md[i] & 15];
	}
	out[64] = '\0';
	return OPTT_OK;
}

enum optt_status
pam_optt_binding(const struct optt_profile *p, const struct pam_optt_args *a,
		 struct pam_optt_binding *ret, struct optt_err *err)
{
	struct optt_buf in;
	enum optt_status st;
	size_t i;
	int r;

	optt_buf_init(&in, 64 * 1024);
	/* NUL-separated, so no two different lists make the same text */
	r = optt_buf_append(&in, p->name, strlen(p->name) + 1);
	r = r ? r : optt_buf_append(&in, optt_pstr(p, OPTT_K_TOKEN_URL), strlen(optt_pstr(p, OPTT_K_TOKEN_URL)) + 1);
	for (i = 0; i < a->nclaims && r == 0; i++) {
		r = optt_buf_append(&in, a->claims[i].name, strlen(a->claims[i].name) + 1);
		r = r ? r : optt_buf_append(&in, a->claims[i].value, strlen(a->claims[i].value) + 1);
	}
	st = r ? optt_err_set(err, OPTT_NOMEM, "out of memory")
	       : sha256_hex(in.data, in.len, ret->hex, err);
	optt_buf_clear(&in);
	return st;
}

/* the directory of that kind, opened; -1 and err on failure */
static int
open_dir(const struct optt_profile *p, int offline, struct optt_err *err)
{
	struct optt_buf path;
	int fd = -1;

	if (offline) {
		if (optt_fs_open_rootdir(optt_pstr(p, OPTT_K_OFFLINE_DIR), 0700, &fd, err) != OPTT_OK)
			return -1;
		return fd;
	}
	optt_buf_init(&path, 8192);
	if (optt_buf_puts(&path, optt_pstr(p, OPTT_K_RUN_DIR)) != 0 ||
	    optt_buf_puts(&path, "/backoff") != 0)
		optt_err_set(err, OPTT_NOMEM, "out of memory");
	else if (optt_fs_open_rootdir(path.data, 0700, &fd, err) != OPTT_OK)
		fd = -1;
	optt_buf_clear(&path);
	return fd;
}

/* "<profile>@<user>", percent-encoded like the token cache's names */
static enum optt_status
verifier_name(const struct optt_profile *p, const char *user, struct optt_buf *out,
	      struct optt_err *err)
{
	if (optt_url_encode(out, p->name) != 0 || optt_buf_puts(out, "@") != 0 ||
	    optt_url_encode(out, user) != 0)
		return optt_err_set(err, OPTT_NOMEM, "out of memory");
	if (out->len > 250)
		return optt_err_set(err, OPTT_CONFIG, "profile and user name too long for a file name");
	return OPTT_OK;
}

struct verifier {
	char hash[CRYPT_OUTPUT_SIZE]; /* secret: as good as a password hash */
	char bind[65];
	long long time;
	long failures;
};

static enum optt_status
verifier_write(int dirfd, const char *dir, const char *name, const struct verifier *v,
	       struct optt_err *err)
{
	char text[STATE_MAX];
	enum optt_status st;
	int n;

	n = snprintf(text, sizeof(text), VERIFIER_MAGIC "\nhash %s\nbind %s\ntime %lld\nfailures %ld\n",
		     v->hash, v->bind, v->time, v->failures);
	if (n < 0 || (size_t)n >= sizeof(text))
		st = optt_err_set(err, OPTT_SYSTEM, "verifier too long");
	else
		st = optt_privdir_write(dirfd, dir, name, text, (size_t)n, err);
	OPTT_WIPE(text, sizeof(text));
	return st;
}

/* the value of "key VALUE\n" in text, copied into out (n bytes); 0 or -1 */
static int
field(const char *text, const char *key, char *out, size_t n)
{
	size_t kl = strlen(key), vl;
	const char *line;

	for (line = text; line != NULL && *line != '\0'; line = strchr(line, '\n'), line = line ? line + 1 : NULL) {
		if (strncmp(line, key, kl) != 0 || line[kl] != ' ')
			continue;
		vl = strcspn(line + kl + 1, "\n");
		if (vl == 0 || vl >= n)
			return -1;
		memcpy(out, line + kl + 1, vl);
		out[vl] = '\0';
		return 0;
	}
	return -1;
}

/* 1 read, 0 none or unreadable (no verifier), -1 no memory */
static int
verifier_read(int dirfd, const char *name, struct verifier *v)
{
	struct optt_buf data;
	struct optt_err e;
	char num[32];
	long t;
	int found = 0, r = 0;

	optt_buf_init(&data, STATE_MAX);
	optt_err_init(&e);
	if (optt_privdir_read(dirfd, name, STATE_MAX, NULL, &data, &found, &e) != OPTT_OK) {
		r = -1;
	} else if (found && strncmp(data.data, VERIFIER_MAGIC "\n", sizeof(VERIFIER_MAGIC)) == 0 &&
		   field(data.data, "hash", v->hash, sizeof(v->hash)) == 0 && v->hash[0] == '$' &&
		   field(data.data, "bind", v->bind, sizeof(v->bind)) == 0 &&
		   field(data.data, "time", num, sizeof(num)) == 0 &&
		   optt_parse_long(num, 0, MAX_TIME, &t) == 0 &&
		   field(data.data, "failures", num, sizeof(num)) == 0 &&
		   optt_parse_long(num, 0, 1000000, &v->failures) == 0) {
		v->time = t;
		r = 1;
	}
	optt_buf_clear(&data);
	return r;
}

enum optt_status
pam_optt_offline_save(const struct optt_profile *p, const char *user, const char *password,
		      const struct pam_optt_binding *b, int64_t now, struct optt_err *err)
{
	struct crypt_data *cd = NULL;
	struct verifier v;
	struct optt_buf name;
	char salt[CRYPT_GENSALT_OUTPUT_SIZE];
	const char *h;
	enum optt_status st;
	int dirfd = -1;

	memset(&v, 0, sizeof(v));
	optt_buf_init(&name, 1024);
	if ((st = verifier_name(p, user, &name, err)) != OPTT_OK)
		goto out;
	if ((cd = calloc(1, sizeof(*cd))) == NULL) {
		st = optt_err_set(err, OPTT_NOMEM, "out of memory");
		goto out;
	}
	/* yescrypt at libxcrypt's default cost (count 0), as /etc/shadow;
	 * the library draws the salt's random bytes itself */
	if (crypt_gensalt_rn("$y$", 0, NULL, 0, salt, sizeof(salt)) == NULL ||
	    (h = crypt_r(password, salt, cd)) == NULL || h[0] != '$' || strlen(h) >= sizeof(v.hash)) {
		st = optt_err_set(err, OPTT_SYSTEM, "crypt(3) cannot make a yescrypt hash: %s",
				  strerror(errno));
		goto out;
	}
	memcpy(v.hash, h, strlen(h) + 1);
	memcpy(v.bind, b->hex, sizeof(v.bind));
	v.time = (long long)now;
	if ((dirfd = open_dir(p, 1, err)) < 0) {
		st = OPTT_SYSTEM;
		goto out;
	}
	st = verifier_write(dirfd, optt_pstr(p, OPTT_K_OFFLINE_DIR), name.data, &v, err);
out:
	if (dirfd >= 0)
		close(dirfd);
	if (cd != NULL)
		optt_freezero(cd, sizeof(*cd));
	OPTT_WIPE(&v, sizeof(v));
	OPTT_WIPE(salt, sizeof(salt));
	optt_buf_clear(&name);
	return st;
}

enum optt_status
pam_optt_offline_check(const struct optt_profile *p, const char *user, const char *password,
		       const struct pam_optt_binding *b, long days, long max_failures, int64_t now,
		       enum pam_optt_offline_result *ret, char *detail, size_t n,
		       struct optt_err *err)
{
	struct crypt_data *cd = NULL;
	struct verifier v;
	struct optt_buf name;
	const char *h;
	enum optt_status st;
	int dirfd = -1, r;

	*ret = PAM_OPTT_OFFLINE_NONE;
	memset(&v, 0, sizeof(v));
	optt_buf_init(&name, 1024);
	if ((st = verifier_name(p, user, &name, err)) != OPTT_OK)
		goto out;
	if ((dirfd = open_dir(p, 1, err)) < 0) {
		snprintf(detail, n, "no offline verifier: %s", err->msg);
		optt_err_init(err);
		goto out;
	}
	if ((r = verifier_read(dirfd, name.data, &v)) < 0) {
		st = optt_err_set(err, OPTT_NOMEM, "out of memory");
		goto out;
	}
	if (r == 0) {
		snprintf(detail, n, "no offline verifier for this user");
		goto out;
	}
	if (strcmp(v.bind, b->hex) != 0) {
		snprintf(detail, n, "offline verifier made for another profile or other require_claim");
		goto out;
	}
	if (v.time > now || now - v.time > (int64_t)days * 86400) {
		snprintf(detail, n, "offline verifier older than offline=%ld days", days);
		goto out;
	}
	if (v.failures >= max_failures) {
		snprintf(detail, n, "%ld wrong offline passwords; locked until the next online login",
			 v.failures);
		*ret = PAM_OPTT_OFFLINE_LOCKED;
		goto out;
	}
	if ((cd = calloc(1, sizeof(*cd))) == NULL) {
		st = optt_err_set(err, OPTT_NOMEM, "out of memory");
		goto out;
	}
	h = crypt_r(password, v.hash, cd);
	if (h != NULL && h[0] == '$' && optt_ct_streq(h, v.hash)) {
		*ret = PAM_OPTT_OFFLINE_OK;
		if (v.failures == 0)
			goto out;
		v.failures = 0; /* "in a row" */
	} else {
		v.failures++;
		*ret = v.failures >= max_failures ? PAM_OPTT_OFFLINE_LOCKED : PAM_OPTT_OFFLINE_WRONG;
		if (*ret == PAM_OPTT_OFFLINE_LOCKED)
			snprintf(detail, n, "%ld wrong offline passwords; locked until the next online login",
				 v.failures);
	}
	/* the count must stick, or the lockout could be walked around */
	st = verifier_write(dirfd, optt_pstr(p, OPTT_K_OFFLINE_DIR), name.data, &v, err);
	if (st != OPTT_OK && *ret == PAM_OPTT_OFFLINE_OK)
		*ret = PAM_OPTT_OFFLINE_NONE;
out:
	if (dirfd >= 0)
		close(dirfd);
	if (cd != NULL)
		optt_freezero(cd, sizeof(*cd));
	OPTT_WIPE(&v, sizeof(v));
	optt_buf_clear(&name);
	return st;
}

void
pam_optt_offline_forget(const struct optt_profile *p, const char *user)
{
	struct optt_buf name;
	struct optt_err e;
	int dirfd;

	optt_buf_init(&name, 1024);
	optt_err_init(&e);
	if (verifier_name(p, user, &name, &e) == OPTT_OK && (dirfd = open_dir(p, 1, &e)) >= 0) {
		unlinkat(dirfd, name.data, 0);
		close(dirfd);
	}
	optt_buf_clear(&name);
}

/* the back-off file's name: the token endpoint's SHA-256 */
static int
backoff_name(const struct optt_profile *p, char out[65])
{
	struct optt_err e;
	const char *url = optt_pstr(p, OPTT_K_TOKEN_URL);

	optt_err_init(&e);
	return sha256_hex(url, strlen(url), out, &e) == OPTT_OK ? 0 : -1;
}

long
pam_optt_backoff_active(const struct optt_profile *p, long window, int64_t now)
{
	struct optt_buf data;
	struct optt_err e;
	char name[65];
	long t = -1, since = -1;
	int dirfd, found = 0;

	if (window <= 0 || backoff_name(p, name) != 0)
		return -1;
	optt_err_init(&e);
	if ((dirfd = open_dir(p, 0, &e)) < 0)
		return -1;
	optt_buf_init(&data, 256);
	if (optt_privdir_read(dirfd, name, 256, NULL, &data, &found, &e) == OPTT_OK && found) {
		data.data[strcspn(data.data, "\n")] = '\0';
		if (optt_parse_long(data.data, 0, MAX_TIME, &t) == 0 && t <= now && now - t < window)
			since = (long)(now - t);
	}
	optt_buf_clear(&data);
	close(dirfd);
	return since;
}

void
pam_optt_backoff_mark(const struct optt_profile *p, int64_t now)
{
	struct optt_err e;
	char name[65], text[32];
	int dirfd, n;

	optt_err_init(&e);
	if (backoff_name(p, name) != 0 || (dirfd = open_dir(p, 0, &e)) < 0)
		return;
	n = snprintf(text, sizeof(text), "%lld\n", (long long)now);
	/* a record that cannot be written only means the next login asks the
	 * network again: the safe side, nothing to report */
	(void)optt_privdir_write(dirfd, "backoff", name, text, (size_t)n, &e);
	close(dirfd);
}

void
pam_optt_backoff_clear(const struct optt_profile *p)
{
	struct optt_err e;
	char name[65];
	int dirfd;

	optt_err_init(&e);
	if (backoff_name(p, name) != 0 || (dirfd = open_dir(p, 0, &e)) < 0)
		return;
	unlinkat(dirfd, name, 0);
	close(dirfd);
}
