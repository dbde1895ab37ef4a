/*
 * profile.c - see profile.h.
 */
#include "config.h"

#include <stddef.h>

#include "cli/profile.h"

const struct optt_profile *
optt_cli_profile(const struct optt_conf *conf, const char *name, struct optt_err *err)
{
	const struct optt_profile *p;
	char names[160], files[200];

	if (name == NULL && conf->nprofiles == 1)
		return &conf->profiles[0];
	if ((p = optt_conf_profile(conf, name != NULL ? name : "optt")) != NULL)
		return p;
	optt_conf_profile_names(conf, names, sizeof(names));
	optt_conf_sources(conf, files, sizeof(files));
	if (conf->nprofiles == 0)
		optt_err_set(err, OPTT_CONFIG, "no profile configured (read: %s)", files);
	else if (name != NULL)
		optt_err_set(err, OPTT_CONFIG, "no profile '%.64s' (profiles: %s; read: %s)", name, names, files);
	else
		optt_err_set(err, OPTT_CONFIG, "several profiles configured: name one of %s", names);
	return NULL;
}
