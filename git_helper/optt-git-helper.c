/*
 * optt-git-helper.c - the full git credential helper (SPEC §6), which
 * git-credential-optt hands over to when no valid token is cached (same
 * arguments, same input; installed in $(libexecdir)/optt-auth).
 *
 *   git-credential-optt [--profile NAME] [-v] get|store|erase
 *
 * get: for a configured host, print a Bearer or Basic answer with a token
 * from the cache (refreshed or granted as needed); for any other host,
 * nothing (other helpers run).  Failures: one line on stderr, nothing on
 * stdout, exit 0 (git then goes on as if the helper had nothing).
 * store: nothing to do.  erase: drop the cached access token if git erases
 * it (the refresh token stays, so the next get refreshes).
 */
#include "config.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "common/optt.h"
#include "common/qr.h"
#include "git_helper/gitproto.h"

struct helper {
	struct optt_git_cred in;
	const char *profile_arg;
	int verbose;
	struct optt_log log;
	char url[300];          /* for prompts: https://host */
	int may_prompt;
};

static void
say(const char *msg)
{
	fprintf(stderr, "optt: %s\n", msg);
}

static enum optt_status
read_input(struct optt_git_cred *c, struct optt_err *err)
{
	struct optt_buf b;
	enum optt_status st;

	optt_buf_init(&b, OPTT_GIT_MAX_INPUT);
	if ((st = optt_handoff_read_stdin(&b, err)) == OPTT_OK)
		st = optt_git_parse(b.data ? b.data : "", b.len, c, err);
	optt_buf_clear(&b);
	return st;
}

/* Ask like git does: GIT_ASKPASS, else SSH_ASKPASS, else the terminal. */
static enum optt_status
ask(const char *prompt, int echo, char **ret, struct optt_err *err)
{
	const char *prog = getenv("GIT_ASKPASS");

	if (prog == NULL || prog[0] == '\0')
		prog = getenv("SSH_ASKPASS");
	if (prog != NULL && prog[0] != '\0')
		return optt_prompt_askpass(prog, prompt, ret, err);
	return optt_prompt_tty(prompt, echo, ret, err);
}

/* Password prompt for the grant: askpass program or the terminal. */
static enum optt_status
ask_password(void *arg, const struct optt_profile *p, const char *username, char **ret,
	     struct optt_err *err)
{
	struct helper *h = arg;
	char prompt[512];

	(void)p;
	snprintf(prompt, sizeof(prompt), "Password for '%s' at %s (OPTT): ", username, h->url);
	return ask(prompt, 0, ret, err);
}

/* The device grant's instructions where git's user sees them: through
 * the askpass program when git has one (its prompt holds them; the answer,
 * Enter, is thrown away), else on the terminal (with the QR code), else on
 * stderr.  Then the core polls. */
static enum optt_status
show_device(void *arg, const struct optt_profile *p, const struct optt_device *d, struct optt_err *err)
{
	const char *prog = getenv("GIT_ASKPASS");
	char line[1200], prompt[1300], *answer = NULL;
	enum optt_status st = OPTT_OK;
	struct helper *h = arg;
	struct optt_buf qr;
	struct optt_err qe;
	FILE *tty;

	optt_device_instructions(d, line, sizeof(line));
	if (prog == NULL || prog[0] == '\0')
		prog = getenv("SSH_ASKPASS");
	if (prog != NULL && prog[0] != '\0') {
		snprintf(prompt, sizeof(prompt), "%s. Press Enter once approved: ", line);
		st = optt_prompt_askpass(prog, prompt, &answer, err);
		optt_free_str(&answer);
		OPTT_WIPE(prompt, sizeof(prompt));
		OPTT_WIPE(line, sizeof(line));
		return st;
	}
	if ((tty = fopen("/dev/tty", "we")) == NULL)
		tty = stderr;
	/* the direct link's QR code on the same stream, when it is a terminal (SPEC §18) */
	optt_buf_init(&qr, 64 * 1024);
	optt_err_init(&qe);
	if (d->verification_uri_complete != NULL && optt_qr_wanted(fileno(tty)) &&
	    optt_qr_draw(d->verification_uri_complete, &qr, &qe) != OPTT_OK)
		optt_debug(&h->log, "no QR code: %s", qe.msg);
	fprintf(tty, "optt: %s\n%soptt: waiting for the approval (profile %s, at most %ld s)\n", line,
		qr.data != NULL ? qr.data : "", p->name, d->expires_in);
	fflush(tty);
	if (tty != stderr)
		fclose(tty);
	optt_buf_clear(&qr);
	OPTT_WIPE(line, sizeof(line));
	return st;
}

/* The OPTT user when no record names one: ask, as git asks for one. */
static enum optt_status
ask_user(void *arg, const struct optt_profile *p, char **ret, struct optt_err *err)
{
	struct helper *h = arg;
	char prompt[512];

	(void)p;
	snprintf(prompt, sizeof(prompt), "Username for %s (OPTT): ", h->url);
	return ask(prompt, 1, ret, err);
}

static const struct optt_profile *
pick_profile(struct helper *h, const struct optt_conf *conf)
{
	if (h->profile_arg != NULL)
		return optt_conf_profile(conf, h->profile_arg);
	if (h->in.host == NULL)
		return NULL;
	return optt_conf_profile_for_host(conf, h->in.host, h->in.path);
}

static int
cmd_get(struct helper *h, const struct optt_profile *p)
{
	struct optt_want w = { &h->log, 1, h->in.username, NULL, NULL, h, NULL };
	struct optt_token t;
	struct optt_err err;
	struct optt_buf out;
	enum optt_status st;

	optt_token_init(&t);
	optt_err_init(&err);
	optt_buf_init(&out, 64 * 1024);
	snprintf(h->url, sizeof(h->url), "%s://%s", h->in.protocol ? h->in.protocol : "https",
		 h->in.host ? h->in.host : p->name);
	/* the OPTT user: git's user name when it is not the reporting name,
	 * else the one user with a cached record, else ask (when git may) */
	if (h->may_prompt) {
		w.ask_user = ask_user;
		w.get_password = ask_password;
		w.show_device = show_device;
	}
	if ((st = optt_obtain_for(p, &w, &t, &err)) != OPTT_OK)
		goto fail;
	if ((st = optt_git_answer(&h->in, p, &t, &out, &err)) != OPTT_OK)
		goto fail;
	if (fwrite(out.data, 1, out.len, stdout) != out.len || fflush(stdout) != 0)
		st = optt_err_set(&err, OPTT_SYSTEM, "cannot write the answer to git");
	if (st != OPTT_OK)
		goto fail;
	goto out;
fail:
	if (st == OPTT_REJECTED &&
	    (optt_pnum(p, OPTT_K_GRANT) == OPTT_GRANT_PASSWORD || optt_pnum(p, OPTT_K_GRANT) == OPTT_GRANT_DEVICE) &&
	    !h->may_prompt &&
	    strstr(err.msg, "optt-token login") == NULL)
		fprintf(stderr, "optt: %s; run: optt-token login %s\n", err.msg, p->name);
	else
		say(err.msg);
out:
	optt_buf_clear(&out);
	optt_token_clear(&t);
	return 0;
}

static int
cmd_erase(struct helper *h, const struct optt_profile *p)
{
	struct optt_cache cache;
	struct optt_err err;
	const char *tok = h->in.credential ? h->in.credential : h->in.password;
	int dropped = 0;

	if (tok == NULL || tok[0] == '\0')
		return 0;
	optt_cache_init(&cache);
	optt_err_init(&err);
	if (optt_cache_open(&cache, (enum optt_cache_mode)optt_pnum(p, OPTT_K_CACHE), &h->log, &err) !=
		    OPTT_OK ||
	    optt_obtain_forget_token(&cache, p, tok, &dropped, &err) != OPTT_OK)
		say(err.msg);
	else if (dropped)
		optt_debug(&h->log, "erase: dropped the cached access token of profile %s", p->name);
	optt_cache_close(&cache);
	return 0;
}

/* the operations of gitcredentials(7); others are ignored, as git asks */
static const struct op {
	const char *name;
	int (*fn)(struct helper *h, const struct optt_profile *p); /* NULL: nothing to do */
	int checks_target; /* answers only for a protocol and path we serve */
} ops[] = {
	{ "get", cmd_get, 1 },
	{ "store", NULL, 0 }, /* the helper stores what it mints itself */
	{ "erase", cmd_erase, 0 },
};

static void
usage(void)
{
	fprintf(stderr, "usage: git-credential-optt [--profile NAME] [-v] get|store|erase\n"
			"  (configure: git config --global credential.https://HOST.helper optt)\n");
}

int
main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "profile", required_argument, NULL, 'p' },
		{ "verbose", no_argument, NULL, 'v' },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ NULL, 0, NULL, 0 },
	};
	const struct optt_profile *p;
	const struct op *op = NULL;
	struct optt_conf conf;
	struct optt_err err;
	struct helper h;
	const char *tp;
	enum optt_status st;
	size_t i;
	int ch, rc = 0;

	umask(077);
	prctl(PR_SET_DUMPABLE, 0, 0, 0, 0);
	memset(&h, 0, sizeof(h));
	optt_git_cred_init(&h.in);
	opterr = 0;
	while ((ch = getopt_long(argc, argv, "+v", opts, NULL)) != -1) {
		switch (ch) {
		case 'p':
			h.profile_arg = optarg;
			break;
		case 'v':
			h.verbose = 1;
			break;
		case 'h':
			usage();
			return 0;
		case 'V':
			printf("git-credential-optt %s\n", PACKAGE_VERSION);
			return 0;
		default:
			usage();
			return 2;
		}
	}
	if (optind != argc - 1) {
		usage();
		return 2;
	}
	for (i = 0; i < sizeof(ops) / sizeof(ops[0]) && op == NULL; i++)
		if (strcmp(argv[optind], ops[i].name) == 0)
			op = &ops[i];
	if (op == NULL)
		return 0; /* git may add operations: unknown ones are ignored, per gitcredentials(7) */
	h.log.fn = h.verbose ? optt_log_stderr : NULL;
	optt_err_init(&err);
	optt_conf_init(&conf);
	if (read_input(&h.in, &err) != OPTT_OK) {
		say(err.msg);
		goto out;
	}
	if (op->fn == NULL)
		goto out;
	if (op->checks_target && (st = optt_git_check_target(&h.in, &err)) != OPTT_OK) {
		if (st != OPTT_DENIED || h.verbose)
			say(err.msg); /* denied: git hears nothing and goes on */
		goto out;
	}
	if (optt_conf_load_user(&conf, NULL, &err) != OPTT_OK) {
		say(err.msg);
		goto out;
	}
	if ((p = pick_profile(&h, &conf)) == NULL) {
		char nb[160], fb[200];
		const char *names = optt_conf_profile_names(&conf, nb, sizeof(nb));
		const char *files = optt_conf_sources(&conf, fb, sizeof(fb));

		if (h.profile_arg != NULL)
			fprintf(stderr, "optt: no profile '%s' (profiles: %s; read: %s)\n", h.profile_arg,
				names, files);
		else if (h.verbose)
			fprintf(stderr, "optt: no profile serves host %s%s%s: nothing printed, so other "
				"helpers run (profiles: %s; read: %s)\n", h.in.host ? h.in.host : "(none)",
				h.in.path ? "/" : "", h.in.path ? h.in.path : "", names, files);
		goto out; /* not our host: other helpers run */
	}
	tp = getenv("GIT_TERMINAL_PROMPT");
	h.may_prompt = !(tp != NULL && strcmp(tp, "0") == 0);
	rc = op->fn(&h, p);
out:
	optt_git_cred_clear(&h.in);
	optt_conf_clear(&conf);
	return rc;
}
