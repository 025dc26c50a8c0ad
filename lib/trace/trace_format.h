/* SPDX-License-Identifier: MIT */
/*
 * trace_format - the on-disk layout of a ringscope trace file (docs/trace-format.md is the
 * specification; this header is its C form, shared by the writer and the reader).
 */
#ifndef RINGSCOPE_TRACE_FORMAT_H
#define RINGSCOPE_TRACE_FORMAT_H

#include <stdbool.h>
#include <stdint.h>

#include "lib/trace/trace_event.h"

/* Records are stored as the CPU lays them out: the format is little-endian (x86-64). */
#if __BYTE_ORDER__ != __ORDER_LITTLE_ENDIAN__
#error "the ringscope trace format is little-endian; a big-endian port must byte-swap"
#endif

#define TRACE_MAGIC	"RNGSCOPE" /* 8 bytes, no terminator on disk */
#define TRACE_MAGIC_LEN 8
/*
 * Version 2 compresses the records of SAMPLES and EVENTS chunks (zstd, each chunk on its own);
 * version 1 stored them as they are. A reader reads both; the writer writes version 2.
 */
#define TRACE_VERSION	  2
#define TRACE_VERSION_RAW 1 /* the first version: records stored uncompressed */

/* Limits: the writer never exceeds them, the reader rejects a chunk that does. */
#define TRACE_CHUNK_MAX_LENGTH	(64u << 20) /* payload bytes of one chunk */
#define TRACE_HEADER_MAX_SIZE	4096u	    /* header_size a reader accepts */
#define TRACE_SAMPLES_PER_CHUNK 4096u	    /* the writer's SAMPLES chunk size */
/*
 * The writer's EVENTS chunk size. The tracer's thread packs a chunk in one go: 1024 events take
 * it 65 us (p50), 4096 took 240 us, for 2.4% more bytes on disk (docs/trace-format.md).
 */
#define TRACE_EVENTS_PER_CHUNK 1024u
#define TRACE_RECORDS_MAX      65536u /* records in one compressed chunk (version 2) */

/* File header: magic, then version and the header's own size, little-endian. */
struct trace_file_header {
	char magic[8];
	uint32_t version;
	uint32_t header_size; /* sizeof(struct trace_file_header) in versions 1 and 2 */
};
_Static_assert(sizeof(struct trace_file_header) == 16, "trace_file_header is 16 bytes on disk");

/*
 * Every chunk: this header, then `length` bytes of payload whose CRC-32 (zlib) is `crc32`: the
 * payload as stored, so in version 2 the CRC covers the compressed bytes (a seventh of them).
 */
struct trace_chunk_header {
	uint32_t type;
	uint32_t length;
	uint32_t crc32;
	uint32_t reserved; /* 0; a reader rejects anything else */
};
_Static_assert(sizeof(struct trace_chunk_header) == 16, "trace_chunk_header is 16 bytes on disk");

enum trace_chunk_type {
	/* JSON payloads (UTF-8 text, one object) */
	TRACE_CHUNK_SESSION = 1,   /* tool version, command line, start time, host */
	TRACE_CHUNK_PLATFORM = 2,  /* platform fingerprint and calibration (doctor's "platform") */
	TRACE_CHUNK_PROBE = 3,	   /* a probe begins: {"probe_id", "probe", "config": {...}} */
	TRACE_CHUNK_RUN = 4,	   /* a run of a probe ended: {"probe_id", "run", ...} */
	TRACE_CHUNK_PROBE_END = 5, /* {"probe_id", "samples", "bad_messages", "lost", "late",
				      "error"?} */
	TRACE_CHUNK_TRACER = 6,	   /* tracer status: attached programs, skipped, lost per CPU */
	TRACE_CHUNK_END = 7,	   /* the session finished: {"status", "error"?, "end_mono_ns"} */
	/* binary payloads */
	TRACE_CHUNK_SAMPLES = 16, /* struct trace_samples_header, then count x struct trace_sample
				     (version 2: one zstd frame of them, packed: trace_codec.h) */
	TRACE_CHUNK_EVENTS = 17,  /* struct trace_events_header, then count x struct tracer_event
				     (version 2: one zstd frame of them, packed) */
};

/* trace_chunk_is_json - whether chunks of @type carry one JSON object. */
static inline bool trace_chunk_is_json(uint32_t type)
{
	return type >= TRACE_CHUNK_SESSION && type <= TRACE_CHUNK_END;
}

/* One timed iteration. Times in CLOCK_MONOTONIC ns, TSC in ticks. */
struct trace_sample {
	uint64_t tsc_start;
	uint64_t tsc_end;
	uint64_t mono_start_ns;
	uint64_t mono_end_ns;
	uint64_t intended_ns; /* when the pacing wanted this iteration to start */
	uint64_t latency_ns;  /* (tsc_end - tsc_start) converted with the calibration */
	uint32_t run;
	uint32_t iteration;
	uint32_t flags; /* enum trace_sample_flags */
	uint32_t cpu;	/* CPU the timed thread was on at the start */
};
_Static_assert(sizeof(struct trace_sample) == 64, "trace_sample is 64 bytes on disk");

enum trace_sample_flags {
	TRACE_SAMPLE_BAD = 1 << 0,  /* wrong, duplicated or out-of-order message: not a good time */
	TRACE_SAMPLE_LATE = 1 << 1, /* started later than intended (pacing could not keep up) */
};

struct trace_samples_header {
	uint32_t probe_id;
	uint32_t count;
};
_Static_assert(sizeof(struct trace_samples_header) == 8, "trace_samples_header is 8 bytes");

struct trace_events_header {
	uint32_t count;
	uint32_t record_size; /* sizeof(struct tracer_event) when written */
};
_Static_assert(sizeof(struct trace_events_header) == 8, "trace_events_header is 8 bytes");

#endif
