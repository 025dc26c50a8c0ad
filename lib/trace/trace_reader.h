/* SPDX-License-Identifier: MIT */
/*
 * trace_reader - reads a ringscope trace file (docs/trace-format.md), versions 1 and 2: a
 * streaming reader that hands each chunk to callbacks with bounded memory, and a model that
 * loads a whole session (everything but the kernel events, which it streams on demand).
 */
#ifndef RINGSCOPE_TRACE_READER_H
#define RINGSCOPE_TRACE_READER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "lib/trace/trace_format.h"

struct json_object;
struct trace_events_index;

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

/* Where an EVENTS chunk is, to read its events later (trace_reader_ops.on_events_ref). */
struct trace_events_ref {
	uint64_t offset; /* of its chunk header */
	uint64_t chunk;	 /* its index (0 = first chunk after the file header), for messages */
	uint32_t length; /* of its payload */
	uint32_t crc32;	 /* as stored: checked when the events are read */
	uint32_t count;	 /* events it holds, from its records header */
};

/*
 * Callbacks, any of which may be NULL. Records and the JSON object belong to the reader and
 * are valid only during the call (json_object_get() keeps the object). A JSON object has passed
 * the format's type checks (trace_schema.h): a key the format names has the type it says. A
 * callback returns 0 to go on, or a negative errno to stop the read, which then returns it; a
 * callback may first write its reason into the status's err (the caller holds that struct, it
 * can pass it in @ctx), and the reader prefixes it with the file, chunk index and offset.
 *
 * on_events_ref, when set, replaces on_events: the reader then reads only the headers of each
 * EVENTS chunk that holds events, hands over where it is, and skips its payload (neither read
 * nor CRC-checked yet); trace_reader_read_events() reads those chunks later. So a caller that
 * needs the whole file before it can use the events (the model) still reads every byte once.
 */
struct trace_reader_ops {
	int (*on_json)(void *ctx, uint32_t type, struct json_object *obj);
	int (*on_samples)(void *ctx, uint32_t probe_id, const struct trace_sample *s, size_t n);
	int (*on_events)(void *ctx, const struct tracer_event *ev, size_t n);
	int (*on_events_ref)(void *ctx, const struct trace_events_ref *ref);
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

/* Where trace_reader_read_events() reads: the file open as @fd, or (@fd < 0) @size bytes at @mem.
 */
struct trace_events_source {
	int fd;
	const void *mem;
	uint64_t size;
	const char *name; /* for messages */
	uint32_t version; /* the file's format version */
};

/*
 * trace_reader_read_events - the events of the @n chunks at @refs of @src, chunk by chunk, to
 * @on_events. Each chunk is checked as a streaming read checks it (CRC, count, records). Returns
 * 0 or -errno with st->err set ("'NAME': chunk N at offset X: ..."); -ESPIPE when @src cannot be
 * read at an offset (a pipe).
 */
int trace_reader_read_events(const struct trace_events_source *src,
			     const struct trace_events_ref *refs, size_t n,
			     int (*on_events)(void *ctx, const struct tracer_event *ev, size_t n),
			     void *ctx, struct trace_read_status *st);

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
	/*
	 * What the PROBE chunk's config declares ("runs", "iterations"; 0 when it does not): every
	 * sample's run and iteration are below them, or the model refuses the file as damaged.
	 */
	uint32_t declared_runs, declared_iterations;
	/*
	 * observed: the probe has traced and untraced runs (RUN "traced"); samples[0, nuntraced)
	 * are then the untraced runs' and the rest the traced runs', each in the file's order.
	 */
	bool observed;
	size_t nuntraced;
};

/*
 * trace_probe_stat_samples - the samples a probe's statistics read (*@n of them): an observed
 * probe's untraced runs (the tracer's cost is not in them), else all of them.
 */
const struct trace_sample *trace_probe_stat_samples(const struct trace_probe *p, size_t *n);

/* trace_probe_traced_samples - the samples attribution explains: its traced runs', else all. */
const struct trace_sample *trace_probe_traced_samples(const struct trace_probe *p, size_t *n);

/* A whole session; every json_object may be NULL when its chunk is missing. */
struct trace_session {
	struct json_object *session;
	struct json_object *platform;
	struct json_object *tracer;
	struct json_object *end;
	struct trace_probe *probes;
	size_t nprobes;
	uint64_t nevents;		   /* events in the EVENTS chunks */
	struct trace_read_status status;   /* complete, truncated_tail, chunks, bytes */
	struct trace_events_index *events; /* where the events are (NULL: none, or no file) */
};

/*
 * trace_session_load - read @path into a new session: JSON chunks and samples; of the EVENTS
 * chunks only where they are and how many events they hold (trace_session_read_events() reads
 * them). An unfinished file (no END chunk) loads with status.complete false. Returns 0 and
 * *@out, or -errno with a message in @err: the reader's errors, plus -EBADMSG for a PROBE
 * without a probe_id, a probe id seen twice, samples, RUN or PROBE_END of an unknown probe, a
 * sample or RUN whose run or iteration is beyond what its probe declares, a second SESSION,
 * PLATFORM or END chunk. The session keeps @path open until trace_session_free().
 */
int trace_session_load(const char *path, struct trace_session **out, char *err, size_t errlen);

/*
 * trace_session_load_mem - the same from memory; @name is used in messages. @buf must stay
 * valid while the session's events are read.
 */
int trace_session_load_mem(const void *buf, size_t len, const char *name,
			   struct trace_session **out, char *err, size_t errlen);

/*
 * trace_session_read_events - the session's events, chunk by chunk in file order, to
 * @on_events (records valid during the call). Only the EVENTS chunks are read, so a load and
 * one events pass read the file once; memory stays one chunk. Returns 0, @on_events' error, or
 * -errno with a message in @err (a damaged EVENTS chunk, a file that is not a regular file).
 */
int trace_session_read_events(const struct trace_session *s,
			      int (*on_events)(void *ctx, const struct tracer_event *ev, size_t n),
			      void *ctx, char *err, size_t errlen);

/* trace_session_probe - the probe with @probe_id, or NULL. */
/*
 * trace_session_split_observed - mark the observed probes and put their untraced runs' samples
 * first (trace_session_load does it; 0 or -ENOMEM).
 */
int trace_session_split_observed(struct trace_session *s);

struct trace_probe *trace_session_probe(const struct trace_session *s, uint32_t probe_id);

/* trace_session_free - release @s and all it holds (NULL is fine). */
void trace_session_free(struct trace_session *s);

#endif
