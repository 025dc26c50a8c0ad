/* SPDX-License-Identifier: MIT */
/*
 * patterns_confidence - percentiles with distribution-free confidence intervals, and the lag-1
 * autocorrelation that says whether those intervals can be trusted.
 */
#ifndef RINGSCOPE_PATTERNS_CONFIDENCE_H
#define RINGSCOPE_PATTERNS_CONFIDENCE_H

#include <stdbool.h>
#include <stddef.h>

#include "analysis/patterns/patterns_opts.h"
#include "lib/trace/trace_format.h"

/* patterns_ci - an estimate with a 95% distribution-free interval (NAN: unbounded side). */
struct patterns_ci {
	double estimate, lo, hi;
};

struct patterns_confidence {
	size_t n;
	struct patterns_ci p50, p90, p99, p999;
	double lag1;	     /* pooled within runs; NAN with fewer than 3 consecutive pairs */
	bool autocorrelated; /* |lag1| > autocorr_flag: the intervals are too narrow */
};

/*
 * patterns_quantile_ci - the 95% interval of the @q quantile of @n ascending values from the
 * order statistics x(l) <= x(u) with P(l <= B < u) >= 0.95, B ~ Binomial(n, q). A side that
 * n cannot bound is NAN.
 */
struct patterns_ci patterns_quantile_ci(const double *sorted, size_t n, double q);

/*
 * patterns_confidence_of - p50/p90/p99/p99.9 with intervals and the lag-1 autocorrelation of
 * the good samples. Returns 0, -EINVAL, -ENOMEM.
 */
int patterns_confidence_of(const struct trace_sample *s, size_t n, const struct patterns_opts *o,
			   struct patterns_confidence *out);

#endif
