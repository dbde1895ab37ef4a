/*
 * qr.h - a QR code drawn with half-block characters (SPEC §18), for the
 * device grant's verification_uri_complete: the CLI and the git helper
 * print it under the instructions on a terminal, the PAM module (argument
 * `qr`) puts it in its prompt.
 *
 * libqrencode makes the matrix.  It is loaded on first use (dlopen of
 * libqrencode.so.4, as keyring.c loads libsecret): nothing links it, so
 * pam_optt.so inside sshd, the front programs' cached path and every run
 * that shows no code never map it, and the packages only recommend it.
 * Without it, OPTT_UNAVAILABLE and nothing is drawn (the instructions
 * still hold the URI).
 *
 * Drawing: each text row is two module rows; a light module is painted
 * (the character's foreground), a dark one is not - the convention of
 * `qrencode -t UTF8`, right on the usual light-on-dark terminal, and
 * phones read the inverse too.  A quiet zone of two light modules on each
 * side.  Characters: U+2588 full block, U+2580 upper half, U+2584 lower
 * half, space.
 *
 * The payload carries the user code: the matrix is wiped before it is
 * freed, the drawing goes into the caller's wiping struct optt_buf, and
 * neither is ever logged (libqrencode's own work buffers are freed
 * unwiped: the code is shown to the user anyway and dies with the login).
 */
#ifndef OPTT_QR_H
#define OPTT_QR_H

#include "common/mem.h"
#include "common/status.h"

#define OPTT_QR_LIB "libqrencode.so.4"
#define OPTT_QR_QUIET 2

/* Append the QR code of text (lines of UTF-8, each ending in "\n") to out.
 * OPTT_UNAVAILABLE (libqrencode missing, or the text does not fit a QR
 * code), OPTT_NOMEM (out's cap included); out is unchanged then. */
enum optt_status optt_qr_draw(const char *text, struct optt_buf *out, struct optt_err *err);

/* Whether the CLI and the git helper draw one on fd: it is a terminal and
 * NO_QR is unset or empty. */
int optt_qr_wanted(int fd);

#endif
