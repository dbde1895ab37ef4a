/* JWT claims (require_claim, expiry from exp): the token is the input. */
#include "config.h"

#include "common/jwt.h"
#include "fuzz/fuzz.h"

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
	free(tok);
	return 0;
}
