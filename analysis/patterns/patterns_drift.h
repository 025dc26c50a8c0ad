/* SPDX-License-Identifier: MIT */
/*
 * patterns_drift - spikes whose iteration moves steadily from run to run (the paper's
 * diagonals, "memory between runs"). docs/patterns.md explains the method.
 */
#ifndef RINGSCOPE_PATTERNS_DRIFT_H
#define RINGSCOPE_PATTERNS_DRIFT_H

#include <stdbool.h>
#include <stddef.h>

#include "analysis/model/spikes.h"
#include "analysis/patterns/patterns_opts.h"

/* patterns_drift - spikes at intercept + slope x run, in several runs ("memory between runs"). */
struct patterns_drift {
	double slope;	  /* iterations per run */
	double intercept; /* iteration in run 0 */
	double magnitude; /* median latency of its spikes over the probe's median */
	size_t support;	  /* spikes on it */
	size_t runs;	  /* runs with a spike on it */
};

/*
 * patterns_drifts - the cross-run drifts among the spikes not @taken (same contract as
 * patterns_periodic, and their spikes get @taken set): a non-zero slope, spikes in at least
 * min_drift_runs runs. Returns 0, -EINVAL, -ENOMEM.
 */
int patterns_drifts(const struct spike *sp, size_t n, const struct patterns_grid *g,
		    const struct patterns_opts *o, double median_ns, bool *taken,
		    struct patterns_drift *out, size_t max, size_t *nout);

#endif
