/*
 * pamdrive - drive real libpam (under pam_wrapper) like a login program:
 *   pamdrive [--confdir DIR] [--scan FIFO] SERVICE USER [COUNT]
 * The whole of stdin, minus one trailing newline, is the password the
 * conversation answers (so sshd's placeholder, which holds "\n", can be
 * sent).  Runs pam_start / pam_authenticate / pam_end COUNT times (libpam
 * loads and unloads the module each time) and prints the symbolic PAM code
 * of the last authentication, or "MIXED" if the codes differed, then the
 * largest fail delay requested ("delay=USEC"; the application's delay
 * function records it instead of sleeping).
 *
 * --confdir DIR: pam_start_confdir with DIR, for runs without pam_wrapper
 * (tests/pam/setuid.sh copies this program setuid-root and runs it as an
 * unprivileged user: the module must ignore that user's environment).
 * --scan FIFO: after pam_end, read needles (one per line) from FIFO and
 * count where they still stand in this process's writable memory (heap,
 * anonymous maps, data); prints "leaks=N[ #I...]" and "canary=0|1", the
 * canary being a freed, unwiped block of our own that a working scan finds.
 */
#include "config.h"

#include <fcntl.h>
#include <netdb.h>
#include <security/pam_appl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static char password[4096];
static unsigned int max_delay;

/* libpam calls this instead of sleeping: record what the module asked for */
static void
fail_delay(int retval, unsigned usec, void *arg)
{
	(void)retval, (void)arg;
	if (usec > max_delay)
		max_delay = usec;
}

static int
conv(int n, const struct pam_message **msg, struct pam_response **resp, void *arg)
{
	struct pam_response *r;
	int i;

	(void)arg;
	if (n <= 0 || (r = calloc((size_t)n, sizeof(*r))) == NULL)
		return PAM_CONV_ERR;
	for (i = 0; i < n; i++) {
		if (msg[i]->msg_style == PAM_PROMPT_ECHO_OFF) {
			if ((r[i].resp = strdup(password)) == NULL)
				goto fail;
		} else if (msg[i]->msg_style == PAM_PROMPT_ECHO_ON) {
			goto fail;
		}
	}
	*resp = r;
	return PAM_SUCCESS;
fail:
	for (i = 0; i < n; i++)
		free(r[i].resp);
	free(r);
	return PAM_CONV_ERR;
}

static const char *
code_name(int c)
{
	static const struct { int code; const char *name; } names[] = {
		{ PAM_SUCCESS, "PAM_SUCCESS" }, { PAM_AUTH_ERR, "PAM_AUTH_ERR" },
		{ PAM_PERM_DENIED, "PAM_PERM_DENIED" }, { PAM_AUTHINFO_UNAVAIL, "PAM_AUTHINFO_UNAVAIL" },
		{ PAM_SERVICE_ERR, "PAM_SERVICE_ERR" }, { PAM_BUF_ERR, "PAM_BUF_ERR" },
		{ PAM_USER_UNKNOWN, "PAM_USER_UNKNOWN" }, { PAM_IGNORE, "PAM_IGNORE" },
		{ PAM_CONV_ERR, "PAM_CONV_ERR" }, { PAM_SYSTEM_ERR, "PAM_SYSTEM_ERR" },
		{ PAM_MAXTRIES, "PAM_MAXTRIES" }, { PAM_CRED_INSUFFICIENT, "PAM_CRED_INSUFFICIENT" },
	};
	size_t i;

	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (names[i].code == c)
			return names[i].name;
	return "PAM_OTHER";
}

/* needles and the canary's text live here only: matches inside are ours */
static char needles[64 * 1024];

/*
 * Our own search, not memmem: ASan intercepts memmem and would report the
 * (deliberate) reads of freed blocks.  Not instrumented, so the sanitizer
 * build scans too, and there its quarantine keeps every freed block
 * unreused: an unwiped free is found for certain.
 */
#if defined(__GNUC__)
__attribute__((no_sanitize("address")))
#endif
static size_t
scan_region(const char *lo, const char *hi, const char *needle, size_t nl)
{
	const char *p;
	size_t hits = 0, k;

	if (nl == 0 || (size_t)(hi - lo) < nl)
		return 0;
	for (p = lo; p + nl <= hi; p++) {
		if (*p != needle[0])
			continue;
		for (k = 1; k < nl && p[k] == needle[k]; k++)
			;
		if (k == nl && (p < needles || p >= needles + sizeof(needles)))
			hits++;
	}
	return hits;
}

/* hits of needle in every private writable mapping of this process */
static size_t
scan_memory(const char *needle)
{
	char line[512], perms[8];
	unsigned long lo, hi;
	size_t hits = 0;
	FILE *f = fopen("/proc/self/maps", "r");

	if (f == NULL)
		return 0;
	while (fgets(line, sizeof(line), f) != NULL) {
		char *end;

		lo = strtoul(line, &end, 16);
		if (*end != '-')
			continue;
		hi = strtoul(end + 1, &end, 16);
		if (*end != ' ' || strlen(end) < 5)
			continue;
		memcpy(perms, end + 1, 4);
		perms[4] = '\0';
		/* rw private maps; the sanitizers' huge shadow maps are skipped */
		if (perms[0] != 'r' || perms[1] != 'w' || perms[3] != 'p' || hi - lo > (256ul << 20))
			continue;
		hits += scan_region((const char *)lo, (const char *)hi, needle, strlen(needle));
	}
	fclose(f);
	return hits;
}

static int
scan(const char *fifo)
{
	volatile char *canary;
	char *n, *nl;
	size_t got = 0, total = 0, h, i;
	ssize_t r;
	int fd, idx = 0;

	/* the canary: a freed block nobody wiped, which the scan must find */
	snprintf(needles, 64, "pamdrive-canary-%ld", (long)getpid());
	if ((canary = malloc(512)) == NULL)
		return 2;
	for (i = 0; i <= strlen(needles); i++) /* volatile: the stores survive the free */
		canary[64 + i] = needles[i];
	free((void *)canary);
	got = strlen(needles) + 1;
	if ((fd = open(fifo, O_RDONLY | O_CLOEXEC)) < 0)
		return 2;
	while (got < sizeof(needles) - 1 && (r = read(fd, needles + got, sizeof(needles) - 1 - got)) > 0)
		got += (size_t)r;
	close(fd);
	needles[got] = '\0';
	printf("canary=%d\n", scan_memory(needles) > 0);
	printf("leaks=");
	for (n = needles + strlen(needles) + 1; *n != '\0'; n = nl + 1, idx++) {
		if ((nl = strchr(n, '\n')) == NULL)
			nl = n + strlen(n);
		*nl = '\0';
		if ((h = scan_memory(n)) > 0)
			printf("%s#%d:%zu", total ? " " : "", idx, h);
		total += h;
		if (nl >= needles + got)
			break;
	}
	printf("%s%zu\n", total ? " total=" : "", total);
	return 0;
}

/*
 * nss_wrapper loads libc for its resolver functions on their first call,
 * and reads LD_PRELOAD then to decide on RTLD_DEEPBIND (which ASan
 * refuses).  Inside the module's hermetic window the environment is empty
 * by design, so a first call there (libcurl falls back to getaddrinfo when
 * an allocation fails) would take RTLD_DEEPBIND: resolve once up front.
 */
static void
bind_resolver(void)
{
	struct addrinfo hints = { 0 }, *res = NULL;

	hints.ai_flags = AI_NUMERICHOST;
	if (getaddrinfo("127.0.0.1", NULL, &hints, &res) == 0)
		freeaddrinfo(res);
}

int
main(int argc, char **argv)
{
	struct pam_conv pc = { conv, NULL };
	pam_handle_t *pamh;
	const char *confdir = NULL, *fifo = NULL;
	size_t len;
	long count = 1, i;
	int r, last = -1, mixed = 0;

	while (argc > 2 && (strcmp(argv[1], "--confdir") == 0 || strcmp(argv[1], "--scan") == 0)) {
		if (strcmp(argv[1], "--confdir") == 0)
			confdir = argv[2];
		else
			fifo = argv[2];
		argv += 2;
		argc -= 2;
	}
	if (argc < 3 || argc > 4) {
		fprintf(stderr, "usage: pamdrive [--confdir DIR] [--scan FIFO] SERVICE USER [COUNT] <password\n"); /* -- secret-ok */
		return 2;
	}
	if (argc == 4)
		count = strtol(argv[3], NULL, 10);
	/* read(2), not stdio: no copy of the password in a stdio buffer */
	for (len = 0; len < sizeof(password) - 1;) {
		ssize_t n = read(0, password + len, sizeof(password) - 1 - len);

		if (n <= 0)
			break;
		len += (size_t)n;
	}
	password[len] = '\0';
	if (len > 0 && password[len - 1] == '\n')
		password[len - 1] = '\0';
	bind_resolver();
	for (i = 0; i < count; i++) {
		r = confdir ? pam_start_confdir(argv[1], argv[2], &pc, confdir, &pamh)
			    : pam_start(argv[1], argv[2], &pc, &pamh);
		if (r != PAM_SUCCESS) {
			fprintf(stderr, "pam_start: %d\n", r);
			return 2;
		}
		pam_set_item(pamh, PAM_FAIL_DELAY, (const void *)fail_delay);
		r = pam_authenticate(pamh, PAM_SILENT);
		pam_end(pamh, r);
		if (last != -1 && r != last)
			mixed = 1;
		last = r;
	}
	memset(password, 0, sizeof(password));
	printf("%s delay=%u\n", mixed ? "MIXED" : code_name(last), max_delay);
	fflush(stdout);
	return fifo != NULL ? scan(fifo) : 0;
}
