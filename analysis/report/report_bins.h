/* SPDX-License-Identifier: MIT */
/* report_bins - how many iterations one point of a mesh shows, so that no found line is hidden. */
#ifndef RINGSCOPE_REPORT_BINS_H
#define RINGSCOPE_REPORT_BINS_H

struct json_object;

/* report_bins - the iterations a point shows (the max of them), and how many are drawn. */
struct report_bins {
	unsigned int bin;   /* iterations per point, >= 1 */
	unsigned int shown; /* iterations drawn from the first: all of them unless zoomed */
};

/*
 * report_bins_choose - bins for a run of @iters iterations in at most @max_cols points (at most
 * @stretch times that when a line needs it), @period the shortest periodic line found (0: none).
 * A point is the max of its bin, so a bin as long as the period holds a spike of the line in
 * every point and the line vanishes into a flat ridge (issue 12: 167 iterations a point hid the
 * 170.67 flush line). So: one iteration a point when they fit; else the fewest a point that fit,
 * kept to a third of the period at most (two quiet points between two of the line's), a divisor
 * of the period where one fits (each period then spans the same number of points: an even
 * ridge); when even that does not fit, the first iterations only, at a third of the period.
 */
void report_bins_choose(unsigned int iters, unsigned int max_cols, unsigned int stretch,
			double period, struct report_bins *out);

/* report_bins_period - the shortest period of @probe's periodic lines (report model), 0: none. */
double report_bins_period(struct json_object *probe);

#endif
