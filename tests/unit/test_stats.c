// SPDX-License-Identifier: MIT
/* test_stats - statistics on data sets whose answers are known by hand, and the good latencies. */
#include <errno.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lib/hugemem.h"
#include "lib/stats.h"
#include "lib/trace/trace_latencies.h"
#include "tests/unit/check.h"

/* near - equal within an absolute tolerance. */
static int near(double a, double b, double tol)
{
	return fabs(a - b) <= tol;
}

static int test_small_odd(void)
{
	const double v[] = {5, 1, 4, 2, 3};
	struct stats_summary s;

	CHECK(stats_summarize(v, 5, &s) == 0);
	CHECK(s.n == 5);
	CHECK(near(s.mean, 3.0, 1e-12));
	CHECK(near(s.stddev, sqrt(2.5), 1e-12)); /* (4+1+0+1+4) / 4 */
	CHECK(s.min == 1 && s.max == 5 && s.p50 == 3);
	CHECK(near(s.p90, 4.6, 1e-12)); /* h = 4 * 0.9 = 3.6: 4 + 0.6 * (5 - 4) */
	CHECK(near(s.p99, 4.96, 1e-12));
	CHECK(near(s.p999, 4.996, 1e-12));
	CHECK(v[0] == 5 && v[1] == 1); /* the input is untouched */
	return 0;
}

static int test_small_even(void)
{
	const double v[] = {4, 3, 2, 1};
	struct stats_summary s;

	CHECK(stats_summarize(v, 4, &s) == 0);
	CHECK(near(s.p50, 2.5, 1e-12)); /* the mean of the two middle values */
	CHECK(near(s.p90, 3.7, 1e-12)); /* h = 3 * 0.9 = 2.7 */
	CHECK(near(s.stddev, sqrt(5.0 / 3.0), 1e-12));
	return 0;
}

static int test_percentile_edges(void)
{
	const double v[] = {10, 20, 30};

	CHECK(stats_percentile(v, 3, 0.0) == 10);
	CHECK(stats_percentile(v, 3, 1.0) == 30);
	CHECK(stats_percentile(v, 3, 0.25) == 15);
	CHECK(isnan(stats_percentile(v, 3, 1.5)));
	CHECK(isnan(stats_percentile(v, 3, -0.1)));
	CHECK(isnan(stats_percentile(v, 0, 0.5)));
	CHECK(isnan(stats_percentile(NULL, 3, 0.5)));
	return 0;
}

static int test_constant(void)
{
	const double v[] = {7, 7, 7, 7, 7, 7};
	struct stats_summary s;
	double med, mad;

	CHECK(stats_summarize(v, 6, &s) == 0);
	CHECK(s.mean == 7 && s.stddev == 0);
	CHECK(s.min == 7 && s.p50 == 7 && s.p90 == 7 && s.p99 == 7 && s.p999 == 7 && s.max == 7);
	CHECK(stats_median_mad(v, 6, &med, &mad) == 0);
	CHECK(med == 7 && mad == 0);
	return 0;
}

static int test_single(void)
{
	const double v[] = {42};
	struct stats_summary s;

	CHECK(stats_summarize(v, 1, &s) == 0);
	CHECK(s.n == 1 && s.mean == 42 && s.stddev == 0);
	CHECK(s.min == 42 && s.p50 == 42 && s.p999 == 42 && s.max == 42);
	return 0;
}

/*
 * test_good_latencies - the good samples' latencies, sorted; a bad sample is left out wherever it
 * stands, and no sample (or none good) is an empty array, not a failure.
 */
static int test_good_latencies(void)
{
	const struct trace_sample s[] = {
	    {.latency_ns = 300},
	    {.latency_ns = 5, .flags = TRACE_SAMPLE_BAD},
	    {.latency_ns = 100},
	    {.latency_ns = 200, .flags = TRACE_SAMPLE_LATE},
	    {.latency_ns = 7, .flags = TRACE_SAMPLE_BAD},
	};
	size_t n = 99;
	double *v = trace_good_latencies(s, 5, &n);

	CHECK(v && n == 3 && v[0] == 100 && v[1] == 200 && v[2] == 300);
	free(v);
	v = trace_good_latencies(s + 4, 1, &n);
	CHECK(v && n == 0);
	free(v);
	v = trace_good_latencies(NULL, 0, &n);
	CHECK(v && n == 0);
	free(v);
	return 0;
}

static int test_empty(void)
{
	const double v[] = {1};
	struct stats_summary s;
	double med, mad;

	CHECK(stats_summarize(v, 0, &s) == -EINVAL);
	CHECK(stats_summarize(NULL, 3, &s) == -EINVAL);
	CHECK(stats_summarize_sorted(v, 0, &s) == -EINVAL);
	CHECK(stats_median_mad(v, 0, &med, &mad) == -EINVAL);
	return 0;
}

/* test_uniform_large - 0..100000 shuffled: the q quantile is exactly 100000 q. */
static int test_uniform_large(void)
{
	const size_t n = 100001;
	double *v = malloc(n * sizeof(*v));
	struct stats_summary s;
	uint64_t seed = 88172645463325252ULL;
	size_t i, j;
	double t;
	int rc;

	CHECK(v != NULL);
	for (i = 0; i < n; i++)
		v[i] = (double)i;
	for (i = n - 1; i > 0; i--) { /* Fisher-Yates with xorshift64 */
		seed ^= seed << 13, seed ^= seed >> 7, seed ^= seed << 17;
		j = seed % (i + 1);
		t = v[i], v[i] = v[j], v[j] = t;
	}
	rc = stats_summarize(v, n, &s);
	free(v);
	CHECK(rc == 0);
	CHECK(s.min == 0 && s.max == 100000);
	CHECK(near(s.p50, 50000, 1e-9) && near(s.p90, 90000, 1e-9));
	CHECK(near(s.p99, 99000, 1e-9) && near(s.p999, 99900, 1e-9));
	/* 100,001 samples hold p99.99 (>= 100,000) but not p99.999 (>= 1,000,000) */
	CHECK(near(s.p9999, 99990, 1e-6) && isnan(s.p99999));
	CHECK(near(s.mean, 50000, 1e-6));
	/* sample variance of 0..N is (N + 1)(N + 2) / 12 */
	CHECK(near(s.stddev, sqrt(100001.0 * 100002.0 / 12.0), 1e-6));
	return 0;
}

/* test_tail_rule - a quantile q is given from 10 / (1 - q) samples on, never below. */
static int test_tail_rule(void)
{
	const size_t n = 1000000;
	double *v = malloc(n * sizeof(*v));
	struct stats_summary s;
	size_t i;

	CHECK(v != NULL);
	CHECK(stats_tail_min_samples(0.9999) == 100000);
	CHECK(stats_tail_min_samples(0.99999) == 1000000);
	for (i = 0; i < n; i++)
		v[i] = (double)i;
	CHECK(stats_summarize_sorted(v, 99999, &s) == 0);
	EXPECT(isnan(s.p9999) && isnan(s.p99999));
	CHECK(stats_summarize_sorted(v, n, &s) == 0);
	EXPECT(near(s.p9999, 0.9999 * (n - 1), 1e-6) && near(s.p99999, 0.99999 * (n - 1), 1e-6));
	free(v);
	return 0;
}

/* test_large_offset - 1e12 ns plus small noise: sum-of-squares would cancel to garbage. */
static int test_large_offset(void)
{
	const double v[] = {1e12 + 4, 1e12 + 7, 1e12 + 13, 1e12 + 16};
	struct stats_running r;
	struct stats_summary s;
	size_t i;

	CHECK(stats_summarize(v, 4, &s) == 0);
	CHECK(s.mean == 1e12 + 10);
	CHECK(near(s.stddev, sqrt(30.0), 1e-9)); /* (36 + 9 + 9 + 36) / 3 */
	CHECK(s.p50 == 1e12 + 10);
	stats_running_init(&r);
	for (i = 0; i < 1000000; i++)
		stats_running_add(&r, 1e12 + (double)(i % 10));
	CHECK(near(r.mean, 1e12 + 4.5, 1e-3));
	/* 0..9 repeated: population variance 8.25, times n / (n - 1) */
	CHECK(near(stats_running_stddev(&r), sqrt(8.25 * 1e6 / (1e6 - 1)), 1e-6));
	CHECK(r.min == 1e12 && r.max == 1e12 + 9);
	return 0;
}

static int test_median_mad(void)
{
	const double odd[] = {1, 1, 2, 2, 4, 6, 9};
	const double even[] = {4, 1, 3, 2};
	double med, mad;

	CHECK(stats_median_mad(odd, 7, &med, &mad) == 0);
	CHECK(med == 2 && mad == 1); /* deviations 1 1 0 0 2 4 7 */
	CHECK(stats_median_mad(even, 4, &med, &mad) == 0);
	CHECK(med == 2.5 && mad == 1); /* deviations 1.5 0.5 0.5 1.5 */
	return 0;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

/* fill - @n values: integers (latencies), fractions, negatives and repeats, seeded. */
static void fill(double *v, size_t n, uint64_t seed)
{
	size_t i;

	for (i = 0; i < n; i++) {
		seed = seed * 6364136223846793005ULL + 1442695040888963407ULL;
		v[i] = (double)(seed >> 40) - (i % 3 ? 0 : 5e6);
		v[i] = i % 5 ? v[i] : v[i] / 7;
		v[i] = i % 11 ? v[i] : 42;
	}
}

/* The radix sort of long arrays gives exactly qsort's order; -0 sends it to qsort. */
static int test_sort_radix(void)
{
	size_t n = 5000, i;
	double *a = malloc(n * sizeof(*a)), *b = malloc(n * sizeof(*b));
	int same;

	CHECK(a && b);
	fill(a, n, 7);
	memcpy(b, a, n * sizeof(*a));
	stats_sort(a, n);
	qsort(b, n, sizeof(*b), cmp_double);
	same = !memcmp(a, b, n * sizeof(*a));
	for (i = 0; i < n; i++)
		a[i] = b[i] = i % 2 ? 0.0 : -0.0;
	stats_sort(a, n);
	qsort(b, n, sizeof(*b), cmp_double);
	same &= !memcmp(a, b, n * sizeof(*a));
	free(a);
	free(b);
	CHECK(same);
	return 0;
}

/* Median and MAD of a sorted array without a second sort: the answers by hand, and the same
 * as the unsorted form on a long array. */
static int test_median_mad_sorted(void)
{
	const double odd[] = {1, 1, 2, 2, 4, 6, 9};
	size_t n = 3001, i;
	double med, mad, med2, mad2, *v = malloc(n * sizeof(*v));

	CHECK(v);
	CHECK(stats_median_mad_sorted(odd, 7, &med, &mad) == 0 && med == 2 && mad == 1);
	CHECK(stats_median_mad_sorted(odd, 0, &med, &mad) == -EINVAL);
	fill(v, n, 11);
	stats_sort(v, n);
	CHECK(stats_median_mad_sorted(v, n, &med, &mad) == 0);
	med2 = stats_percentile(v, n, 0.5); /* the long way: sort the deviations */
	for (i = 0; i < n; i++)
		v[i] = fabs(v[i] - med2);
	qsort(v, n, sizeof(*v), cmp_double);
	mad2 = stats_percentile(v, n, 0.5);
	free(v);
	CHECK(med == med2 && mad == mad2 && mad > 0);
	return 0;
}

/* hugemem_grow keeps what the array held, small or past the huge-page size; advice is a hint. */
static int test_hugemem_grow(void)
{
	size_t n = 1000, big = (8u << 20) / sizeof(uint32_t), i;
	uint32_t *v = hugemem_grow(NULL, 0, n * sizeof(*v)), *g;
	int ok = 1;

	CHECK(v);
	for (i = 0; i < n; i++)
		v[i] = (uint32_t)(i * 2654435761u);
	g = hugemem_grow(v, n * sizeof(*v), big * sizeof(*v));
	CHECK(g);
	for (i = 0; i < n; i++)
		ok &= g[i] == (uint32_t)(i * 2654435761u);
	g[big - 1] = 7;
	hugemem_advise(NULL, 0);
	hugemem_advise(g, 16);
	ok &= g[big - 1] == 7;
	free(g);
	CHECK(ok);
	return 0;
}

/*
 * stats_sort_u64 sorts times ascending, by insertion up to 32 and by qsort beyond: both paths,
 * with repeats and values above 2^63.
 */
static int test_sort_u64(void)
{
	uint64_t v[200], seed = 7;
	size_t n, i;

	for (n = 0; n <= 200; n += 1 + n / 2) { /* 0, 1, 2, 4, 7, 11, 17, 26, 40, ... */
		for (i = 0; i < n; i++) {
			seed = seed * 6364136223846793005ULL + 1442695040888963407ULL;
			v[i] = i % 5 ? seed : seed >> 60; /* some small, repeated; some huge */
		}
		stats_sort_u64(v, n);
		for (i = 1; i < n; i++)
			CHECK(v[i - 1] <= v[i]);
	}
	return 0;
}

int main(void)
{
	static const struct check_case cases[] = {
	    CHECK_CASE(small_odd),     CHECK_CASE(small_even),	   CHECK_CASE(percentile_edges),
	    CHECK_CASE(constant),      CHECK_CASE(single),	   CHECK_CASE(empty),
	    CHECK_CASE(uniform_large), CHECK_CASE(tail_rule),	   CHECK_CASE(large_offset),
	    CHECK_CASE(median_mad),    CHECK_CASE(sort_radix),	   CHECK_CASE(median_mad_sorted),
	    CHECK_CASE(hugemem_grow),  CHECK_CASE(good_latencies), CHECK_CASE(sort_u64),
	};

	return CHECK_RUN(cases);
}
