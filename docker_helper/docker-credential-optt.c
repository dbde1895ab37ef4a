/*
 * docker-credential-optt.c - docker-credential-optt, the program docker clients run.  It
 * answers `get` for a profile registry from a still-valid cached token
 * without loading libcurl, GLib or libsecret, and hands everything else
 * (stored credentials, refresh, store, erase, list) to the full helper
 * optt-docker-helper with the same arguments and input.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/stat.h>

#include "common/optt.h"
#include "docker_helper/dockerproto.h"

#define FULL "optt-docker-helper"

int
main(int argc, char **argv)
{
	const struct optt_profile *p;
	struct optt_conf conf;
	struct optt_token t;
	struct optt_err err;
	struct optt_buf input, out;
	char *url = NULL, *key = NULL;
	int rc = 0, consumed = 0;

	umask(077);
	prctl(PR_SET_DUMPABLE, 0, 0, 0, 0);
	optt_conf_init(&conf);
	optt_token_init(&t);
	optt_err_init(&err);
	optt_buf_init(&input, OPTT_DOCKER_MAX_INPUT);
	optt_buf_init(&out, 64 * 1024);
	if (argc != 2 || strcmp(argv[1], "get") != 0 || getenv("OPTT_DEBUG") != NULL)
		goto full;
	consumed = 1;
	if (optt_handoff_read_stdin(&input, &err) != OPTT_OK) {
		printf("%s\n", err.msg); /* errors on stdout, exit 1: the protocol */
		rc = 1;
		goto done;
	}
	if (optt_docker_read_url(input.data ? input.data : "", input.len, &url, &err) != OPTT_OK ||
	    optt_docker_key(url, &key, &err) != OPTT_OK ||
	    optt_conf_load_user(&conf, NULL, &err) != OPTT_OK ||
	    (p = optt_docker_profile_for(&conf, key)) == NULL ||
	    optt_lookup_token(p, NULL, &t, NULL) != OPTT_OK ||
	    optt_docker_format_get(url, optt_pstr(p, OPTT_K_USERNAME), t.access_token, &out, &err) != OPTT_OK)
		goto full;
	if (fwrite(out.data, 1, out.len, stdout) != out.len || fflush(stdout) != 0)
		rc = 1;
	goto done;
full:
	optt_token_clear(&t);
	optt_conf_clear(&conf);
	optt_buf_clear(&out);
	free(url);
	free(key);
	optt_handoff_exec_full(FULL, argv, consumed ? &input : NULL);
	optt_buf_clear(&input);
	return 1;
done:
	optt_token_clear(&t);
	optt_conf_clear(&conf);
	optt_buf_clear(&out);
	optt_buf_clear(&input);
	free(url);
	free(key);
	return rc;
}
