/*
 * profile.h - which profile a CLI command means (SPEC §8, DECISIONS.md):
 * the one named, else the only one configured, else the one named "optt".
 * Shared by the front (cli/optt-token.c) and the full CLI, so that
 * `optt-token kube` picks exactly as `optt-token get` does.
 */
#ifndef OPTT_CLI_PROFILE_H
#define OPTT_CLI_PROFILE_H

#include "common/conf.h"

/* The profile, or NULL with err saying why (OPTT_CONFIG): the profiles
 * there are and the files read.  Points into conf. */
const struct optt_profile *optt_cli_profile(const struct optt_conf *conf, const char *name,
					    struct optt_err *err);

#endif
