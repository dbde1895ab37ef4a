/*
 * git-credential-optt.c - git-credential-optt, the program git runs.  It answers `get`
 * from a still-valid cached token without loading libcurl, GLib or
 * libsecret (a plain file read in $XDG_RUNTIME_DIR), says nothing for
 * hosts no profile serves, ignores `store`, and hands everything else to
 * the full helper optt-git-helper (same arguments, same input).
 */
#include "config.h"

#include <stdio.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/stat.h>

#include "common/optt.h"
#include "git_helper/gitproto.h"

#define FULL "optt-git-helper"

int
main(int argc, char **argv)
{
	const struct optt_profile *p = NULL;
	const char *profile = NULL, *op;
	struct optt_git_cred in;
	struct optt_conf conf;
	struct optt_token t;
	struct optt_err err;
	struct optt_buf input, out;
	int consumed = 0;

	umask(077);
	prctl(PR_SET_DUMPABLE, 0, 0, 0, 0);
	optt_git_cred_init(&in);
	optt_conf_init(&conf);
	optt_token_init(&t);
	optt_err_init(&err);
	optt_buf_init(&input, OPTT_GIT_MAX_INPUT);
	optt_buf_init(&out, 64 * 1024);
	/* only "[--profile NAME] get|store" is ours; the rest goes to the full helper */
	if (argc == 4 && strcmp(argv[1], "--profile") == 0)
		profile = argv[2];
	else if (argc != 2)
		goto full;
	op = argv[argc - 1];
	if (strcmp(op, "get") != 0 && strcmp(op, "store") != 0 && strcmp(op, "erase") != 0)
		goto full;
	consumed = 1;
	if (optt_handoff_read_stdin(&input, &err) != OPTT_OK) {
		fprintf(stderr, "optt: %s\n", err.msg); /* over the cap: refused, like the helper */
		goto done;
	}
	if (strcmp(op, "store") == 0)
		goto done; /* the helper stores what it mints itself */
	if (strcmp(op, "get") != 0 ||
	    optt_git_parse(input.data ? input.data : "", input.len, &in, &err) != OPTT_OK)
		goto full;
	switch (optt_git_check_target(&in, &err)) {
	case OPTT_OK:
		break;
	case OPTT_DENIED:
		goto done; /* not over https (or a refused path): nothing for git */
	default:
		goto full; /* (out of memory: the full helper says so) */
	}
	if (optt_conf_load_user(&conf, NULL, &err) != OPTT_OK)
		goto full;
	if (profile != NULL)
		p = optt_conf_profile(&conf, profile);
	else if (in.host != NULL)
		p = optt_conf_profile_for_host(&conf, in.host, in.path);
	if (p == NULL && profile == NULL)
		goto done; /* not our host: other helpers run */
	if (p == NULL || optt_lookup_token(p, optt_subject_hint(p, in.username), &t, NULL) != OPTT_OK ||
	    optt_git_answer(&in, p, &t, &out, &err) != OPTT_OK)
		goto full;
	if (fwrite(out.data, 1, out.len, stdout) != out.len || fflush(stdout) != 0)
		fprintf(stderr, "optt: cannot write the answer to git\n");
	goto done;
full:
	optt_token_clear(&t);
	optt_git_cred_clear(&in);
	optt_conf_clear(&conf);
	optt_buf_clear(&out);
	optt_handoff_exec_full(FULL, argv, consumed ? &input : NULL);
	optt_buf_clear(&input);
	return 0; /* git goes on without us */
done:
	optt_token_clear(&t);
	optt_git_cred_clear(&in);
	optt_conf_clear(&conf);
	optt_buf_clear(&out);
	optt_buf_clear(&input);
	return 0;
}
