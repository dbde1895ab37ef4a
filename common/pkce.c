/* pkce.c - RFC 7636 S256 pairs; see pkce.h. */
#include "config.h"

#include <string.h>
#include <sys/random.h>

#include <openssl/evp.h>

#include "common/mem.h"
#include "common/pkce.h"

int
optt_pkce_applies(const struct optt_profile *p)
{
	return optt_pnum(p, OPTT_K_DIALECT) == OPTT_DIALECT_OAUTH2 &&
	       optt_pnum(p, OPTT_K_PKCE) != OPTT_PKCE_OFF;
}

/* base64url without padding (RFC 7636 appendix A) into out (>= 4n/3 + 1) */
static void
b64url(char *out, const unsigned char *in, size_t n)
{
	static const char al[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
	size_t i, o = 0;
	unsigned long v;

	for (i = 0; i + 2 < n; i += 3) {
		v = (unsigned long)in[i] << 16 | (unsigned long)in[i + 1] << 8 | in[i + 2];
		out[o++] = al[v >> 18 & 63];
		out[o++] = al[v >> 12 & 63];
		out[o++] = al[v >> 6 & 63];
		out[o++] = al[v & 63];
	}
	if (n - i == 1) {
		v = (unsigned long)in[i] << 16;
		out[o++] = al[v >> 18 & 63];
		out[o++] = al[v >> 12 & 63];
	} else if (n - i == 2) {
		v = (unsigned long)in[i] << 16 | (unsigned long)in[i + 1] << 8;
		out[o++] = al[v >> 18 & 63];
		out[o++] = al[v >> 12 & 63];
		out[o++] = al[v >> 6 & 63];
	}
	out[o] = '\0';
}

enum optt_status
optt_pkce_new(struct optt_pkce *ret, struct optt_err *err)
{
	unsigned char rnd[32], md[EVP_MAX_MD_SIZE];
	unsigned int mdlen = 0;
	struct optt_pkce k;
	enum optt_status st = OPTT_OK;

	memset(&k, 0, sizeof(k));
	if (getrandom(rnd, sizeof(rnd), 0) != (ssize_t)sizeof(rnd)) {
		st = optt_err_set(err, OPTT_SYSTEM, "no randomness for the PKCE verifier");
		goto out;
	}
	b64url(k.verifier, rnd, sizeof(rnd));
	if (EVP_Digest(k.verifier, strlen(k.verifier), md, &mdlen, EVP_sha256(), NULL) != 1 ||
	    mdlen != 32) {
		st = optt_err_set(err, OPTT_SYSTEM, "cannot compute the PKCE challenge (SHA-256)");
		goto out;
	}
	b64url(k.challenge, md, mdlen);
	*ret = k;
out:
	OPTT_WIPE(&k, sizeof(k));
	OPTT_WIPE(rnd, sizeof(rnd));
	OPTT_WIPE(md, sizeof(md));
	return st;
}

void
optt_pkce_clear(struct optt_pkce *k)
{
	if (k != NULL)
		OPTT_WIPE(k, sizeof(*k));
}
