/* SPDX-License-Identifier: MIT */
/*
 * patterns_opts - what every pattern finder takes: the thresholds, with their defaults, and
 * the run x iteration plane the spikes live on. The finders (periodic, drift, modes,
 * confidence) look down at this; patterns.h puts them together.
 */
#ifndef RINGSCOPE_PATTERNS_OPTS_H
#define RINGSCOPE_PATTERNS_OPTS_H

#include <stddef.h>
#include <stdint.h>

#include "analysis/model/spikes.h"

/* lines and drifts are not looked for past this many iterations per run (their histograms) */
#define PATTERNS_MAX_ITERATIONS (1u << 24)

/* patterns_opts - thresholds; patterns_opts_default() documents each default. */
struct patterns_opts {
	struct spikes_opts spikes; /* the spikes the lines are made of (as analyze --spikes) */
	size_t min_support;	   /* spikes on a periodic line (5) */
	size_t min_periods;	   /* periods a periodic line spans (3) */
	double min_hit_rate;	/* share of a line's predicted positions that hold a spike (0.2) */
	size_t min_drift_runs;	/* runs a drift has a spike in (3) */
	double alpha;		/* chance a line is noise, Bonferroni over the lines tried (1e-3) */
	double min_mode_weight; /* share of the samples under a mode (0.05) */
	double min_mode_prominence; /* a mode's rise over its saddle, share of its height (0.1) */
	double resolution_ns;	    /* timer step: modes closer than it are one (10 ns) */
	double autocorr_flag; /* |lag-1 autocorrelation| above which CIs are too narrow (0.5) */
};

/* patterns_grid - the run x iteration plane the spikes live on. */
struct patterns_grid {
	uint32_t runs;	     /* highest run + 1 */
	uint32_t iterations; /* highest iteration + 1 */
};

/* patterns_opts_default - the defaults named in struct patterns_opts, spikes_opts_default(). */
void patterns_opts_default(struct patterns_opts *o);

#endif
