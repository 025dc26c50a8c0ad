/* SPDX-License-Identifier: MIT */
/* patterns_modes - the modes of a latency distribution (the paper's bimodal histograms). */
#ifndef RINGSCOPE_PATTERNS_MODES_H
#define RINGSCOPE_PATTERNS_MODES_H

#include <stddef.h>

#include "analysis/patterns/patterns_opts.h"

/* patterns_mode - one peak of the latency density and the share of samples in its basin. */
struct patterns_mode {
	double location_ns;
	double weight;
};

/*
 * patterns_modes - the modes of @n latencies (ns, any order): Gaussian kernel density of log
 * latency, Silverman's bandwidth (at least the resolution), peaks with at least
 * min_mode_weight and min_mode_prominence; by location. Returns 0, -EINVAL, -ENOMEM.
 */
int patterns_modes(const double *lat, size_t n, const struct patterns_opts *o,
		   struct patterns_mode *out, size_t max, size_t *nout);

#endif
