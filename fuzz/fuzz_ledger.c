/* The user ledger's readers (SPEC §15): the line reader over arbitrary
 * bytes (long lines, NULs, no newline) and every line parser - passwd,
 * group, state (with its field decoding), pins - on each line it hands
 * out; what a parser accepts must survive its checks again. */
#include "config.h"

#include "accounts/ledger.h"
#include "accounts/lines.h"
#include "fuzz/fuzz.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct optt_lines l;
	struct optt_pwline pw;
	struct optt_grline gr;
	struct optt_stline st;
	struct optt_pinline pin;
	const char *line;
	size_t n;
	char out[OPTT_LINE_MAX];

	optt_lines_mem(&l, (const char *)data, size);
	while (optt_lines_next(&l, &line, &n) == 1) {
		if (n + 1 > OPTT_LINE_MAX)
			abort(); /* the reader's limit */
		if (optt_parse_pwline(line, n, &pw) && !optt_name_valid(pw.name.p, pw.name.n))
			abort();
		if (optt_parse_grline(line, n, &gr))
			(void)optt_list_has(gr.members, "root");
		if (optt_parse_stline(line, n, &st)) {
			(void)optt_field_decode(st.provider, out, sizeof(out));
			(void)optt_field_decode(st.subject, out, sizeof(out));
		}
		if (optt_parse_pinline(line, n, &pin) && (pin.uid < 1000 || pin.uid > 2147483647u))
			abort();
	}
	return 0;
}
