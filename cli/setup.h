/*
 * setup.h - `optt-token setup git|docker [PROFILE] [--undo]` (SPEC §13):
 * point git and docker-style clients at our helpers for a profile's hosts.
 *
 * git: `credential.https://HOST[/PATH].helper optt` in the user's global
 * git config, through `git config --global` (and, for a path entry,
 * `useHttpPath true` on that URL when it is unset, so git sends the path
 * the profile is chosen by, with `optt-added useHttpPath` beside it so that
 * --undo removes it only when setup set it).  docker: a `credHelpers` entry "HOST": "optt" in
 * $DOCKER_CONFIG/config.json (default ~/.docker/config.json), and in the
 * containers auth file named by --authfile or REGISTRY_AUTH_FILE; edited
 * with json-c, every other key kept, written atomically with the file's
 * mode kept (0600 when new).  --undo removes exactly those entries.
 * Running either twice changes nothing the second time (an unchanged
 * file is not rewritten).  Nothing here is a secret.
 */
#ifndef OPTT_CLI_SETUP_H
#define OPTT_CLI_SETUP_H

#include "common/conf.h"

/* 0 ok, 2 usage or configuration error, 1 a file or git refused the change. */
int optt_setup_git(const struct optt_profile *p, int undo);
int optt_setup_docker(const struct optt_profile *p, int undo, const char *authfile);

#endif
