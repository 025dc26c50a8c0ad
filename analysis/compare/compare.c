// SPDX-License-Identifier: MIT
/*
 * compare - the two-sample statistics: Kolmogorov-Smirnov, Wasserstein-1, the three views; and
 * compare_samples(), which adds the run-level effects and the verdict.
 */
#include "analysis/compare/compare.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "lib/stats.h"

double compare_ks_d(const double *a, size_t na, const double *b, size_t nb)
{
	size_t i = 0, j = 0;
	double d = 0, x, gap;

	if (!na || !nb)
		return NAN;
	while (i < na && j < nb) {
		x = a[i] < b[j] ? a[i] : b[j];
		while (i < na && a[i] <= x)
			i++;
		while (j < nb && b[j] <= x)
			j++;
		gap = fabs((double)i / (double)na - (double)j / (double)nb);
		if (gap > d)
			d = gap;
	}
	return d;
}

/*
 * kolmogorov_sf_small - 1 - sqrt(2 pi) / lambda sum_{k odd} exp(-k^2 pi^2 / (8 lambda^2)):
 * the same function written for small lambda, where the alternating series needs many terms.
 */
static double kolmogorov_sf_small(double lambda)
{
	double y = -M_PI * M_PI / (8.0 * lambda * lambda), sum = 0, term;
	int k;

	for (k = 1; k < 200; k += 2) {
		term = exp(y * k * k);
		sum += term;
		if (term < 1e-17 * sum)
			break;
	}
	return 1.0 - sqrt(2.0 * M_PI) / lambda * sum;
}

double compare_kolmogorov_sf(double lambda)
{
	double sum = 0, term, p;
	int k;

	if (!(lambda > 0))
		return 1.0;
	if (lambda < 1.18) {
		p = kolmogorov_sf_small(lambda);
	} else {
		for (k = 1; k < 200; k++) {
			term = exp(-2.0 * k * k * lambda * lambda);
			sum += k % 2 ? term : -term;
			if (term < 1e-17)
				break;
		}
		p = 2.0 * sum;
	}
	return p < 0 ? 0 : p > 1 ? 1 : p;
}

double compare_ks_p(double d, size_t na, size_t nb)
{
	double n;

	if (!na || !nb || isnan(d))
		return NAN;
	n = (double)na * (double)nb / ((double)na + (double)nb);
	return compare_kolmogorov_sf(sqrt(n) * d);
}

double compare_wasserstein(const double *a, size_t na, const double *b, size_t nb)
{
	size_t i = 0, j = 0;
	double w = 0, x, prev = 0;
	bool started = false;

	if (!na || !nb)
		return NAN;
	while (i < na || j < nb) {
		if (i == na)
			x = b[j];
		else if (j == nb)
			x = a[i];
		else
			x = a[i] < b[j] ? a[i] : b[j];
		if (started)
			w += fabs((double)i / (double)na - (double)j / (double)nb) * (x - prev);
		while (i < na && a[i] <= x)
			i++;
		while (j < nb && b[j] <= x)
			j++;
		prev = x;
		started = true;
	}
	return w;
}

double compare_wasserstein_trimmed(const double *a, size_t na, const double *b, size_t nb,
				   double trim)
{
	double u = trim, hi = 1.0 - trim, next, next_a, next_b, w = 0;
	size_t i, j;

	if (!na || !nb || !(trim >= 0 && trim < 0.5))
		return NAN;
	i = (size_t)(u * (double)na); /* Q(u) = x[floor(u n)] on [k/n, (k+1)/n) */
	j = (size_t)(u * (double)nb);
	while (u < hi && i < na && j < nb) {
		next_a = (double)(i + 1) / (double)na;
		next_b = (double)(j + 1) / (double)nb;
		next = next_a < next_b ? next_a : next_b;
		if (next > hi)
			next = hi;
		w += fabs(a[i] - b[j]) * (next - u);
		u = next;
		i += next_a <= u;
		j += next_b <= u;
	}
	return w / (1.0 - 2.0 * trim);
}

/* sorted_copy - @v sorted into a new array; NULL when out of memory. */
static double *sorted_copy(const double *v, size_t n)
{
	double *c = malloc(n * sizeof(*c));

	if (!c)
		return NULL;
	memcpy(c, v, n * sizeof(*c));
	stats_sort(c, n);
	return c;
}

/* run_test - the figures of one test on two ascending arrays (differs is decided later). */
static void run_test(const double *a, size_t na, const double *b, size_t nb, double trim,
		     struct compare_test *t)
{
	t->ks_d = compare_ks_d(a, na, b, nb);
	t->ks_p = compare_ks_p(t->ks_d, na, nb);
	t->wasserstein_ns = compare_wasserstein(a, na, b, nb);
	t->wasserstein_trimmed_ns = compare_wasserstein_trimmed(a, na, b, nb, trim);
	t->differs = false;
}

/* affine - v[i] = (v[i] - sub) * mul for an ascending array (mul > 0 keeps it ascending). */
static void affine(double *v, size_t n, double sub, double mul)
{
	size_t i;

	for (i = 0; i < n; i++)
		v[i] = (v[i] - sub) * mul;
}

/*
 * robust_scale - median and MAD of @v, the MAD floored at the resolution: a probe whose
 * samples mostly fall on one TSC step has a MAD of 0, and no spread finer than the step exists.
 */
static int robust_scale(const double *v, size_t n, double floor_ns, double *median, double *mad)
{
	int rc = stats_median_mad(v, n, median, mad);

	if (!rc && *mad < floor_ns)
		*mad = floor_ns;
	return rc;
}

int compare_samples(const double *a, const uint32_t *run_a, size_t na, const double *b,
		    const uint32_t *run_b, size_t nb, const struct compare_opts *o,
		    struct compare_result *out)
{
	double *sa = NULL, *sb = NULL;
	int rc;

	if (!a || !b || !na || !nb || !o || !out)
		return -EINVAL;
	memset(out, 0, sizeof(*out));
	out->na = na;
	out->nb = nb;
	rc = robust_scale(a, na, o->resolution_ns, &out->median_a, &out->mad_a);
	if (!rc)
		rc = robust_scale(b, nb, o->resolution_ns, &out->median_b, &out->mad_b);
	if (!rc)
		rc = compare_runlevel_build(a, run_a, na, b, run_b, nb, o, &out->run);
	if (rc)
		return rc;
	sa = sorted_copy(a, na);
	sb = sorted_copy(b, nb);
	if (!sa || !sb) {
		rc = -ENOMEM;
		goto cleanup;
	}
	run_test(sa, na, sb, nb, o->w_trim, &out->tests[COMPARE_RAW]);
	affine(sa, na, out->median_a, 1.0);
	affine(sb, nb, out->median_b, 1.0);
	run_test(sa, na, sb, nb, o->w_trim, &out->tests[COMPARE_ALIGNED]);
	affine(sb, nb, 0.0, out->mad_a / out->mad_b);
	run_test(sa, na, sb, nb, o->w_trim, &out->tests[COMPARE_NORMALIZED]);
	compare_decide(out, o);
cleanup:
	free(sa);
	free(sb);
	return rc;
}
