/* kubectl's KUBERNETES_EXEC_INFO (SPEC §18): the input as the variable's
 * text; what is accepted is answered with an ExecCredential. */
#include "config.h"

#include "cli/kubecred.h"
#include "fuzz/fuzz.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct optt_kube_info info;
	struct optt_profile p;
	struct optt_token t;
	struct optt_err err;
	struct optt_buf out;
	char *s = fuzz_str(data, size);

	if (s == NULL)
		return 0;
	memset(&p, 0, sizeof(p));
	optt_token_init(&t);
	optt_err_init(&err);
	optt_buf_init(&out, 64 * 1024);
	t.access_token = (char *)"tok";
	t.expires_at = 1700000000;
	if (optt_kube_parse_info(s, &info, &err) == OPTT_OK)
		(void)optt_kube_credential(&info, &p, &t, &out, &err);
	optt_buf_clear(&out);
	free(s);
	return 0;
}
