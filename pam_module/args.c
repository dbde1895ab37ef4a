/*
 * args.c - parse the module arguments strictly: an unknown or malformed
 * argument is an error, never ignored.
 */
#include "config.h"

#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "pam_module/args.h"

/* whole decimal number in [min, max] */
static int
parse_num(const char *s, long min, long max, long *ret)
{
	long v = 0;

	if (*s == '\0')
		return -1;
	for (; *s != '\0'; s++) {
		if (*s < '0' || *s > '9')
			return -1;
		v = v * 10 + (*s - '0');
		if (v > max)
			return -1;
	}
	if (v < min)
		return -1;
	*ret = v;
	return 0;
}

/* the numeric arguments: name=, range, where it goes, what it needs */
static const struct num_arg {
	const char *prefix;
	long min, max;
	size_t offset;
	const char *why;
} num_args[] = {
	{ "timeout=", 1, 300, offsetof(struct pam_optt_args, timeout),
	  "timeout= needs whole seconds from 1 to 300" },
	{ "offline=", 1, 3650, offsetof(struct pam_optt_args, offline_days),
	  "offline= needs whole days from 1 to 3650" },
	{ "offline_max_failures=", 1, 1000, offsetof(struct pam_optt_args, offline_max_failures),
	  "offline_max_failures= needs a whole number from 1 to 1000" },
	{ "outage_backoff=", 1, 86400, offsetof(struct pam_optt_args, outage_backoff),
	  "outage_backoff= needs whole seconds from 1 to 86400" },
};

/* 1 matched and parsed, 0 not a numeric argument, -1 malformed */
static int
parse_num_arg(const char *s, struct pam_optt_args *a, const char **why)
{
	size_t i, n;

	for (i = 0; i < sizeof(num_args) / sizeof(num_args[0]); i++) {
		n = strlen(num_args[i].prefix);
		if (strncmp(s, num_args[i].prefix, n) != 0)
			continue;
		if (parse_num(s + n, num_args[i].min, num_args[i].max,
			      (long *)(void *)((char *)a + num_args[i].offset)) != 0) {
			*why = num_args[i].why;
			return -1;
		}
		return 1;
	}
	return 0;
}

static int
parse_claim(const char *s, struct pam_optt_args *a, const char **why)
{
	const char *eq = strchr(s, '=');
	size_t n;

	if (eq == NULL || eq == s || eq[1] == '\0') {
		*why = "expected require_claim=NAME=VALUE";
		return -1;
	}
	n = (size_t)(eq - s);
	if (n >= sizeof(a->claims[0].name)) {
		*why = "claim name too long";
		return -1;
	}
	if (a->nclaims >= PAM_OPTT_MAX_CLAIMS) {
		*why = "too many require_claim arguments";
		return -1;
	}
	memcpy(a->claims[a->nclaims].name, s, n);
	a->claims[a->nclaims].name[n] = '\0';
	a->claims[a->nclaims].value = eq + 1;
	a->nclaims++;
	return 0;
}

int
pam_optt_parse_args(int argc, const char **argv, struct pam_optt_args *a,
		    const char **bad, const char **why)
{
	int i;

	memset(a, 0, sizeof(*a));
	a->profile = "optt";
	a->offline_max_failures = 5;
	a->flow_password = 1;
	for (i = 0; i < argc; i++) {
		const char *s = argv[i];
		int r;

		*bad = s;
		*why = "unknown argument";
		if (strcmp(s, "use_first_pass") == 0) {
			a->use_first_pass = 1;
		} else if (strcmp(s, "try_first_pass") == 0) {
			a->try_first_pass = 1;
		} else if (strcmp(s, "debug") == 0) {
			a->debug = 1;
		} else if (strcmp(s, "ignore_unknown_user") == 0) {
			a->ignore_unknown_user = 1;
		} else if (strcmp(s, "session_token") == 0) {
			a->session_token = 1;
		} else if (strcmp(s, "qr") == 0) {
			a->qr = 1;
		} else if (strncmp(s, "flow=", 5) == 0) {
			a->flow_password = strcmp(s + 5, "password") == 0 || strcmp(s + 5, "password,device") == 0;
			a->flow_device = strcmp(s + 5, "device") == 0 || strcmp(s + 5, "password,device") == 0;
			if (!a->flow_password && !a->flow_device) {
				*why = "flow= takes password, device or password,device";
				return -1;
			}
		} else if (strncmp(s, "user_claim=", 11) == 0) {
			if (s[11] == '\0' || strlen(s + 11) >= sizeof(a->user_claim)) {
				*why = "user_claim= needs a claim name (at most 63 characters)";
				return -1;
			}
			memcpy(a->user_claim, s + 11, strlen(s + 11) + 1);
		} else if ((r = parse_num_arg(s, a, why)) != 0) {
			if (r < 0)
				return -1;
		} else if (strncmp(s, "profile=", 8) == 0) {
			a->profile = s + 8;
			if (*a->profile == '\0') {
				*why = "empty profile name";
				return -1;
			}
		} else if (strncmp(s, "config=", 7) == 0) {
			a->config = s + 7;
			if (a->config[0] != '/') {
				*why = "config= needs an absolute path";
				return -1;
			}
		} else if (strncmp(s, "require_claim=", 14) == 0) {
			if (parse_claim(s + 14, a, why) != 0)
				return -1;
		} else {
			return -1;
		}
	}
	if (a->use_first_pass && a->try_first_pass) {
		*bad = "use_first_pass";
		*why = "use_first_pass and try_first_pass exclude each other";
		return -1;
	}
	*bad = *why = NULL;
	return 0;
}
