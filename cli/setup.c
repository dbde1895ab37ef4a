/*
 * setup.c - see setup.h.
 *
 * Invariants: git is run with an argv of our making (no shell), and its
 * config is changed only through `git config --global`; a docker or
 * containers auth file is read once (regular file, not a symbolic link,
 * at most 1 MiB, a JSON object), changed only in its credHelpers entries
 * for the profile's hosts, and replaced by rename from a temp file in the
 * same directory carrying the old file's mode; a credHelpers entry that
 * names another helper is left alone and said so.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "cli/setup.h"
#include "common/jsonutil.h"
#include "common/mem.h"

#define AUTHFILE_MAX (1024 * 1024)
#define HELPER "optt"

/* the next `hosts` entry into one; NULL when none is left */
static const char *
next_entry(const char **cur, char *one, size_t size)
{
	const char *h = *cur;
	size_t n;

	if (h == NULL)
		return NULL;
	h += strspn(h, " \t");
	n = strcspn(h, " \t");
	if (n == 0 || n >= size)
		return NULL;
	memcpy(one, h, n);
	one[n] = '\0';
	*cur = h + n;
	return one;
}

/* --- git ------------------------------------------------------------- */

/* Run git with argv; its stdout (at most size - 1 bytes) into out when
 * not NULL; its stderr to /dev/null when quiet (a refusal we expect and
 * handle: it is not the user's error).  The exit status, or -1 when git
 * cannot be run. */
static int
git_run(char *const argv[], char *out, size_t size, int quiet)
{
	char discard[256], *buf = out != NULL ? out : discard;
	size_t cap = out != NULL ? size - 1 : sizeof(discard), len = 0;
	int fds[2], status;
	ssize_t n;
	pid_t pid;

	if (pipe(fds) != 0)
		return -1;
	if ((pid = fork()) < 0) {
		close(fds[0]);
		close(fds[1]);
		return -1;
	}
	if (pid == 0) {
		int null;

		dup2(fds[1], STDOUT_FILENO);
		close(fds[0]);
		close(fds[1]);
		if (quiet && (null = open("/dev/null", O_WRONLY | O_CLOEXEC)) >= 0)
			dup2(null, STDERR_FILENO);
		execvp("git", argv);
		_exit(127);
	}
	close(fds[1]);
	for (;;) {
		n = read(fds[0], buf + len, cap - len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		if (out != NULL && (len += (size_t)n) >= cap)
			break; /* (the rest is not ours to keep; git exits on SIGPIPE) */
	}
	if (out != NULL)
		out[len] = '\0';
	close(fds[0]);
	while (waitpid(pid, &status, 0) < 0)
		if (errno != EINTR)
			return -1;
	return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

static int
git(char *const argv[], char *out, size_t size)
{
	return git_run(argv, out, size, 0);
}

/* whether the newline-separated list holds the line want */
static int
has_line(const char *list, const char *want)
{
	size_t wl = strlen(want);
	const char *l;

	for (l = list; *l != '\0'; l += strcspn(l, "\n"), l += *l == '\n')
		if (strncmp(l, want, wl) == 0 && (l[wl] == '\n' || l[wl] == '\0'))
			return 1;
	return 0;
}

/* After --undo: the section [credential "https://ENTRY"] goes too when
 * nothing else is left in it (older git leaves it empty; git 2.39 drops
 * it itself, and then says "no such section": quietly, it is done). */
static void
drop_empty_section(const char *entry)
{
	char section[700], list[65536];
	const char *l;
	size_t sl;

	snprintf(section, sizeof(section), "credential.https://%s", entry);
	sl = strlen(section);
	if (git((char *const[]){ "git", "config", "--global", "--name-only", "--list", NULL }, list,
		sizeof(list)) != 0)
		return;
	for (l = list; *l != '\0'; l += strcspn(l, "\n"), l += *l == '\n')
		if (strncmp(l, section, sl) == 0 && l[sl] == '.')
			return; /* something else is set there */
	(void)git_run((char *const[]){ "git", "config", "--global", "--remove-section", section, NULL }, NULL, 0,
		      1);
}

/* The key that says setup set useHttpPath on this URL (git ignores keys it
 * does not know in a credential section): --undo removes only that one,
 * never a useHttpPath the user had before. */
#define ADDED_KEY "optt-added"
#define ADDED_USEHTTPPATH "useHttpPath"

static int
git_entry(const char *entry, int undo)
{
	char key[700], ukey[700], akey[700], out[4096];
	int is_path = strchr(entry, '/') != NULL, r, present, added, done = 0;

	snprintf(key, sizeof(key), "credential.https://%s.helper", entry);
	snprintf(ukey, sizeof(ukey), "credential.https://%s.useHttpPath", entry);
	snprintf(akey, sizeof(akey), "credential.https://%s." ADDED_KEY, entry);
	r = git((char *const[]){ "git", "config", "--global", "--get-all", key, NULL }, out, sizeof(out));
	if (r < 0 || r > 1) {
		fprintf(stderr, "optt: git config --global --get-all %s failed (is git installed?)\n", key);
		return 1;
	}
	present = r == 0 && has_line(out, HELPER);
	added = is_path && git((char *const[]){ "git", "config", "--global", "--get-all", akey, NULL }, out,
			       sizeof(out)) == 0 && has_line(out, ADDED_USEHTTPPATH);
	if (!undo && !present) {
		if (git((char *const[]){ "git", "config", "--global", "--add", key, HELPER, NULL }, NULL, 0) != 0)
			goto failed;
		fprintf(stderr, "optt: git: added %s = %s\n", key, HELPER);
		/* a path entry is chosen by the path: git sends it only when asked */
		if (is_path && git((char *const[]){ "git", "config", "--global", "--get", ukey, NULL }, out,
				   sizeof(out)) == 1) {
			if (git((char *const[]){ "git", "config", "--global", ukey, "true", NULL }, NULL, 0) != 0 ||
			    git((char *const[]){ "git", "config", "--global", akey, ADDED_USEHTTPPATH, NULL }, NULL,
				0) != 0)
				goto failed;
			fprintf(stderr, "optt: git: added %s = true\n", ukey);
		}
		return 0;
	}
	if (!undo) {
		fprintf(stderr, "optt: git: %s already names optt\n", key);
		return 0;
	}
	if (present) {
		if (git((char *const[]){ "git", "config", "--global", "--unset-all", key, "^" HELPER "$", NULL },
			NULL, 0) != 0)
			goto failed;
		fprintf(stderr, "optt: git: removed %s = %s\n", key, HELPER);
		done = 1;
	}
	if (added) {
		/* ours: set by setup (and still true); the marker goes either way */
		if (git((char *const[]){ "git", "config", "--global", "--get", ukey, NULL }, out, sizeof(out)) == 0 &&
		    strcmp(out, "true\n") == 0) {
			if (git((char *const[]){ "git", "config", "--global", "--unset", ukey, NULL }, NULL, 0) != 0)
				goto failed;
			fprintf(stderr, "optt: git: removed %s\n", ukey);
		}
		if (git((char *const[]){ "git", "config", "--global", "--unset-all", akey, NULL }, NULL, 0) != 0)
			goto failed;
		done = 1;
	}
	if (done)
		drop_empty_section(entry);
	else
		fprintf(stderr, "optt: git: %s does not name optt: nothing to remove\n", key);
	return 0;
failed:
	fprintf(stderr, "optt: git config --global could not change %s\n", key);
	return 1;
}

int
optt_setup_git(const struct optt_profile *p, int undo)
{
	const char *cur = optt_pstr(p, OPTT_K_HOSTS);
	char one[600];
	int rc = 0, n = 0;

	while (next_entry(&cur, one, sizeof(one)) != NULL) {
		n++;
		rc |= git_entry(one, undo);
	}
	if (n == 0) {
		fprintf(stderr, "optt: profile %s has no hosts: nothing to set up (see hosts in optt.conf(5))\n",
			p->name);
		return 2;
	}
	return rc;
}

/* --- docker and containers auth files ---------------------------------- */

/* Read path into *ret (NULL when it does not exist); *ret_mode its mode. */
static int
read_authfile(const char *path, struct json_object **ret, mode_t *ret_mode)
{
	struct optt_buf b;
	struct stat sb;
	char chunk[4096];
	ssize_t n;
	int fd, r = 0;

	*ret = NULL;
	if ((fd = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC | O_NOCTTY)) < 0) {
		if (errno == ENOENT)
			return 0;
		fprintf(stderr, "optt: %s: %s\n", path,
			errno == ELOOP ? "a symbolic link: edit it by hand, or name the real file" : strerror(errno));
		return -1;
	}
	if (fstat(fd, &sb) != 0 || !S_ISREG(sb.st_mode)) {
		fprintf(stderr, "optt: %s: not a regular file\n", path);
		close(fd);
		return -1;
	}
	*ret_mode = sb.st_mode & 07777;
	optt_buf_init(&b, AUTHFILE_MAX);
	while ((n = read(fd, chunk, sizeof(chunk))) > 0 || (n < 0 && errno == EINTR))
		if (n > 0 && (r = optt_buf_append(&b, chunk, (size_t)n)) != 0)
			break;
	close(fd);
	OPTT_WIPE(chunk, sizeof(chunk)); /* an auth file may hold registry passwords */
	if (n < 0 || r != 0) {
		fprintf(stderr, "optt: %s: unreadable or larger than 1 MiB\n", path);
		optt_buf_clear(&b);
		return -1;
	}
	if (b.len == 0 || b.len == strspn(b.data, " \t\r\n"))
		*ret = json_object_new_object();
	else
		*ret = optt_json_parse(b.data, b.len);
	optt_buf_clear(&b);
	if (*ret == NULL || !json_object_is_type(*ret, json_type_object)) {
		fprintf(stderr, "optt: %s: not a JSON object; left alone\n", path);
		optt_json_free(ret);
		return -1;
	}
	return 0;
}

/* Replace path with o's text: a temp file in the same directory, the mode,
 * fsync, rename.  The directory is made (0700) when missing. */
static int
write_authfile(const char *path, struct json_object *o, mode_t mode)
{
	const char *text = json_object_to_json_string_ext(
		o, JSON_C_TO_STRING_PRETTY | JSON_C_TO_STRING_PRETTY_TAB | JSON_C_TO_STRING_NOSLASHESCAPE);
	char tmp[4200], dir[4096], *slash;
	size_t len = strlen(text), off = 0;
	ssize_t w;
	int fd;

	if (snprintf(tmp, sizeof(tmp), "%s.optt.XXXXXX", path) >= (int)sizeof(tmp) ||
	    snprintf(dir, sizeof(dir), "%s", path) >= (int)sizeof(dir))
		return -1;
	if ((slash = strrchr(dir, '/')) != NULL && slash != dir) {
		*slash = '\0';
		if (mkdir(dir, 0700) != 0 && errno != EEXIST) {
			fprintf(stderr, "optt: cannot create %s: %s\n", dir, strerror(errno));
			return -1;
		}
	}
	if ((fd = mkstemp(tmp)) < 0) {
		fprintf(stderr, "optt: cannot write beside %s: %s\n", path, strerror(errno));
		return -1;
	}
	while (off < len && ((w = write(fd, text + off, len - off)) > 0 || errno == EINTR))
		off += w > 0 ? (size_t)w : 0;
	if (off < len || write(fd, "\n", 1) != 1 || fchmod(fd, mode) != 0 || fsync(fd) != 0 ||
	    close(fd) != 0 || rename(tmp, path) != 0) {
		fprintf(stderr, "optt: cannot replace %s: %s\n", path, strerror(errno));
		unlink(tmp);
		return -1;
	}
	return 0;
}

static int
edit_authfile(const char *path, const struct optt_profile *p, int undo)
{
	struct json_object *root = NULL, *helpers = NULL, *cur;
	const char *hosts = optt_pstr(p, OPTT_K_HOSTS), *v;
	char one[600];
	mode_t mode = 0600;
	int changed = 0, rc = 0;

	if (read_authfile(path, &root, &mode) != 0)
		return 1;
	if (root == NULL) {
		if (undo) {
			fprintf(stderr, "optt: %s: no such file: nothing to remove\n", path);
			return 0;
		}
		root = json_object_new_object();
	}
	if (json_object_object_get_ex(root, "credHelpers", &helpers) &&
	    !json_object_is_type(helpers, json_type_object)) {
		fprintf(stderr, "optt: %s: credHelpers is not an object; left alone\n", path);
		rc = 1;
		goto out;
	}
	while (next_entry(&hosts, one, sizeof(one)) != NULL) {
		if (one[0] == '*' || strchr(one, '/') != NULL) {
			fprintf(stderr, "optt: docker: %s skipped: credHelpers names single registries, not %s\n",
				one, one[0] == '*' ? "wildcards" : "git paths");
			continue;
		}
		cur = NULL;
		v = helpers != NULL && json_object_object_get_ex(helpers, one, &cur) &&
				json_object_is_type(cur, json_type_string)
			    ? json_object_get_string(cur)
			    : NULL;
		if (!undo && v == NULL && cur == NULL) {
			if (helpers == NULL) {
				helpers = json_object_new_object();
				json_object_object_add(root, "credHelpers", helpers);
			}
			json_object_object_add(helpers, one, json_object_new_string(HELPER));
			fprintf(stderr, "optt: %s: added credHelpers \"%s\": \"%s\"\n", path, one, HELPER);
			changed = 1;
		} else if (undo && v != NULL && strcmp(v, HELPER) == 0) {
			json_object_object_del(helpers, one);
			fprintf(stderr, "optt: %s: removed credHelpers \"%s\"\n", path, one);
			changed = 1;
		} else if (!undo && (v == NULL || strcmp(v, HELPER) != 0)) {
			fprintf(stderr, "optt: %s: credHelpers \"%s\" names another helper; left alone\n", path, one);
		} else {
			fprintf(stderr, "optt: %s: credHelpers \"%s\" %s\n", path, one,
				undo ? "does not name optt: nothing to remove" : "already names optt");
		}
	}
	if (undo && changed && json_object_object_length(helpers) == 0)
		json_object_object_del(root, "credHelpers");
	if (changed && write_authfile(path, root, mode) != 0)
		rc = 1;
out:
	optt_json_free(&root);
	return rc;
}

int
optt_setup_docker(const struct optt_profile *p, int undo, const char *authfile)
{
	const char *dc = secure_getenv("DOCKER_CONFIG"), *home = secure_getenv("HOME");
	const char *raf = authfile != NULL ? authfile : secure_getenv("REGISTRY_AUTH_FILE");
	char path[4096];
	int rc;

	if (optt_pstr(p, OPTT_K_HOSTS) == NULL) {
		fprintf(stderr, "optt: profile %s has no hosts: nothing to set up (see hosts in optt.conf(5))\n",
			p->name);
		return 2;
	}
	if (dc != NULL && dc[0] == '/')
		snprintf(path, sizeof(path), "%s/config.json", dc);
	else if (home != NULL && home[0] == '/')
		snprintf(path, sizeof(path), "%s/.docker/config.json", home);
	else {
		fprintf(stderr, "optt: no docker configuration directory: set HOME or DOCKER_CONFIG\n");
		return 2;
	}
	rc = edit_authfile(path, p, undo);
	if (raf != NULL && raf[0] != '\0')
		rc |= edit_authfile(raf, p, undo);
	return rc;
}
