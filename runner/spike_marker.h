/* SPDX-License-Identifier: MIT */
/*
 * spike_marker - --trace-marker: each recorded iteration above its run's spike threshold is
 * written into ftrace's trace_marker as it happens, so that a trace-cmd or perf recording made
 * beside ringscope shows where ringscope saw a spike:
 *
 *   ringscope_spike: probe_id=5 probe="ring 3-hop netns" run=2 iteration=4711 latency_ns=412345
 *   threshold_ns=150000
 *
 * (one line). The threshold is analyze's spike rule (median + 6 MAD, at least 1.5 x the median
 * and 1 us above it) over the latencies of the run's own warm-up, which is timed for it: the
 * run's samples are not known until it ends, and the warm-up runs in the same tracer state.
 * `now` writes after the iteration's timed window closed and before the next one opens, which
 * costs the next iteration a little (docs/cli/run.md, "--trace-marker", has the measurement);
 * `run-end` keeps the spikes and writes them after the run, when no window is open.
 */
#ifndef RINGSCOPE_SPIKE_MARKER_H
#define RINGSCOPE_SPIKE_MARKER_H

#include <stddef.h>
#include <stdint.h>

#define SPIKE_MARKER_MIN_WARMUP 20   /* warm-up iterations a threshold needs */
#define SPIKE_MARKER_REFERENCE	1024 /* the last warm-up latencies kept for it */
#define SPIKE_MARKER_FILE	"trace_marker"
#define SPIKE_MARKER_PENDING	4096 /* spikes a run-end run keeps; more are counted dropped */

/* spike_marker_when - --trace-marker's value, its index in run_marker_names. */
enum spike_marker_when {
	SPIKE_MARKER_OFF = 0,
	SPIKE_MARKER_NOW,     /* between iterations, right after the spike */
	SPIKE_MARKER_RUN_END, /* after the run */
};

/* spike_marker_spike - a spike a run-end run keeps until the run ends. */
struct spike_marker_spike {
	uint64_t latency_ns, mono_ns;
	uint32_t iteration;
};

struct probe_config;

struct spike_marker {
	int fd; /* tracefs' trace_marker; -1: closed */
	enum spike_marker_when when;
	uint32_t probe_id;
	char label[48];	       /* the probe's configuration (progress_label) */
	uint64_t threshold_ns; /* this run's; 0: none (too few warm-up iterations) */
	uint64_t written;      /* markers written in this run */
	uint64_t failed;       /* writes that failed (a full or stopped buffer), over all runs */
	double reference[SPIKE_MARKER_REFERENCE]; /* this run's warm-up latencies (ns), a ring */
	size_t nref;				  /* how many it has seen */
	struct spike_marker_spike pending[SPIKE_MARKER_PENDING]; /* run-end: this run's */
	size_t npending;
	uint64_t dropped; /* run-end: spikes past SPIKE_MARKER_PENDING in this run, not written */
};

/*
 * spike_marker_open - open trace_marker (tracefs mounted if it is not) for markers @when. 0, or
 * -errno with @err saying what failed and the fix (root).
 */
int spike_marker_open(struct spike_marker *m, enum spike_marker_when when, char *err,
		      size_t errlen);

/* spike_marker_close - close it; safe when it is not open. */
void spike_marker_close(struct spike_marker *m);

/* spike_marker_probe - the probe the markers that follow name: @probe_id, @cfg's label. */
void spike_marker_probe(struct spike_marker *m, uint32_t probe_id, const struct probe_config *cfg);

/* spike_marker_warmup - one timed warm-up latency of the run about to start. */
static inline void spike_marker_warmup(struct spike_marker *m, double latency_ns)
{
	m->reference[m->nref++ % SPIKE_MARKER_REFERENCE] = latency_ns;
}

/*
 * spike_marker_threshold - analyze's spike threshold (ns, rounded up) over @lat (sorted in
 * place), 0 when @n < SPIKE_MARKER_MIN_WARMUP or out of memory: no marker then.
 */
uint64_t spike_marker_threshold(double *lat, size_t n);

/* spike_marker_run_begins - the run's threshold from its warm-up, its count from zero. */
void spike_marker_run_begins(struct spike_marker *m);

struct json_object;
/*
 * spike_marker_run_json - the run's "marker_threshold_ns" (null: none), "markers" written and
 * "markers_dropped" into its RUN chunk @o.
 */
void spike_marker_run_json(const struct spike_marker *m, struct json_object *o);

/* spike_marker_write - the marker line of spike @sp of run @run (one write(2)), or counted. */
void spike_marker_write(struct spike_marker *m, uint32_t run, const struct spike_marker_spike *sp);

/* spike_marker_run_ends - run-end: write the run's spikes now that no window is open. */
void spike_marker_run_ends(struct spike_marker *m, uint32_t run);

/*
 * spike_marker_check - iteration @iteration of run @run took @latency_ns from @mono_ns: a spike
 * above the run's threshold is written now, or kept for the run's end.
 */
static inline void spike_marker_check(struct spike_marker *m, uint32_t run, uint32_t iteration,
				      uint64_t latency_ns, uint64_t mono_ns)
{
	struct spike_marker_spike sp = {latency_ns, mono_ns, iteration};

	if (!m->threshold_ns || latency_ns <= m->threshold_ns)
		return;
	if (m->when == SPIKE_MARKER_NOW)
		spike_marker_write(m, run, &sp);
	else if (m->npending < SPIKE_MARKER_PENDING)
		m->pending[m->npending++] = sp;
	else
		m->dropped++;
}

#endif
