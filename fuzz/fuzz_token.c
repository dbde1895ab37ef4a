/* Token responses of every dialect (SPEC §3): status from the first byte,
 * the clock from the second, the body after. */
#include "config.h"

#include "common/token.h"
#include "fuzz/fuzz.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const long statuses[] = { 200, 200, 200, 200, 400, 401, 403, 404, 408, 429, 500, 503, 302, 201 };
	struct optt_token t;
	struct optt_err err;
	long status;
	int64_t now;

	if (size < 2)
		return 0;
	status = statuses[data[0] % (sizeof(statuses) / sizeof(statuses[0]))];
	now = 1700000000 + (int64_t)data[1] * 86400 * 30;
	optt_token_init(&t);
	optt_err_init(&err);
	(void)optt_token_parse(status, (const char *)data + 2, size - 2, now, 300, &t, &err);
	optt_token_clear(&t);
	return 0;
}
