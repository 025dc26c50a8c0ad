/* SPDX-License-Identifier: MIT */
/* report_compare_plot - one probe of two traces in the same axes: overlaid CDF and histogram. */
#ifndef RINGSCOPE_REPORT_COMPARE_PLOT_H
#define RINGSCOPE_REPORT_COMPARE_PLOT_H

#include <stdbool.h>
#include <stddef.h>

#include "analysis/report/report_plot.h"

struct trace_probe;

/* More than this factor between the fastest and the slowest sample of both: a log x axis. */
#define REPORT_COMPARE_LOG_SPAN 30.0

/*
 * The histogram's bins: enough for REPORT_COMPARE_BODY_BINS across the narrower of the two
 * traces' interquartile ranges, within [MIN, MAX]: a fixed count over a range stretched by a
 * tail 100x the median put a whole body into two bins.
 */
#define REPORT_COMPARE_BODY_BINS 8
#define REPORT_COMPARE_MIN_BINS	 40
#define REPORT_COMPARE_MAX_BINS	 240

/* report_compare_plots - the SVGs of one compared probe; NULL where a side has no good sample. */
struct report_compare_plots {
	char *cdf;	 /* A's and B's empirical CDFs, one step line each (nines when log_x) */
	char *histogram; /* A's and B's share of samples per bin, the same bins for both */
	/*
	 * the data's range asked for a log latency axis: both plots have one, and the CDF's height
	 * is in nines (50%, 90%, 99%, ... evenly spaced), where the tail that stretched the range
	 * is
	 */
	bool log_x;
	int bins; /* the histogram's, log-spaced with log_x */
};

/*
 * report_compare_log_x - whether latencies from @lo to @hi (ns, lo > 0) need a log axis: their
 * span is over REPORT_COMPARE_LOG_SPAN, so a linear axis would squeeze the body into a few
 * pixels at its left to make room for the tail.
 */
bool report_compare_log_x(double lo, double hi);

/*
 * report_compare_hist_bins - how many bins from @lo to @hi ns (log-spaced if @log_x) put
 * REPORT_COMPARE_BODY_BINS between @q1 and @q3 (a body: its quartiles), none narrower than
 * @step ns (the timer's step; 0: no floor), within [REPORT_COMPARE_MIN_BINS,
 * REPORT_COMPARE_MAX_BINS]. A body of no width (every sample on one step) gets the most.
 */
int report_compare_hist_bins(double lo, double hi, double q1, double q3, double step, bool log_x);

/*
 * report_compare_draw - the overlaid CDF and histogram of the good samples of @a (series "A")
 * and @b (series "B"), each from the samples their statistics read (the untraced runs of an
 * observed probe: trace_probe_stat_samples); the histogram's bins as report_compare_hist_bins()
 * gives them for the timer step @step_ns. Nothing is drawn when either side has no good sample.
 * Returns 0 or -errno with @err set.
 */
int report_compare_draw(struct report_plot *rp, const struct trace_probe *a,
			const struct trace_probe *b, double step_ns,
			struct report_compare_plots *out, char *err, size_t errlen);

/* report_compare_plots_free - free the SVGs of @pl. */
void report_compare_plots_free(struct report_compare_plots *pl);

#endif
