/*
 * users.h - optt-token's admin side of SPEC §15: `users list|show|forget`
 * over the user ledger, and the [users] checks of `check-config --pam`.
 * The configuration is the one pam_optt reads (--config PATH, else the
 * system file, with the module's rules).  Nothing printed is secret (no
 * token; the subject is an identifier).
 */
#ifndef OPTT_CLI_USERS_H
#define OPTT_CLI_USERS_H

#include "common/conf.h"

/* `optt-token users list|show NAME|forget NAME`: the exit code. */
int optt_cli_users(const struct optt_conf *c, int argc, char **argv);

/* check-config --pam: the [users] lines and every `warning:` line (on
 * stdout); the number of warnings. */
int optt_cli_users_check(const struct optt_conf *c);

#endif
