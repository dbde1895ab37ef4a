/*
 * exitcode.h - optt-token's exit codes (SPEC §8): 0 ok, 1 rejected, 2
 * usage or configuration error, 3 unavailable (and local failures), 4 bad
 * response; and the one stderr line that goes with a failure.
 */
#ifndef OPTT_CLI_EXITCODE_H
#define OPTT_CLI_EXITCODE_H

#include "common/status.h"

int optt_cli_exit_code(enum optt_status st);
/* "optt: MESSAGE" on stderr; the exit code of st. */
int optt_cli_fail(enum optt_status st, const struct optt_err *err);

#endif
