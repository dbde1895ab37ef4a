/* JWT claims (require_claim, expiry from exp, SPEC §16's group claims):
 * the token is the input. */
#include "config.h"

#include "common/jwt.h"
#include "fuzz/fuzz.h"

/* every string handed out ends where json-c says; stop after 64 */
static int
count(void *ctx, const char *s, size_t n)
{
	size_t *k = ctx;

	if (s == NULL || s[n] != '\0')
		abort();
	return ++*k >= 64;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *tok = fuzz_str(data, size);
	int64_t exp;

	if (tok == NULL)
		return 0;
	(void)optt_jwt_exp(tok, &exp);
	(void)optt_jwt_claim_holds(tok, "groups", "ssh-users");
	(void)optt_jwt_claim_holds(tok, "dept", "eng");
	{
		static const char *const names[] = { "authorities", "groups", "roles", NULL };
		size_t k = 0;

		(void)optt_jwt_claim_strings(tok, names, count, &k);
		if (k > 64)
			abort();
	}
	free(tok);
	return 0;
}
