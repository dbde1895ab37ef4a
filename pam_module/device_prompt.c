/*
 * device_prompt.c - see device_prompt.h.
 */
#include "config.h"

#include <syslog.h>

#include <security/pam_ext.h>

#include "common/qr.h"
#include "pam_module/device_prompt.h"

int
pam_optt_device_prompt(pam_handle_t *pamh, const struct optt_device *d, int qr, const char *text,
		       char **ret_resp)
{
	struct optt_buf b;
	struct optt_err err;
	int r;

	optt_buf_init(&b, 64 * 1024);
	optt_err_init(&err);
	if (qr && d->verification_uri_complete != NULL &&
	    optt_qr_draw(d->verification_uri_complete, &b, &err) != OPTT_OK)
		pam_syslog(pamh, LOG_WARNING, "optt: qr: %s", err.msg);
	if (optt_buf_puts(&b, text) != 0)
		r = PAM_BUF_ERR;
	else
		r = pam_prompt(pamh, PAM_PROMPT_ECHO_ON, ret_resp, "%s", b.data);
	optt_buf_clear(&b);
	return r;
}
