/* Cache records (the file cache, the keyring's secret, the fast copy). */
#include "config.h"

#include "common/cache_record.h"
#include "fuzz/fuzz.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct optt_token t;
	struct optt_err err;
	struct optt_buf out;

	optt_token_init(&t);
	optt_err_init(&err);
	optt_buf_init(&out, OPTT_RECORD_MAX);
	if (optt_record_decode((const char *)data, size, &t, &err) == OPTT_OK)
		(void)optt_record_encode(&t, &out);
	optt_buf_clear(&out);
	optt_token_clear(&t);
	return 0;
}
