/* SPDX-License-Identifier: MIT */
/*
 * recording - what `run` and `session` share around their measurements: stop signals, the trace
 * file's first and last chunks, and the optional eBPF tracer that feeds the same file.
 */
#ifndef RINGSCOPE_RECORDING_H
#define RINGSCOPE_RECORDING_H

#include <signal.h>
#include <stdbool.h>

#include "lib/outfile.h"
#include "lib/timing.h"
#include "runner/measure.h"

struct json_object;
struct trace_writer;
struct tracer;
struct tracer_status;

/* The signal that asked for a stop (SIGINT, SIGTERM, SIGHUP), 0 while none did. */
extern volatile sig_atomic_t recording_stop_signal;

struct recording {
	const char *path; /* the trace file's name (made unique when asked) */
	struct outfile out;
	struct trace_writer *w;
	struct tracer *tracer; /* NULL: untraced */
	bool tracer_failed;    /* it could not attach again after a pause: untraced from then on */
	struct timing_calibration cal;
};

/*
 * recording_open - remove the namespaces, lighttpd servers and lighttpd folders of killed runs,
 * install the stop signals, calibrate the TSC, create @path (lib/outfile.h, in place at once;
 * @unique: its "XXXXXX" made random, r->path the name made) and write its SESSION (for
 * @command with @argv) and PLATFORM chunks. Prints the error and returns CLI_EXIT_ERROR on
 * failure (nothing is left open or made), else CLI_EXIT_OK.
 */
int recording_open(struct recording *r, const char *path, bool unique, const char *command,
		   int argc, char **argv);

/*
 * recording_trace - start the tracer on @cpus (ncpus == 0: all), following this process and,
 * through @plan's on_setup hook, every process a probe starts, and write its first TRACER chunk
 * ("final": false). Without root or BPF, print one warning and leave the recording untraced.
 * Returns whether it is traced.
 */
bool recording_trace(struct recording *r, const int *cpus, int ncpus, struct measure_plan *plan);

/*
 * recording_close - stop the tracer (its status becomes a TRACER chunk), write the END chunk
 * (status "error" with @error when @error is non-NULL, "interrupted" after a stop signal, else
 * "ok") and close the file. Returns 0 or -EIO when the file could not be finalized.
 */
int recording_close(struct recording *r, const char *error, bool interrupted);

/*
 * recording_tracer_json - the TRACER chunk of @st (docs/trace-format.md): "attached",
 * "skipped" [{"name", "why"}], "events", "lost_events", "lost_per_cpu", "dropped_events",
 * "ringbuf_bytes", "cpus" ([..] or "all"), "detail", in lean detail "aggregated", and "final"
 * (@final: the tracer's last report, after it stopped; false: the one written as it started).
 * A new object, or NULL when out of memory.
 */
struct json_object *recording_tracer_json(const struct tracer_status *st, bool final);

/* recording_exit_code - 1 after an error, 128 + signal after a stop signal, else 0. */
int recording_exit_code(bool failed, bool interrupted);

/*
 * recording_full - whether @rc of a measurement means the file can take no more (disk full,
 * quota, file size limit): a session stops there instead of measuring into nothing.
 */
bool recording_full(int rc);

#endif
