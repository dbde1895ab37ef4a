/*
 * dockerstore.h - credentials a user stores through the docker helper
 * (server, user name, secret): not tokens, the docker `credsStore` role.
 * Only optt-docker-helper uses them, so they live here, not in common/.
 *
 * Keyring backend: the schema of docker-credential-secretservice
 * (io.docker.Credentials; attributes label="Docker Credentials", server,
 * username, docker_cli="1"; item label = server), so each helper reads
 * what the other stored.  File backend: one 0600 JSON file,
 * ${XDG_DATA_HOME:-~/.local/share}/optt/docker-credentials.json, replaced
 * atomically under the lock docker@credentials.lock beside it.  The
 * backend is the token cache's (keyring when that is the keyring, else the
 * file), so one `cache` setting decides where every secret goes.
 */
#ifndef OPTT_DOCKERSTORE_H
#define OPTT_DOCKERSTORE_H

#include <stddef.h>

#include "common/cache.h"

struct optt_stored_cred {
	char *server;   /* as it was stored (the ServerURL given) */
	char *username;
	char *secret;   /* secret */
};

struct optt_stored_creds {
	struct optt_stored_cred *v;
	size_t n;
};

void optt_stored_creds_free(struct optt_stored_creds *cs);

/* Every stored credential, secrets included.  OPTT_NOMEM rather than a
 * shortened list; a damaged file: OPTT_SYSTEM (and it is left alone). */
enum optt_status optt_dockerstore_load_all(struct optt_cache *c, struct optt_stored_creds *ret,
					   struct optt_err *err);
/* Delete the credentials whose server is one of servers[0..n) (exact),
 * then store (server, username, secret) unless server is NULL. */
enum optt_status optt_dockerstore_replace(struct optt_cache *c, const char *const *servers,
					  size_t n, const char *server, const char *username,
					  const char *secret, struct optt_err *err);

#endif
