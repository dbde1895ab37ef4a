/*
 * log.h - the debug sink.  common/ never prints: it hands debug lines to a
 * sink its caller gives (stderr for the CLI and helpers, pam_syslog for the
 * PAM module).  Lines name methods, hosts, paths, statuses and timings only:
 * never a query string, body, header value or token.
 */
#ifndef OPTT_LOG_H
#define OPTT_LOG_H

struct optt_log {
	void (*fn)(void *ctx, const char *line);
	void *ctx;
};

/* No-op when log or log->fn is NULL. */
void optt_debug(const struct optt_log *log, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* A sink for the user-side programs: "optt: LINE" on stderr. */
void optt_log_stderr(void *ctx, const char *line);

#endif
