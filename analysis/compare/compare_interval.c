// SPDX-License-Identifier: MIT
/*
 * compare_interval - Student's t quantiles and the Welch interval of a difference of two means:
 * the run-level effects have a handful of runs a side, where the normal's 2.58 would give an
 * interval far too narrow (t is 4.03 at 5 degrees of freedom, 9.92 at 2, for 99%).
 */
#include <errno.h>
#include <math.h>

#include "analysis/compare/compare_runs.h"
#include "lib/stats.h"

/* Above this many degrees of freedom t is taken as at this many (within 0.1% of the normal). */
#define T_MAX_DF 1000u

/*
 * t_within - P(|T| <= @t) for whole @nu >= 1, A&S 26.7.3 in theta = atan(t / sqrt(nu)): for odd
 * nu 2/pi (theta + sin theta (cos theta + 2/3 cos^3 theta + ...)), for even nu sin theta
 * (1 + 1/2 cos^2 theta + 1.3/(2.4) cos^4 theta + ...), nu - 2 powers of cos at most.
 */
static double t_within(double t, unsigned int nu)
{
	double th = atan(t / sqrt((double)nu)), c = cos(th), term, sum;
	unsigned int k;

	if (nu % 2) {
		if (nu == 1)
			return 2.0 * th / M_PI;
		term = sum = c;
		for (k = 3; k + 1 < nu; k += 2) {
			term *= c * c * (k - 1) / k;
			sum += term;
		}
		return 2.0 / M_PI * (th + sin(th) * sum);
	}
	term = sum = 1.0;
	for (k = 2; k + 1 < nu; k += 2) {
		term *= c * c * (k - 1) / k;
		sum += term;
	}
	return sin(th) * sum;
}

double compare_t_quantile(double p, unsigned int nu)
{
	double target = 2.0 * p - 1.0, lo = 0, hi = 1, mid;
	int i;

	if (!(p >= 0.5 && p < 1) || !nu)
		return NAN;
	if (nu > T_MAX_DF)
		nu = T_MAX_DF;
	while (t_within(hi, nu) < target && hi < 1e12)
		hi *= 2;
	for (i = 0; i < 200 && hi - lo > 1e-12 * hi; i++) {
		mid = 0.5 * (lo + hi);
		if (t_within(mid, nu) < target)
			lo = mid;
		else
			hi = mid;
	}
	return 0.5 * (lo + hi);
}

/* mean_var - the mean and the sample variance (n - 1) of @v. */
static void mean_var(const double *v, size_t n, double *mean, double *var)
{
	struct stats_running r;
	size_t i;

	stats_running_init(&r);
	for (i = 0; i < n; i++)
		stats_running_add(&r, v[i]);
	*mean = r.mean;
	*var = r.n > 1 ? r.m2 / (double)(r.n - 1) : 0;
}

int compare_welch(const double *a, size_t na, const double *b, size_t nb, double alpha,
		  struct compare_effect *e)
{
	double ma, va, mb, vb, sa, sb, se2, df, half = 0;

	if (!a || !b || !e || na < 2 || nb < 2 || !(alpha > 0 && alpha < 1))
		return -EINVAL;
	mean_var(a, na, &ma, &va);
	mean_var(b, nb, &mb, &vb);
	sa = va / (double)na;
	sb = vb / (double)nb;
	se2 = sa + sb;
	e->a = ma;
	e->effect = mb - ma;
	e->df = 0;
	if (se2 > 0) {
		df = se2 * se2 / (sa * sa / (double)(na - 1) + sb * sb / (double)(nb - 1));
		e->df = df > T_MAX_DF ? T_MAX_DF : df < 1 ? 1 : (unsigned int)df;
		half = compare_t_quantile(1.0 - alpha / 2.0, e->df) * sqrt(se2);
	}
	e->low = e->effect - half;
	e->high = e->effect + half;
	e->margin = 0;
	e->differs = false;
	return 0;
}
