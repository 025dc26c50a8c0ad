// SPDX-License-Identifier: MIT
/*
 * projection_ci - a bootstrap of whole runs. A resample is a multiset of runs; its quantile is
 * found by bisection on the value, counting each run's values at or below it in its sorted
 * array, so no resample is ever pooled or sorted.
 */
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "analysis/attribution/projection_ci.h"
#include "lib/stats.h"

struct pr_item {
	uint32_t run;
	double v;
};

static int pr_cmp(const void *a, const void *b)
{
	const struct pr_item *x = a, *y = b;

	if (x->run != y->run)
		return x->run < y->run ? -1 : 1;
	return x->v < y->v ? -1 : x->v > y->v;
}

int proj_runs_build(const double *v, const uint32_t *run, size_t n, struct proj_runs *out)
{
	struct pr_item *it = malloc((n ? n : 1) * sizeof(*it));
	size_t i, k = 0;

	memset(out, 0, sizeof(*out));
	if ((!v || !run) && n) {
		free(it);
		return -EINVAL;
	}
	out->v = malloc((n ? n : 1) * sizeof(*out->v));
	out->start = malloc((n + 1) * sizeof(*out->start));
	if (!it || !out->v || !out->start) {
		free(it);
		proj_runs_free(out);
		return -ENOMEM;
	}
	for (i = 0; i < n; i++)
		it[i] = (struct pr_item){run[i], v[i]};
	qsort(it, n, sizeof(*it), pr_cmp);
	for (i = 0; i < n; i++) {
		if (!i || it[i].run != it[i - 1].run)
			out->start[k++] = i;
		out->v[i] = it[i].v;
	}
	out->start[k] = n;
	out->nruns = k;
	free(it);
	return 0;
}

void proj_runs_free(struct proj_runs *r)
{
	free(r->v);
	free(r->start);
	memset(r, 0, sizeof(*r));
}

/* pr_below - values at or below @x in the runs, each counted @w[run] times. */
static double pr_below(const struct proj_runs *r, const uint32_t *w, double x)
{
	size_t k, lo, hi, mid;
	double count = 0;

	for (k = 0; k < r->nruns; k++) {
		if (!w[k])
			continue;
		lo = r->start[k];
		hi = r->start[k + 1];
		while (lo < hi) { /* first index above x */
			mid = lo + (hi - lo) / 2;
			if (r->v[mid] <= x)
				lo = mid + 1;
			else
				hi = mid;
		}
		count += (double)w[k] * (double)(lo - r->start[k]);
	}
	return count;
}

/*
 * pr_quantile - the smallest value x of the runs with at least ceil(q N) of the N weighted
 * values at or below it: bisection between the runs' extremes to 1/1024 ns, then snapped up
 * to the value itself.
 */
static double pr_quantile(const struct proj_runs *r, const uint32_t *w, double q)
{
	double total = 0, want, lo = INFINITY, hi = -INFINITY, mid;
	size_t k;

	for (k = 0; k < r->nruns; k++) {
		if (!w[k])
			continue;
		total += (double)w[k] * (double)(r->start[k + 1] - r->start[k]);
		lo = fmin(lo, r->v[r->start[k]]);
		hi = fmax(hi, r->v[r->start[k + 1] - 1]);
	}
	want = fmax(1, ceil(q * total));
	if (pr_below(r, w, lo) >= want)
		return lo;
	while (hi - lo > 1.0 / 1024) { /* below(lo) < want <= below(hi) */
		mid = lo + (hi - lo) / 2;
		if (pr_below(r, w, mid) >= want)
			hi = mid;
		else
			lo = mid;
	}
	return hi;
}

/* pr_next - xorshift64*: a fixed seed, so the interval of a file never changes. */
static uint64_t pr_next(uint64_t *s)
{
	*s ^= *s >> 12;
	*s ^= *s << 25;
	*s ^= *s >> 27;
	return *s * 2685821657736338717ULL;
}

int proj_runs_interval(const struct proj_runs *r, double q, double *lo, double *hi)
{
	double *qs = malloc(PROJ_CI_RESAMPLES * sizeof(*qs));
	uint32_t *w = calloc(r->nruns + 1, sizeof(*w));
	uint64_t seed = 0x9e3779b97f4a7c15ULL;
	size_t b, k;

	*lo = *hi = NAN;
	if (!qs || !w) {
		free(qs);
		free(w);
		return -ENOMEM;
	}
	for (b = 0; r->nruns >= 2 && b < PROJ_CI_RESAMPLES; b++) {
		memset(w, 0, r->nruns * sizeof(*w));
		for (k = 0; k < r->nruns; k++)
			w[pr_next(&seed) % r->nruns]++;
		qs[b] = pr_quantile(r, w, q);
	}
	if (r->nruns >= 2) {
		stats_sort(qs, PROJ_CI_RESAMPLES);
		*lo = stats_percentile(qs, PROJ_CI_RESAMPLES, 0.025);
		*hi = stats_percentile(qs, PROJ_CI_RESAMPLES, 0.975);
	}
	free(qs);
	free(w);
	return 0;
}
