// SPDX-License-Identifier: MIT
/* stats - Welford mean/stddev, type-7 percentiles, median and MAD of double arrays. */
#include "lib/stats.h"

#include <errno.h>
#include <math.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "lib/hugemem.h"

/*
 * Arrays this long are sorted by radix (a paper-sized probe sorts 500,000 latencies several
 * times: by comparison that was a tenth of analyze); shorter ones by qsort. The order is the
 * same: doubles that compare equal have the same bits once NaN and -0 (left to qsort) are out.
 */
#define STATS_RADIX_MIN	    1024
#define STATS_RADIX_BITS    11
#define STATS_RADIX_BUCKETS (1u << STATS_RADIX_BITS)
#define STATS_RADIX_DIGITS  6 /* 66 bits cover the 64 of a key */

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

/*
 * stats_key - @x as an unsigned key in the order of the doubles (the sign bit flipped, all bits
 * of a negative flipped); false for NaN and -0, which a comparison would order otherwise.
 */
static bool stats_key(double x, uint64_t *key)
{
	uint64_t b;

	memcpy(&b, &x, sizeof(b));
	*key = b >> 63 ? ~b : b | (1ULL << 63);
	return !isnan(x) && b != 1ULL << 63;
}

static double stats_unkey(uint64_t key)
{
	uint64_t b = key >> 63 ? key & ~(1ULL << 63) : ~key;
	double x;

	memcpy(&x, &b, sizeof(x));
	return x;
}

/* stats_radix_pass - one stable counting pass of @n keys by digit @d, from @src into @dst. */
static void stats_radix_pass(const uint64_t *src, uint64_t *dst, size_t n, unsigned int d,
			     uint32_t *count)
{
	unsigned int shift = d * STATS_RADIX_BITS;
	uint32_t sum = 0, c;
	size_t i, b;

	for (b = 0; b < STATS_RADIX_BUCKETS; b++) {
		c = count[b];
		count[b] = sum;
		sum += c;
	}
	for (i = 0; i < n; i++)
		dst[count[(src[i] >> shift) & (STATS_RADIX_BUCKETS - 1)]++] = src[i];
}

/*
 * stats_radix - sort @v by its keys, least significant digit first, skipping the digits every
 * key shares (latencies in ns are integers: their low mantissa bits are all zero). Returns
 * false, @v untouched, when a value has no key or memory is short.
 */
static bool stats_radix(double *v, size_t n)
{
	uint64_t *a = malloc(n * sizeof(*a)), *b = malloc(n * sizeof(*b)), *t;
	uint32_t(*count)[STATS_RADIX_BUCKETS] = calloc(STATS_RADIX_DIGITS, sizeof(*count));
	bool ok = a && b && count;
	size_t i;
	unsigned int d;

	hugemem_advise(a, n * sizeof(*a));
	hugemem_advise(b, n * sizeof(*b));
	for (i = 0; ok && i < n; i++) {
		ok = stats_key(v[i], &a[i]);
		for (d = 0; ok && d < STATS_RADIX_DIGITS; d++)
			count[d][(a[i] >> (d * STATS_RADIX_BITS)) & (STATS_RADIX_BUCKETS - 1)]++;
	}
	for (d = 0; ok && d < STATS_RADIX_DIGITS; d++) {
		if (count[d][(a[0] >> (d * STATS_RADIX_BITS)) & (STATS_RADIX_BUCKETS - 1)] == n)
			continue; /* one bucket holds every key: the pass would change nothing */
		stats_radix_pass(a, b, n, d, count[d]);
		t = a;
		a = b;
		b = t;
	}
	for (i = 0; ok && i < n; i++)
		v[i] = stats_unkey(a[i]);
	free(count);
	free(b);
	free(a);
	return ok;
}

void stats_sort(double *v, size_t n)
{
	if (n < STATS_RADIX_MIN || n > UINT32_MAX || !stats_radix(v, n))
		qsort(v, n, sizeof(*v), cmp_double);
}

/* cmp_u64 - ascending, for qsort. */
static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

void stats_sort_u64(uint64_t *v, size_t n)
{
	size_t i, k;
	uint64_t x;

	if (n > 32) {
		qsort(v, n, sizeof(*v), cmp_u64);
		return;
	}
	for (i = 1; i < n; i++) {
		x = v[i];
		for (k = i; k > 0 && v[k - 1] > x; k--)
			v[k] = v[k - 1];
		v[k] = x;
	}
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
	out->p9999 =
	    n >= stats_tail_min_samples(0.9999) ? stats_percentile(sorted, n, 0.9999) : NAN;
	out->p99999 =
	    n >= stats_tail_min_samples(0.99999) ? stats_percentile(sorted, n, 0.99999) : NAN;
	return 0;
}

size_t stats_tail_min_samples(double q)
{
	return (size_t)llround(10.0 / (1.0 - q));
}

/* sorted_copy - a malloc'd ascending copy of @v, or NULL (out of memory). */
static double *sorted_copy(const double *v, size_t n)
{
	double *c = malloc(n * sizeof(*c));

	if (!c)
		return NULL;
	hugemem_advise(c, n * sizeof(*c));
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

/*
 * stats_deviations - |x - med| of ascending @x, ascending, into @out: the values below the
 * median walked down and those above walked up, merged (no sort needed).
 */
static void stats_deviations(const double *x, size_t n, double med, double *out)
{
	size_t lo, hi, k;

	for (hi = 0; hi < n && x[hi] < med; hi++)
		;
	lo = hi;
	for (k = 0; k < n; k++) {
		if (hi == n || (lo > 0 && fabs(x[lo - 1] - med) <= fabs(x[hi] - med)))
			out[k] = fabs(x[--lo] - med);
		else
			out[k] = fabs(x[hi++] - med);
	}
}

int stats_median_mad_sorted(const double *sorted, size_t n, double *median, double *mad)
{
	double *dev, med;

	if (!sorted || !median || !mad || n == 0)
		return -EINVAL;
	dev = malloc(n * sizeof(*dev));
	if (!dev)
		return -ENOMEM;
	hugemem_advise(dev, n * sizeof(*dev));
	med = stats_percentile(sorted, n, 0.5);
	stats_deviations(sorted, n, med, dev);
	*median = med;
	*mad = stats_percentile(dev, n, 0.5);
	free(dev);
	return 0;
}

int stats_median_mad(const double *v, size_t n, double *median, double *mad)
{
	double *work;
	int rc;

	if (!v || !median || !mad || n == 0)
		return -EINVAL;
	work = sorted_copy(v, n);
	if (!work)
		return -ENOMEM;
	rc = stats_median_mad_sorted(work, n, median, mad);
	free(work);
	return rc;
}
