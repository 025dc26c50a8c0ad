// SPDX-License-Identifier: MIT
/*
 * compare_project - A projected without its host time, tested against B (compare_project.h):
 * the run-level rule reads B as the reference and the projection as what moved, so every effect
 * is the projection less B; the decomposition reads them the same way round.
 */
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "analysis/compare/compare_project.h"

unsigned int cmp_proj_missing(const struct cmp_mech_result *r)
{
	double sign = r->total.ns > 0 ? 1 : -1, best = 0;
	unsigned int k, pick = MECH_NIV;

	if (r->total.ns == 0 || isnan(r->total.ns))
		return MECH_NIV;
	for (k = 0; k < MECH_NIV; k++) {
		if (sign * r->mech[k].ns > best) {
			best = sign * r->mech[k].ns;
			pick = k;
		}
	}
	return pick;
}

bool cmp_proj_host(unsigned int k)
{
	return k == MECH_ABSENCE || k == MECH_IRQ_DELIVERY || k == MECH_TIMER_LATENESS;
}

/* cmp_proj_good - @b's good latencies and their runs, malloc'd. 0, -ENOMEM. */
static int cmp_proj_good(const struct cmp_mech_side *b, double **lat, uint32_t **run, size_t *n)
{
	size_t i;

	*n = 0;
	*lat = malloc((b->n ? b->n : 1) * sizeof(**lat));
	*run = malloc((b->n ? b->n : 1) * sizeof(**run));
	if (!*lat || !*run)
		return -ENOMEM;
	for (i = 0; i < b->n; i++) {
		if (b->samples[i].flags & TRACE_SAMPLE_BAD)
			continue;
		(*lat)[*n] = (double)b->samples[i].latency_ns;
		(*run)[(*n)++] = b->samples[i].run;
	}
	return 0;
}

/* cmp_proj_decompose - the projection @ps less @b by mechanism at each of proj_quantiles. */
static int cmp_proj_decompose(const struct projection_samples *ps, const struct cmp_mech_side *b,
			      unsigned int reps, struct cmp_proj_result *out)
{
	struct cmp_mech_side pa = {.samples = ps->samples, .win = ps->win, .n = ps->nsamples};
	size_t k;
	int rc = 0;

	for (k = 0; !rc && k < PROJ_NQ; k++) {
		rc = cmp_mech_decompose(b, &pa, proj_quantiles[k], reps, &out->mech[k]);
		out->missing[k] = rc ? MECH_NIV : cmp_proj_missing(&out->mech[k]);
	}
	out->decomposed = !rc;
	return rc;
}

int cmp_project(const struct projection_in *a, const struct projection_baseline *bl,
		const struct cmp_mech_side *b, const struct compare_opts *o, unsigned int reps,
		struct cmp_proj_result *out)
{
	struct projection_samples ps;
	double *blat = NULL;
	uint32_t *brun = NULL;
	size_t nb = 0;
	int rc;

	memset(out, 0, sizeof(*out));
	rc = projection_project(a, bl, &out->proj, &ps);
	if (rc)
		return rc;
	rc = cmp_proj_good(b, &blat, &brun, &nb);
	if (!rc)
		rc = compare_samples(blat, brun, nb, ps.proj, ps.run, ps.n, o, &out->test);
	if (!rc && b->win && ps.win)
		rc = cmp_proj_decompose(&ps, b, reps, out);
	free(blat);
	free(brun);
	projection_samples_free(&ps);
	return rc;
}
