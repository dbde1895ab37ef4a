/*
 * pamdrive - drive real libpam (under pam_wrapper) like a login program:
 *   pamdrive SERVICE USER [COUNT]
 * The whole of stdin, minus one trailing newline, is the password the
 * conversation answers (so sshd's placeholder, which holds "\n", can be
 * sent).  Runs pam_start / pam_authenticate / pam_end COUNT times (libpam
 * loads and unloads the module each time) and prints the symbolic PAM code
 * of the last authentication, or "MIXED" if the codes differed, then the
 * largest fail delay requested ("delay=USEC"; the application's delay
 * function records it instead of sleeping).
 */
#include "config.h"

#include <security/pam_appl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static char password[4096];
static unsigned int max_delay;

/* libpam calls this instead of sleeping: record what the module asked for */
static void
fail_delay(int retval, unsigned usec, void *arg)
{
	(void)retval, (void)arg;
	if (usec > max_delay)
		max_delay = usec;
}

static int
conv(int n, const struct pam_message **msg, struct pam_response **resp, void *arg)
{
	struct pam_response *r;
	int i;

	(void)arg;
	if (n <= 0 || (r = calloc((size_t)n, sizeof(*r))) == NULL)
		return PAM_CONV_ERR;
	for (i = 0; i < n; i++) {
		if (msg[i]->msg_style == PAM_PROMPT_ECHO_OFF) {
			if ((r[i].resp = strdup(password)) == NULL)
				goto fail;
		} else if (msg[i]->msg_style == PAM_PROMPT_ECHO_ON) {
			goto fail;
		}
	}
	*resp = r;
	return PAM_SUCCESS;
fail:
	for (i = 0; i < n; i++)
		free(r[i].resp);
	free(r);
	return PAM_CONV_ERR;
}

static const char *
code_name(int c)
{
	static const struct { int code; const char *name; } names[] = {
		{ PAM_SUCCESS, "PAM_SUCCESS" }, { PAM_AUTH_ERR, "PAM_AUTH_ERR" },
		{ PAM_PERM_DENIED, "PAM_PERM_DENIED" }, { PAM_AUTHINFO_UNAVAIL, "PAM_AUTHINFO_UNAVAIL" },
		{ PAM_SERVICE_ERR, "PAM_SERVICE_ERR" }, { PAM_BUF_ERR, "PAM_BUF_ERR" },
		{ PAM_USER_UNKNOWN, "PAM_USER_UNKNOWN" }, { PAM_IGNORE, "PAM_IGNORE" },
		{ PAM_CONV_ERR, "PAM_CONV_ERR" }, { PAM_SYSTEM_ERR, "PAM_SYSTEM_ERR" },
		{ PAM_MAXTRIES, "PAM_MAXTRIES" }, { PAM_CRED_INSUFFICIENT, "PAM_CRED_INSUFFICIENT" },
	};
	size_t i;

	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (names[i].code == c)
			return names[i].name;
	return "PAM_OTHER";
}

int
main(int argc, char **argv)
{
	struct pam_conv pc = { conv, NULL };
	pam_handle_t *pamh;
	size_t len;
	long count = 1, i;
	int r, last = -1, mixed = 0;

	if (argc < 3 || argc > 4) {
		fprintf(stderr, "usage: pamdrive SERVICE USER [COUNT] <password\n"); /* -- secret-ok */
		return 2;
	}
	if (argc == 4)
		count = strtol(argv[3], NULL, 10);
	len = fread(password, 1, sizeof(password) - 1, stdin);
	password[len] = '\0';
	if (len > 0 && password[len - 1] == '\n')
		password[len - 1] = '\0';
	for (i = 0; i < count; i++) {
		if ((r = pam_start(argv[1], argv[2], &pc, &pamh)) != PAM_SUCCESS) {
			fprintf(stderr, "pam_start: %d\n", r);
			return 2;
		}
		pam_set_item(pamh, PAM_FAIL_DELAY, (const void *)fail_delay);
		r = pam_authenticate(pamh, PAM_SILENT);
		pam_end(pamh, r);
		if (last != -1 && r != last)
			mixed = 1;
		last = r;
	}
	memset(password, 0, sizeof(password));
	printf("%s delay=%u\n", mixed ? "MIXED" : code_name(last), max_delay);
	return 0;
}
