/* SPDX-License-Identifier: MIT */
/*
 * measure_state - what measure_probe() holds while it measures one probe configuration, shared by
 * its parts: set-up and teardown (measure_setup.c), the iterations (measure_loop.c) and the
 * chunks it writes (measure_chunks.c). Private to runner/measure*.c.
 */
#ifndef RINGSCOPE_MEASURE_STATE_H
#define RINGSCOPE_MEASURE_STATE_H

#include <sched.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "probes/probe.h"
#include "runner/measure.h"
#include "runner/topology.h"

struct measure_state {
	struct trace_writer *w;
	uint32_t probe_id;
	const struct probe_config *cfg;
	const struct measure_plan *plan;
	const struct timing_calibration *cal;
	const struct probe_ops *ops;
	struct measure_result *res;
	struct topology topo;
	bool topo_up, probe_up;
	struct probe_ctx ctx;
	int home_netns;	     /* the runner's own network namespace, to return to after a run */
	cpu_set_t home_cpus; /* the thread's own affinity, restored for placement and at the end */
	uint64_t seq;	     /* probe_iteration.seq: unique over warm-ups and runs */
	double *good;	     /* latencies (ns) of the good samples of all runs */
	size_t ngood, cap;
	/*
	 * The samples of the current run, written to the trace after the run (or when full): no
	 * write() and no allocation on the timed thread between its iterations, which would
	 * otherwise show up as a periodic artifact of ringscope itself.
	 */
	struct trace_sample *pending;
	size_t npending, pending_cap;
	void *account;			 /* what the probe counts besides the samples, or NULL */
	pid_t traced[PROBE_MAX_MEMBERS]; /* the probe's processes the hooks were last told of */
	unsigned int ntraced;
};

/* measure_fail - record "@what probe 'NAME': @detail" as the reason (the first one wins); @rc. */
int measure_fail(struct measure_state *st, int rc, const char *what, const char *detail);

#endif
