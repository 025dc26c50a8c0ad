/* SPDX-License-Identifier: MIT */
/* report_mesh - the mesh diagram (run x iteration x latency) as a heatmap and in 3-D. */
#ifndef RINGSCOPE_REPORT_MESH_H
#define RINGSCOPE_REPORT_MESH_H

#include <stdbool.h>
#include <stddef.h>

#include "analysis/report/report_plot.h"

struct trace_probe;

/*
 * report_mesh_draw - @p's good samples as a heatmap (@three_d false) or the paper's 3-D mesh
 * into *@svg, binned so that a periodic line of @period iterations (0: none found) shows
 * (report_bins.h). The 3-D mesh of a few runs is a needle per point (a surface of 2 rows is a
 * strip); of more, a wireframe with hidden lines removed, runs grouped to at most 25 rows.
 * *@svg stays NULL when there is nothing a mesh can draw (one point a row). 0 or -errno with
 * @err set.
 */
int report_mesh_draw(struct report_plot *rp, const struct trace_probe *p, double period,
		     bool three_d, char **svg, char *err, size_t errlen);

#endif
