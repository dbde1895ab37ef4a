/*
 * device_prompt.h - the device grant's prompt of pam_optt (SPEC §12, §18):
 * the instructions, and with the module argument `qr` the QR code of
 * verification_uri_complete above them (common/qr.h: libqrencode is
 * loaded only then, so sshd never maps it otherwise).
 *
 * The prompt holds the user code: it is built in a wiping buffer, sent
 * through the conversation once, and never logged.
 */
#ifndef OPTT_PAM_DEVICE_PROMPT_H
#define OPTT_PAM_DEVICE_PROMPT_H

#include <security/pam_modules.h>

#include "common/device.h"

/* pam_prompt (echo on) with text, preceded by the QR code when qr is set
 * and the provider gave a direct link; *ret_resp as pam_prompt gives it.
 * A QR code that cannot be drawn is logged (why, never the link) and the
 * prompt goes without it.  Returns pam_prompt's code (PAM_BUF_ERR when the
 * prompt cannot be built). */
int pam_optt_device_prompt(pam_handle_t *pamh, const struct optt_device *d, int qr, const char *text,
			   char **ret_resp);

#endif
