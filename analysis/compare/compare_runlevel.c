// SPDX-License-Identifier: MIT
/*
 * compare_runlevel - the effects of B over A on each figure of the clusters (runs, or blocks
 * when a side has too few runs), with their intervals and margins: what the verdict reads.
 */
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "analysis/compare/compare.h"

/* blocks_for - blocks a run so that a side of @runs runs has COMPARE_BLOCKS_PER_SIDE or more. */
static size_t blocks_for(size_t runs)
{
	return (COMPARE_BLOCKS_PER_SIDE + runs - 1) / runs;
}

/*
 * margin_of - how far from 0 an effect on @f may reach and be no difference: min_effect_rel of
 * A's figure, and never under one timer step. A log ratio's margin is the factor 1 +
 * min_effect_rel, or what one step at p50 and one at the upper quantile make of the ratio (a
 * 100 ns probe's p99/p50 moves by 10% when p99 moves by one 10 ns step).
 */
static double margin_of(enum compare_figure f, const struct compare_effect *e,
			const struct compare_opts *o)
{
	double res = o->resolution_ns, p50 = fabs(e[COMPARE_P50].a), upper;

	if (!compare_figure_is_log(f))
		return fmax(res, o->min_effect_rel * fabs(e[f].a));
	upper = fabs(e[compare_figure_upper(f)].a);
	return fmax(log1p(o->min_effect_rel), res / fmax(p50, res) + res / fmax(upper, res));
}

/* column - figure @f of @n clusters into @out. */
static void column(double (*fig)[COMPARE_NFIGURES], size_t n, enum compare_figure f, double *out)
{
	size_t i;

	for (i = 0; i < n; i++)
		out[i] = fig[i][f];
}

/* effects - every figure's Welch interval, then margins (they need A's p50 and p99 first). */
static int effects(double (*fa)[COMPARE_NFIGURES], size_t na, double (*fb)[COMPARE_NFIGURES],
		   size_t nb, const struct compare_opts *o, struct compare_effect *e)
{
	double *va = malloc(na * sizeof(*va)), *vb = malloc(nb * sizeof(*vb));
	int f, rc = va && vb ? 0 : -ENOMEM;

	for (f = 0; !rc && f < COMPARE_NFIGURES; f++) {
		column(fa, na, f, va);
		column(fb, nb, f, vb);
		rc = compare_welch(va, na, vb, nb, o->alpha, &e[f]);
	}
	for (f = 0; !rc && f < COMPARE_NFIGURES; f++) {
		e[f].margin = margin_of(f, e, o);
		e[f].differs = e[f].low > e[f].margin || e[f].high < -e[f].margin;
	}
	free(va);
	free(vb);
	return rc;
}

int compare_runlevel_build(const double *a, const uint32_t *run_a, size_t na, const double *b,
			   const uint32_t *run_b, size_t nb, const struct compare_opts *o,
			   struct compare_runlevel *out)
{
	double(*fa)[COMPARE_NFIGURES] = NULL, (*fb)[COMPARE_NFIGURES] = NULL;
	size_t ka = 1, kb = 1;
	int rc;

	if (!a || !b || !na || !nb || !o || !out)
		return -EINVAL;
	memset(out, 0, sizeof(*out));
	out->runs_a = compare_count_runs(run_a, na);
	out->runs_b = compare_count_runs(run_b, nb);
	if (!out->runs_a || !out->runs_b)
		return -ENOMEM;
	out->blocks = out->runs_a < COMPARE_MIN_RUNS || out->runs_b < COMPARE_MIN_RUNS;
	if (out->blocks) {
		ka = blocks_for(out->runs_a);
		kb = blocks_for(out->runs_b);
	}
	rc = compare_clusters(a, run_a, na, ka, o->resolution_ns, &fa, &out->clusters_a,
			      &out->runs_a);
	if (!rc)
		rc = compare_clusters(b, run_b, nb, kb, o->resolution_ns, &fb, &out->clusters_b,
				      &out->runs_b);
	out->decided = !rc && out->clusters_a >= 2 && out->clusters_b >= 2;
	if (out->decided)
		rc = effects(fa, out->clusters_a, fb, out->clusters_b, o, out->effects);
	free(fa);
	free(fb);
	return rc;
}
