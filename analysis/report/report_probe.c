// SPDX-License-Identifier: MIT
/* report_probe - one probe's plots: the mesh diagram as a heatmap and in 3-D, a histogram. */
#include <errno.h>
#include <math.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "analysis/analyze/render_analyze.h"
#include "analysis/report/report_probe.h"
#include "lib/stats.h"
#include "lib/trace/trace_reader.h"

#define HEATMAP_MAX_COLUMNS 600 /* iterations binned down to at most this many cells per run */
#define MESH_MIN_BIN	    50	/* the 3-D mesh shows the max of at least 50 iterations */
#define MESH_MAX_COLUMNS    60
#define MESH_MAX_ROWS	    25 /* and of runs grouped to at most 25 rows: the SVG stays < 1 MB */
#define HIST_BINS	    60
#define HIST_LOG_SPAN	    30.0 /* log-spaced bins once max/min passes this factor */

/* Viridis-like: dark is fast, yellow is slow; readable in print and for colour-blind readers. */
#define PALETTE                                                                                    \
	"set palette defined (0 '#440154', 1 '#3b528b', 2 '#21918c', 3 '#5ec962', 4 '#fde725')\n"

/* A grid of run groups x bins holding the max latency (us) of each cell; NAN where no good sample.
 */
struct grid {
	double *cell;
	unsigned int runs, bins, bin; /* bin: iterations per bin */
	unsigned int rows, group;     /* group: runs per row */
};

/* grid_fill - bin @p's good samples into @g: bins of at least @min_bin, at most @max_cols. */
static int grid_fill(const struct trace_probe *p, unsigned int min_bin, unsigned int max_cols,
		     unsigned int max_rows, struct grid *g)
{
	unsigned int iters = 0, i, c;
	size_t k;

	g->runs = 0;
	for (k = 0; k < p->nsamples; k++) {
		if (p->samples[k].run + 1 > g->runs)
			g->runs = p->samples[k].run + 1;
		if (p->samples[k].iteration + 1 > iters)
			iters = p->samples[k].iteration + 1;
	}
	g->bin = (iters + max_cols - 1) / max_cols;
	if (g->bin < min_bin)
		g->bin = min_bin;
	g->bins = (iters + g->bin - 1) / g->bin;
	g->group = g->runs > max_rows ? (g->runs + max_rows - 1) / max_rows : 1;
	g->rows = (g->runs + g->group - 1) / g->group;
	g->cell = malloc((size_t)g->rows * g->bins * sizeof(*g->cell));
	if (!g->cell)
		return -ENOMEM;
	for (i = 0; i < g->rows * g->bins; i++)
		g->cell[i] = NAN;
	for (k = 0; k < p->nsamples; k++) {
		const struct trace_sample *s = &p->samples[k];
		double us = s->latency_ns / 1000.0;

		if (s->flags & TRACE_SAMPLE_BAD)
			continue;
		c = s->run / g->group * g->bins + s->iteration / g->bin;
		if (isnan(g->cell[c]) || us > g->cell[c])
			g->cell[c] = us;
	}
	return 0;
}

/* grid_write - "iteration run latency_us" rows, one block per run; 0 or -errno. */
static int grid_write(struct report_plot *rp, const char *name, const struct grid *g, char *path,
		      size_t len)
{
	FILE *f = report_plot__data(rp, name, path, len);
	unsigned int r, b;
	double v;

	if (!f)
		return -errno;
	for (r = 0; r < g->rows; r++) {
		for (b = 0; b < g->bins; b++) {
			v = g->cell[r * g->bins + b];
			if (isnan(v))
				fprintf(f, "%u %u NaN\n", b * g->bin, r * g->group);
			else
				fprintf(f, "%u %u %.4f\n", b * g->bin, r * g->group, v);
		}
		fputc('\n', f);
	}
	return fclose(f) ? -errno : 0;
}

/* grid_min - the smallest filled cell (us), the floor of the colour and z scales. */
static double grid_min(const struct grid *g)
{
	double m = INFINITY;
	unsigned int i;

	for (i = 0; i < g->rows * g->bins; i++)
		m = fmin(m, g->cell[i]);
	return isfinite(m) && m > 0 ? m : 0.001;
}

/* A tic per run while they are few, gnuplot's own tics past that. */
#define SMALL_YTICS(runs) ((runs) <= 10 ? "set ytics 1\n" : "")

/* heatmap_height - 30 px a run, within [300, 600] px. */
static int heatmap_height(unsigned int runs)
{
	return 120 + 30 * (runs < 6 ? 6 : runs > 16 ? 16 : (int)runs);
}

/* draw_grid - the heatmap (@mesh false) or the 3-D mesh of @p into *@svg. */
static int draw_grid(struct report_plot *rp, const struct trace_probe *p, bool mesh, char **svg,
		     char *err, size_t errlen)
{
	struct grid g = {0};
	char path[4200], script[6000], group[32] = "";
	int ret;

	ret = grid_fill(p, mesh ? MESH_MIN_BIN : 1, mesh ? MESH_MAX_COLUMNS : HEATMAP_MAX_COLUMNS,
			mesh ? MESH_MAX_ROWS : UINT32_MAX, &g);
	if (!ret)
		ret = grid_write(rp, mesh ? "mesh.dat" : "heatmap.dat", &g, path, sizeof(path));
	if (ret) {
		snprintf(err, errlen, "failed to write plot data: %s", strerror(-ret));
		goto cleanup;
	}
	if (mesh && g.bins < 2) /* one column draws no line (gnuplot fails): the heatmap has it */
		goto cleanup;
	if (g.group > 1)
		snprintf(group, sizeof(group), " (max of %u)", g.group);
	if (mesh)
		snprintf(
		    script, sizeof(script),
		    PALETTE
		    "set logscale zcb\nset format cb '%%g'\nset format z '%%g'\n"
		    "set xlabel 'iteration (max of %u)'\nset ylabel 'run%s'\n"
		    "set zlabel 'latency (us)' rotate by 90\nset ticslevel 0\n"
		    "set view 60,30,1.1,1.25\nset margins 0,0,0,0\nset hidden3d\n"
		    "%sunset key\nset colorbox\nset cblabel 'us'\n"
		    "set zrange [%g:*]\nset cbrange [%g:*]\n"
		    "splot '%s' using 1:2:3 title 'latency (us)' with lines lc palette lw 1.2\n",
		    g.bin, group, SMALL_YTICS(g.runs), grid_min(&g) * 0.9, grid_min(&g) * 0.9,
		    path);
	else
		snprintf(script, sizeof(script),
			 PALETTE
			 "set logscale cb\nset format cb '%%g'\nset cblabel 'latency (us%s)'\n"
			 "set xlabel 'iteration'\nset ylabel 'run'\n%sunset key\n"
			 "set xrange [-0.5*%u:%u]\nset yrange [-0.5:%u-0.5]\nset cbrange [%g:*]\n"
			 "plot '%s' using 1:2:3 title 'latency per run and iteration' with image\n",
			 g.bin > 1 ? ", max per bin" : "", SMALL_YTICS(g.runs), g.bin,
			 g.bins * g.bin, g.runs, grid_min(&g), path);
	ret = report_plot__svg(rp, script, 1000, mesh ? 520 : heatmap_height(g.runs), svg, err,
			       errlen);
cleanup:
	free(g.cell);
	return ret;
}

/* hist_range - min and max good latency (ns) of @p; false when it has no good sample. */
static bool hist_range(const struct trace_probe *p, double *lo, double *hi)
{
	size_t k;

	*lo = INFINITY;
	*hi = 0;
	for (k = 0; k < p->nsamples; k++) {
		if (p->samples[k].flags & TRACE_SAMPLE_BAD)
			continue;
		*lo = fmin(*lo, (double)p->samples[k].latency_ns);
		*hi = fmax(*hi, (double)p->samples[k].latency_ns);
	}
	if (*lo <= 0)
		*lo = 1;
	if (*hi <= *lo)
		*hi = *lo + 1;
	return isfinite(*lo);
}

/* hist_write - "lo_us hi_us count" of the non-empty bins; *@log_x says how they were cut. */
static int hist_write(struct report_plot *rp, const struct trace_probe *p, double lo, double hi,
		      bool log_x, char *path, size_t len)
{
	double edge[HIST_BINS + 1], count[HIST_BINS] = {0}, v;
	FILE *f = report_plot__data(rp, "hist.dat", path, len);
	size_t k;
	int b;

	if (!f)
		return -errno;
	for (b = 0; b <= HIST_BINS; b++)
		edge[b] = log_x ? lo * pow(hi / lo, (double)b / HIST_BINS)
				: lo + (hi - lo) * b / HIST_BINS;
	for (k = 0; k < p->nsamples; k++) {
		if (p->samples[k].flags & TRACE_SAMPLE_BAD)
			continue;
		v = (double)p->samples[k].latency_ns;
		b = (int)(log_x ? log(v / lo) / log(hi / lo) * HIST_BINS
				: (v - lo) / (hi - lo) * HIST_BINS);
		count[b < 0 ? 0 : b >= HIST_BINS ? HIST_BINS - 1 : b]++;
	}
	for (b = 0; b < HIST_BINS; b++) {
		if (count[b])
			fprintf(f, "%.4f %.4f %.0f\n", edge[b] / 1000, edge[b + 1] / 1000,
				count[b]);
	}
	return fclose(f) ? -errno : 0;
}

/*
 * draw_hist - the latency histogram of @p: log x when the range spans decades, log y; p50 and
 * p99 marked as Table 1 gives them (analyze_probe_stats).
 */
static int draw_hist(struct report_plot *rp, const struct trace_probe *p, char **svg, char *err,
		     size_t errlen)
{
	char path[4200], script[6000], marks[512] = "";
	struct stats_summary st;
	double lo, hi;
	bool log_x;
	int ret;

	if (!hist_range(p, &lo, &hi))
		return 0;
	ret = analyze_probe_stats(p, &st);
	if (ret == -ENOMEM) {
		snprintf(err, errlen, "out of memory drawing the histogram of probe %u",
			 p->probe_id);
		return ret;
	}
	log_x = hi / lo > HIST_LOG_SPAN;
	ret = hist_write(rp, p, lo, hi, log_x, path, sizeof(path));
	if (ret) {
		snprintf(err, errlen, "failed to write plot data: %s", strerror(-ret));
		return ret;
	}
	if (!ret)
		snprintf(
		    marks, sizeof(marks),
		    "set arrow from %.4f, graph 0 to %.4f, graph 1 nohead dt 2 lc rgb '#d62728'\n"
		    "set label 'p50' at %.4f, graph 0.95 offset 0.5,0 tc rgb '#d62728'\n"
		    "set arrow from %.4f, graph 0 to %.4f, graph 1 nohead dt 3 lc rgb '#9467bd'\n"
		    "set label 'p99' at %.4f, graph 0.86 offset 0.5,0 tc rgb '#9467bd'\n",
		    st.p50 / 1000, st.p50 / 1000, st.p50 / 1000, st.p99 / 1000, st.p99 / 1000,
		    st.p99 / 1000);
	snprintf(
	    script, sizeof(script),
	    "%sset logscale y\nset format x '%%g'\nset format y '%%.0f'\nset yrange "
	    "[0.8:*]\nunset key\n"
	    "set xrange [%.4f:%.4f]\n"
	    "set xlabel 'latency (us%s)'\nset ylabel 'iterations'\nset grid ytics lc rgb "
	    "'#dddddd'\n"
	    "set style fill solid 0.85 border lc rgb '#1f3b73'\n%s"
	    "plot '%s' using (($1+$2)/2):3:1:2:(0.8):3 title 'iterations per latency bin' with "
	    "boxxyerror lc rgb '#2a6fdb'\n",
	    log_x ? "set logscale x\n" : "",
	    log_x ? lo / 1000 / 1.15 : lo / 1000 - (hi - lo) / 1000 * 0.03,
	    log_x ? hi / 1000 * 1.15 : hi / 1000 + (hi - lo) / 1000 * 0.03,
	    log_x ? ", log bins" : "", marks, path);
	return report_plot__svg(rp, script, 1000, 360, svg, err, errlen);
}

int report_probe_draw(struct report_plot *rp, const struct trace_probe *p,
		      struct report_probe_plots *out, char *err, size_t errlen)
{
	int ret;

	memset(out, 0, sizeof(*out));
	if (!hist_range(p, &(double){0}, &(double){0}))
		return 0;
	ret = draw_grid(rp, p, false, &out->heatmap, err, errlen);
	if (!ret)
		ret = draw_grid(rp, p, true, &out->mesh, err, errlen);
	if (!ret)
		ret = draw_hist(rp, p, &out->histogram, err, errlen);
	if (ret)
		report_probe_plots_free(out);
	return ret;
}

void report_probe_plots_free(struct report_probe_plots *pl)
{
	free(pl->heatmap);
	free(pl->mesh);
	free(pl->histogram);
	memset(pl, 0, sizeof(*pl));
}
