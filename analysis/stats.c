// SPDX-License-Identifier: MIT
/* stats - Welford mean/stddev, type-7 percentiles, median and MAD of double arrays. */
#include "analysis/stats.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

void stats_running_init(struct stats_running *r)
{
	memset(r, 0, sizeof(*r));
	r->min = INFINITY;
	r->max = -INFINITY;
}

void stats_running_add(struct stats_running *r, double x)
{
	double delta = x - r->mean;

	r->n++;
	r->mean += delta / (double)r->n;
	r->m2 += delta * (x - r->mean);
	if (x < r->min)
		r->min = x;
	if (x > r->max)
		r->max = x;
}

double stats_running_stddev(const struct stats_running *r)
{
	if (r->n < 2)
		return 0.0;
	return sqrt(r->m2 / (double)(r->n - 1));
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

void stats_sort(double *v, size_t n)
{
	qsort(v, n, sizeof(*v), cmp_double);
}

double stats_percentile(const double *sorted, size_t n, double q)
{
	double h, frac;
	size_t lo;

	if (!sorted || n == 0 || !(q >= 0.0 && q <= 1.0))
		return NAN;
	h = (double)(n - 1) * q;
	lo = (size_t)floor(h);
	if (lo >= n - 1)
		return sorted[n - 1];
	frac = h - (double)lo;
	/* x[lo] + frac * difference: exact at the order statistics, stable with a large offset */
	return sorted[lo] + frac * (sorted[lo + 1] - sorted[lo]);
}

int stats_summarize_sorted(const double *sorted, size_t n, struct stats_summary *out)
{
	struct stats_running r;
	size_t i;

	if (!sorted || !out || n == 0)
		return -EINVAL;
	stats_running_init(&r);
	for (i = 0; i < n; i++)
		stats_running_add(&r, sorted[i]);
	out->n = n;
	out->mean = r.mean;
	out->stddev = stats_running_stddev(&r);
	out->min = sorted[0];
	out->max = sorted[n - 1];
	out->p50 = stats_percentile(sorted, n, 0.50);
	out->p90 = stats_percentile(sorted, n, 0.90);
	out->p99 = stats_percentile(sorted, n, 0.99);
	out->p999 = stats_percentile(sorted, n, 0.999);
	return 0;
}

/* sorted_copy - a malloc'd ascending copy of @v, or NULL (out of memory). */
static double *sorted_copy(const double *v, size_t n)
{
	double *c = malloc(n * sizeof(*c));

	if (!c)
		return NULL;
	memcpy(c, v, n * sizeof(*c));
	stats_sort(c, n);
	return c;
}

int stats_summarize(const double *v, size_t n, struct stats_summary *out)
{
	double *sorted;
	int err;

	if (!v || !out || n == 0)
		return -EINVAL;
	sorted = sorted_copy(v, n);
	if (!sorted)
		return -ENOMEM;
	err = stats_summarize_sorted(sorted, n, out);
	free(sorted);
	return err;
}

int stats_median_mad(const double *v, size_t n, double *median, double *mad)
{
	double *work, med;
	size_t i;

	if (!v || !median || !mad || n == 0)
		return -EINVAL;
	work = sorted_copy(v, n);
	if (!work)
		return -ENOMEM;
	med = stats_percentile(work, n, 0.5);
	for (i = 0; i < n; i++)
		work[i] = fabs(work[i] - med);
	stats_sort(work, n);
	*median = med;
	*mad = stats_percentile(work, n, 0.5);
	free(work);
	return 0;
}
