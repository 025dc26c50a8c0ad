// SPDX-License-Identifier: MIT
/*
 * compare_mechanisms - the decomposition of a quantile's difference into the mechanisms'
 * contributions (compare_mechanisms.h). Each side is sorted by latency once; a bootstrap
 * resample is a weight per unit (run or block), and one walk of the sorted samples with those
 * weights gives the resample's quantile and the mean mechanism times around it.
 */
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "analysis/compare/compare_mechanisms.h"
#include "lib/stats.h"

/* cmp_prep - one side sorted by latency, each sample with its unit of resampling. */
struct cmp_prep {
	double *lat;			/* ascending */
	const struct mech_window **win; /* parallel to lat */
	uint32_t *unit;			/* parallel to lat */
	size_t n, nunits;
	int by_runs;
};

/* cmp_rng - splitmix64: the same resamples every time, so the same files print the same. */
static uint64_t cmp_rng(uint64_t *state)
{
	uint64_t z = (*state += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

double cmp_mech_band(double q)
{
	double h = (1 - q) / 2;

	return h < 0.025 ? h : 0.025;
}

/* cmp_by_latency - indices of samples (qsort_r's @arg) by latency, then by index. */
static int cmp_by_latency(const void *x, const void *y, void *arg)
{
	const struct trace_sample *s = arg;
	uint64_t a = s[*(const size_t *)x].latency_ns, b = s[*(const size_t *)y].latency_ns;

	if (a != b)
		return a < b ? -1 : 1;
	return *(const size_t *)x < *(const size_t *)y ? -1 : 1;
}

/*
 * cmp_units - the unit of each good sample (in the side's order): a run, or a block of
 * CMP_MECH_BLOCK iterations of a run when the side has fewer than CMP_MECH_MIN_RUNS runs.
 */
static size_t cmp_units(const struct cmp_mech_side *s, const size_t *good, size_t n, int by_runs,
			uint32_t *unit)
{
	size_t i, nu = 0, in_unit = 0;

	for (i = 0; i < n; i++) {
		if (!i || s->samples[good[i]].run != s->samples[good[i - 1]].run ||
		    (!by_runs && in_unit == CMP_MECH_BLOCK)) {
			nu++;
			in_unit = 0;
		}
		unit[i] = (uint32_t)(nu - 1);
		in_unit++;
	}
	return nu;
}

/* cmp_runs - the runs among the good samples (a run's samples are adjacent). */
static size_t cmp_runs(const struct cmp_mech_side *s, const size_t *good, size_t n)
{
	size_t i, runs = 0;

	for (i = 0; i < n; i++)
		runs += !i || s->samples[good[i]].run != s->samples[good[i - 1]].run;
	return runs;
}

/* cmp_prep_free - release what cmp_prep_side() made. */
static void cmp_prep_free(struct cmp_prep *p)
{
	free(p->lat);
	free(p->win);
	free(p->unit);
	memset(p, 0, sizeof(*p));
}

/* cmp_prep_fill - @p's arrays from the good samples @good sorted by latency, @unit by sample. */
static void cmp_prep_fill(const struct cmp_mech_side *s, size_t *good, const uint32_t *unit,
			  struct cmp_prep *p)
{
	size_t i;

	qsort_r(good, p->n, sizeof(*good), cmp_by_latency, (void *)s->samples);
	for (i = 0; i < p->n; i++) {
		p->lat[i] = (double)s->samples[good[i]].latency_ns;
		p->win[i] = &s->win[good[i]];
		p->unit[i] = unit[good[i]];
	}
}

/* cmp_prep_side - @s's good samples sorted, with their units. 0, -EINVAL, -ENOMEM. */
static int cmp_prep_side(const struct cmp_mech_side *s, struct cmp_prep *p)
{
	size_t m = s->n ? s->n : 1, *good = malloc(m * sizeof(*good)), i, n = 0;
	uint32_t *by_pos = malloc(m * sizeof(*by_pos)), *by_sample = malloc(m * sizeof(*by_sample));
	int rc = -ENOMEM;

	memset(p, 0, sizeof(*p));
	p->lat = malloc(m * sizeof(*p->lat));
	p->win = malloc(m * sizeof(*p->win));
	p->unit = malloc(m * sizeof(*p->unit));
	if (!good || !by_pos || !by_sample || !p->lat || !p->win || !p->unit)
		goto out;
	for (i = 0; i < s->n; i++)
		if (!(s->samples[i].flags & TRACE_SAMPLE_BAD))
			good[n++] = i;
	rc = n ? 0 : -EINVAL;
	p->n = n;
	p->by_runs = cmp_runs(s, good, n) >= CMP_MECH_MIN_RUNS;
	p->nunits = cmp_units(s, good, n, p->by_runs, by_pos);
	for (i = 0; i < n; i++)
		by_sample[good[i]] = by_pos[i];
	if (!rc)
		cmp_prep_fill(s, good, by_sample, p);
out:
	free(good);
	free(by_pos);
	free(by_sample);
	if (rc)
		cmp_prep_free(p);
	return rc;
}

/* cmp_eval - at @q: the quantile of the weighted sorted samples, mean mechanism times near it. */
struct cmp_eval {
	double quantile;
	double mech[MECH_NIV];
};

/* cmp_band_add - the ranks [pos, pos + c) of sample @i that fall in [blo, bhi] into @e. */
static uint64_t cmp_band_add(const struct cmp_prep *p, size_t i, uint64_t pos, uint64_t c,
			     uint64_t blo, uint64_t bhi, struct cmp_eval *e)
{
	uint64_t lo = pos > blo ? pos : blo, hi = pos + c - 1 < bhi ? pos + c - 1 : bhi;
	unsigned int k;

	if (hi < lo)
		return 0;
	for (k = 0; k < MECH_NIV; k++)
		e->mech[k] += (double)(hi - lo + 1) * (double)p->win[i]->ns[k];
	return hi - lo + 1;
}

/*
 * cmp_weighted - one walk of @p with unit weights @w: sample i stands at ranks [pos, pos + w).
 * The quantile interpolates between ranks floor(q (W - 1)) and the next (Hyndman & Fan 7, as
 * stats_percentile); the band is the ranks within q -+ h.
 */
static void cmp_weighted(const struct cmp_prep *p, const uint32_t *w, double q, double h,
			 struct cmp_eval *e)
{
	uint64_t W = 0, pos = 0, c, r0, blo, bhi, cnt = 0;
	double r, x0 = NAN, x1 = NAN;
	size_t i;
	unsigned int k;

	memset(e, 0, sizeof(*e));
	for (i = 0; i < p->n; i++)
		W += w[p->unit[i]];
	r = q * (double)(W - 1);
	r0 = (uint64_t)floor(r);
	blo = q - h > 0 ? (uint64_t)floor((q - h) * (double)(W - 1)) : 0;
	bhi = (uint64_t)ceil((q + h) * (double)(W - 1));
	bhi = bhi < W - 1 ? bhi : W - 1;
	for (i = 0; i < p->n && (pos <= bhi || pos <= r0 + 1); i++) {
		c = w[p->unit[i]];
		if (!c)
			continue;
		if (r0 >= pos && r0 < pos + c)
			x0 = p->lat[i];
		if (r0 + 1 >= pos && r0 + 1 < pos + c)
			x1 = p->lat[i];
		cnt += cmp_band_add(p, i, pos, c, blo, bhi, e);
		pos += c;
	}
	e->quantile = isnan(x1) ? x0 : x0 + (r - (double)r0) * (x1 - x0);
	for (k = 0; k < MECH_NIV; k++)
		e->mech[k] = cnt ? e->mech[k] / (double)cnt : 0;
}

/* cmp_draw - a bootstrap resample of @p's units: how often each was drawn. */
static void cmp_draw(const struct cmp_prep *p, uint64_t *rng, uint32_t *w)
{
	size_t i;

	memset(w, 0, p->nunits * sizeof(*w));
	for (i = 0; i < p->nunits; i++)
		w[cmp_rng(rng) % p->nunits]++;
}

/* cmp_one - the differences of one pair of evaluations: total, each mechanism, unexplained. */
static void cmp_one(const struct cmp_eval *a, const struct cmp_eval *b, double *d)
{
	unsigned int k;

	d[0] = b->quantile - a->quantile;
	d[MECH_NIV + 1] = d[0];
	for (k = 0; k < MECH_NIV; k++) {
		d[k + 1] = b->mech[k] - a->mech[k];
		d[MECH_NIV + 1] -= d[k + 1];
	}
}

#define CMP_NFIG (MECH_NIV + 2) /* total, the mechanisms, unexplained */

/* cmp_part - figure @k's estimate and the 2.5% and 97.5% of its resamples @boot (sorted). */
static struct cmp_mech_part cmp_part(const double *est, double *boot, unsigned int reps, size_t k)
{
	double *v = &boot[k * reps];

	if (!reps)
		return (struct cmp_mech_part){est[k], est[k], est[k]};
	stats_sort(v, reps);
	return (struct cmp_mech_part){est[k], stats_percentile(v, reps, 0.025),
				      stats_percentile(v, reps, 0.975)};
}

/* cmp_bootstrap - @reps resampled differences of every figure into @boot[figure * reps + r]. */
static int cmp_bootstrap(const struct cmp_prep *pa, const struct cmp_prep *pb, double q, double h,
			 unsigned int reps, double *boot)
{
	uint32_t *wa = malloc((pa->nunits + 1) * sizeof(*wa));
	uint32_t *wb = malloc((pb->nunits + 1) * sizeof(*wb));
	uint64_t rng = 0x5eed0f14ULL;
	struct cmp_eval ea, eb;
	double d[CMP_NFIG];
	unsigned int r;
	size_t k;

	if (!wa || !wb) {
		free(wa);
		free(wb);
		return -ENOMEM;
	}
	for (r = 0; r < reps; r++) {
		cmp_draw(pa, &rng, wa);
		cmp_draw(pb, &rng, wb);
		cmp_weighted(pa, wa, q, h, &ea);
		cmp_weighted(pb, wb, q, h, &eb);
		cmp_one(&ea, &eb, d);
		for (k = 0; k < CMP_NFIG; k++)
			boot[k * reps + r] = d[k];
	}
	free(wa);
	free(wb);
	return 0;
}

/* cmp_estimate - the differences with every unit once, into @est. 0 or -ENOMEM. */
static int cmp_estimate(const struct cmp_prep *pa, const struct cmp_prep *pb, double q, double h,
			double *est)
{
	uint32_t *wa = malloc((pa->nunits + 1) * sizeof(*wa));
	uint32_t *wb = malloc((pb->nunits + 1) * sizeof(*wb));
	struct cmp_eval ea, eb;
	size_t i;

	if (!wa || !wb) {
		free(wa);
		free(wb);
		return -ENOMEM;
	}
	for (i = 0; i < pa->nunits; i++)
		wa[i] = 1;
	for (i = 0; i < pb->nunits; i++)
		wb[i] = 1;
	cmp_weighted(pa, wa, q, h, &ea);
	cmp_weighted(pb, wb, q, h, &eb);
	cmp_one(&ea, &eb, est);
	free(wa);
	free(wb);
	return 0;
}

int cmp_mech_decompose(const struct cmp_mech_side *a, const struct cmp_mech_side *b, double q,
		       unsigned int reps, struct cmp_mech_result *out)
{
	struct cmp_prep pa, pb = {0};
	double est[CMP_NFIG], *boot = NULL;
	unsigned int k;
	int rc = cmp_prep_side(a, &pa);

	if (!rc && (rc = cmp_prep_side(b, &pb)))
		cmp_prep_free(&pa);
	if (rc)
		return rc;
	boot = malloc((CMP_NFIG * (size_t)reps + 1) * sizeof(*boot));
	rc = boot ? cmp_estimate(&pa, &pb, q, cmp_mech_band(q), est) : -ENOMEM;
	if (!rc)
		rc = cmp_bootstrap(&pa, &pb, q, cmp_mech_band(q), reps, boot);
	if (!rc) {
		*out = (struct cmp_mech_result){
		    .q = q, .na = pa.n, .nb = pb.n, .by_runs = pa.by_runs && pb.by_runs};
		out->total = cmp_part(est, boot, reps, 0);
		for (k = 0; k < MECH_NIV; k++)
			out->mech[k] = cmp_part(est, boot, reps, k + 1);
		out->unexplained = cmp_part(est, boot, reps, MECH_NIV + 1);
	}
	free(boot);
	cmp_prep_free(&pa);
	cmp_prep_free(&pb);
	return rc;
}
