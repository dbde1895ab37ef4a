/* Octorate's expireDate (ISO 8601 with milliseconds and a zone). */
#include "config.h"

#include "common/token.h"
#include "fuzz/fuzz.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *s = fuzz_str(data, size);
	int64_t t;

	if (s == NULL)
		return 0;
	(void)optt_iso8601_parse(s, &t);
	free(s);
	return 0;
}
