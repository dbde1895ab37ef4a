/*
 * state.c - the PAM module's offline verifiers and outage back-off; see
 * state.h.
 *
 * Invariants: only root's state directories (statedir.h: one table of
 * places and modes, no link followed, every component root-owned, not
 * group/other writable); files read only when root's, regular and 0600
 * (privdir.c), written by temp + fsync + rename; the verifier is yescrypt
 * from the system's libxcrypt with a salt of its own making; crypt_r's
 * work area, the hash and the file's text are wiped before they are
 * freed.  A state file that cannot be parsed is no verifier (never a
 * success).  Every change of a verifier (save, count, reset, delete) is
 * made under offline_dir/.lock, and a wrong-password count is written
 * (fsync'd) *before* the password is checked, so N parallel guesses never
 * check more than offline_max_failures (SPEC §19); the slow hash itself
 * runs outside the lock.
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
#include "common/statedir.h"
#include "common/url.h"
#include "pam_module/state.h"

#define STATE_MAX 4096
#define VERIFIER_MAGIC "optt-offline 1"
#define MAX_TIME 253402300799L /* 9999-12-31T23:59:59Z */
#define LOCK_NAME ".lock"     /* a verifier name always has an '@' */
#define LOCK_WAIT 10L         /* seconds */

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
	/* the provider as configured (token_url, else issuer): the same
	 * whether or not discovery could run (SPEC §19) */
	r = optt_buf_append(&in, p->name, strlen(p->name) + 1);
	r = r ? r : optt_buf_append(&in, optt_conf_provider(p), strlen(optt_conf_provider(p)) + 1);
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
	int fd = -1;

	if (optt_statedir_open(p, offline ? OPTT_STATEDIR_OFFLINE : OPTT_STATEDIR_BACKOFF, &fd, err) != OPTT_OK)
		return -1;
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

/* yescrypt of password with salt_or_hash's salt into out (n bytes):
 * OPTT_OK, OPTT_NOMEM, or OPTT_SYSTEM when crypt(3) cannot make it */
static enum optt_status
hash_with(const char *password, const char *salt_or_hash, char *out, size_t n, struct optt_err *err)
{
	struct crypt_data *cd;
	const char *h;
	enum optt_status st = OPTT_OK;

	if ((cd = calloc(1, sizeof(*cd))) == NULL)
		return optt_err_set(err, OPTT_NOMEM, "out of memory");
	h = crypt_r(password, salt_or_hash, cd);
	if (h == NULL || h[0] != '$' || strlen(h) >= n)
		st = optt_err_set(err, OPTT_SYSTEM, "crypt(3) cannot make a yescrypt hash: %s", strerror(errno));
	else
		memcpy(out, h, strlen(h) + 1);
	optt_freezero(cd, sizeof(*cd));
	return st;
}

/* offline_dir opened and its lock taken: OPTT_OK with both fds set */
static enum optt_status
lock_dir(const struct optt_profile *p, int *ret_dirfd, int *ret_lockfd, struct optt_err *err)
{
	enum optt_status st;
	int dirfd;

	if ((dirfd = open_dir(p, 1, err)) < 0)
		return OPTT_SYSTEM;
	if ((st = optt_privdir_lock(dirfd, LOCK_NAME, LOCK_WAIT, ret_lockfd, err)) != OPTT_OK) {
		close(dirfd);
		return st;
	}
	*ret_dirfd = dirfd;
	return OPTT_OK;
}

static void
unlock_dir(int dirfd, int lockfd)
{
	optt_privdir_unlock(lockfd);
	if (dirfd >= 0)
		close(dirfd);
}

enum optt_status
pam_optt_offline_save(const struct optt_profile *p, const char *user, const char *password,
		      const struct pam_optt_binding *b, int64_t now, struct optt_err *err)
{
	struct verifier v;
	struct optt_buf name;
	char salt[CRYPT_GENSALT_OUTPUT_SIZE];
	enum optt_status st;
	int dirfd = -1, lockfd = -1;

	memset(&v, 0, sizeof(v));
	optt_buf_init(&name, 1024);
	if ((st = verifier_name(p, user, &name, err)) != OPTT_OK)
		goto out;
	/* yescrypt at libxcrypt's default cost (count 0), as /etc/shadow;
	 * the library draws the salt's random bytes itself */
	if (crypt_gensalt_rn("$y$", 0, NULL, 0, salt, sizeof(salt)) == NULL) {
		st = optt_err_set(err, OPTT_SYSTEM, "crypt(3) cannot make a yescrypt salt: %s", strerror(errno));
		goto out;
	}
	if ((st = hash_with(password, salt, v.hash, sizeof(v.hash), err)) != OPTT_OK)
		goto out;
	memcpy(v.bind, b->hex, sizeof(v.bind));
	v.time = (long long)now;
	if ((st = lock_dir(p, &dirfd, &lockfd, err)) != OPTT_OK)
		goto out;
	st = verifier_write(dirfd, optt_pstr(p, OPTT_K_OFFLINE_DIR), name.data, &v, err);
out:
	unlock_dir(dirfd, lockfd);
	OPTT_WIPE(&v, sizeof(v));
	OPTT_WIPE(salt, sizeof(salt));
	optt_buf_clear(&name);
	return st;
}

/* Under the lock: read the verifier, decide whether it may be checked and,
 * if so, count this try as a failure before anything is checked.  *ret
 * stays NONE/LOCKED when the password must not be checked; v is the
 * counted verifier otherwise. */
static enum optt_status
count_try(const struct optt_profile *p, const char *name, const struct pam_optt_binding *b, long days,
	  long max_failures, int64_t now, struct verifier *v, enum pam_optt_offline_result *ret,
	  int *ret_check, char *detail, size_t n, struct optt_err *err)
{
	enum optt_status st;
	int dirfd = -1, lockfd = -1, r;

	*ret_check = 0;
	if ((st = lock_dir(p, &dirfd, &lockfd, err)) != OPTT_OK) {
		if (st == OPTT_NOMEM)
			return st;
		snprintf(detail, n, "no offline verifier: %s", err->msg);
		optt_err_init(err);
		return OPTT_OK;
	}
	if ((r = verifier_read(dirfd, name, v)) < 0) {
		st = optt_err_set(err, OPTT_NOMEM, "out of memory");
	} else if (r == 0) {
		snprintf(detail, n, "no offline verifier for this user");
	} else if (strcmp(v->bind, b->hex) != 0) {
		snprintf(detail, n, "offline verifier made for another profile or other require_claim");
	} else if (v->time > now || now - v->time > (int64_t)days * 86400) {
		snprintf(detail, n, "offline verifier older than offline=%ld days", days);
	} else if (v->failures >= max_failures) {
		snprintf(detail, n, "%ld wrong offline passwords; locked until the next online login",
			 v->failures);
		*ret = PAM_OPTT_OFFLINE_LOCKED;
	} else {
		/* the count sticks before the check, or parallel guesses could
		 * all be checked against one count */
		v->failures++;
		st = verifier_write(dirfd, optt_pstr(p, OPTT_K_OFFLINE_DIR), name, v, err);
		*ret_check = st == OPTT_OK;
	}
	unlock_dir(dirfd, lockfd);
	return st;
}

/* The password matched: the count goes back to 0 ("in a row"), unless the
 * verifier was replaced meanwhile (a fresh one already says 0). */
static enum optt_status
reset_count(const struct optt_profile *p, const char *name, const struct verifier *checked,
	    struct optt_err *err)
{
	struct verifier v;
	enum optt_status st;
	int dirfd = -1, lockfd = -1;

	memset(&v, 0, sizeof(v));
	if ((st = lock_dir(p, &dirfd, &lockfd, err)) != OPTT_OK)
		goto out;
	if (verifier_read(dirfd, name, &v) == 1 && optt_ct_streq(v.hash, checked->hash) && v.failures != 0) {
		v.failures = 0;
		st = verifier_write(dirfd, optt_pstr(p, OPTT_K_OFFLINE_DIR), name, &v, err);
	}
out:
	unlock_dir(dirfd, lockfd);
	OPTT_WIPE(&v, sizeof(v));
	return st;
}

enum optt_status
pam_optt_offline_check(const struct optt_profile *p, const char *user, const char *password,
		       const struct pam_optt_binding *b, long days, long max_failures, int64_t now,
		       enum pam_optt_offline_result *ret, char *detail, size_t n,
		       struct optt_err *err)
{
	struct verifier v;
	struct optt_buf name;
	char h[CRYPT_OUTPUT_SIZE];
	enum optt_status st;
	int check = 0;

	*ret = PAM_OPTT_OFFLINE_NONE;
	memset(&v, 0, sizeof(v));
	optt_buf_init(&name, 1024);
	if ((st = verifier_name(p, user, &name, err)) != OPTT_OK ||
	    (st = count_try(p, name.data, b, days, max_failures, now, &v, ret, &check, detail, n, err)) != OPTT_OK ||
	    !check)
		goto out;
	if (hash_with(password, v.hash, h, sizeof(h), err) == OPTT_OK && optt_ct_streq(h, v.hash)) {
		if (reset_count(p, name.data, &v, err) == OPTT_OK)
			*ret = PAM_OPTT_OFFLINE_OK;
		else
			snprintf(detail, n, "the offline verifier could not be updated: %s", err->msg);
		optt_err_init(err);
		goto out;
	}
	optt_err_init(err); /* a hash that cannot be made matches nothing */
	*ret = v.failures >= max_failures ? PAM_OPTT_OFFLINE_LOCKED : PAM_OPTT_OFFLINE_WRONG;
	if (*ret == PAM_OPTT_OFFLINE_LOCKED)
		snprintf(detail, n, "%ld wrong offline passwords; locked until the next online login",
			 v.failures);
out:
	OPTT_WIPE(h, sizeof(h));
	OPTT_WIPE(&v, sizeof(v));
	optt_buf_clear(&name);
	return st;
}

void
pam_optt_offline_forget(const struct optt_profile *p, const char *user, const char *password)
{
	struct verifier v, now_v;
	struct optt_buf name;
	struct optt_err e;
	char h[CRYPT_OUTPUT_SIZE];
	int dirfd = -1, lockfd = -1, r;

	memset(&v, 0, sizeof(v));
	memset(&now_v, 0, sizeof(now_v));
	optt_buf_init(&name, 1024);
	optt_err_init(&e);
	if (verifier_name(p, user, &name, &e) != OPTT_OK || (dirfd = open_dir(p, 1, &e)) < 0)
		goto out;
	r = verifier_read(dirfd, name.data, &v);
	close(dirfd);
	dirfd = -1;
	/* SPEC §19: only a password the verifier holds proves the provider
	 * has stopped accepting it (changed, account disabled); any other
	 * wrong password leaves it, or anyone could strip offline login */
	if (r != 1 || (password != NULL && (hash_with(password, v.hash, h, sizeof(h), &e) != OPTT_OK ||
					    !optt_ct_streq(h, v.hash))))
		goto out;
	if (lock_dir(p, &dirfd, &lockfd, &e) != OPTT_OK)
		goto out;
	/* the same verifier still: a fresh one (an online success meanwhile) stays */
	if (verifier_read(dirfd, name.data, &now_v) == 1 && optt_ct_streq(now_v.hash, v.hash))
		unlinkat(dirfd, name.data, 0);
out:
	unlock_dir(dirfd, lockfd);
	OPTT_WIPE(h, sizeof(h));
	OPTT_WIPE(&v, sizeof(v));
	OPTT_WIPE(&now_v, sizeof(now_v));
	optt_buf_clear(&name);
}

/* the back-off file's name: the provider's SHA-256 */
static int
backoff_name(const struct optt_profile *p, char out[65])
{
	struct optt_err e;
	const char *url = optt_conf_provider(p); /* token_url, else issuer (SPEC §19) */

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
