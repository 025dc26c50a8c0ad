// SPDX-License-Identifier: MIT
/* trace_codec - version 2's records: delta-coded times, shuffled sample bytes, one zstd frame. */
#include "lib/trace/trace_codec.h"

#include <errno.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <zstd.h>
#include <zstd_errors.h>

#include "lib/trace/trace_format.h"

/*
 * zstd level 1: on a paper-sized session it packs the records 7 to 9 times smaller in about
 * 50 ns per event, and level 3 packed the delta-coded events no smaller (docs/performance.md).
 */
#define CODEC_LEVEL	 1
#define CODEC_MAX_DELTAS 5

/*
 * How a record type is packed. Times grow from one record to the next, so their differences
 * are small numbers with equal high bytes. A sample changes little from the one before, so its
 * bytes are regrouped by position (byte k of every record, then byte k + 1: a "byte shuffle"),
 * which lines up the bytes that repeat; events vary more, where the shuffle gained little
 * (9.2x instead of 8.6x) and cost as much again to undo as the decompression itself.
 */
struct codec_layout {
	size_t size;
	size_t ndeltas;
	size_t deltas[CODEC_MAX_DELTAS]; /* offsets of the u64 fields stored as differences */
	bool shuffle;
};

static const struct codec_layout samples_layout = {
    .size = sizeof(struct trace_sample),
    .ndeltas = 5,
    .deltas = {offsetof(struct trace_sample, tsc_start), offsetof(struct trace_sample, tsc_end),
	       offsetof(struct trace_sample, mono_start_ns),
	       offsetof(struct trace_sample, mono_end_ns),
	       offsetof(struct trace_sample, intended_ns)},
    .shuffle = true,
};

static const struct codec_layout events_layout = {
    .size = sizeof(struct tracer_event),
    .ndeltas = 1,
    .deltas = {offsetof(struct tracer_event, ts_ns)},
    .shuffle = false,
};

struct trace_codec {
	ZSTD_CCtx *cctx;
	ZSTD_DCtx *dctx;
	unsigned char *scratch[2]; /* packed records, shuffled records */
	size_t cap;		   /* bytes of each scratch buffer */
};

static const struct codec_layout *layout_of(uint32_t type)
{
	if (type == TRACE_CHUNK_SAMPLES)
		return &samples_layout;
	return type == TRACE_CHUNK_EVENTS ? &events_layout : NULL;
}

size_t trace_codec_record_size(uint32_t type)
{
	const struct codec_layout *l = layout_of(type);

	return l ? l->size : 0;
}

size_t trace_codec_bound(uint32_t type, size_t n)
{
	return ZSTD_compressBound(n * trace_codec_record_size(type));
}

struct trace_codec *trace_codec_new(void)
{
	struct trace_codec *c = calloc(1, sizeof(*c));

	if (!c)
		return NULL;
	c->cctx = ZSTD_createCCtx();
	c->dctx = ZSTD_createDCtx();
	if (!c->cctx || !c->dctx ||
	    ZSTD_isError(ZSTD_CCtx_setParameter(c->cctx, ZSTD_c_compressionLevel, CODEC_LEVEL))) {
		trace_codec_free(c);
		return NULL;
	}
	return c;
}

void trace_codec_free(struct trace_codec *c)
{
	if (!c)
		return;
	ZSTD_freeCCtx(c->cctx);
	ZSTD_freeDCtx(c->dctx);
	free(c->scratch[0]);
	free(c->scratch[1]);
	free(c);
}

/* reserve - scratch buffers of at least @len bytes each. 0 or -ENOMEM. */
static int reserve(struct trace_codec *c, size_t len)
{
	for (int i = 0; i < 2 && len > c->cap; i++) {
		unsigned char *grown = realloc(c->scratch[i], len);

		if (!grown)
			return -ENOMEM;
		c->scratch[i] = grown;
	}
	if (len > c->cap)
		c->cap = len;
	return 0;
}

/* delta_encode - each delta field minus the previous record's, in place (last record first). */
static void delta_encode(unsigned char *rec, size_t n, const struct codec_layout *l)
{
	uint64_t v, prev;

	for (size_t k = 0; k < l->ndeltas; k++) {
		for (size_t i = n; i-- > 1;) {
			memcpy(&v, rec + i * l->size + l->deltas[k], sizeof(v));
			memcpy(&prev, rec + (i - 1) * l->size + l->deltas[k], sizeof(prev));
			v -= prev;
			memcpy(rec + i * l->size + l->deltas[k], &v, sizeof(v));
		}
	}
}

/* delta_decode - undo delta_encode: a running sum of each delta field, first record first. */
static void delta_decode(unsigned char *rec, size_t n, const struct codec_layout *l)
{
	uint64_t v, sum;

	for (size_t k = 0; k < l->ndeltas; k++) {
		sum = 0;
		for (size_t i = 0; i < n; i++) {
			memcpy(&v, rec + i * l->size + l->deltas[k], sizeof(v));
			sum += v;
			memcpy(rec + i * l->size + l->deltas[k], &sum, sizeof(sum));
		}
	}
}

/*
 * transpose8 - the 8 x 8 bytes of @x (row r = x[r], column c = its byte c) transposed in place:
 * swap single bytes, then pairs, then quads across the diagonal.
 */
static void transpose8(uint64_t x[8])
{
	static const uint64_t masks[] = {0x00ff00ff00ff00ffULL, 0x0000ffff0000ffffULL,
					 0x00000000ffffffffULL};
	uint64_t t;

	for (unsigned int s = 0; s < 3; s++) {
		unsigned int d = 1u << s; /* rows apart, and bytes per swapped element */

		for (unsigned int r = 0; r < 8; r++) {
			if (r & d)
				continue;
			t = ((x[r] >> (8 * d)) ^ x[r + d]) & masks[s];
			x[r + d] ^= t;
			x[r] ^= t << (8 * d);
		}
	}
}

/*
 * transpose - the @rows x @cols byte matrix @src into @dst as @cols x @rows: byte c of row r
 * goes to byte r of row c. Records to byte planes ("shuffle", rows = records) and back (rows =
 * planes) are both this. 8 x 8 blocks at a time; the edges byte by byte.
 */
static void transpose(unsigned char *dst, const unsigned char *src, size_t rows, size_t cols)
{
	size_t r8 = rows & ~(size_t)7, c8 = cols & ~(size_t)7, r, c;
	uint64_t x[8];

	for (r = 0; r < r8; r += 8) {
		for (c = 0; c < c8; c += 8) {
			for (unsigned int k = 0; k < 8; k++)
				memcpy(&x[k], src + (r + k) * cols + c, 8);
			transpose8(x);
			for (unsigned int k = 0; k < 8; k++)
				memcpy(dst + (c + k) * rows + r, &x[k], 8);
		}
	}
	for (r = 0; r < rows; r++) {
		for (c = r < r8 ? c8 : 0; c < cols; c++)
			dst[c * rows + r] = src[r * cols + c];
	}
}

ssize_t trace_codec_pack(struct trace_codec *c, uint32_t type, const void *rec, size_t n, void *out)
{
	const struct codec_layout *l = layout_of(type);
	size_t len = n * l->size, ret;
	unsigned char *packed;

	if (reserve(c, len))
		return -ENOMEM;
	memcpy(c->scratch[0], rec, len);
	delta_encode(c->scratch[0], n, l);
	packed = c->scratch[0];
	if (l->shuffle) {
		transpose(c->scratch[1], c->scratch[0], n, l->size);
		packed = c->scratch[1];
	}
	ret = ZSTD_compress2(c->cctx, out, ZSTD_compressBound(len), packed, len);
	return ZSTD_isError(ret) ? -ENOMEM : (ssize_t)ret;
}

int trace_codec_unpack(struct trace_codec *c, uint32_t type, const void *in, size_t len, void *out,
		       size_t n, const char **why)
{
	const struct codec_layout *l = layout_of(type);
	size_t want = n * l->size, got;
	unsigned char *dst = out;

	if (ZSTD_findFrameCompressedSize(in, len) != len) {
		*why = "the records are not exactly one zstd frame";
		return -EBADMSG;
	}
	if (ZSTD_getFrameContentSize(in, len) != want) {
		*why = "the zstd frame holds another size than the record count says";
		return -EBADMSG;
	}
	if (l->shuffle) {
		if (reserve(c, want))
			return -ENOMEM;
		dst = c->scratch[0];
	}
	got = ZSTD_decompressDCtx(c->dctx, dst, want, in, len);
	if (ZSTD_isError(got) || got != want) {
		*why = ZSTD_isError(got) ? ZSTD_getErrorName(got) : "a short zstd frame";
		return ZSTD_getErrorCode(got) == ZSTD_error_memory_allocation ? -ENOMEM : -EBADMSG;
	}
	if (l->shuffle)
		transpose(out, dst, l->size, n);
	delta_decode(out, n, l);
	return 0;
}
