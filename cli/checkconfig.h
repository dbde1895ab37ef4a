/*
 * checkconfig.h - `optt-token check-config [--pam] [--offline]` (SPEC §8,
 * §15): each returns the command's exit code (0, or 2 for a file pam_optt
 * cannot use; discovery failures as exitcode.h says).
 */
#ifndef OPTT_CLI_CHECKCONFIG_H
#define OPTT_CLI_CHECKCONFIG_H

#include "common/conf.h"
#include "common/log.h"

/* Every profile, resolved, secrets masked; with discover, an issuer
 * profile's endpoints from its discovery document first. */
int optt_cli_show_config(struct optt_conf *conf, int discover, const struct optt_log *log);

/* --pam: conf as read from conf_path by the module's rules; only, when
 * not NULL, the one profile to show. */
int optt_cli_check_pam(const struct optt_conf *conf, const char *conf_path, const char *only);

#endif
