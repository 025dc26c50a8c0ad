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
};

/*
 * report_compare_log_x - whether latencies from @lo to @hi (ns, lo > 0) need a log axis: their
 * span is over REPORT_COMPARE_LOG_SPAN, so a linear axis would squeeze the body into a few
 * pixels at its left to make room for the tail.
 */
bool report_compare_log_x(double lo, double hi);

/*
 * report_compare_draw - the overlaid CDF and histogram of the good samples of @a (series "A")
 * and @b (series "B"), each from the samples their statistics read (the untraced runs of an
 * observed probe: trace_probe_stat_samples). Nothing is drawn when either side has no good
 * sample. Returns 0 or -errno with @err set.
 */
int report_compare_draw(struct report_plot *rp, const struct trace_probe *a,
			const struct trace_probe *b, struct report_compare_plots *out, char *err,
			size_t errlen);

/* report_compare_plots_free - free the SVGs of @pl. */
void report_compare_plots_free(struct report_compare_plots *pl);

#endif
