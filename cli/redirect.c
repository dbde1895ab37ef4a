/*
 * redirect.c - loopback redirect listener for the authorization-code grant.
 *
 * Invariants (RFC 8252 §7.3, §8.3; SPEC §14):
 *  - listens on every address the redirect host resolves to ("localhost":
 *    127.0.0.1 and ::1 where both resolve), each of which must be
 *    loopback; if any of them cannot be bound (another local user holds
 *    it), the login is refused rather than half-served;
 *  - serves up to CLIENTS connections at once, each for at most
 *    CONN_MAX_MS in all (not per byte), and never past the overall wait:
 *    one slow client cannot hold the listener;
 *  - reads at most 8 KiB of one request per connection; a request whose
 *    `state` does not match the one we generated is refused;
 *  - the code is wiped by the caller, request buffers here.
 */
#include "config.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
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

#define LISTENERS 4
#define CLIENTS 8
#define CONN_MAX_MS 5000

struct listeners {
	int fd[LISTENERS];
	size_t n;
};

static void
listeners_close(struct listeners *l)
{
	size_t i;

	for (i = 0; i < l->n; i++)
		close(l->fd[i]);
	l->n = 0;
}

static int
sockaddr_is_loopback(const struct sockaddr *sa)
{
	if (sa->sa_family == AF_INET)
		return (ntohl(((const struct sockaddr_in *)(const void *)sa)->sin_addr.s_addr) >> 24) == 127;
	if (sa->sa_family == AF_INET6)
		return IN6_IS_ADDR_LOOPBACK(&((const struct sockaddr_in6 *)(const void *)sa)->sin6_addr);
	return 0;
}

/* Bind every address of the redirect host; all or nothing. */
static enum optt_status
listen_on(const struct optt_url *u, struct listeners *l, struct optt_err *err)
{
	struct addrinfo hints, *res = NULL, *ai;
	char port[16], shown[INET6_ADDRSTRLEN];
	enum optt_status st = OPTT_OK;
	int fd, one = 1, rc;
	const char *host = u->host;
	char bare[256];

	l->n = 0;
	memset(&hints, 0, sizeof(hints));
	hints.ai_socktype = SOCK_STREAM;
	hints.ai_flags = AI_NUMERICSERV;
	snprintf(port, sizeof(port), "%d", u->port ? u->port : 80);
	if (host[0] == '[') { /* [::1] */
		snprintf(bare, sizeof(bare), "%.*s", (int)strcspn(host + 1, "]"), host + 1);
		host = bare;
	}
	if ((rc = getaddrinfo(host, port, &hints, &res)) != 0)
		return optt_err_set(err, OPTT_CONFIG, "redirect_uri: cannot resolve %s", u->host);
	for (ai = res; ai != NULL && st == OPTT_OK; ai = ai->ai_next) {
		void *a = ai->ai_family == AF_INET6 ? (void *)&((struct sockaddr_in6 *)(void *)ai->ai_addr)->sin6_addr
						    : (void *)&((struct sockaddr_in *)(void *)ai->ai_addr)->sin_addr;

		if (inet_ntop(ai->ai_family, a, shown, sizeof(shown)) == NULL)
			snprintf(shown, sizeof(shown), "?");
		if (!sockaddr_is_loopback(ai->ai_addr)) {
			st = optt_err_set(err, OPTT_CONFIG, "redirect_uri: %s resolves to %s, which is not "
					  "loopback; use http://127.0.0.1:PORT/...", u->host, shown);
			break;
		}
		if (l->n == LISTENERS)
			break;
		if ((fd = socket(ai->ai_family, ai->ai_socktype | SOCK_CLOEXEC | SOCK_NONBLOCK, 0)) < 0) {
			st = optt_err_set(err, OPTT_SYSTEM, "redirect_uri: socket: %s", strerror(errno));
			break;
		}
		setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
		if (ai->ai_family == AF_INET6)
			setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &one, sizeof(one));
		if (bind(fd, ai->ai_addr, ai->ai_addrlen) != 0 || listen(fd, 8) != 0) {
			st = optt_err_set(err, OPTT_SYSTEM,
					  "redirect_uri: cannot listen on %s%s%s:%s (%s): another program "
					  "holds the redirect address; not logging in",
					  ai->ai_family == AF_INET6 ? "[" : "", shown,
					  ai->ai_family == AF_INET6 ? "]" : "", port, strerror(errno));
			close(fd);
			break;
		}
		l->fd[l->n++] = fd;
	}
	freeaddrinfo(res);
	if (st == OPTT_OK && l->n == 0)
		st = optt_err_set(err, OPTT_CONFIG, "redirect_uri: %s has no address", u->host);
	if (st != OPTT_OK)
		listeners_close(l);
	return st;
}

static long long
now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
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

struct client {
	int fd;               /* -1: free slot */
	long long deadline;   /* ms, monotonic: the connection's whole time */
	struct optt_buf req;  /* secret once it holds the code */
};

static void
client_drop(struct client *c)
{
	if (c->fd >= 0)
		close(c->fd);
	c->fd = -1;
	optt_buf_clear(&c->req);
}

/* A complete request line in c->req: answer it.  1 with *ret_code set when
 * this was the redirect, 0 when the connection is done, -1 the provider
 * redirected without a code (st set). */
static int
handle_request(struct client *c, const char *path, const char *want, char **ret_code,
	       enum optt_status *st, struct optt_err *err)
{
	struct optt_buf code, state;
	const char *q;
	size_t pl = strlen(path);
	int r = 0;

	optt_buf_init(&code, 4096);
	optt_buf_init(&state, 256);
	if (strncmp(c->req.data, "GET ", 4) != 0 || strncmp(c->req.data + 4, path, pl) != 0 ||
	    (c->req.data[4 + pl] != '?' && c->req.data[4 + pl] != ' ')) {
		reply(c->fd, "404 Not Found", "not found\n");
		goto out;
	}
	q = c->req.data + 4 + pl + 1;
	if (query_param(q, "state", &state) != 1 || !optt_ct_streq(state.data, want)) {
		reply(c->fd, "400 Bad Request", "state mismatch: start the login again\n");
		goto out;
	}
	if (query_param(q, "code", &code) != 1 || code.len == 0) {
		reply(c->fd, "400 Bad Request", "the provider sent no code\n");
		*st = optt_err_set(err, OPTT_REJECTED, "the provider redirected without a code");
		r = -1;
		goto out;
	}
	reply(c->fd, "200 OK", "optt: login complete; you can close this window.\n");
	*ret_code = optt_buf_steal(&code);
	r = 1;
out:
	optt_buf_clear(&code);
	optt_buf_clear(&state);
	return r;
}

enum optt_status
optt_redirect_wait(const struct optt_profile *p, long wait_s, const char *code_challenge,
		   char **ret_code, struct optt_err *err)
{
	const char *ruri = optt_pstr(p, OPTT_K_REDIRECT_URI), *az = optt_pstr(p, OPTT_K_AUTHORIZE_URL);
	struct listeners l = { { -1 }, 0 };
	struct client cl[CLIENTS];
	struct pollfd pfd[LISTENERS + CLIENTS];
	int who[LISTENERS + CLIENTS];
	struct optt_buf url;
	struct optt_url u;
	enum optt_status st = OPTT_OK;
	unsigned char rnd[16];
	char want[33], path[256], chunk[1024];
	const char *rpath;
	long long deadline = now_ms() + wait_s * 1000, t, wake;
	size_t i, n, busy;
	ssize_t got;
	int r, fd;

	for (i = 0; i < CLIENTS; i++) {
		cl[i].fd = -1;
		optt_buf_init(&cl[i].req, 8192);
	}
	optt_buf_init(&url, 8192);
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
	if ((st = listen_on(&u, &l, err)) != OPTT_OK)
		goto out;
	if (optt_buf_puts(&url, az) != 0 || optt_buf_puts(&url, strchr(az, '?') ? "&" : "?") != 0 ||
	    optt_buf_puts(&url, "response_type=code&client_id=") != 0 ||
	    optt_url_encode(&url, optt_pstr(p, OPTT_K_CLIENT_ID)) != 0 ||
	    optt_buf_puts(&url, "&redirect_uri=") != 0 || optt_url_encode(&url, ruri) != 0 ||
	    optt_buf_puts(&url, "&state=") != 0 || optt_buf_puts(&url, want) != 0 ||
	    (optt_pstr(p, OPTT_K_SCOPE) != NULL &&
	     (optt_buf_puts(&url, "&scope=") != 0 || optt_url_encode(&url, optt_pstr(p, OPTT_K_SCOPE)) != 0)) ||
	    (code_challenge != NULL &&
	     (optt_buf_puts(&url, "&code_challenge=") != 0 || optt_buf_puts(&url, code_challenge) != 0 ||
	      optt_buf_puts(&url, "&code_challenge_method=S256") != 0))) {
		st = optt_err_set(err, OPTT_NOMEM, "out of memory");
		goto out;
	}
	fprintf(stderr, "optt: open this address in a browser to log in:\n%s\noptt: waiting for the redirect to %s\n",
		url.data, ruri);
	fflush(stderr);
	for (;;) {
		t = now_ms();
		if (t >= deadline) {
			st = optt_err_set(err, OPTT_UNAVAILABLE, "no redirect within %ld s", wait_s);
			goto out;
		}
		wake = deadline;
		n = busy = 0;
		for (i = 0; i < CLIENTS; i++) {
			if (cl[i].fd < 0)
				continue;
			if (cl[i].deadline <= t) { /* its time is up, whatever it sent */
				client_drop(&cl[i]);
				continue;
			}
			busy++;
			if (cl[i].deadline < wake)
				wake = cl[i].deadline;
			pfd[n].fd = cl[i].fd;
			pfd[n].events = POLLIN;
			who[n++] = (int)i;
		}
		if (busy < CLIENTS) /* full: new connections wait in the backlog */
			for (i = 0; i < l.n; i++) {
				pfd[n].fd = l.fd[i];
				pfd[n].events = POLLIN;
				who[n++] = -1;
			}
		r = poll(pfd, (nfds_t)n, (int)(wake - t < 1 ? 1 : wake - t));
		if (r <= 0)
			continue;
		for (i = 0; i < n; i++) {
			if (pfd[i].revents == 0)
				continue;
			if (who[i] < 0) {
				size_t j;

				if ((fd = accept4(pfd[i].fd, NULL, NULL, SOCK_CLOEXEC | SOCK_NONBLOCK)) < 0)
					continue;
				for (j = 0; j < CLIENTS && cl[j].fd >= 0; j++)
					;
				if (j == CLIENTS) {
					close(fd);
					continue;
				}
				cl[j].fd = fd;
				cl[j].deadline = now_ms() + CONN_MAX_MS;
				continue;
			}
			{
				struct client *c = &cl[who[i]];

				got = read(c->fd, chunk, sizeof(chunk));
				if (got <= 0 || optt_buf_append(&c->req, chunk, (size_t)got) != 0) {
					if (got < 0 && (errno == EAGAIN || errno == EINTR))
						continue;
					client_drop(c); /* closed, or over 8 KiB */
					continue;
				}
				if (strstr(c->req.data, "\r\n") == NULL)
					continue;
				r = handle_request(c, path, want, ret_code, &st, err);
				client_drop(c);
				if (r != 0)
					goto out;
			}
		}
	}
out:
	for (i = 0; i < CLIENTS; i++)
		client_drop(&cl[i]);
	listeners_close(&l);
	OPTT_WIPE(chunk, sizeof(chunk));
	OPTT_WIPE(want, sizeof(want));
	OPTT_WIPE(rnd, sizeof(rnd));
	optt_buf_clear(&url);
	return st;
}
