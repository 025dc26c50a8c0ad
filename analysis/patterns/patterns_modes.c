// SPDX-License-Identifier: MIT
/*
 * patterns_modes - the modes of a latency distribution (the paper's bimodal lighttpd
 * histograms): a Gaussian kernel density of log latency (latencies are positive and skewed; on
 * a log scale a mode's width scales with its location), Silverman's rule of thumb for the
 * bandwidth, linear binning on a grid so that a paper-sized probe costs O(n + grid), then one
 * basin per peak, merged into its neighbour while too light or too flat to be a mode.
 */
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "analysis/patterns/patterns_modes.h"
#include "lib/stats.h"

#define PM_MIN_GRID    2048
#define PM_MAX_GRID    65536
#define PM_CELLS_PER_H 4.0 /* grid cells per bandwidth */
#define PM_KERNEL_H    4.0 /* the kernel is cut at 4 bandwidths */

struct pm_basin {
	size_t lo;   /* first cell; the cell before it (if any) is the saddle */
	size_t peak; /* highest cell */
	double weight;
};

/* pm_bandwidth - Silverman: 0.9 min(sd, IQR / 1.34) n^-1/5, at least the timer's step. */
static double pm_bandwidth(const double *x, size_t n, double resolution_ns)
{
	struct stats_running r;
	double spread, iqr, h;
	size_t i;

	stats_running_init(&r);
	for (i = 0; i < n; i++)
		stats_running_add(&r, x[i]);
	iqr = stats_percentile(x, n, 0.75) - stats_percentile(x, n, 0.25);
	spread = stats_running_stddev(&r);
	if (iqr > 0 && iqr / 1.34 < spread)
		spread = iqr / 1.34;
	h = 0.9 * spread * pow((double)n, -0.2);
	return fmax(h, log1p(resolution_ns / exp(stats_percentile(x, n, 0.5))));
}

/* pm_density - the kernel density of @x on @g cells from @lo spaced @dx (into @d). */
static int pm_density(const double *x, size_t n, double lo, double dx, double h, double *d,
		      size_t g)
{
	long half = (long)ceil(PM_KERNEL_H * h / dx), j, k;
	double *w = calloc(g, sizeof(*w)), *kern = malloc((2 * half + 1) * sizeof(*kern));
	double pos, frac;
	size_t i;

	if (!w || !kern) {
		free(w);
		free(kern);
		return -ENOMEM;
	}
	for (i = 0; i < n; i++) { /* linear binning: each sample split over its two cells */
		pos = (x[i] - lo) / dx;
		j = (long)pos;
		frac = pos - (double)j;
		w[j] += 1 - frac;
		if ((size_t)j + 1 < g)
			w[j + 1] += frac;
	}
	for (k = -half; k <= half; k++)
		kern[k + half] = exp(-0.5 * (k * dx / h) * (k * dx / h));
	for (j = 0; j < (long)g; j++) {
		d[j] = 0;
		for (k = -half; k <= half; k++)
			if (j - k >= 0 && j - k < (long)g)
				d[j] += w[j - k] * kern[k + half];
	}
	free(kern);
	free(w);
	return 0;
}

/* pm_basins - one basin per peak, split after the lowest cell between peaks; returns how many. */
static size_t pm_basins(const double *d, size_t g, struct pm_basin *b)
{
	size_t i, nb = 0, low = 0;
	double total = 0;

	for (i = 0; i < g; i++)
		total += d[i];
	for (i = 0; i < g; i++) {
		if (nb && d[i] < d[low])
			low = i; /* the lowest cell since the last peak */
		if (d[i] <= 0 || (i > 0 && d[i] < d[i - 1]) || (i + 1 < g && d[i] <= d[i + 1]))
			continue;
		b[nb] = (struct pm_basin){.lo = nb ? low + 1 : 0, .peak = i};
		nb++;
		low = i;
	}
	for (low = 0, i = 0; i < g && nb; i++) {
		while (low + 1 < nb && i >= b[low + 1].lo)
			low++;
		b[low].weight += d[i] / total;
	}
	return nb;
}

/* pm_saddle - the density at the saddle left of basin @i (0 at the grid's edge). */
static double pm_saddle(const double *d, const struct pm_basin *b, size_t i)
{
	return i && b[i].lo ? d[b[i].lo - 1] : 0;
}

/*
 * pm_weakest - the lightest basin that is no mode (too light, or its peak rises too little
 * over its higher saddle), or SIZE_MAX when every basin is a mode.
 */
static size_t pm_weakest(const double *d, const struct pm_basin *b, size_t nb,
			 const struct patterns_opts *o)
{
	size_t i, weakest = SIZE_MAX;
	double saddle, peak;

	for (i = 0; i < nb && nb > 1; i++) {
		peak = d[b[i].peak];
		saddle = fmax(pm_saddle(d, b, i), i + 1 < nb ? pm_saddle(d, b, i + 1) : 0);
		if (b[i].weight >= o->min_mode_weight &&
		    peak - saddle >= o->min_mode_prominence * peak)
			continue;
		if (weakest == SIZE_MAX || b[i].weight < b[weakest].weight)
			weakest = i;
	}
	return weakest;
}

/* pm_merge - merge basin @i into the neighbour across its higher saddle; returns the count. */
static size_t pm_merge(const double *d, struct pm_basin *b, size_t nb, size_t i)
{
	size_t into = i, from;

	if (i == 0 || (i + 1 < nb && pm_saddle(d, b, i + 1) > pm_saddle(d, b, i)))
		into = i + 1; /* merge i and i + 1 */
	from = into;
	into--;
	b[into].weight += b[from].weight;
	if (d[b[from].peak] > d[b[into].peak])
		b[into].peak = b[from].peak;
	memmove(&b[from], &b[from + 1], (nb - from - 1) * sizeof(*b));
	return nb - 1;
}

/* pm_modes_of - the modes of ascending log latencies @x on a grid sized for bandwidth @h. */
static int pm_modes_of(const double *x, size_t n, double h, struct patterns_mode *out, size_t max,
		       size_t *nout, const struct patterns_opts *o)
{
	double lo = x[0] - 3 * h, hi = x[n - 1] + 3 * h, dx, *d = NULL;
	size_t g, nb, i;
	struct pm_basin *b = NULL;
	int rc = -ENOMEM;

	g = (size_t)fmin(PM_MAX_GRID, fmax(PM_MIN_GRID, PM_CELLS_PER_H * (hi - lo) / h));
	dx = (hi - lo) / (double)(g - 1);
	d = malloc(g * sizeof(*d));
	b = calloc(g, sizeof(*b));
	if (!d || !b || pm_density(x, n, lo, dx, h, d, g))
		goto cleanup;
	nb = pm_basins(d, g, b);
	while ((i = pm_weakest(d, b, nb, o)) != SIZE_MAX)
		nb = pm_merge(d, b, nb, i);
	for (i = 0; i < nb && *nout < max; i++)
		out[(*nout)++] =
		    (struct patterns_mode){exp(lo + dx * (double)b[i].peak), b[i].weight};
	rc = 0;
cleanup:
	free(b);
	free(d);
	return rc;
}

int patterns_modes(const double *lat, size_t n, const struct patterns_opts *o,
		   struct patterns_mode *out, size_t max, size_t *nout)
{
	double *x, h;
	size_t i;
	int rc;

	if ((!lat && n) || !o || (!out && max) || !nout)
		return -EINVAL;
	*nout = 0;
	if (!n || !max)
		return 0;
	x = malloc(n * sizeof(*x));
	if (!x)
		return -ENOMEM;
	for (i = 0; i < n; i++)
		x[i] = log(fmax(lat[i], 1.0));
	for (i = 1; i < n && x[i - 1] <= x[i]; i++)
		;
	if (i < n) /* patterns_find passes them sorted already */
		stats_sort(x, n);
	h = pm_bandwidth(x, n, o->resolution_ns);
	if (h > 0) {
		rc = pm_modes_of(x, n, h, out, max, nout, o);
	} else { /* all equal and no resolution given: one mode, all of it */
		out[(*nout)++] = (struct patterns_mode){exp(x[0]), 1.0};
		rc = 0;
	}
	free(x);
	return rc;
}
