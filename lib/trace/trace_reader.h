/* SPDX-License-Identifier: MIT */
/*
 * trace_reader - reads a ringscope trace file (docs/trace-format.md): a streaming reader that
 * hands each chunk to callbacks with bounded memory, and a model that loads a whole session
 * (everything but the kernel events, which it only counts).
 */
#ifndef RINGSCOPE_TRACE_READER_H
#define RINGSCOPE_TRACE_READER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "lib/trace/trace_format.h"

struct json_object;

/*
 * What a read found. While a callback runs, @chunks is the index of the chunk being handed
 * over (0 = first chunk after the file header) and @bytes its offset in the file.
 */
struct trace_read_status {
	bool complete;	     /* the END chunk was read */
	bool truncated_tail; /* a partial last chunk (a killed writer) was ignored */
	uint32_t version;    /* the file's format version */
	uint64_t chunks;     /* whole chunks read */
	uint64_t bytes;	     /* bytes read: the header and the whole chunks */
	char err[256];	     /* why the read failed: "'PATH': chunk N at offset X: ..." */
};

/*
 * Callbacks, any of which may be NULL. Records and the JSON object belong to the reader and
 * are valid only during the call (json_object_get() keeps the object). A callback returns 0 to
 * go on, or a negative errno to stop the read, which then returns it; a callback may first
 * write its reason into the status's err (the caller holds that struct, it can pass it in
 * @ctx), and the reader prefixes it with the file, chunk index and offset.
 */
struct trace_reader_ops {
	int (*on_json)(void *ctx, uint32_t type, struct json_object *obj);
	int (*on_samples)(void *ctx, uint32_t probe_id, const struct trace_sample *s, size_t n);
	int (*on_events)(void *ctx, const struct tracer_event *ev, size_t n);
};

/*
 * trace_reader_read - read @path chunk by chunk. Returns 0, also for a file cut off after its
 * last whole chunk (st->complete false, st->truncated_tail true if a partial chunk followed), or
 * -errno with st->err set: -ENOENT etc. (open/read), -EBADMSG (not a trace, cut inside the file
 * header, CRC mismatch, unknown chunk type, bad length or count, malformed JSON, data after END),
 * -ENOTSUP (a newer format version), or a callback's error.
 */
int trace_reader_read(const char *path, const struct trace_reader_ops *ops, void *ctx,
		      struct trace_read_status *st);

/* trace_reader_read_fd - the same from an open file descriptor; @name is used in messages. */
int trace_reader_read_fd(int fd, const char *name, const struct trace_reader_ops *ops, void *ctx,
			 struct trace_read_status *st);

/* trace_reader_read_mem - the same from @len bytes in memory (the fuzzer's entry point). */
int trace_reader_read_mem(const void *buf, size_t len, const char *name,
			  const struct trace_reader_ops *ops, void *ctx,
			  struct trace_read_status *st);

/* trace_chunk_name - "SESSION", "SAMPLES", ... for messages; "unknown" otherwise. */
const char *trace_chunk_name(uint32_t type);

/* One probe of a session, in the order its PROBE chunk appeared. */
struct trace_probe {
	uint32_t probe_id;
	char *name;		    /* the PROBE chunk's "probe" */
	struct json_object *config; /* its "config" object (an empty object if absent) */
	struct json_object *begin;  /* the whole PROBE object */
	struct json_object *runs;   /* array of the RUN objects of this probe */
	struct json_object *end;    /* the PROBE_END object, NULL if the probe never ended */
	struct trace_sample *samples;
	size_t nsamples;
	size_t nbad;  /* samples flagged TRACE_SAMPLE_BAD */
	size_t nlate; /* samples flagged TRACE_SAMPLE_LATE */
	size_t cap;   /* allocated samples */
};

/* A whole session; every json_object may be NULL when its chunk is missing. */
struct trace_session {
	struct json_object *session;
	struct json_object *platform;
	struct json_object *tracer;
	struct json_object *end;
	struct trace_probe *probes;
	size_t nprobes;
	uint64_t nevents;
	struct trace_read_status status; /* complete, truncated_tail, chunks, bytes */
};

/*
 * trace_session_load - read @path into a new session. An unfinished file (no END chunk) loads
 * with status.complete false. Returns 0 and *@out, or -errno with a message in @err: the
 * reader's errors, plus -EBADMSG for a PROBE without a probe_id, a probe id seen twice, samples,
 * RUN or PROBE_END of an unknown probe, a second SESSION, PLATFORM or END chunk.
 */
int trace_session_load(const char *path, struct trace_session **out, char *err, size_t errlen);

/* trace_session_load_mem - the same from memory; @name is used in messages. */
int trace_session_load_mem(const void *buf, size_t len, const char *name,
			   struct trace_session **out, char *err, size_t errlen);

/* trace_session_probe - the probe with @probe_id, or NULL. */
struct trace_probe *trace_session_probe(const struct trace_session *s, uint32_t probe_id);

/* trace_session_free - release @s and all it holds (NULL is fine). */
void trace_session_free(struct trace_session *s);

#endif
