/*
 * dockerproto.h - the docker-credential-helpers protocol, pure: server URL
 * normalisation, the `store` JSON reader, the `get`/`list` JSON writers.
 */
#ifndef OPTT_DOCKERPROTO_H
#define OPTT_DOCKERPROTO_H

#include <stddef.h>

#include "common/mem.h"
#include "common/status.h"

#define OPTT_DOCKER_MAX_INPUT (64 * 1024)

/* The lookup key of a server URL: scheme, path, trailing slash and
 * surrounding blanks dropped, host lower-cased, port kept; Docker Hub's
 * spellings (docker.io, index.docker.io, registry-1.docker.io) all become
 * "docker.io"; "host/repository" becomes "host".  *ret is the caller's
 * (free).  OPTT_CONFIG when nothing usable is left. */
enum optt_status optt_docker_key(const char *server_url, char **ret, struct optt_err *err);

struct optt_docker_cred {
	char *server_url;
	char *username;
	char *secret; /* secret */
};

void optt_docker_cred_clear(struct optt_docker_cred *c);

/* {"ServerURL": s, "Username": s, "Secret": s}: every field a string,
 * ServerURL and Secret not empty. */
enum optt_status optt_docker_parse_store(const char *buf, size_t len,
					 struct optt_docker_cred *ret, struct optt_err *err);

/* {"ServerURL":..,"Username":..,"Secret":..} */
enum optt_status optt_docker_format_get(const char *server_url, const char *username,
					const char *secret, struct optt_buf *out,
					struct optt_err *err);

/* Bare server URL input of get/erase: the first line, blanks trimmed. */
enum optt_status optt_docker_read_url(const char *buf, size_t len, char **ret,
				      struct optt_err *err);

struct optt_conf;
struct optt_profile;
/* The next registry entry of a `hosts` list (entries with a path are for
 * git only), copied into one; NULL at the end. *cursor starts at the list. */
const char *optt_docker_next_host(const char **cursor, char *one, size_t size);
/* The profile whose hosts, normalised like server URLs, hold key. */
const struct optt_profile *optt_docker_profile_for(const struct optt_conf *conf, const char *key);

#endif
