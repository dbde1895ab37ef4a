/*
 * psl.c - see psl.h.
 *
 * Invariants: no answer without a list that passed the self-check (co.uk
 * a public suffix, example.co.uk not); the library is loaded once per
 * process (pthread_once) and never unloaded; RTLD_LOCAL, so its symbols
 * (and libidn2's) never join the program's namespace.
 */
#include "config.h"

#include <ctype.h>
#include <dlfcn.h>
#include <libpsl.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>

#include "common/psl.h"

static struct {
	__typeof__(psl_latest) *latest;
	__typeof__(psl_is_public_suffix2) *is_suffix;
	__typeof__(psl_free) *release;
} fns;
static pthread_once_t load_once = PTHREAD_ONCE_INIT;
static int loaded;
static char load_error[160];

static void
load(void)
{
	void *h, *sym[3];
	static const char *const names[3] = { "psl_latest", "psl_is_public_suffix2", "psl_free" };
	size_t i;

	if ((h = dlopen(OPTT_LIBPSL, RTLD_NOW | RTLD_LOCAL)) == NULL) {
		optt_sanitize(load_error, sizeof(load_error), dlerror());
		return;
	}
	for (i = 0; i < 3; i++)
		if ((sym[i] = dlsym(h, names[i])) == NULL) {
			snprintf(load_error, sizeof(load_error), "%s lacks %s", OPTT_LIBPSL, names[i]);
			return; /* left loaded: nothing of it was used */
		}
	/* POSIX: a function pointer and a void * have one representation */
	memcpy(&fns.latest, &sym[0], sizeof(sym[0]));
	memcpy(&fns.is_suffix, &sym[1], sizeof(sym[1]));
	memcpy(&fns.release, &sym[2], sizeof(sym[2]));
	loaded = 1;
}

int
optt_psl_is_suffix(const char *domain, struct optt_err *err)
{
	psl_ctx_t *ctx = NULL;
	char lower[256];
	size_t i, n = strlen(domain);
	int r = -1;

	if (n == 0 || n >= sizeof(lower)) {
		optt_err_set(err, OPTT_CONFIG, "not a host name");
		goto out;
	}
	for (i = 0; i <= n; i++) /* libpsl compares bytes: CO.UK is co.uk */
		lower[i] = (char)tolower((unsigned char)domain[i]);
	pthread_once(&load_once, load);
	if (!loaded) {
		optt_err_set(err, OPTT_CONFIG, "cannot load the public suffix list's library %s (install libpsl5): %s",
			     OPTT_LIBPSL, load_error);
		goto out;
	}
	if ((ctx = fns.latest(NULL)) == NULL) {
		optt_err_set(err, OPTT_CONFIG, "libpsl has no public suffix list (install publicsuffix)");
		goto out;
	}
	if (fns.is_suffix(ctx, "co.uk", PSL_TYPE_ANY) != 1 || fns.is_suffix(ctx, "example.co.uk", PSL_TYPE_ANY) != 0) {
		optt_err_set(err, OPTT_CONFIG, "libpsl's public suffix list is empty or broken (co.uk is not in it)");
		goto out;
	}
	r = fns.is_suffix(ctx, lower, PSL_TYPE_ANY) == 1;
out:
	if (ctx != NULL)
		fns.release(ctx);
	return r;
}
