/*
 * conf_hosts.c - which profile serves a host (SPEC §6, §7, §13): the
 * `hosts` entries of the configuration matched against a git or docker
 * host, wildcards and path prefixes included; see conf.h.  Pure functions
 * over the loaded configuration.
 */
#include "config.h"

#include <string.h>
#include <strings.h>

#include "common/conf.h"

/* A literal host entry outranks every wildcard entry, whatever their paths. */
#define LITERAL_RANK ((size_t)1 << 24)

/* host[:port] split at the port: the name's length without one trailing
 * dot ("a.example.com." is "a.example.com"), and the port part (":443" or
 * "").  A bracketed IPv6 literal keeps its brackets. */
static void
split_host(const char *h, size_t n, size_t *ret_name, const char **ret_port, size_t *ret_plen)
{
	const char *colon = NULL, *rb;
	size_t i;

	if (n > 0 && h[0] == '[' && (rb = memchr(h, ']', n)) != NULL) {
		colon = (size_t)(rb - h) + 1 < n && rb[1] == ':' ? rb + 1 : NULL;
	} else {
		for (i = 0; i < n; i++)
			if (h[i] == ':')
				colon = h + i;
	}
	*ret_name = colon ? (size_t)(colon - h) : n;
	*ret_port = colon ? colon : "";
	*ret_plen = colon ? n - *ret_name : 0;
	if (*ret_name > 1 && h[*ret_name - 1] == '.')
		(*ret_name)--;
}

int
optt_conf_host_match(const char *e, size_t en, const char *host)
{
	size_t enl, hnl, epl, hpl, sl;
	const char *ep, *hp;

	split_host(e, en, &enl, &ep, &epl);
	split_host(host, strlen(host), &hnl, &hp, &hpl);
	if (epl != hpl || strncmp(ep, hp, epl) != 0)
		return 0;
	if (enl > 2 && e[0] == '*' && e[1] == '.') {
		sl = enl - 1; /* ".d" */
		if (hnl <= sl || strncasecmp(host + hnl - sl, e + 1, sl) != 0)
			return 0; /* the bare domain, a look-alike, another domain */
		/* at least one label before ".d", none of them empty */
		return host[0] != '.' && host[hnl - sl - 1] != '.' ? 1 : 0;
	}
	return enl == hnl && strncasecmp(e, host, enl) == 0 ? 2 : 0;
}

/* Score of entry against host (+path): 0 no match; else the host's rank
 * (a literal entry wins over any wildcard) plus 1 for a host entry, or
 * 1 + len of a matching path prefix. */
static size_t
entry_score(const char *e, size_t n, const char *host, const char *path)
{
	const char *slash = memchr(e, '/', n);
	size_t hl = slash ? (size_t)(slash - e) : n, pl;
	const char *pre;
	int m;

	if ((m = optt_conf_host_match(e, hl, host)) == 0)
		return 0;
	if (slash == NULL)
		return (m == 2 ? LITERAL_RANK : 0) + 1;
	if (path == NULL)
		return 0;
	pre = slash + 1;
	pl = n - hl - 1;
	while (pl > 0 && pre[pl - 1] == '/')
		pl--;
	while (*path == '/')
		path++;
	if (strncmp(path, pre, pl) != 0 || (path[pl] != '\0' && path[pl] != '/'))
		return 0;
	return (m == 2 ? LITERAL_RANK : 0) + 1 + pl;
}

const struct optt_profile *
optt_conf_profile_for_host(const struct optt_conf *c, const char *host, const char *path)
{
	const struct optt_profile *best = NULL;
	size_t i, bestscore = 0, n, sc;
	const char *h;

	for (i = 0; i < c->nprofiles; i++) {
		h = optt_pstr(&c->profiles[i], OPTT_K_HOSTS);
		for (; h != NULL && *h != '\0';) {
			h += strspn(h, " \t");
			n = strcspn(h, " \t");
			if (n > 0 && (sc = entry_score(h, n, host, path)) > bestscore) {
				bestscore = sc;
				best = &c->profiles[i];
			}
			h += n;
		}
	}
	return best;
}
