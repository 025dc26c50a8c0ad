// SPDX-License-Identifier: MIT
/* report_mesh - the mesh diagram: a heatmap, and the paper's 3-D mesh, binned not to alias. */
#include "analysis/report/report_mesh.h"

#include <errno.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "analysis/report/report_bins.h"
#include "lib/trace/trace_reader.h"

#define HEATMAP_COLUMNS 600  /* cells a run: image pixels, cheap */
#define MESH_POINTS	3000 /* points of a 3-D mesh: ~120 bytes of SVG each */
#define MESH_STRETCH	2    /* how far past those a periodic line may take it */
#define MESH_ROWS	25   /* runs grouped (max) to at most this many rows */
#define NEEDLE_RUNS	4    /* up to this many runs, a needle per point instead of a surface */

/* Viridis-like: dark is fast, yellow is slow; readable in print and for colour-blind readers. */
#define PALETTE                                                                                    \
	"set palette defined (0 '#440154', 1 '#3b528b', 2 '#21918c', 3 '#5ec962', 4 '#fde725')\n"

/* A grid of run groups x bins holding the max latency (us) of each cell; NAN where no sample. */
struct grid {
	double *cell;
	unsigned int runs, iters;	/* of the probe */
	struct report_bins b;		/* iterations per bin, and how many are drawn */
	unsigned int bins, rows, group; /* group: runs per row */
};

/* grid_size - runs and iterations of @p. */
static void grid_size(const struct trace_probe *p, struct grid *g)
{
	size_t k;

	g->runs = g->iters = 0;
	for (k = 0; k < p->nsamples; k++) {
		if (p->samples[k].run + 1 > g->runs)
			g->runs = p->samples[k].run + 1;
		if (p->samples[k].iteration + 1 > g->iters)
			g->iters = p->samples[k].iteration + 1;
	}
}

/* grid_fill - bin @p's good samples into @g, whose bins and rows are chosen. 0 or -ENOMEM. */
static int grid_fill(const struct trace_probe *p, struct grid *g)
{
	const struct trace_sample *s;
	unsigned int i, c;
	size_t k;

	g->bins = (g->b.shown + g->b.bin - 1) / g->b.bin;
	g->rows = (g->runs + g->group - 1) / g->group;
	g->cell = malloc((size_t)g->rows * g->bins * sizeof(*g->cell));
	if (!g->cell)
		return -ENOMEM;
	for (i = 0; i < g->rows * g->bins; i++)
		g->cell[i] = NAN;
	for (k = 0; k < p->nsamples; k++) {
		s = &p->samples[k];
		if (s->flags & TRACE_SAMPLE_BAD || s->iteration >= g->b.shown)
			continue;
		c = s->run / g->group * g->bins + s->iteration / g->b.bin;
		if (isnan(g->cell[c]) || s->latency_ns / 1000.0 > g->cell[c])
			g->cell[c] = s->latency_ns / 1000.0;
	}
	return 0;
}

/* grid_write - "iteration run latency_us" rows, one block per row of runs; 0 or -errno. */
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
				fprintf(f, "%u %u NaN\n", b * g->b.bin, r * g->group);
			else
				fprintf(f, "%u %u %.4f\n", b * g->b.bin, r * g->group, v);
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

/* x_label - what a point of the x axis is: an iteration, the max of a bin, the first ones. */
static void x_label(const struct grid *g, double period, char *buf, size_t len)
{
	size_t n = (size_t)snprintf(buf, len, "iteration");

	if (g->b.shown < g->iters && n < len)
		n += (size_t)snprintf(buf + n, len - n,
				      " (the first %u of %u: bins of a third of "
				      "the %.2f-iteration line)",
				      g->b.shown, g->iters, period);
	if (g->b.bin > 1 && n < len)
		snprintf(buf + n, len - n, ", max of %u a point", g->b.bin);
}

/* A tic per run while they are few, gnuplot's own tics past that. */
#define SMALL_YTICS(runs) ((runs) <= 10 ? "set ytics 1\n" : "")

/* heatmap_script - the heatmap of @g (data in @path): a cell per bin and run. */
static void heatmap_script(const struct grid *g, const char *xl, const char *path, char *script,
			   size_t len)
{
	snprintf(script, len,
		 PALETTE "set logscale cb\nset format cb '%%g'\nset cblabel 'latency (us%s)'\n"
			 "set xlabel '%s'\nset ylabel 'run'\n%sunset key\n"
			 "set xrange [-0.5*%u:%u]\nset yrange [-0.5:%u-0.5]\nset cbrange [%g:*]\n"
			 "plot '%s' using 1:2:3 title 'latency per run and iteration' with image\n",
		 g->b.bin > 1 ? ", max per bin" : "", xl, SMALL_YTICS(g->runs), g->b.bin,
		 g->bins * g->b.bin, g->runs, grid_min(g), path);
}

/* mesh_script - the 3-D mesh of @g: needles for a few runs, else a hidden-line wireframe. */
static void mesh_script(const struct grid *g, const char *xl, const char *path, char *script,
			size_t len)
{
	bool needles = g->rows <= NEEDLE_RUNS;
	char group[32] = "", yrange[64] = "";

	if (g->group > 1)
		snprintf(group, sizeof(group), " (max of %u)", g->group);
	if (needles) /* each run its own lane, apart from the others */
		snprintf(yrange, sizeof(yrange), "set yrange [-0.5:%u-0.5]\n", g->runs);
	snprintf(script, len,
		 PALETTE "set logscale zcb\nset format cb '%%g'\nset format z '%%g'\n"
			 "set xlabel '%s'\nset ylabel 'run%s'\n"
			 "set zlabel 'latency (us)' rotate by 90\nset ticslevel 0\n"
			 "set view %s,1.1,1.25\nset margins 0,0,0,0\n%s%s"
			 "%sunset key\nset colorbox\nset cblabel 'us'\n"
			 "set zrange [%g:*]\nset cbrange [%g:*]\n"
			 "splot '%s' using 1:2:3 title 'latency (us)' with %s lc palette lw %s\n",
		 xl, group, needles ? "62,24" : "50,15", needles ? "" : "set hidden3d\n", yrange,
		 SMALL_YTICS(g->runs), grid_min(g) * 0.9, grid_min(g) * 0.9, path,
		 needles ? "impulses" : "lines", needles ? "1" : "1.2");
}

/* grid_choose - the bins and row groups of the heatmap or of the 3-D mesh of @g. */
static void grid_choose(struct grid *g, double period, bool three_d)
{
	unsigned int rows;

	g->group = three_d && g->runs > MESH_ROWS ? (g->runs + MESH_ROWS - 1) / MESH_ROWS : 1;
	rows = (g->runs + g->group - 1) / g->group;
	report_bins_choose(g->iters, three_d ? MESH_POINTS / (rows ? rows : 1) : HEATMAP_COLUMNS,
			   MESH_STRETCH, period, &g->b);
}

/* heatmap_height - 30 px a run, within [300, 600] px. */
static int heatmap_height(unsigned int runs)
{
	return 120 + 30 * (runs < 6 ? 6 : runs > 16 ? 16 : (int)runs);
}

int report_mesh_draw(struct report_plot *rp, const struct trace_probe *p, double period,
		     bool three_d, char **svg, char *err, size_t errlen)
{
	char path[4200], script[6000], xl[160];
	struct grid g = {0};
	int ret;

	grid_size(p, &g);
	grid_choose(&g, period, three_d);
	ret = grid_fill(p, &g);
	if (!ret)
		ret = grid_write(rp, three_d ? "mesh.dat" : "heatmap.dat", &g, path, sizeof(path));
	if (ret) {
		snprintf(err, errlen, "failed to write plot data: %s", strerror(-ret));
		goto cleanup;
	}
	/* one column draws no surface (gnuplot fails): the heatmap has it */
	if (three_d && g.bins < 2)
		goto cleanup;
	x_label(&g, period, xl, sizeof(xl));
	if (three_d)
		mesh_script(&g, xl, path, script, sizeof(script));
	else
		heatmap_script(&g, xl, path, script, sizeof(script));
	ret = report_plot__svg(rp, script, 1000, three_d ? 520 : heatmap_height(g.runs), svg, err,
			       errlen);
cleanup:
	free(g.cell);
	return ret;
}
