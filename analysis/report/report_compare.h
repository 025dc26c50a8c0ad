/* SPDX-License-Identifier: MIT */
/* report_compare - the report page's --compare section: A and B side by side per probe. */
#ifndef RINGSCOPE_REPORT_COMPARE_H
#define RINGSCOPE_REPORT_COMPARE_H

#include <stddef.h>
#include <stdio.h>

#include "analysis/report/report_plot.h"

struct json_object;
struct trace_session;

/* report_compare_sides - the two compared traces (A, B) and their analyze reports. */
struct report_compare_sides {
	const struct trace_session *a, *b;
	struct json_object *report_a, *report_b; /* with "confidence" and "spike_detection" */
};

/*
 * report_html_compare - the side-by-side of @cmp (compare_report_build's object, compare.h):
 * per probe in both traces the verdict and its rule, both sides' figures and cause mix, their
 * percentiles with intervals, an overlaid CDF and histogram (drawn with @rp), how the causes'
 * shares moved, and the tests. @rp NULL: no plots (a test of the rest, without gnuplot).
 * Returns 0 or -errno with @err set (a plot failed).
 */
int report_html_compare(FILE *f, struct report_plot *rp, struct json_object *cmp,
			const struct report_compare_sides *sides, char *err, size_t errlen);

#endif
