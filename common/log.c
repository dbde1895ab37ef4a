/* log.c - the debug sink; see log.h. */
#include "config.h"

#include <stdarg.h>
#include <stdio.h>

#include "common/log.h"

void
optt_debug(const struct optt_log *log, const char *fmt, ...)
{
	char line[512];
	va_list ap;

	if (log == NULL || log->fn == NULL)
		return;
	va_start(ap, fmt);
	vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	log->fn(log->ctx, line);
}

void
optt_log_stderr(void *ctx, const char *line)
{
	(void)ctx;
	fprintf(stderr, "optt: %s\n", line);
}
