/* The docker helper's input (SPEC §7): store JSON, or a server URL
 * (read, normalised), chosen by the first byte. */
#include "config.h"

#include "docker_helper/dockerproto.h"
#include "fuzz/fuzz.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct optt_docker_cred c;
	struct optt_buf out;
	struct optt_err err;
	char *url = NULL, *key = NULL;

	if (size < 1)
		return 0;
	optt_err_init(&err);
	optt_buf_init(&out, 1 << 20);
	if (data[0] & 1) {
		if (optt_docker_parse_store((const char *)data + 1, size - 1, &c, &err) == OPTT_OK) {
			(void)optt_docker_key(c.server_url, &key, &err);
			(void)optt_docker_format_get(c.server_url, c.username, c.secret, &out, &err);
			optt_docker_cred_clear(&c);
		}
	} else if (optt_docker_read_url((const char *)data + 1, size - 1, &url, &err) == OPTT_OK) {
		(void)optt_docker_key(url, &key, &err);
	}
	free(url);
	free(key);
	optt_buf_clear(&out);
	return 0;
}
