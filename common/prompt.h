/*
 * prompt.h - asking for a secret: on the terminal (/dev/tty, echo off) or
 * from a file descriptor (--password-stdin).  One line, at most 4 KiB;
 * the returned string is the caller's to wipe (optt_free_str).
 */
#ifndef OPTT_PROMPT_H
#define OPTT_PROMPT_H

#include "common/status.h"

#define OPTT_SECRET_MAX 4096

/* Prompt on /dev/tty; echo on for user names, off for secrets. */
enum optt_status optt_prompt_tty(const char *prompt, int echo, char **ret, struct optt_err *err);
/* Read one line from fd (the trailing newline dropped). */
enum optt_status optt_read_line_fd(int fd, char **ret, struct optt_err *err);

/* Run an askpass program (git's GIT_ASKPASS/SSH_ASKPASS convention): the
 * prompt is its only argument, the answer the first line of its output. */
enum optt_status optt_prompt_askpass(const char *prog, const char *prompt, char **ret,
				     struct optt_err *err);

#endif
