/*
 * caller.h - does the process asking NSS count as sshd (SPEC §15)?  Only
 * then may a name that is not in the ledger be answered.
 *
 * One function, one test seam: the caller's identity and the /proc to
 * look in are parameters, so a unit test can hand it a fake /proc whose
 * self/exe and PPID/exe are symbolic links of its choosing; libnss_optt
 * passes "/proc", getuid(), geteuid() and getppid().
 */
#ifndef OPTT_ACCOUNTS_CALLER_H
#define OPTT_ACCOUNTS_CALLER_H

#include <sys/types.h>

#include "accounts/users.h"

/* 1 when ruid and euid are both 0 and the executable of the process
 * (proc/self/exe) or of its parent (proc/PPID/exe), symbolic links
 * resolved, is one of u's ssh_programs (each resolved); else 0.  Root
 * children of sshd (a pam_exec script, sshd's session child before it
 * drops privileges) count through their parent. */
int optt_caller_is_ssh(const struct optt_users *u, const char *proc, uid_t ruid, uid_t euid, pid_t ppid);

#endif
