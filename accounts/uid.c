/* uid.c - the UID rule; see uid.h. */
#include "config.h"

#include <string.h>

#include "accounts/uid.h"

static uint32_t
rotl32(uint32_t x, int r)
{
	return (x << r) | (x >> (32 - r));
}

/* one 32-bit block, mixed as the design's body and tail both mix it */
static uint32_t
mix_block(uint32_t k)
{
	k *= 0xcc9e2d51u;
	k = rotl32(k, 15);
	return k * 0x1b873593u;
}

uint32_t
optt_murmur3_32(const void *data, size_t len, uint32_t seed)
{
	const unsigned char *p = data;
	uint32_t h = seed, k;
	size_t i, nblocks = len / 4;

	for (i = 0; i < nblocks; i++, p += 4) {
		/* little-endian reads, whatever the host's order */
		k = (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
		h ^= mix_block(k);
		h = rotl32(h, 13);
		h = h * 5u + 0xe6546b64u;
	}
	k = 0;
	switch (len & 3u) {
	case 3:
		k ^= (uint32_t)p[2] << 16;
		/* fall through */
	case 2:
		k ^= (uint32_t)p[1] << 8;
		/* fall through */
	case 1:
		k ^= (uint32_t)p[0];
		h ^= mix_block(k);
		break;
	default:
		break;
	}
	h ^= (uint32_t)len;
	h ^= h >> 16;
	h *= 0x85ebca6bu;
	h ^= h >> 13;
	h *= 0xc2b2ae35u;
	h ^= h >> 16;
	return h;
}

uint32_t
optt_uid_rule(const char *name, uint32_t min, uint32_t max)
{
	uint64_t span = (uint64_t)max - min + 1;

	return (uint32_t)(min + optt_murmur3_32(name, strlen(name), OPTT_UID_SEED) % span);
}

int
optt_uid_reserved(uint32_t uid)
{
	return uid == 65534u || uid == 65535u || (uid >= 61184u && uid <= 65519u);
}
