/*
 * caller.c - the sshd caller check; see caller.h.
 *
 * Invariant: a process that is not root, real and effective, never
 * counts (a setuid-root program run by a user is not sshd, whatever its
 * file); the executable is resolved by the kernel's link, not by argv[0]
 * or the process name, which the caller controls.
 */
#include "config.h"

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>

#include "accounts/caller.h"

static int
exe_is_ssh(const struct optt_users *u, const char *proc, const char *who)
{
	char link[256], real[PATH_MAX];
	int n = snprintf(link, sizeof(link), "%s/%s/exe", proc, who);

	if (n < 0 || (size_t)n >= sizeof(link) || realpath(link, real) == NULL)
		return 0;
	return optt_users_is_ssh_program(u, real);
}

int
optt_caller_is_ssh(const struct optt_users *u, const char *proc, uid_t ruid, uid_t euid, pid_t ppid)
{
	char parent[32];

	if (ruid != 0 || euid != 0)
		return 0;
	if (exe_is_ssh(u, proc, "self"))
		return 1;
	snprintf(parent, sizeof(parent), "%ld", (long)ppid);
	return ppid > 0 && exe_is_ssh(u, proc, parent);
}
