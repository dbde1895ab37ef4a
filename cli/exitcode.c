/* exitcode.c - optt-token's exit codes; see exitcode.h. */
#include "config.h"

#include <stdio.h>

#include "cli/exitcode.h"

int
optt_cli_exit_code(enum optt_status st)
{
	switch (st) {
	case OPTT_OK:
		return 0;
	case OPTT_REJECTED:
	case OPTT_DENIED:
	case OPTT_CLIENT:
		return 1;
	case OPTT_CONFIG:
		return 2;
	case OPTT_UNAVAILABLE:
	case OPTT_NOMEM:
	case OPTT_SYSTEM:
		return 3;
	case OPTT_BADRESP:
		return 4;
	}
	return 3;
}

int
optt_cli_fail(enum optt_status st, const struct optt_err *err)
{
	fprintf(stderr, "optt: %s\n", err->msg[0] ? err->msg : optt_status_name(st));
	return optt_cli_exit_code(st);
}
