/* SPDX-License-Identifier: MIT */
/* report_probe - the plots of one probe: mesh diagram as a heatmap and in 3-D, a histogram. */
#ifndef RINGSCOPE_REPORT_PROBE_H
#define RINGSCOPE_REPORT_PROBE_H

#include <stddef.h>

#include "analysis/report/report_plot.h"

struct json_object;
struct trace_probe;

/* report_probe_plots - the SVGs of one probe; each is NULL when it has no good sample. */
struct report_probe_plots {
	char *heatmap;
	char *mesh;
	char *histogram;
};

/*
 * report_probe_draw - draw the heatmap, 3-D mesh and histogram of @p's good samples, p50 and
 * p99 marked on the histogram; the meshes binned so that the periodic lines of @probe (its
 * report model object: patterns_report_add's "patterns"; NULL: none) show. Returns 0 or -errno
 * with @err set.
 */
int report_probe_draw(struct report_plot *rp, const struct trace_probe *p,
		      struct json_object *probe, struct report_probe_plots *out, char *err,
		      size_t errlen);

/* report_probe_plots_free - free the SVGs of @pl. */
void report_probe_plots_free(struct report_probe_plots *pl);

#endif
