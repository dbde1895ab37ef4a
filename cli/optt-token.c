/*
 * optt-token.c - optt-token, the program users and kubectl run.  It
 * answers `optt-token [--config PATH] kube [PROFILE]` (SPEC §18) from a
 * still-valid cached token without loading libcurl, GLib or libsecret (the
 * cache directory read as the git and docker fronts read it), and hands
 * every other command, and a kube miss, to the full CLI optt-cli (same
 * arguments, standard input untouched; $(libexecdir)/optt-auth).
 *
 * kubectl runs the plugin for every command it runs (it keeps a credential
 * only within one process), so this path is kept as short as the git
 * helper's cached get.  The only secret printed is the access token, in
 * the ExecCredential on stdout; the buffer that held it is wiped.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/stat.h>

#include "cli/kubecred.h"
#include "cli/profile.h"
#include "common/optt.h"

#define FULL "optt-cli"

int
main(int argc, char **argv)
{
	const struct optt_profile *p;
	const char *config = NULL, *profile = NULL;
	struct optt_kube_info info;
	struct optt_conf conf;
	struct optt_token t;
	struct optt_err err;
	struct optt_buf out;
	int i = 1, hit = 0;

	umask(077);
	prctl(PR_SET_DUMPABLE, 0, 0, 0, 0);
	optt_conf_init(&conf);
	optt_token_init(&t);
	optt_err_init(&err);
	optt_buf_init(&out, 64 * 1024);
	/* only "[--config PATH] kube [PROFILE]" is ours; the rest is the full CLI's */
	if (argc > 2 && strcmp(argv[1], "--config") == 0) {
		config = argv[2];
		i = 3;
	}
	if (argc - i < 1 || argc - i > 2 || strcmp(argv[i], "kube") != 0 ||
	    (argc - i == 2 && (profile = argv[i + 1])[0] == '-'))
		goto full;
	if (optt_kube_parse_info(secure_getenv("KUBERNETES_EXEC_INFO"), &info, &err) != OPTT_OK ||
	    optt_conf_load_user(&conf, config, &err) != OPTT_OK || (p = optt_cli_profile(&conf, profile, &err)) == NULL ||
	    optt_lookup_token(p, NULL, &t, NULL) != OPTT_OK || optt_kube_credential(&info, p, &t, &out, &err) != OPTT_OK)
		goto full; /* (the full CLI says what is wrong, or gets a token) */
	hit = 1;
	if (fwrite(out.data, 1, out.len, stdout) != out.len || fflush(stdout) != 0)
		fprintf(stderr, "optt: cannot write the credential for kubectl\n");
full:
	optt_buf_clear(&out);
	optt_token_clear(&t);
	optt_conf_clear(&conf);
	if (hit)
		return ferror(stdout) ? 3 : 0;
	optt_handoff_exec_full(FULL, argv, NULL);
	return 3; /* (it said why it cannot run) */
}
