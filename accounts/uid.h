/*
 * uid.h - the UID rule of SPEC §15: one UID per name on every host.
 *
 *   uid = MIN + MurmurHash3_x86_32(name, seed 0xdeadbeef) mod (MAX - MIN + 1)
 *
 * over the bytes of the name as given (the formula of SSSD's ID mapping and
 * of himmelblau).  Pure functions: no allocation, no failure, nothing held.
 */
#ifndef OPTT_ACCOUNTS_UID_H
#define OPTT_ACCOUNTS_UID_H

#include <stddef.h>
#include <stdint.h>

#define OPTT_UID_SEED 0xdeadbeefu
/* the bounds any uid_range and any pin must keep */
#define OPTT_UID_LOWEST 1000L
#define OPTT_UID_HIGHEST 2147483647L

/* MurmurHash3, x86 32-bit variant (Austin Appleby's public-domain design). */
uint32_t optt_murmur3_32(const void *data, size_t len, uint32_t seed);

/* The rule's UID for name within [min, max] (both inclusive, min <= max). */
uint32_t optt_uid_rule(const char *name, uint32_t min, uint32_t max);

/* 1 when uid is never given out: 65534 (nobody), 65535 ((uid_t)-1 in 16
 * bits) and 61184-65519 (systemd's dynamic users). */
int optt_uid_reserved(uint32_t uid);

#endif
