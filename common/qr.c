/*
 * qr.c - see qr.h.
 */
#include "config.h"

#include <dlfcn.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <qrencode.h>

#include "common/qr.h"

static struct {
	__typeof__(QRcode_encodeString) *encode;
	__typeof__(QRcode_free) *free;
} qr;
static pthread_once_t qr_once = PTHREAD_ONCE_INIT;
static char qr_error[160];

static void
qr_load(void)
{
	void *h, *e, *f;

	/* by soname through the loader's usual search; never unloaded */
	if ((h = dlopen(OPTT_QR_LIB, RTLD_NOW | RTLD_LOCAL)) == NULL) {
		optt_sanitize(qr_error, sizeof(qr_error), dlerror());
		return;
	}
	if ((e = dlsym(h, "QRcode_encodeString")) == NULL || (f = dlsym(h, "QRcode_free")) == NULL) {
		optt_sanitize(qr_error, sizeof(qr_error), "a function is missing");
		return;
	}
	/* POSIX: a function pointer and a void * have one representation */
	memcpy(&qr.encode, &e, sizeof(e));
	memcpy(&qr.free, &f, sizeof(f));
}

int
optt_qr_wanted(int fd)
{
	const char *no = getenv("NO_QR");

	return isatty(fd) && (no == NULL || no[0] == '\0');
}

/* light (painted) when inside the matrix and the module is not dark */
static int
light(const QRcode *c, int row, int col)
{
	row -= OPTT_QR_QUIET;
	col -= OPTT_QR_QUIET;
	if (row < 0 || col < 0 || row >= c->width || col >= c->width)
		return 1;
	return !(c->data[row * c->width + col] & 1);
}

enum optt_status
optt_qr_draw(const char *text, struct optt_buf *out, struct optt_err *err)
{
	static const char *const glyph[4] = { " ", "\xe2\x96\x84", "\xe2\x96\x80", "\xe2\x96\x88" };
	enum optt_status st = OPTT_OK;
	QRcode *c = NULL;
	size_t before = out->len;
	int side, row, col, r = 0;

	pthread_once(&qr_once, qr_load);
	if (qr.encode == NULL)
		return optt_err_set(err, OPTT_UNAVAILABLE, "cannot load %s (install libqrencode4): %s", OPTT_QR_LIB,
				    qr_error);
	if ((c = qr.encode(text, 0, QR_ECLEVEL_L, QR_MODE_8, 1)) == NULL || c->width < 21) {
		st = optt_err_set(err, OPTT_UNAVAILABLE, "no QR code for this address (too long?)");
		goto out;
	}
	side = c->width + 2 * OPTT_QR_QUIET;
	/* rows below the bottom quiet zone (an odd count) are dark: unpainted */
	for (row = 0; row < side && r == 0; row += 2) {
		for (col = 0; col < side && r == 0; col++)
			r = optt_buf_puts(out, glyph[light(c, row, col) * 2 +
						     (row + 1 < side && light(c, row + 1, col))]);
		if (r == 0)
			r = optt_buf_puts(out, "\n");
	}
	if (r != 0) {
		if (out->data != NULL) { /* what was drawn goes, wiped */
			explicit_bzero(out->data + before, out->len - before);
			out->len = before;
		}
		st = optt_err_set(err, OPTT_NOMEM, "out of memory drawing the QR code");
	}
out:
	if (c != NULL) {
		explicit_bzero(c->data, (size_t)c->width * (size_t)c->width); /* it encodes the user code */
		qr.free(c);
	}
	return st;
}
