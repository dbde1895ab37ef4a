/*
 * args.c - parse the module arguments strictly: an unknown or malformed
 * argument is an error, never ignored.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "pam_module/args.h"

static int
parse_timeout(const char *s, long *ret)
{
	long v = 0;

	if (*s == '\0')
		return -1;
	for (; *s != '\0'; s++) {
		if (*s < '0' || *s > '9')
			return -1;
		v = v * 10 + (*s - '0');
		if (v > 300)
			return -1;
	}
	if (v < 1)
		return -1;
	*ret = v;
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
	for (i = 0; i < argc; i++) {
		const char *s = argv[i];

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
		} else if (strncmp(s, "timeout=", 8) == 0) {
			if (parse_timeout(s + 8, &a->timeout) != 0) {
				*why = "timeout= needs whole seconds from 1 to 300";
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
