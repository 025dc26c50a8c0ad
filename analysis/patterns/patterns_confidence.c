// SPDX-License-Identifier: MIT
/*
 * patterns_confidence - how far a percentile can be trusted: a distribution-free 95% interval
 * from order statistics (the number of samples below the true q quantile is Binomial(n, q),
 * whatever the distribution), and the lag-1 autocorrelation within runs, since that interval
 * assumes independent samples and is too narrow when neighbours are alike.
 */
#include <errno.h>
#include <math.h>
#include <stdlib.h>

#include "analysis/patterns/patterns_confidence.h"
#include "lib/hugemem.h"
#include "lib/stats.h"
#include "lib/trace/trace_latencies.h"

#define PC_ALPHA 0.05

struct patterns_ci patterns_quantile_ci(const double *sorted, size_t n, double q)
{
	struct patterns_ci ci = {stats_percentile(sorted, n, q), NAN, NAN};
	double lpmf, cdf = 0, odds, sd;
	size_t k, k0;
	bool have_lo = false;

	if (!n || !(q > 0 && q < 1))
		return ci;
	/* start 12 sd below the mean: the mass below is < 1e-30, and a paper-sized probe costs
	 * a few thousand steps instead of n */
	sd = sqrt((double)n * q * (1 - q));
	k0 = (size_t)fmax(0, floor((double)n * q - 12 * sd - 12));
	odds = log(q) - log1p(-q);
	lpmf = lgamma((double)n + 1) - lgamma((double)k0 + 1) - lgamma((double)(n - k0) + 1) +
	       (double)k0 * log(q) + (double)(n - k0) * log1p(-q); /* log P(B = k0) */
	for (k = k0; k < n; k++) {
		cdf += exp(lpmf); /* P(B <= k) */
		if (cdf <= PC_ALPHA / 2) {
			ci.lo = sorted[k]; /* x(k + 1): P(B <= k) <= 2.5% */
			have_lo = true;
		}
		if (cdf >= 1 - PC_ALPHA / 2) {
			ci.hi = sorted[k]; /* x(k + 1): P(B <= k) >= 97.5% */
			break;
		}
		lpmf += log((double)(n - k) / (double)(k + 1)) + odds;
	}
	if (!have_lo)
		ci.lo = NAN;
	return ci;
}

struct pc_key {
	uint32_t run, iteration;
	double x;
};

static int pc_cmp(const void *a, const void *b)
{
	const struct pc_key *x = a, *y = b;

	if (x->run != y->run)
		return x->run < y->run ? -1 : 1;
	return x->iteration < y->iteration ? -1 : x->iteration > y->iteration;
}

/* pc_run_sums - one run's [a, b) sums about its own mean: squares and consecutive products. */
static size_t pc_run_sums(const struct pc_key *k, size_t a, size_t b, double *num, double *den)
{
	double m = 0;
	size_t i, pairs = 0;

	for (i = a; i < b; i++)
		m += k[i].x / (double)(b - a);
	for (i = a; i < b; i++) {
		*den += (k[i].x - m) * (k[i].x - m);
		if (i + 1 < b && k[i + 1].iteration == k[i].iteration + 1) {
			*num += (k[i].x - m) * (k[i + 1].x - m);
			pairs++;
		}
	}
	return pairs;
}

/*
 * patterns_lag1 - lag-1 autocorrelation of the good latencies within runs (consecutive
 * iterations of one run, each run about its own mean, pooled). NAN when undefined.
 * Returns 0, -EINVAL, -ENOMEM.
 */
static int patterns_lag1(const struct trace_sample *s, size_t n, double *out)
{
	struct pc_key *k;
	double num = 0, den = 0;
	size_t i, a, m = 0, pairs = 0;

	if ((!s && n) || !out)
		return -EINVAL;
	*out = NAN;
	k = malloc((n ? n : 1) * sizeof(*k));
	if (!k)
		return -ENOMEM;
	hugemem_advise(k, n * sizeof(*k));
	for (i = 0; i < n; i++)
		if (!(s[i].flags & TRACE_SAMPLE_BAD))
			k[m++] = (struct pc_key){s[i].run, s[i].iteration, (double)s[i].latency_ns};
	for (i = 1; i < m && pc_cmp(&k[i - 1], &k[i]) <= 0; i++)
		;
	if (i < m) /* the runner writes samples in order: sort only what came otherwise */
		qsort(k, m, sizeof(*k), pc_cmp);
	for (a = 0, i = 1; i <= m; i++) {
		if (i < m && k[i].run == k[a].run)
			continue;
		pairs += pc_run_sums(k, a, i, &num, &den);
		a = i;
	}
	if (pairs >= 2 && den > 0)
		*out = num / den;
	free(k);
	return 0;
}

int patterns_confidence_of(const struct trace_sample *s, size_t n, const struct patterns_opts *o,
			   struct patterns_confidence *out)
{
	double *v;
	int rc;

	if ((!s && n) || !o || !out)
		return -EINVAL;
	*out = (struct patterns_confidence){0};
	v = trace_good_latencies(s, n, &out->n);
	if (!v)
		return -ENOMEM;
	out->p50 = patterns_quantile_ci(v, out->n, 0.5);
	out->p90 = patterns_quantile_ci(v, out->n, 0.9);
	out->p99 = patterns_quantile_ci(v, out->n, 0.99);
	out->p999 = patterns_quantile_ci(v, out->n, 0.999);
	free(v);
	rc = patterns_lag1(s, n, &out->lag1);
	out->autocorrelated = !rc && fabs(out->lag1) > o->autocorr_flag;
	return rc;
}
