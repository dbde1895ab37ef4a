/*
 * checkconfig.c - `optt-token check-config`: the resolved profiles with
 * secrets masked (an issuer profile's discovered endpoints too, unless
 * --offline), and with --pam the file as pam_optt reads it: what a login
 * does, where its state goes (statedir.h), the [users] checks.  Prints no
 * secret (optt_key_display masks them).
 */
#include "config.h"

#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include "cli/checkconfig.h"
#include "cli/exitcode.h"
#include "cli/users.h"
#include "common/discovery.h"
#include "common/http.h"
#include "common/statedir.h"

/* one of root's state directories (statedir.h) as the module will find it */
static void
pam_dir_line(const struct optt_profile *p, enum optt_statedir d, const char *what)
{
	char path[4096];
	struct stat sb;
	mode_t mode = optt_statedir_mode(d);

	optt_statedir_path(p, d, path, sizeof(path));
	if (lstat(path, &sb) != 0)
		printf("  %s: %s (made %03o by the first login that needs it)\n", what, path, (unsigned)mode);
	else if (!S_ISDIR(sb.st_mode) || sb.st_uid != 0 || (sb.st_mode & 022) || (sb.st_mode & 077 & ~mode))
		printf("  %s: %s: REFUSED by the module (not a root-owned directory of mode %03o or tighter)\n",
		       what, path, (unsigned)mode);
	else
		printf("  %s: %s (root, %03o)\n", what, path, (unsigned)(sb.st_mode & 0777));
}

/* check-config --pam: the file as pam_optt reads it, and what a login does */
int
optt_cli_check_pam(const struct optt_conf *conf, const char *conf_path, const char *only)
{
	const struct optt_profile *p;
	size_t i, usable = 0;
	char buf[1024];

	printf("file: %s (root-owned, not writable by group or others, not a symbolic link: OK)\n",
	       conf_path);
	for (i = 0; i < conf->nprofiles; i++) {
		p = &conf->profiles[i];
		if (only != NULL && strcmp(p->name, only) != 0)
			continue;
		if (optt_pnum(p, OPTT_K_GRANT) != OPTT_GRANT_PASSWORD) {
			printf("profile %s: NOT usable by pam_optt (grant = %s; the module needs the password grant)\n", /* -- secret-ok */
			       p->name, optt_enum_name(OPTT_K_GRANT, optt_pnum(p, OPTT_K_GRANT)));
			continue;
		}
		usable++;
		printf("profile %s: usable by pam_optt profile=%s\n", p->name, p->name);
		printf("  a login: one POST to %s (%s dialect), at most %ld s, CA %s, proxy %s\n",
		       optt_key_display(p, OPTT_K_TOKEN_URL, buf, sizeof(buf)),
		       optt_enum_name(OPTT_K_DIALECT, optt_pnum(p, OPTT_K_DIALECT)),
		       optt_pnum(p, OPTT_K_TIMEOUT),
		       optt_pset(p, OPTT_K_CAFILE) ? optt_pstr(p, OPTT_K_CAFILE)
		       : optt_pset(p, OPTT_K_CAPATH) ? optt_pstr(p, OPTT_K_CAPATH) : "the system's, " OPTT_SYSTEM_CAPATH,
		       optt_pset(p, OPTT_K_PROXY) && optt_pstr(p, OPTT_K_PROXY)[0] ? "from the file" : "none");
		printf("  right password: PAM_SUCCESS; wrong: PAM_AUTH_ERR; provider unavailable: " /* -- secret-ok */
		       "PAM_AUTHINFO_UNAVAIL (or the offline verifier with offline=)\n");
		pam_dir_line(p, OPTT_STATEDIR_OFFLINE, "offline verifiers (offline=)");
		pam_dir_line(p, OPTT_STATEDIR_RUN, "state (run_dir)");
		pam_dir_line(p, OPTT_STATEDIR_BACKOFF, "outage back-off (outage_backoff=)");
		pam_dir_line(p, OPTT_STATEDIR_SESSION, "session hand-off (session_token)");
	}
	if (only != NULL && optt_conf_profile(conf, only) == NULL) {
		fprintf(stderr, "optt: %s has no profile '%.64s'\n", conf_path, only);
		return 2;
	}
	if (usable == 0) {
		fprintf(stderr, "optt: %s: no profile pam_optt can use (none with the password grant)\n", /* -- secret-ok */
			conf_path);
		return 2;
	}
	optt_cli_users_check(conf); /* warnings only: exit 0 (SPEC §15) */
	fprintf(stderr, "optt: configuration OK for pam_optt: %s\n", conf_path);
	return 0;
}

int
optt_cli_show_config(struct optt_conf *conf, int discover, const struct optt_log *log)
{
	const struct optt_profile *p;
	const char *v;
	char buf[1024];
	size_t i, k;

	for (i = 0; i < conf->nprofiles; i++) {
		p = &conf->profiles[i];
		/* an issuer profile: the endpoints its discovery document gives */
		if (discover && optt_pset(p, OPTT_K_ISSUER)) {
			struct optt_grant_ctx ctx;
			struct optt_err err;
			enum optt_status st;

			optt_grant_ctx_init(&ctx);
			optt_err_init(&err);
			ctx.use_env = 1;
			ctx.log = log;
			if ((st = optt_discovery_apply(p, &ctx, &err)) != OPTT_OK)
				return optt_cli_fail(st, &err);
		}
		printf("[profile %s]\n", p->name);
		for (k = 0; k < OPTT_K_COUNT; k++)
			if ((v = optt_key_display(p, (enum optt_key)k, buf, sizeof(buf))) != NULL)
				printf("%s = %s\n", optt_key_name((enum optt_key)k), v);
		printf("\n");
	}
	fprintf(stderr, "optt: configuration OK: %zu profile%s (read: %s)\n", conf->nprofiles,
		conf->nprofiles == 1 ? "" : "s", optt_conf_sources(conf, buf, sizeof(buf)));
	return 0;
}
