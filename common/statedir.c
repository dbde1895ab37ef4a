/*
 * statedir.c - root's state directories; see statedir.h.
 *
 * Invariants: one table gives every directory its place and mode; a
 * directory below another (backoff/, session/) is reached only after its
 * parent was opened (and so made) with the parent's own mode, so no
 * feature ever makes run_dir as a by-product with another mode (issue 20,
 * defect 2).  Checks are optt_fs_open_rootdir's: on the descriptor, no
 * link followed, root's, not group/other writable, no looser than its mode.
 */
#include "config.h"

#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "common/fsutil.h"
#include "common/statedir.h"

static const struct {
	enum optt_key base; /* the configuration key naming the top directory */
	const char *sub;    /* NULL: the top directory itself */
	mode_t mode;
} dirs[] = {
	[OPTT_STATEDIR_RUN] = { OPTT_K_RUN_DIR, NULL, 0711 },
	[OPTT_STATEDIR_BACKOFF] = { OPTT_K_RUN_DIR, "backoff", 0700 },
	[OPTT_STATEDIR_SESSION] = { OPTT_K_RUN_DIR, "session", 0711 },
	[OPTT_STATEDIR_OFFLINE] = { OPTT_K_OFFLINE_DIR, NULL, 0700 },
};

mode_t
optt_statedir_mode(enum optt_statedir d)
{
	return dirs[d].mode;
}

const char *
optt_statedir_path(const struct optt_profile *p, enum optt_statedir d, char *buf, size_t n)
{
	const char *base = optt_pstr(p, dirs[d].base);

	if (base == NULL)
		base = "";
	if (dirs[d].sub == NULL)
		snprintf(buf, n, "%s", base);
	else
		snprintf(buf, n, "%s/%s", base, dirs[d].sub);
	return buf;
}

enum optt_status
optt_statedir_open(const struct optt_profile *p, enum optt_statedir d, int *ret_fd,
		   struct optt_err *err)
{
	char path[4096];
	const char *base = optt_pstr(p, dirs[d].base);
	enum optt_status st;
	int fd = -1;
	size_t i;

	if (base == NULL)
		return optt_err_set(err, OPTT_CONFIG, "%s is not set", optt_key_name(dirs[d].base));
	if (dirs[d].sub != NULL) {
		/* the top directory first, with its own mode */
		for (i = 0; i < sizeof(dirs) / sizeof(dirs[0]); i++)
			if (dirs[i].base == dirs[d].base && dirs[i].sub == NULL)
				break;
		if ((st = optt_statedir_open(p, (enum optt_statedir)i, &fd, err)) != OPTT_OK)
			return st;
		close(fd);
	}
	if (strlen(optt_statedir_path(p, d, path, sizeof(path))) + 1 >= sizeof(path))
		return optt_err_set(err, OPTT_CONFIG, "%.200s: path too long", base);
	return optt_fs_open_rootdir(path, dirs[d].mode, ret_fd, err);
}
