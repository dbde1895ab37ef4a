/*
 * redirect.c - loopback redirect listener for the authorization-code grant.
 *
 * Invariants: binds only the loopback address of redirect_uri; reads at
 * most 8 KiB of one request per connection; a request whose `state`
 * does not match the one we generated is refused; the code is wiped by
 * the caller, request buffers here.
 */
#include "config.h"

#include <arpa/inet.h>
#include <errno.h>
#include <netdb.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <sys/random.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "cli/redirect.h"
#include "common/mem.h"
#include "common/url.h"

static int
listen_on(const struct optt_url *u, struct optt_err *err)
{
	struct addrinfo hints, *res = NULL, *ai;
	char port[16];
	int fd = -1, one = 1, rc;

	memset(&hints, 0, sizeof(hints));
	hints.ai_socktype = SOCK_STREAM;
	hints.ai_flags = AI_NUMERICSERV;
	snprintf(port, sizeof(port), "%d", u->port ? u->port : 80);
	rc = getaddrinfo(strcmp(u->host, "localhost") == 0 ? "127.0.0.1" : u->host, port, &hints, &res);
	if (rc != 0) {
		optt_err_set(err, OPTT_CONFIG, "redirect_uri: cannot resolve %s", u->host);
		return -1;
	}
	for (ai = res; ai != NULL && fd < 0; ai = ai->ai_next) {
		fd = socket(ai->ai_family, ai->ai_socktype | SOCK_CLOEXEC, 0);
		if (fd < 0)
			continue;
		setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
		if (bind(fd, ai->ai_addr, ai->ai_addrlen) != 0 || listen(fd, 4) != 0) {
			close(fd);
			fd = -1;
		}
	}
	freeaddrinfo(res);
	if (fd < 0)
		optt_err_set(err, OPTT_SYSTEM, "redirect_uri: cannot listen on %s:%s: %s", u->host, port,
			     strerror(errno));
	return fd;
}

/* Value of query parameter k in q (up to a space or the end), decoded. */
static int
query_param(const char *q, const char *k, struct optt_buf *out)
{
	size_t kl = strlen(k), n;
	const char *p = q;

	while (*p != '\0' && *p != ' ') {
		n = strcspn(p, "& ");
		if (n > kl && strncmp(p, k, kl) == 0 && p[kl] == '=')
			return optt_url_decode(out, p + kl + 1, n - kl - 1, 1) == 0 && out->data ? 1 : -1;
		p += n;
		if (*p == '&')
			p++;
	}
	return 0;
}

static void
reply(int fd, const char *status, const char *text)
{
	char buf[512];
	int n = snprintf(buf, sizeof(buf),
			 "HTTP/1.1 %s\r\nContent-Type: text/plain; charset=utf-8\r\n"
			 "Connection: close\r\nContent-Length: %zu\r\n\r\n%s",
			 status, strlen(text), text);

	if (n > 0 && write(fd, buf, (size_t)n) < 0) {
		/* the browser went away; nothing to do */
	}
}

enum optt_status
optt_redirect_wait(const struct optt_profile *p, long wait_s, char **ret_code, struct optt_err *err)
{
	const char *ruri = optt_pstr(p, OPTT_K_REDIRECT_URI), *az = optt_pstr(p, OPTT_K_AUTHORIZE_URL);
	struct optt_buf url, req, code, state;
	struct optt_url u;
	enum optt_status st = OPTT_OK;
	unsigned char rnd[16];
	char want[33], path[256];
	const char *rpath;
	time_t deadline = time(NULL) + wait_s;
	int lfd = -1, cfd = -1, i;

	optt_buf_init(&url, 8192);
	optt_buf_init(&req, 8192);
	optt_buf_init(&code, 4096);
	optt_buf_init(&state, 256);
	if (az == NULL) {
		st = optt_err_set(err, OPTT_CONFIG, "profile %s: authorize_url is not set; use --code",
				  p->name);
		goto out;
	}
	if ((st = optt_url_parse(ruri, "redirect_uri", &u, err)) != OPTT_OK)
		goto out;
	if (strcmp(u.scheme, "http") != 0 || !u.loopback) {
		st = optt_err_set(err, OPTT_CONFIG,
				  "redirect_uri is not http://127.0.0.1:PORT/...; take the code from the "
				  "redirect and use --code");
		goto out;
	}
	rpath = ruri + strcspn(ruri + 7, "/?#") + 7;
	snprintf(path, sizeof(path), "%.*s", (int)strcspn(rpath, "?#"), *rpath == '/' ? rpath : "/");
	if (getrandom(rnd, sizeof(rnd), 0) != (ssize_t)sizeof(rnd)) {
		st = optt_err_set(err, OPTT_SYSTEM, "no randomness for the state parameter");
		goto out;
	}
	for (i = 0; i < 16; i++)
		snprintf(want + 2 * i, 3, "%02x", rnd[i]);
	if ((lfd = listen_on(&u, err)) < 0) {
		st = OPTT_SYSTEM;
		goto out;
	}
	if (optt_buf_puts(&url, az) != 0 || optt_buf_puts(&url, strchr(az, '?') ? "&" : "?") != 0 ||
	    optt_buf_puts(&url, "response_type=code&client_id=") != 0 ||
	    optt_url_encode(&url, optt_pstr(p, OPTT_K_CLIENT_ID)) != 0 ||
	    optt_buf_puts(&url, "&redirect_uri=") != 0 || optt_url_encode(&url, ruri) != 0 ||
	    optt_buf_puts(&url, "&state=") != 0 || optt_buf_puts(&url, want) != 0 ||
	    (optt_pstr(p, OPTT_K_SCOPE) != NULL &&
	     (optt_buf_puts(&url, "&scope=") != 0 || optt_url_encode(&url, optt_pstr(p, OPTT_K_SCOPE)) != 0))) {
		st = optt_err_set(err, OPTT_NOMEM, "out of memory");
		goto out;
	}
	fprintf(stderr, "optt: open this address in a browser to log in:\n%s\noptt: waiting for the redirect to %s\n",
		url.data, ruri);
	fflush(stderr);
	for (;;) {
		struct pollfd pfd = { lfd, POLLIN, 0 };
		long left = (long)(deadline - time(NULL));
		char chunk[1024];
		ssize_t n;

		if (left <= 0) {
			st = optt_err_set(err, OPTT_UNAVAILABLE, "no redirect within %ld s", wait_s);
			goto out;
		}
		if (poll(&pfd, 1, (int)(left * 1000)) <= 0)
			continue;
		if ((cfd = accept4(lfd, NULL, NULL, SOCK_CLOEXEC)) < 0)
			continue;
		optt_buf_clear(&req);
		while (req.data == NULL || strstr(req.data, "\r\n") == NULL) {
			struct pollfd cp = { cfd, POLLIN, 0 };

			if (poll(&cp, 1, 5000) <= 0 || (n = read(cfd, chunk, sizeof(chunk))) <= 0 ||
			    optt_buf_append(&req, chunk, (size_t)n) != 0)
				break;
		}
		OPTT_WIPE(chunk, sizeof(chunk));
		if (req.data == NULL || strncmp(req.data, "GET ", 4) != 0 ||
		    strncmp(req.data + 4, path, strlen(path)) != 0 ||
		    (req.data[4 + strlen(path)] != '?' && req.data[4 + strlen(path)] != ' ')) {
			reply(cfd, "404 Not Found", "not found\n");
			close(cfd);
			cfd = -1;
			continue;
		}
		optt_buf_clear(&code);
		optt_buf_clear(&state);
		if (query_param(req.data + 4 + strlen(path) + 1, "state", &state) != 1 ||
		    !optt_ct_streq(state.data, want)) {
			reply(cfd, "400 Bad Request", "state mismatch: start the login again\n");
			close(cfd);
			cfd = -1;
			continue;
		}
		if (query_param(req.data + 4 + strlen(path) + 1, "code", &code) != 1 || code.len == 0) {
			reply(cfd, "400 Bad Request", "the provider sent no code\n");
			st = optt_err_set(err, OPTT_REJECTED, "the provider redirected without a code");
			goto out;
		}
		reply(cfd, "200 OK", "optt: login complete; you can close this window.\n");
		*ret_code = optt_buf_steal(&code);
		break;
	}
out:
	if (cfd >= 0)
		close(cfd);
	if (lfd >= 0)
		close(lfd);
	OPTT_WIPE(want, sizeof(want));
	OPTT_WIPE(rnd, sizeof(rnd));
	optt_buf_clear(&url);
	optt_buf_clear(&req);
	optt_buf_clear(&code);
	optt_buf_clear(&state);
	return st;
}
