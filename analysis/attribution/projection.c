// SPDX-License-Identifier: MIT
/*
 * projection - each sample less the host time attribution found in it. Only spikes carry an
 * attribution: the host time inside every ordinary iteration (a routine exit below the spike
 * threshold) stays in the projection, which is why its p50 moves only where spikes reach it.
 */
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "analysis/attribution/projection.h"
#include "analysis/attribution/projection_ci.h"
#include "lib/stats.h"

const double proj_quantiles[PROJ_NQ] = {0.5, 0.99, 0.999};

/* proj_share - the share of a guest cost @guest_ns above bare metal's @bare_ns (0: none). */
static double proj_share(uint64_t guest_ns, uint64_t bare_ns)
{
	if (!bare_ns)
		return 1;
	if (!guest_ns || bare_ns >= guest_ns)
		return 0;
	return 1 - (double)bare_ns / (double)guest_ns;
}

void projection_shares(const struct attr_platform *pf, const struct attr_evidence *ev,
		       const struct projection_baseline *bl, struct projection *p)
{
	p->baseline = bl ? *bl : (struct projection_baseline){0};
	p->exit_share = proj_share(pf ? pf->exit_cost_ns : 0, p->baseline.exit_cost_ns);
	p->routine_share = proj_share(ev ? ev->ipi_normal_ns : 0, p->baseline.ipi_normal_ns);
}

uint64_t projection_removed(const struct attr_spike *a, struct projection *p)
{
	uint64_t part[ATTR_HV_NPARTS], sum = 0;
	size_t k;

	memcpy(part, a->hv_ns, sizeof(part));
	part[ATTR_HV_EXITS] = (uint64_t)((double)part[ATTR_HV_EXITS] * p->exit_share);
	part[ATTR_HV_DELIVERY_ROUTINE] =
	    (uint64_t)((double)part[ATTR_HV_DELIVERY_ROUTINE] * p->routine_share);
	for (k = 0; k < ATTR_HV_NPARTS; k++) {
		p->removed_part_ns[k] += part[k];
		sum += part[k];
	}
	return sum;
}

/* proj_removed_by_sample - the host time to take out of each of @n samples (0 for most). */
static uint64_t *proj_removed_by_sample(size_t n, const struct spike *sp,
					const struct attr_spike *as, size_t nsp,
					struct projection *p)
{
	uint64_t *cut = calloc(n ? n : 1, sizeof(*cut));
	size_t i;

	for (i = 0; cut && i < nsp; i++) {
		if (sp[i].sample >= n)
			continue;
		cut[sp[i].sample] = projection_removed(&as[i], p);
		p->spikes += cut[sp[i].sample] > 0;
		p->removed_ns += cut[sp[i].sample];
	}
	return cut;
}

int projection_latencies(const struct trace_sample *s, size_t n, const struct spike *sp,
			 const struct attr_spike *as, size_t nsp, struct projection *p,
			 double **lat, uint32_t **run, size_t *nout)
{
	uint64_t *cut = proj_removed_by_sample(n, sp, as, nsp, p);
	size_t i, k = 0;

	*lat = malloc((n ? n : 1) * sizeof(**lat));
	*run = malloc((n ? n : 1) * sizeof(**run));
	if (!cut || !*lat || !*run) {
		free(cut);
		free(*lat);
		free(*run);
		*lat = NULL;
		*run = NULL;
		return -ENOMEM;
	}
	for (i = 0; i < n; i++) {
		if (s[i].flags & TRACE_SAMPLE_BAD)
			continue;
		/* attribution splits the excess: what it took out never reaches below the median */
		(*lat)[k] = (double)(s[i].latency_ns - (cut[i] < s[i].latency_ns ? cut[i] : 0));
		(*run)[k++] = s[i].run;
	}
	*nout = k;
	p->samples = k;
	free(cut);
	return 0;
}

/* proj_side - the percentiles of @v and their intervals over runs, into the @which side. */
static int proj_side(const double *v, const uint32_t *run, size_t n, struct projection *p,
		     int which)
{
	double *sorted = malloc((n ? n : 1) * sizeof(*sorted)), est, lo, hi;
	struct proj_runs r;
	size_t k;
	int rc = sorted ? proj_runs_build(v, run, n, &r) : -ENOMEM;

	if (rc) {
		free(sorted);
		return rc;
	}
	memcpy(sorted, v, n * sizeof(*sorted));
	stats_sort(sorted, n);
	p->runs = r.nruns;
	for (k = 0; !rc && k < PROJ_NQ; k++) {
		p->q[k].q = proj_quantiles[k];
		est = n ? stats_percentile(sorted, n, proj_quantiles[k]) : NAN;
		rc = proj_runs_interval(&r, proj_quantiles[k], &lo, &hi);
		if (which) {
			p->q[k].proj_ns = est;
			p->q[k].proj_lo = lo;
			p->q[k].proj_hi = hi;
		} else {
			p->q[k].guest_ns = est;
			p->q[k].guest_lo = lo;
			p->q[k].guest_hi = hi;
		}
	}
	proj_runs_free(&r);
	free(sorted);
	return rc;
}

int projection_quantiles(const double *guest, const double *proj, const uint32_t *run, size_t n,
			 struct projection *p)
{
	int rc = proj_side(guest, run, n, p, 0);

	return rc ? rc : proj_side(proj, run, n, p, 1);
}

int projection_compute(const struct trace_sample *s, size_t n, const struct spike *sp,
		       const struct attr_spike *as, size_t nsp, const struct attr_platform *pf,
		       const struct attr_evidence *ev, const struct projection_baseline *bl,
		       struct projection *p)
{
	double *lat = NULL, *guest = NULL;
	uint32_t *run = NULL;
	size_t i, k = 0, m;
	int rc;

	memset(p, 0, sizeof(*p));
	projection_shares(pf, ev, bl, p);
	rc = projection_latencies(s, n, sp, as, nsp, p, &lat, &run, &m);
	guest = rc ? NULL : malloc((m ? m : 1) * sizeof(*guest));
	if (!rc && !guest)
		rc = -ENOMEM;
	for (i = 0; !rc && i < n; i++) {
		if (!(s[i].flags & TRACE_SAMPLE_BAD))
			guest[k++] = (double)s[i].latency_ns;
	}
	if (!rc)
		rc = projection_quantiles(guest, lat, run, m, p);
	free(guest);
	free(lat);
	free(run);
	return rc;
}

enum attr_cause projection_mechanism(const uint64_t *a_ns, const uint64_t *b_ns, double *share_a,
				     double *share_b)
{
	double ta = 0, tb = 0, sa, sb, top = -1;
	enum attr_cause best = ATTR_NCAUSES;
	size_t c;

	for (c = 0; c < ATTR_NCAUSES; c++) {
		ta += (double)a_ns[c];
		tb += (double)b_ns[c];
	}
	*share_a = *share_b = NAN;
	for (c = 0; (ta > 0 || tb > 0) && c < ATTR_NCAUSES; c++) {
		sa = ta > 0 ? (double)a_ns[c] / ta : 0;
		sb = tb > 0 ? (double)b_ns[c] / tb : 0;
		if (fabs(sa - sb) <= top)
			continue;
		top = fabs(sa - sb);
		best = (enum attr_cause)c;
		*share_a = ta > 0 ? sa : NAN;
		*share_b = tb > 0 ? sb : NAN;
	}
	return best;
}
