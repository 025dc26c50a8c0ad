/* SPDX-License-Identifier: MIT */
/*
 * patterns - the artifact patterns of one probe's samples (the paper's sections 3 and 5):
 * periodic lines of spikes within runs, spikes drifting from run to run, the modes of the
 * latency distribution, and percentiles with order-statistic confidence intervals next to the
 * lag-1 autocorrelation that says whether those intervals can be trusted. One finder per file
 * (patterns_periodic, _drift, _modes, _confidence) under this one, which runs them all.
 * Pure functions: no printing, no global state. docs/patterns.md explains the methods.
 */
#ifndef RINGSCOPE_PATTERNS_H
#define RINGSCOPE_PATTERNS_H

#include <stddef.h>

#include "analysis/model/spikes.h"
#include "analysis/patterns/patterns_confidence.h"
#include "analysis/patterns/patterns_drift.h"
#include "analysis/patterns/patterns_modes.h"
#include "analysis/patterns/patterns_opts.h"
#include "analysis/patterns/patterns_periodic.h"
#include "lib/trace/trace_format.h"

#define PATTERNS_MAX_LINES 4 /* periodic lines and drifts reported, the strongest first */
#define PATTERNS_MAX_MODES 8

/* patterns - everything found on one probe. */
struct patterns {
	struct spikes_baseline baseline;
	struct patterns_grid grid;
	size_t nspikes;
	struct patterns_line lines[PATTERNS_MAX_LINES];
	size_t nlines;
	struct patterns_drift drifts[PATTERNS_MAX_LINES];
	size_t ndrifts;
	struct patterns_mode modes[PATTERNS_MAX_MODES];
	size_t nmodes;
	struct patterns_confidence conf;
};

/*
 * patterns_find - all of the above on one probe's samples (any order; bad samples are left
 * out). Returns 0, -EINVAL, -ENOMEM.
 */
int patterns_find(const struct trace_sample *s, size_t n, const struct patterns_opts *o,
		  struct patterns *out);

#endif
