/* Groups from the token (SPEC §16): the group line readers over arbitrary
 * bytes - /etc/group read leniently by name (optt_parse_etc_grline,
 * optt_etc_group_gids), the ledger's group file (a user's private and
 * mapped groups, a mapped group's members across its lines) - and every
 * line again as a claim value through the filter, the 64-value window and
 * the mapper.  What comes out must keep the rules: a kept value passes
 * the filter, a mapped group is a name the ledger can hold, counts stay
 * within their caps, a struct group filled for a mapped group lies in its
 * buffer whatever the buffer's size. */
#include "config.h"

#include <grp.h>

#include "accounts/groups.h"
#include "accounts/ledger.h"
#include "accounts/lines.h"
#include "accounts/users.h"
#include "fuzz/fuzz.h"

static struct optt_users users;
static int ready;

static void
setup(void)
{
	char why[200];

	optt_users_init(&users);
	if (optt_users_set(&users, OPTT_UK_GROUP_MAP, "ADMIN:sudo DEV:docker x:y", why, sizeof(why)) != 0 ||
	    optt_users_set(&users, OPTT_UK_GROUP_PREFIX, "linux-", why, sizeof(why)) != 0 ||
	    optt_users_finish(&users, why, sizeof(why)) != 0)
		abort();
	ready = 1;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct optt_lines l;
	static struct optt_group_list names, values, mapped, mine;
	struct optt_field name, m;
	const char *line;
	size_t n, i, pos, count, bytes;
	uint32_t gid, gids[OPTT_GROUPS_MAX], pgid = 0;
	unsigned char found[OPTT_GROUPS_MAX];
	int has;

	if (!ready)
		setup();
	optt_group_list_init(&names);
	optt_group_list_init(&values);
	/* each line: an /etc/group line, a ledger group line, a claim value */
	optt_lines_mem(&l, (const char *)data, size);
	while (optt_lines_next(&l, &line, &n) == 1) {
		struct optt_grline gr;

		if (optt_parse_etc_grline(line, n, &name, &gid) && (name.n == 0 || name.n > n))
			abort();
		if (optt_parse_etc_grline(line, n, &name, &gid) && name.n <= OPTT_GROUP_VALUE_MAX)
			(void)optt_group_list_add(&names, name.p, name.n);
		if (optt_parse_grline(line, n, &gr))
			for (pos = 0, count = 0; optt_members_next(gr.members, &pos, &m); count++)
				if (m.n == 0 || m.p < gr.members.p || m.p + m.n > gr.members.p + gr.members.n || count > n)
					abort();
		if (optt_group_values_take(&values, line, n) == 1 && !optt_group_value_ok(line, n))
			abort();
	}
	if (names.n > OPTT_GROUPS_MAX || values.n > OPTT_GROUPS_MAX)
		abort();
	for (i = 0; i < values.n; i++)
		if (!optt_group_value_ok(values.name[i], strlen(values.name[i])))
			abort();
	optt_groups_map(&users, &values, &mapped);
	for (i = 0; i < mapped.n; i++)
		if (!optt_name_valid(mapped.name[i], strlen(mapped.name[i])))
			abort();
	/* /etc/group by name: the names found come back with a GID */
	optt_lines_rewind(&l);
	if (optt_etc_group_gids(&l, &names, gids, found) != 0)
		abort();
	for (i = 0; i < names.n; i++)
		if (!found[i])
			abort(); /* every name was read from these very lines */
	/* the ledger's group file for a few users and groups */
	for (i = 0; i < names.n && i < 4; i++) {
		optt_lines_rewind(&l);
		if (optt_ledger_groups_of(&l, names.name[i], &has, &pgid, &mine) != 0 || mine.n > OPTT_GROUPS_MAX)
			abort();
		optt_lines_rewind(&l);
		if (optt_ledger_group_size(&l, names.name[i], gids[i], &count, &bytes) != 0 || bytes < count ||
		    bytes > size + count)
			abort();
		for (pos = 0; pos < 3; pos++) {
			static char buf[4096];
			static const size_t sizes[] = { 7, 200, sizeof(buf) };
			struct group gr;
			size_t k;
			int r;

			optt_lines_rewind(&l);
			r = optt_group_fill_mapped(&l, names.name[i], gids[i], &gr, buf, sizes[pos]);
			if (r == -2 || (r == 0 && (gr.gr_gid != gids[i] || strcmp(gr.gr_name, names.name[i]) != 0)))
				abort();
			for (k = 0; r == 0 && gr.gr_mem[k] != NULL; k++)
				if (k >= count || gr.gr_mem[k] < buf || gr.gr_mem[k] + strlen(gr.gr_mem[k]) >= buf + sizes[pos])
					abort();
		}
	}
	return 0;
}
