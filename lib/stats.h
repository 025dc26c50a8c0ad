/* SPDX-License-Identifier: MIT */
/*
 * stats - summary statistics of latency samples: Welford mean and standard deviation,
 * percentiles by linear interpolation between order statistics, median and MAD.
 * Pure functions on double arrays: no printing, no global state.
 */
#ifndef RINGSCOPE_STATS_H
#define RINGSCOPE_STATS_H

#include <stddef.h>
#include <stdint.h>

/*
 * MAD times this constant estimates the standard deviation of normally distributed data
 * (1 / Phi^-1(3/4)); stats_median_mad() returns the raw MAD, callers scale if they want to.
 */
#define STATS_MAD_NORMAL 1.482602218505602

/* stats_summary - the paper's Table 1 row and more, in the unit of the input. */
struct stats_summary {
	size_t n;
	double mean;
	double stddev; /* sample standard deviation (n - 1 denominator), 0 for n = 1 */
	double min, p50, p90, p99, p999, max;
	double p9999, p99999; /* NAN below stats_tail_min_samples() samples */
};

/*
 * stats_tail_min_samples - the fewest samples for which the @q quantile is reported: 10 / (1 - q),
 * so that ten samples lie above it (sockperf's rule of thumb): 100,000 for p99.99, 1,000,000 for
 * p99.999. With fewer, the "quantile" is the interpolation between the last few order statistics
 * and says nothing about the tail.
 */
size_t stats_tail_min_samples(double q);

/*
 * stats_running - Welford's one-pass accumulator: mean and variance without the cancellation
 * of the textbook sum-of-squares formula (stable for 1e12 ns timestamps plus small noise).
 */
struct stats_running {
	size_t n;
	double mean;
	double m2; /* sum of squared deviations from the running mean */
	double min, max;
};

/* stats_running_init - an empty accumulator. */
void stats_running_init(struct stats_running *r);
/* stats_running_add - add one value. */
void stats_running_add(struct stats_running *r, double x);
/* stats_running_stddev - sample standard deviation (n - 1), 0 with fewer than two values. */
double stats_running_stddev(const struct stats_running *r);

/*
 * stats_sort - sort @v ascending in place (the order statistics the percentiles need); long
 * arrays by radix, in the order a comparison sort gives.
 */
void stats_sort(double *v, size_t n);

/*
 * stats_sort_u64 - sort times @v ascending in place: by insertion when short (a window or a
 * wait holds a few boundaries, where qsort's calls cost more than the sort), else by qsort.
 */
void stats_sort_u64(uint64_t *v, size_t n);

/*
 * stats_percentile - the @q quantile (0 <= q <= 1) of an ascending array: linear interpolation
 * between order statistics (Hyndman & Fan type 7, the default of R and NumPy): with
 * h = (n - 1) q, the result is x[floor h] + (h - floor h) (x[floor h + 1] - x[floor h]).
 * q = 0.5 is the usual median. Returns NAN for n = 0 or q outside [0, 1].
 */
double stats_percentile(const double *sorted, size_t n, double q);

/*
 * stats_summarize_sorted - the summary of an ascending array (no allocation).
 * Returns 0, or -EINVAL for n = 0 or a NULL pointer.
 */
int stats_summarize_sorted(const double *sorted, size_t n, struct stats_summary *out);

/*
 * stats_summarize - the summary of @v in any order; sorts a private copy, @v is untouched.
 * Returns 0, -EINVAL for n = 0 or a NULL pointer, -ENOMEM.
 */
int stats_summarize(const double *v, size_t n, struct stats_summary *out);

/*
 * stats_median_mad - median and median absolute deviation (raw, unscaled) of @v in any order:
 * the robust baseline of spike detection. @v is untouched. Returns 0, -EINVAL, -ENOMEM.
 */
int stats_median_mad(const double *v, size_t n, double *median, double *mad);

/*
 * stats_median_mad_sorted - the same of an ascending array, without sorting it again (the
 * deviations of sorted values merge into order). Returns 0, -EINVAL, -ENOMEM.
 */
int stats_median_mad_sorted(const double *sorted, size_t n, double *median, double *mad);

#endif
