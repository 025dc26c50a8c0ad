// SPDX-License-Identifier: MIT
/* gzstream - gzip through fopencookie: every write deflated into the stream underneath. */
#include "lib/gzstream.h"

#include <errno.h>
#include <stdlib.h>

#include <zlib.h>

/* deflate's window bits plus 16: a gzip header and trailer rather than a zlib one */
#define GZ_WINDOW (15 + 16)
/* zlib's default level: most of the gain (JSON shrinks ~10x) at a fraction of level 9's time */
#define GZ_LEVEL Z_DEFAULT_COMPRESSION

struct gzstream {
	z_stream z;
	FILE *under;
	int failed; /* errno of the first failed write underneath, 0 if none */
	unsigned char out[64 * 1024];
};

/* pump - deflate what is in g->z with @flush, writing every full output buffer underneath. */
static int pump(struct gzstream *g, int flush)
{
	size_t have;
	int zr;

	do {
		g->z.next_out = g->out;
		g->z.avail_out = sizeof(g->out);
		zr = deflate(&g->z, flush);
		if (zr == Z_STREAM_ERROR)
			return -EINVAL;
		have = sizeof(g->out) - g->z.avail_out;
		if (have && fwrite(g->out, 1, have, g->under) != have)
			return -(errno ? errno : EIO);
	} while (g->z.avail_out == 0 || (flush == Z_FINISH && zr != Z_STREAM_END));
	return 0;
}

static ssize_t gz_write(void *cookie, const char *buf, size_t size)
{
	struct gzstream *g = cookie;
	int ret;

	if (g->failed) {
		errno = g->failed;
		return -1;
	}
	g->z.next_in = (unsigned char *)buf;
	g->z.avail_in = (uInt)size; /* stdio hands over at most its buffer at a time */
	ret = pump(g, Z_NO_FLUSH);
	if (ret) {
		g->failed = -ret;
		errno = -ret;
		return -1;
	}
	return (ssize_t)size;
}

static int gz_close(void *cookie)
{
	struct gzstream *g = cookie;
	int ret = g->failed ? -g->failed : pump(g, Z_FINISH);

	deflateEnd(&g->z);
	free(g);
	if (ret) {
		errno = -ret;
		return EOF;
	}
	return 0;
}

FILE *gzstream_open(FILE *under)
{
	static const cookie_io_functions_t io = {.write = gz_write, .close = gz_close};
	struct gzstream *g = calloc(1, sizeof(*g));
	FILE *f;

	if (!g)
		return NULL;
	g->under = under;
	if (deflateInit2(&g->z, GZ_LEVEL, Z_DEFLATED, GZ_WINDOW, 8, Z_DEFAULT_STRATEGY) != Z_OK) {
		free(g);
		errno = ENOMEM;
		return NULL;
	}
	f = fopencookie(g, "w", io);
	if (!f) {
		deflateEnd(&g->z);
		free(g);
	}
	return f;
}
