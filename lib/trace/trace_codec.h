/* SPDX-License-Identifier: MIT */
/*
 * trace_codec - how format version 2 stores the records of a SAMPLES or EVENTS chunk: packed
 * (time fields as differences from the previous record; samples also byte-shuffled), then one
 * zstd frame per chunk, so that every chunk decodes on its own (docs/trace-format.md).
 */
#ifndef RINGSCOPE_TRACE_CODEC_H
#define RINGSCOPE_TRACE_CODEC_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

/* A codec holds zstd contexts and scratch memory: one per thread that packs or unpacks. */
struct trace_codec;

/* trace_codec_new - a codec, or NULL when out of memory. */
struct trace_codec *trace_codec_new(void);

/* trace_codec_free - release @c (NULL is fine). */
void trace_codec_free(struct trace_codec *c);

/* trace_codec_record_size - bytes of one record of chunk @type (SAMPLES or EVENTS), else 0. */
size_t trace_codec_record_size(uint32_t type);

/* trace_codec_bound - the most bytes trace_codec_pack() writes for @n records of @type. */
size_t trace_codec_bound(uint32_t type, size_t n);

/*
 * trace_codec_pack - pack @n (at most TRACE_RECORDS_MAX) records of chunk @type at @rec into
 * one zstd frame at @out, which has room for trace_codec_bound() bytes. Returns the frame's
 * size, or -ENOMEM.
 */
ssize_t trace_codec_pack(struct trace_codec *c, uint32_t type, const void *rec, size_t n,
			 void *out);

/*
 * trace_codec_unpack - the frame of @len bytes at @in back into @n records of chunk @type at
 * @out. Returns 0, -ENOMEM, or -EBADMSG with *@why saying what is wrong with the frame (not
 * exactly one zstd frame, another size than @n records, damaged data).
 */
int trace_codec_unpack(struct trace_codec *c, uint32_t type, const void *in, size_t len, void *out,
		       size_t n, const char **why);

#endif
