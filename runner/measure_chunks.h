/* SPDX-License-Identifier: MIT */
/*
 * measure_chunks - the JSON chunks a measurement writes: PROBE, one RUN per run, PROBE_END.
 * Each returns 0 or -errno with the reason kept in the result. Private to runner/measure*.c.
 */
#ifndef RINGSCOPE_MEASURE_CHUNKS_H
#define RINGSCOPE_MEASURE_CHUNKS_H

#include "runner/measure_state.h"

/* run_mark - where the totals stood when a run began: the run's own counts are the difference. */
struct run_mark {
	uint64_t start_ns, samples, bad, late, lost;
	size_t good;
	int cpus[2]; /* the placement probe's CPUs */
	bool traced; /* the tracer was attached during the run */
	double rtt;  /* its median round trip (ns), NAN if it could not run */
};

/* measure_write_probe - the PROBE chunk that opens this probe's part of the file. */
int measure_write_probe(struct measure_state *st);

/* measure_write_run - the RUN chunk: counts, window, placement and percentiles of run @run. */
int measure_write_run(struct measure_state *st, unsigned int run, const struct run_mark *m, int rc);

/* measure_write_probe_end - the PROBE_END chunk: totals and, after a failure, why. */
int measure_write_probe_end(struct measure_state *st, int rc);

#endif
