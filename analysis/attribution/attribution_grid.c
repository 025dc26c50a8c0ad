// SPDX-License-Identifier: MIT
/* attribution_grid - whether moments lie on a grid of wall time (attribution_grid.h). */
#include "analysis/attribution/attribution_grid.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "lib/stats.h"

/* multiple - how many periods @p the gap @g is, when within the tolerance of it; else 0. */
static double multiple(uint64_t g, double p)
{
	double k = round((double)g / p);

	return k >= 1 && fabs((double)g - k * p) <= ATTR_GRID_TOL_NS ? k : 0;
}

/* fit - how many of the gaps @g (@n) are whole multiples of @p. */
static size_t fit(const uint64_t *g, size_t n, double p)
{
	size_t i, m = 0;

	for (i = 0; i < n; i++)
		m += multiple(g[i], p) > 0;
	return m;
}

/*
 * refine - the period the gaps @g (@n) say near @p: the median of gap / multiple over the gaps
 * within a quarter period of a multiple (@r: scratch for @n). The median, as a stray moment's
 * gaps land anywhere in that quarter; the quarter, as the strict tolerance would keep only the
 * gaps nearest to @p's own error and never correct it.
 */
static double refine(const uint64_t *g, size_t n, double p, double *r)
{
	size_t i, m = 0;
	double k;

	for (i = 0; i < n; i++) {
		k = round((double)g[i] / p);
		if (k >= 1 && fabs((double)g[i] - k * p) <= p / 4)
			r[m++] = (double)g[i] / k;
	}
	if (!m)
		return p;
	stats_sort(r, m);
	return stats_percentile(r, m, 0.5);
}

int attr_grid_find(const uint64_t *t, size_t n, struct attr_grid *out)
{
	uint64_t *g, *cand, floor_ns = (uint64_t)ATTR_GRID_MIN_PERIODS_OF_TOL * ATTR_GRID_TOL_NS;
	size_t i, m, ng = n > ATTR_GRID_MAX_MOMENTS ? ATTR_GRID_MAX_MOMENTS - 1 : n - 1;
	double p, prev = 0, *r;

	memset(out, 0, sizeof(*out));
	if (n < ATTR_GRID_MIN_MOMENTS)
		return 0;
	g = malloc(ng * sizeof(*g));
	cand = malloc(ng * sizeof(*cand));
	r = malloc(ng * sizeof(*r));
	if (!g || !cand || !r) {
		free(g);
		free(cand);
		free(r);
		return -ENOMEM;
	}
	for (i = 0; i < ng; i++)
		g[i] = cand[i] = t[i + 1] - t[i];
	out->gaps = ng;
	stats_sort_u64(cand, ng);
	/*
	 * Every distinct gap is a candidate, since the period is one of them; it is so only up to
	 * the moments' jitter, which its multiples multiply, so each is refined three times before
	 * it is judged. A grid's fractions fit its gaps too (1 ms is 7 x 1/7 ms): the longest
	 * period that holds is the source's.
	 */
	for (i = 0; i < ng; i++) {
		if (cand[i] < floor_ns || (double)cand[i] - prev <= ATTR_GRID_TOL_NS / 10.0)
			continue;
		prev = (double)cand[i];
		p = refine(g, ng, refine(g, ng, refine(g, ng, prev, r), r), r);
		m = fit(g, ng, p);
		if ((double)m >= ATTR_GRID_MIN_SHARE * (double)ng && p > out->period_ns) {
			out->period_ns = p;
			out->fit = m;
		}
	}
	free(g);
	free(cand);
	free(r);
	return 0;
}
