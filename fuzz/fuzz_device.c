/* Device authorization responses (RFC 8628, SPEC §12): status from the
 * first byte, the body after; the instructions line is built from what
 * was accepted. */
#include "config.h"

#include "common/device.h"
#include "fuzz/fuzz.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const long statuses[] = { 200, 200, 200, 200, 400, 401, 429, 503, 302 };
	struct optt_device d;
	struct optt_err err;
	char line[1200];

	if (size < 1)
		return 0;
	optt_device_init(&d);
	optt_err_init(&err);
	if (optt_device_parse(statuses[data[0] % (sizeof(statuses) / sizeof(statuses[0]))],
			      (const char *)data + 1, size - 1, 1700000000, &d, &err) == OPTT_OK)
		optt_device_instructions(&d, line, sizeof(line));
	optt_device_clear(&d);
	return 0;
}
