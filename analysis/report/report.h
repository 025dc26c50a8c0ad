/* SPDX-License-Identifier: MIT */
/*
 * report - `ringscope report`: one self-contained HTML page of a trace file (fingerprint,
 * Table 1, mesh diagrams, histograms, patterns, top spikes with their causes and events), its
 * plots drawn by gnuplot (report_plot, report_probe), its page assembled by report_html.
 */
#ifndef RINGSCOPE_REPORT_H
#define RINGSCOPE_REPORT_H

#include <stddef.h>
#include <stdint.h>

#include "analysis/attribution/attribution_report.h"

/* report_opts - what `ringscope report` was asked for. */
struct report_opts {
	const char *path;	  /* the trace file */
	const char *compare_path; /* a second trace to set beside it, or NULL */
	const char *out;	  /* the HTML file (lib/outfile.h: renamed into place when whole) */
	uint64_t plot_timeout_ms; /* the most one gnuplot may take */
	struct attr_report_opts attr;
};

/*
 * report_write - load the trace(s), build the analyze report and its attribution, draw the
 * plots and write the page to o->out (under a temporary name renamed into place when whole,
 * so that a failure never leaves a partial file). Returns 0 or -errno with @err set;
 * -ENOENT with "install gnuplot-nox" when gnuplot is missing.
 */
int report_write(const struct report_opts *o, char *err, size_t errlen);

#endif
