/* git's credential attributes (SPEC §6): the reader, the Bearer test and
 * the answer writer. */
#include "config.h"

#include "git_helper/gitproto.h"
#include "fuzz/fuzz.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct optt_git_cred c;
	struct optt_git_answer a;
	struct optt_buf out;
	struct optt_err err;

	optt_git_cred_init(&c);
	optt_err_init(&err);
	optt_buf_init(&out, 1 << 20);
	if (optt_git_parse((const char *)data, size, &c, &err) == OPTT_OK) {
		memset(&a, 0, sizeof(a));
		(void)optt_git_check_target(&c, &err); /* protocol rule, path decoding and dot segments */
		a.bearer = c.cap_authtype && optt_git_offers_bearer(&c);
		a.username = c.username ? c.username : "oauth2";
		a.token = c.password ? c.password : "t";
		a.expiry_utc = 1;
		(void)optt_git_format(&a, &out, &err);
	}
	optt_buf_clear(&out);
	optt_git_cred_clear(&c);
	return 0;
}
