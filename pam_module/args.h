/*
 * args.h - the PAM module's arguments (SPEC §5), parsed into a per-call
 * struct: nothing carries over between calls in one process.
 */
#ifndef OPTT_PAM_ARGS_H
#define OPTT_PAM_ARGS_H

#include <stddef.h>

#define PAM_OPTT_MAX_CLAIMS 16

struct pam_optt_claim {
	char name[64];
	const char *value; /* points into the argument string */
};

struct pam_optt_args {
	const char *profile; /* default "optt" */
	const char *config;  /* NULL: the system file */
	int use_first_pass;
	int try_first_pass;
	int debug;
	int ignore_unknown_user;
	long timeout;        /* 0: the profile's */
	long offline_days;   /* offline=DAYS, 0: off (SPEC §11) */
	long offline_max_failures; /* default 5 */
	long outage_backoff; /* seconds, 0: off */
	int session_token;
	int flow_password;   /* flow= (SPEC §12): password (default), device, password,device */
	int flow_device;
	int qr;              /* the device prompt shows the QR code (SPEC §18) */
	char user_claim[64]; /* "" : preferred_username, then user_name, then sub */
	struct pam_optt_claim claims[PAM_OPTT_MAX_CLAIMS];
	size_t nclaims;
};

/* 0 on success; -1 with *bad pointing at the offending argument and why
 * set to a constant reason. */
int pam_optt_parse_args(int argc, const char **argv, struct pam_optt_args *a,
			const char **bad, const char **why);

#endif
