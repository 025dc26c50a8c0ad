/* SPDX-License-Identifier: MIT */
/*
 * trace_writer - appends chunks to a ringscope trace file (lib/trace/trace_format.h). Thread-safe:
 * a tracer thread may append events while the main thread appends samples. Every chunk is one
 * write() of header and payload, so a process killed at any moment leaves a file that reads up
 * to its last whole chunk.
 */
#ifndef RINGSCOPE_TRACE_WRITER_H
#define RINGSCOPE_TRACE_WRITER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "lib/trace/trace_format.h"

struct json_object;
struct trace_writer;

/*
 * trace_writer_fdopen - write the file header to @fd (a new file, lib/outfile.h) and return a
 * writer in *@out that owns @fd from then on (trace_writer_close closes it). 0, or -errno of
 * the write or -ENOMEM; @fd stays the caller's on error.
 */
int trace_writer_fdopen(int fd, struct trace_writer **out);

/*
 * trace_writer_open - make @path as lib/outfile.h makes outputs (in place at once, never through
 * a link; an existing regular file is replaced, a character device or FIFO written into) and
 * trace_writer_fdopen() it. 0, or -errno (outfile_open's, the header write's, -ENOMEM); on
 * error nothing is left. The runner opens its file itself, to say why it refused a path.
 */
int trace_writer_open(const char *path, struct trace_writer **out);

/*
 * trace_writer_add_json - write one JSON chunk of @chunk_type (SESSION .. END) holding @obj,
 * after the samples and events buffered so far, so the file keeps the order of the calls.
 * @obj stays the caller's. Returns 0, -EINVAL (not a JSON chunk type), -E2BIG (past
 * TRACE_CHUNK_MAX_LENGTH) or -errno of the write (ENOSPC, EIO: sticky, see below).
 */
int trace_writer_add_json(struct trace_writer *w, uint32_t chunk_type, struct json_object *obj);

/*
 * trace_writer_add_sample - buffer one sample of probe @probe_id; a SAMPLES chunk is written
 * when TRACE_SAMPLES_PER_CHUNK are buffered or the probe id changes. Returns 0 or -errno.
 */
int trace_writer_add_sample(struct trace_writer *w, uint32_t probe_id,
			    const struct trace_sample *s);

/*
 * The samples a caller may hold before it writes them (the runner keeps one run's, up to
 * 65,536): events never take the room these need. Once a chunk of events would leave less free
 * space than their packed size and the JSON chunks that follow (a disk nearly full, --trace-detail
 * full), events are dropped instead of written (trace_writer_events_refused), and the samples,
 * the TRACER and the END chunk still fit.
 */
#define TRACE_WRITER_HELD_SAMPLES 65536u

/*
 * trace_writer_add_events - buffer @n events; EVENTS chunks of TRACE_EVENTS_PER_CHUNK. Returns
 * 0, -ENOSPC once the writer drops events to keep room for samples (stop handing them; these @n
 * are the caller's to count as dropped), or -errno.
 */
int trace_writer_add_events(struct trace_writer *w, const struct tracer_event *ev, size_t n);

/*
 * trace_writer_events_refused - the events that add_events took (returned 0 for) and then
 * dropped to keep room for the samples (see above); *@refusing: whether it drops them now.
 */
uint64_t trace_writer_events_refused(struct trace_writer *w, bool *refusing);

/* trace_writer_flush - write the buffered samples and events now (at the end of each run). */
int trace_writer_flush(struct trace_writer *w);

/*
 * trace_writer_close - flush, write an END chunk holding @end (NULL: {"status": "ok",
 * "end_mono_ns": now}; @end stays the caller's), fsync, close and free @w (always freed).
 * Returns 0 or the first -errno seen.
 */
int trace_writer_close(struct trace_writer *w, struct json_object *end);

/*
 * trace_writer_abandon - write what is buffered, close WITHOUT an END chunk and free @w: the
 * file then reads as incomplete (a run that failed before it could finalize the trace).
 */
void trace_writer_abandon(struct trace_writer *w);

/*
 * Errors: after a failed write the writer cuts the file back to its last whole chunk and every
 * later call returns the same -errno, so a full disk never leaves a damaged chunk in the middle.
 */

#endif
