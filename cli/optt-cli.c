/*
 * optt-cli.c - the full optt-token CLI: log in, print a token, show
 * status, log out, check the configuration (SPEC §8), set git, docker and
 * kubectl up, and kubectl's credential plugin past a cached token (§18).
 * The front cli/optt-token.c hands every command to it (installed in
 * $(libexecdir)/optt-auth); it answers as optt-token.
 *
 * Exit codes: 0 ok, 1 rejected, 2 usage/config error, 3 unavailable,
 * 4 bad response.  Secrets: passwords come from the terminal or stdin
 * (never argv); the only secret ever printed is the access token, by
 * `get`, on stdout; -v prints methods, hosts, paths, statuses, timings.
 */
#include "config.h"

#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "cli/checkconfig.h"
#include "cli/exitcode.h"
#include "cli/kubecred.h"
#include "cli/profile.h"
#include "cli/redirect.h"
#include "cli/setup.h"
#include "cli/setup_kube.h"
#include "cli/users.h"
#include "common/discovery.h"
#include "common/http.h"
#include "common/optt.h"
#include "common/pkce.h"
#include "common/qr.h"

#define REDIRECT_WAIT_S 300

struct cli {
	const char *config;
	int verbose;
	struct optt_log log;
	struct optt_conf conf;
	/* command options */
	const char *username;
	const char *code_arg;
	int password_stdin;
	int pam;          /* check-config --pam */
	int offline;      /* check-config --offline: no discovery request */
	int undo;         /* setup --undo */
	const char *authfile; /* setup docker --authfile */
	const char *cluster;   /* setup kube --cluster */
	const char *kube_user; /* setup kube --user */
	const char *conf_path; /* the file read for --pam */
};

static int
usage_error(const char *msg)
{
	fprintf(stderr, "optt: %s (see optt-token --help)\n", msg);
	return 2;
}

static void
format_time(int64_t t, char *buf, size_t n)
{
	time_t tt = (time_t)t;
	struct tm tm;

	if (gmtime_r(&tt, &tm) == NULL || strftime(buf, n, "%Y-%m-%dT%H:%M:%SZ", &tm) == 0)
		snprintf(buf, n, "%lld", (long long)t);
}

/* The named profile, or the only one, or "optt" (cli/profile.h). */
static const struct optt_profile *
pick_profile(struct cli *c, const char *name, struct optt_err *err)
{
	return optt_cli_profile(&c->conf, name, err);
}

static enum optt_status
open_cache(struct cli *c, const struct optt_profile *p, struct optt_cache *cache, struct optt_err *err)
{
	return optt_cache_open(cache, (enum optt_cache_mode)optt_pnum(p, OPTT_K_CACHE), &c->log, err);
}

static enum optt_status
ask_password(void *arg, const struct optt_profile *p, const char *username, char **ret,
	     struct optt_err *err)
{
	struct cli *c = arg;
	char prompt[256];

	enum optt_status st;

	if (c->password_stdin) {
		st = optt_read_line_fd(STDIN_FILENO, ret, err);
	} else {
		snprintf(prompt, sizeof(prompt), "Password for %s@%s: ", username, p->name);
		st = optt_prompt_tty(prompt, 0, ret, err);
	}
	/* an empty password is never sent: some directories treat it as an
	 * unauthenticated bind that "succeeds" */
	if (st == OPTT_OK && (*ret)[0] == '\0') {
		optt_free_str(ret);
		st = optt_err_set(err, OPTT_CONFIG, "empty password refused");
	}
	return st;
}

/* The device grant's instructions, on stderr (stdout stays for tokens),
 * with the direct link's QR code when stderr is a terminal (SPEC §18). */
static enum optt_status
show_device(void *arg, const struct optt_profile *p, const struct optt_device *d, struct optt_err *err)
{
	struct cli *c = arg;
	struct optt_buf qr;
	struct optt_err qe;
	char line[1200];

	(void)err;
	optt_buf_init(&qr, 64 * 1024);
	optt_err_init(&qe);
	optt_device_instructions(d, line, sizeof(line));
	if (d->verification_uri_complete != NULL && optt_qr_wanted(STDERR_FILENO) &&
	    optt_qr_draw(d->verification_uri_complete, &qr, &qe) != OPTT_OK)
		optt_debug(&c->log, "no QR code: %s", qe.msg);
	fprintf(stderr, "optt: %s\n%soptt: waiting for the approval (profile %s, at most %ld s; Ctrl-C to stop)\n",
		line, qr.data != NULL ? qr.data : "", p->name, d->expires_in);
	fflush(stderr);
	optt_buf_clear(&qr);
	OPTT_WIPE(line, sizeof(line));
	return OPTT_OK;
}

static int
cmd_login(struct cli *c, int argc, char **argv)
{
	const struct optt_profile *p;
	struct optt_cache cache;
	struct optt_obtain ob;
	struct optt_token t;
	struct optt_err err;
	enum optt_status st;
	char *user = NULL, *code = NULL, prompt[128], when[32];
	struct optt_pkce pkce;

	memset(&pkce, 0, sizeof(pkce));
	optt_cache_init(&cache);
	optt_token_init(&t);
	optt_err_init(&err);
	if (argc > 1)
		return usage_error("login takes at most one profile");
	if ((p = pick_profile(c, argc ? argv[0] : NULL, &err)) == NULL) {
		st = OPTT_CONFIG;
		goto out;
	}
	if ((st = open_cache(c, p, &cache, &err)) != OPTT_OK)
		goto out;
	if (c->code_arg != NULL && optt_pnum(p, OPTT_K_GRANT) != OPTT_GRANT_AUTHORIZATION_CODE) {
		st = optt_err_set(&err, OPTT_CONFIG,
				  "--code is for authorization_code profiles; %s is not one", p->name);
		goto out;
	}
	optt_obtain_init(&ob);
	ob.cache = &cache;
	ob.grant.log = &c->log;
	ob.force = 1;
	switch ((enum optt_grant)optt_pnum(p, OPTT_K_GRANT)) {
	case OPTT_GRANT_PASSWORD:
		if (c->username != NULL) {
			user = optt_strdup(c->username);
		} else if (c->password_stdin) {
			st = optt_err_set(&err, OPTT_CONFIG, "--password-stdin needs --username");
			goto out;
		} else {
			snprintf(prompt, sizeof(prompt), "User name for %s: ", p->name);
			if ((st = optt_prompt_tty(prompt, 1, &user, &err)) != OPTT_OK)
				goto out;
		}
		if (user == NULL || user[0] == '\0') {
			st = optt_err_set(&err, OPTT_CONFIG, "empty user name");
			goto out;
		}
		ob.get_password = ask_password;
		ob.arg = c;
		break;
	case OPTT_GRANT_AUTHORIZATION_CODE:
		/* PKCE needs the authorization request to be ours: with --code it
		 * was made elsewhere, so pkce = S256 (required) refuses --code */
		if (c->code_arg != NULL && optt_pkce_applies(p) && optt_pnum(p, OPTT_K_PKCE) == OPTT_PKCE_S256) {
			st = optt_err_set(&err, OPTT_CONFIG, "profile %s: pkce = S256 needs the browser "
					  "login (without --code)", p->name);
			goto out;
		}
		if (c->code_arg != NULL && strcmp(c->code_arg, "-") == 0)
			st = optt_read_line_fd(STDIN_FILENO, &code, &err);
		else if (c->code_arg != NULL)
			st = (code = optt_strdup(c->code_arg)) ? OPTT_OK : OPTT_NOMEM;
		else if (optt_pkce_applies(p) && (st = optt_pkce_new(&pkce, &err)) != OPTT_OK)
			goto out;
		/* an issuer profile's authorize_url is the discovered one (SPEC §19) */
		else if ((st = optt_discovery_apply(p, &ob.grant, &err)) != OPTT_OK)
			goto out;
		else
			st = optt_redirect_wait(p, REDIRECT_WAIT_S, pkce.challenge[0] ? pkce.challenge : NULL,
						&code, &err);
		ob.code_verifier = pkce.verifier[0] ? pkce.verifier : NULL;
		if (st == OPTT_OK && code[0] == '\0')
			st = optt_err_set(&err, OPTT_CONFIG, "empty authorization code");
		if (st != OPTT_OK)
			goto out;
		ob.code = code;
		break;
	case OPTT_GRANT_DEVICE:
		ob.show_device = show_device; /* then it waits; Ctrl-C leaves the cache as it was */
		ob.arg = c;
		break;
	case OPTT_GRANT_CLIENT_CREDENTIALS:
		break;
	}
	if ((st = optt_obtain_token(&ob, p, user, &t, &err)) != OPTT_OK)
		goto out;
	format_time(t.expires_at, when, sizeof(when));
	fprintf(stderr, "optt: logged in: profile %s, subject %s, cache %s, expires %s\n", p->name,
		optt_obtain_subject(p, user), optt_cache_backend(&cache), when);
out:
	optt_free_str(&user);
	optt_free_str(&code);
	optt_pkce_clear(&pkce);
	optt_token_clear(&t);
	optt_cache_close(&cache);
	return st == OPTT_OK ? 0 : optt_cli_fail(st, &err);
}

static int
cmd_get(struct cli *c, int argc, char **argv)
{
	struct optt_want w = { &c->log, 1, c->username, NULL, NULL, NULL, NULL };
	const struct optt_profile *p;
	struct optt_token t;
	struct optt_err err;
	enum optt_status st;

	optt_token_init(&t);
	optt_err_init(&err);
	if (argc > 1)
		return usage_error("get takes at most one profile");
	if ((p = pick_profile(c, argc ? argv[0] : NULL, &err)) == NULL) {
		st = OPTT_CONFIG;
		goto out;
	}
	if ((st = optt_obtain_for(p, &w, &t, &err)) != OPTT_OK)
		goto out;
	printf("%s\n", t.access_token); /* -- secret-ok: printing the token is what get is for */
	if (fflush(stdout) != 0)
		st = optt_err_set(&err, OPTT_SYSTEM, "cannot write the token: %s", strerror(errno));
out:
	optt_token_clear(&t);
	return st == OPTT_OK ? 0 : optt_cli_fail(st, &err);
}

/* A user name for a password-grant profile that has no cached user. */
static enum optt_status
ask_user(void *arg, const struct optt_profile *p, char **ret, struct optt_err *err)
{
	char prompt[128];

	(void)arg;
	snprintf(prompt, sizeof(prompt), "User name for %s: ", p->name);
	return optt_prompt_tty(prompt, 1, ret, err);
}

/* kubectl's credential plugin (SPEC §18) past the front's cached token:
 * refresh or grant as get does, prompting (user name, password, device
 * instructions) only when kubectl says a user is there
 * (spec.interactive); else one line naming the login command. */
static int
cmd_kube(struct cli *c, int argc, char **argv)
{
	struct optt_want w = { &c->log, 1, NULL, NULL, NULL, c, NULL };
	const struct optt_profile *p = NULL;
	struct optt_kube_info info;
	struct optt_token t;
	struct optt_buf out;
	struct optt_err err;
	enum optt_status st;

	optt_token_init(&t);
	optt_err_init(&err);
	optt_buf_init(&out, 64 * 1024);
	if (argc > 1)
		return usage_error("kube takes at most one profile");
	if ((st = optt_kube_parse_info(secure_getenv("KUBERNETES_EXEC_INFO"), &info, &err)) != OPTT_OK)
		goto out;
	if ((p = pick_profile(c, argc ? argv[0] : NULL, &err)) == NULL) {
		st = OPTT_CONFIG;
		goto out;
	}
	if (info.interactive) {
		w.ask_user = ask_user;
		w.get_password = ask_password;
		w.show_device = show_device;
	}
	if ((st = optt_obtain_for(p, &w, &t, &err)) != OPTT_OK ||
	    (st = optt_kube_credential(&info, p, &t, &out, &err)) != OPTT_OK)
		goto out;
	if (fwrite(out.data, 1, out.len, stdout) != out.len || fflush(stdout) != 0)
		st = optt_err_set(&err, OPTT_SYSTEM, "cannot write the credential: %s", strerror(errno));
out:
	optt_buf_clear(&out);
	optt_token_clear(&t);
	if (st != OPTT_OK && p != NULL && optt_cli_exit_code(st) == 1 && strstr(err.msg, "optt-token login") == NULL) {
		fprintf(stderr, "optt: %s; run: optt-token login %s\n", err.msg, p->name);
		return 1;
	}
	return st == OPTT_OK ? 0 : optt_cli_fail(st, &err);
}

/* Apply fn to the named profile, or to every profile. */
static int
each_profile(struct cli *c, int argc, char **argv,
	     enum optt_status (*fn)(struct cli *, const struct optt_profile *, struct optt_err *))
{
	struct optt_err err;
	enum optt_status st = OPTT_OK, one;
	const struct optt_profile *p;
	size_t i;

	optt_err_init(&err);
	if (argc > 1)
		return usage_error("takes at most one profile");
	if (argc == 1 || c->conf.nprofiles == 0) {
		if ((p = pick_profile(c, argc ? argv[0] : NULL, &err)) == NULL)
			return optt_cli_fail(OPTT_CONFIG, &err);
		st = fn(c, p, &err);
		return st == OPTT_OK ? 0 : optt_cli_fail(st, &err);
	}
	for (i = 0; i < c->conf.nprofiles; i++) {
		if ((one = fn(c, &c->conf.profiles[i], &err)) != OPTT_OK) {
			optt_cli_fail(one, &err);
			st = one;
		}
	}
	return optt_cli_exit_code(st);
}

static enum optt_status
status_one(struct cli *c, const struct optt_profile *p, struct optt_err *err)
{
	struct optt_cache cache;
	struct optt_token t;
	enum optt_status st;
	char **list = NULL, when[32];
	size_t n = 0, i, claimed;
	int found;
	int64_t now = (int64_t)time(NULL);

	optt_token_init(&t);
	if ((st = open_cache(c, p, &cache, err)) != OPTT_OK)
		return st;
	if ((st = optt_session_claim(&cache, p, &claimed, err)) != OPTT_OK ||
	    (st = optt_cache_list(&cache, p->name, &list, &n, err)) != OPTT_OK)
		goto out;
	if (n == 0)
		printf("profile: %s\n  backend: %s\n  no cached token\n", p->name, optt_cache_backend(&cache));
	for (i = 0; i < n; i++) {
		found = 0;
		optt_token_clear(&t);
		if ((st = optt_cache_load(&cache, p->name, list[i], &t, &found, err)) != OPTT_OK)
			goto out;
		printf("profile: %s\n  subject: %s\n  backend: %s\n", p->name, list[i], optt_cache_backend(&cache));
		if (!found) {
			printf("  record: unreadable (ignored)\n");
			continue;
		}
		format_time(t.expires_at, when, sizeof(when));
		if (t.access_token == NULL)
			printf("  access token: none\n");
		else if (t.expires_at > now)
			printf("  expires: %s (in %lld s)\n", when, (long long)(t.expires_at - now));
		else
			printf("  expires: %s (expired)\n", when);
		printf("  refresh token: %s\n", t.refresh_token ? "yes" : "no"); /* -- secret-ok: presence only */
		if (t.scope != NULL)
			printf("  scope: %s\n", t.scope);
	}
out:
	optt_cache_list_free(list, n);
	optt_token_clear(&t);
	optt_cache_close(&cache);
	return st;
}

static enum optt_status
logout_one(struct cli *c, const struct optt_profile *p, struct optt_err *err)
{
	struct optt_cache cache;
	enum optt_status st;
	char **list = NULL;
	size_t n = 0, i;

	if ((st = open_cache(c, p, &cache, err)) != OPTT_OK)
		return st;
	/* a login's token not yet claimed goes too (SPEC §11) */
	if ((st = optt_session_discard(p, err)) == OPTT_OK &&
	    (st = optt_cache_list(&cache, p->name, &list, &n, err)) == OPTT_OK)
		for (i = 0; i < n && st == OPTT_OK; i++)
			if ((st = optt_cache_remove(&cache, p->name, list[i], err)) == OPTT_OK)
				fprintf(stderr, "optt: logged out: profile %s, subject %s\n", p->name, list[i]);
	optt_cache_list_free(list, n);
	optt_cache_close(&cache);
	return st;
}

static int
cmd_status(struct cli *c, int argc, char **argv)
{
	return each_profile(c, argc, argv, status_one);
}

static int
cmd_logout(struct cli *c, int argc, char **argv)
{
	return each_profile(c, argc, argv, logout_one);
}

static int
cmd_check_config(struct cli *c, int argc, char **argv)
{
	if (c->pam) {
		if (argc > 1)
			return usage_error("check-config --pam takes at most one profile");
		return optt_cli_check_pam(&c->conf, c->conf_path, argc ? argv[0] : NULL);
	}
	(void)argv;
	if (argc > 0)
		return usage_error("check-config takes no argument");
	return optt_cli_show_config(&c->conf, !c->offline, &c->log);
}

static int
cmd_setup(struct cli *c, int argc, char **argv)
{
	const struct optt_profile *p;
	struct optt_err err;
	int is_git, is_kube;

	optt_err_init(&err);
	if (argc < 1 || argc > 2 ||
	    (strcmp(argv[0], "git") != 0 && strcmp(argv[0], "docker") != 0 && strcmp(argv[0], "kube") != 0))
		return usage_error("setup takes git, docker or kube, then at most one profile");
	is_git = strcmp(argv[0], "git") == 0;
	is_kube = strcmp(argv[0], "kube") == 0;
	if ((is_git || is_kube) && c->authfile != NULL)
		return usage_error("--authfile goes with setup docker");
	if (!is_kube && (c->cluster != NULL || c->kube_user != NULL))
		return usage_error("--cluster and --user go with setup kube");
	if ((p = pick_profile(c, argc > 1 ? argv[1] : NULL, &err)) == NULL)
		return optt_cli_fail(OPTT_CONFIG, &err);
	if (is_kube)
		return optt_setup_kube(p, c->cluster, c->kube_user, c->undo);
	return is_git ? optt_setup_git(p, c->undo) : optt_setup_docker(p, c->undo, c->authfile);
}

/* users list|show|forget (SPEC §15): root's, over the ledger pam_optt writes */
static int
cmd_users(struct cli *c, int argc, char **argv)
{
	return optt_cli_users(&c->conf, argc, argv);
}

static const struct command {
	const char *name;
	int (*fn)(struct cli *, int, char **);
	const char *opts; /* which command options it takes: u username, p password-stdin, c code */
} commands[] = {
	{ "login", cmd_login, "upc" },
	{ "get", cmd_get, "u" },
	{ "kube", cmd_kube, "" },
	{ "status", cmd_status, "" },
	{ "logout", cmd_logout, "" },
	{ "check-config", cmd_check_config, "PO" },
	{ "setup", cmd_setup, "UAkn" },
	{ "users", cmd_users, "" },
};

static void
help(void)
{
	printf("usage: optt-token [--config PATH] [-v] COMMAND [ARGS]\n"
	       "\n"
	       "  login [PROFILE] [--username U] [--password-stdin] [--code CODE|-]\n"
	       "                     run the profile's grant and cache the tokens\n"
	       "  get [PROFILE] [--username U]\n"
	       "                     print a valid access token (refreshing as needed)\n"
	       "  kube [PROFILE]     the kubectl credential plugin: print an ExecCredential\n"
	       "  status [PROFILE]   show cached tokens (never a secret)\n"
	       "  logout [PROFILE]   delete cached tokens\n"
	       "  check-config [--offline]\n"
	       "                     parse the configuration, print it with secrets masked (and\n"
	       "                     an issuer's discovered endpoints, unless --offline)\n"
	       "  check-config --pam [PROFILE]\n"
	       "                     check the file as pam_optt.so reads it (--config PATH, else\n"
	       "                     " SYSCONFDIR "/optt/optt.conf) and say what a login would do\n"
	       "  setup git [PROFILE] [--undo]\n"
	       "                     add (remove) credential.https://HOST.helper optt in ~/.gitconfig\n"
	       "  setup docker [PROFILE] [--undo] [--authfile PATH]\n"
	       "                     add (remove) credHelpers HOST: optt in ~/.docker/config.json\n"
	       "                     (and in PATH or $REGISTRY_AUTH_FILE)\n"
	       "  setup kube PROFILE --cluster NAME [--user USER] [--undo]\n"
	       "                     add (remove) a kubeconfig user running optt-token kube\n"
	       "                     PROFILE and a context USER@NAME ($KUBECONFIG, ~/.kube/config)\n"
	       "  users list | users show NAME | users forget NAME\n"
	       "                     the user ledger of pam_optt and libnss_optt (root; the file\n"
	       "                     of check-config --pam)\n"
	       "\n"
	       "options: --config PATH, -v/--verbose, --help, --version\n"
	       "exit codes: 0 ok, 1 rejected, 2 usage/config error, 3 unavailable, 4 bad response\n");
}

int
main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "config", required_argument, NULL, 'C' },
		{ "verbose", no_argument, NULL, 'v' },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ "username", required_argument, NULL, 'u' },
		{ "password-stdin", no_argument, NULL, 'p' },
		{ "code", required_argument, NULL, 'c' },
		{ "pam", no_argument, NULL, 'P' },
		{ "offline", no_argument, NULL, 'O' },
		{ "undo", no_argument, NULL, 'U' },
		{ "authfile", required_argument, NULL, 'A' },
		{ "cluster", required_argument, NULL, 'k' },
		{ "user", required_argument, NULL, 'n' },
		{ NULL, 0, NULL, 0 },
	};
	const struct command *cmd = NULL;
	struct optt_err err;
	struct cli c;
	enum optt_status st;
	size_t i;
	int ch, rc;

	umask(077);
	/* no core dumps or ptrace by other users' tools while we hold secrets */
	prctl(PR_SET_DUMPABLE, 0, 0, 0, 0);
	memset(&c, 0, sizeof(c));
	optt_conf_init(&c.conf);
	optt_err_init(&err);
	opterr = 0; /* our own one-line messages */
	while ((ch = getopt_long(argc, argv, "+vhV", opts, NULL)) != -1) {
		switch (ch) {
		case 'C':
			c.config = optarg;
			break;
		case 'v':
			c.verbose = 1;
			break;
		case 'h':
			help();
			return 0;
		case 'V':
			printf("optt-token %s\n", PACKAGE_VERSION);
			return 0;
		default:
			return usage_error("unknown option");
		}
	}
	if (optind >= argc)
		return usage_error("no command given");
	for (i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
		if (strcmp(commands[i].name, argv[optind]) == 0)
			cmd = &commands[i];
	if (cmd == NULL)
		return usage_error("unknown command");
	argc -= optind;
	argv += optind;
	optind = 0; /* full re-initialisation of getopt for the command's options */
	while ((ch = getopt_long(argc, argv, "v", opts, NULL)) != -1) {
		switch (ch) {
		case 'v':
			c.verbose = 1;
			break;
		case 'u':
			c.username = optarg;
			break;
		case 'p':
			c.password_stdin = 1;
			break;
		case 'c':
			c.code_arg = optarg;
			break;
		case 'P':
			c.pam = 1;
			break;
		case 'O':
			c.offline = 1;
			break;
		case 'U':
			c.undo = 1;
			break;
		case 'A':
			c.authfile = optarg;
			break;
		case 'k':
			c.cluster = optarg;
			break;
		case 'n':
			c.kube_user = optarg;
			break;
		case 'C':
			c.config = optarg;
			break;
		default:
			return usage_error("unknown option");
		}
		if (strchr("upcPOUAkn", ch) != NULL && strchr(cmd->opts, ch) == NULL) {
			fprintf(stderr, "optt: %s does not take that option (see optt-token --help)\n",
				cmd->name);
			return 2;
		}
	}
	c.log.fn = c.verbose ? optt_log_stderr : NULL;
	if (c.pam || cmd->fn == cmd_users) {
		/* the PAM module's rules: its file only, root's, no user file */
		c.conf_path = c.config != NULL ? c.config : SYSCONFDIR "/optt/optt.conf";
		st = optt_conf_load_file(&c.conf, c.conf_path, OPTT_CONF_PAM, &err);
		if (st == OPTT_OK)
			st = optt_conf_finish(&c.conf, &err);
	} else {
		st = optt_conf_load_user(&c.conf, c.config, &err);
	}
	if (st != OPTT_OK) {
		rc = optt_cli_fail(st, &err);
		goto out;
	}
	rc = cmd->fn(&c, argc - optind, argv + optind);
out:
	optt_conf_clear(&c.conf);
	return rc;
}
