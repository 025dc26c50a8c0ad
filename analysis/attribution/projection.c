// SPDX-License-Identifier: MIT
/*
 * projection - each sample less the host time attribution found in it: a spike's attribution,
 * or the host time on its critical path (projection_path), whichever is larger. Host time off
 * the path (a routine exit, a delivery to a CPU that was running the probe) stays in the
 * projection (docs/attribution.md says why the windows' mechanism times cannot take it out).
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

uint64_t projection_removed(const struct attr_spike *a, const struct projection *p, uint64_t *part)
{
	uint64_t sum = 0;
	size_t k;

	memcpy(part, a->hv_ns, sizeof(a->hv_ns));
	part[ATTR_HV_EXITS] = (uint64_t)((double)part[ATTR_HV_EXITS] * p->exit_share);
	part[ATTR_HV_DELIVERY_ROUTINE] =
	    (uint64_t)((double)part[ATTR_HV_DELIVERY_ROUTINE] * p->routine_share);
	for (k = 0; k < ATTR_HV_NPARTS; k++)
		sum += part[k];
	return sum;
}

/* proj_less - @v less up to @cut; what @cut had beyond @v is left in *@cut. */
static uint32_t proj_less(uint32_t v, uint64_t *cut)
{
	uint64_t take = *cut < v ? *cut : v;

	*cut -= take;
	return (uint32_t)(v - take);
}

/*
 * proj_window_less - the parts of @part that are intervals of the trace out of window @w: the
 * absence from the vCPU absence, the deliveries from the interrupt delivery (the IPIs), what
 * they do not hold from the timer lateness (a timer interrupt's delivery). Exits and steal
 * are no interval of the windows: they come out of the latency only.
 */
static void proj_window_less(struct mech_window *w, const uint64_t *part)
{
	uint64_t absent = part[ATTR_HV_ABSENT];
	uint64_t delivery = part[ATTR_HV_DELIVERY] + part[ATTR_HV_DELIVERY_ROUTINE];

	w->ns[MECH_ABSENCE] = proj_less(w->ns[MECH_ABSENCE], &absent);
	w->ns[MECH_IRQ_DELIVERY] = proj_less(w->ns[MECH_IRQ_DELIVERY], &delivery);
	w->ns[MECH_TIMER_LATENESS] = proj_less(w->ns[MECH_TIMER_LATENESS], &delivery);
}

/* proj_cut - @cut out of sample @s, unless it would reach below 0. */
static void proj_cut(struct trace_sample *s, uint64_t cut)
{
	/* attribution splits the excess, a path its waits: neither reaches below the median */
	if (cut < s->latency_ns)
		s->latency_ns -= cut;
}

/* proj_path_cut - sample @k's critical-path host time @h out of it and its window (@win). */
static void proj_path_cut(struct trace_sample *s, struct mech_window *win, size_t k,
			  const struct proj_path_ns *h, struct projection *p)
{
	uint64_t part[ATTR_HV_NPARTS] = {
	    [ATTR_HV_ABSENT] = h->absent_ns, [ATTR_HV_DELIVERY] = h->delivery_ns};

	p->path_iterations++;
	p->path_ns.absent_ns += h->absent_ns;
	p->path_ns.delivery_ns += h->delivery_ns;
	p->removed_ns += h->absent_ns + h->delivery_ns;
	proj_cut(&s[k], h->absent_ns + h->delivery_ns);
	if (win)
		proj_window_less(&win[k], part);
}

void projection_apply(struct trace_sample *s, size_t n, struct mech_window *win,
		      const struct spike *sp, const struct attr_spike *as, size_t nsp,
		      struct proj_path_ns *path, struct projection *p)
{
	uint64_t part[ATTR_HV_NPARTS], cut;
	size_t i, j, k;

	for (i = 0; i < nsp; i++) {
		k = sp[i].sample;
		if (k >= n)
			continue;
		cut = projection_removed(&as[i], p, part);
		if (path && path[k].absent_ns + path[k].delivery_ns > cut)
			continue; /* its critical path holds more: that comes out instead */
		if (path)
			path[k] = (struct proj_path_ns){0};
		for (j = 0; j < ATTR_HV_NPARTS; j++)
			p->removed_part_ns[j] += part[j];
		p->spikes += cut > 0;
		p->removed_ns += cut;
		proj_cut(&s[k], cut);
		if (win)
			proj_window_less(&win[k], part);
	}
	for (k = 0; path && k < n; k++) {
		if (path[k].absent_ns + path[k].delivery_ns)
			proj_path_cut(s, win, k, &path[k], p);
	}
}

void projection_samples_free(struct projection_samples *ps)
{
	free(ps->samples);
	free(ps->win);
	free(ps->guest);
	free(ps->proj);
	free(ps->run);
	memset(ps, 0, sizeof(*ps));
}

/* proj_alloc - room for @in's samples, projected and good, in @ps. 0 or -ENOMEM. */
static int proj_alloc(const struct projection_in *in, struct projection_samples *ps)
{
	size_t m = in->n ? in->n : 1;

	memset(ps, 0, sizeof(*ps));
	ps->samples = malloc(m * sizeof(*ps->samples));
	ps->win = in->win ? malloc(m * sizeof(*ps->win)) : NULL;
	ps->guest = malloc(m * sizeof(*ps->guest));
	ps->proj = malloc(m * sizeof(*ps->proj));
	ps->run = malloc(m * sizeof(*ps->run));
	if (!ps->samples || (in->win && !ps->win) || !ps->guest || !ps->proj || !ps->run) {
		projection_samples_free(ps);
		return -ENOMEM;
	}
	return 0;
}

/*
 * proj_path_of - the host time on the critical path of each of @in's samples into *@out
 * (malloc'd; NULL when @in has no path or no host to take time from), with @p's shares. 0 or
 * -ENOMEM.
 */
static int proj_path_of(const struct projection_in *in, struct projection *p,
			struct proj_path_ns **out)
{
	struct proj_path_rule rule = {.routine_share = p->routine_share};
	int rc;

	*out = NULL;
	if (!in->path || !in->pf || !in->pf->hypervisor)
		return 0;
	p->path_waits = in->path->nwaits;
	if (in->ev) {
		rule.ipi_normal_ns = in->ev->ipi_normal_ns;
		rule.timer_normal_ns = in->ev->timer_normal_ns;
	}
	*out = malloc((in->n ? in->n : 1) * sizeof(**out));
	if (!*out)
		return -ENOMEM;
	rc = projection_path_host(in->path, &rule, in->n, *out);
	if (rc) {
		free(*out);
		*out = NULL;
	}
	return rc;
}

int projection_project(const struct projection_in *in, const struct projection_baseline *bl,
		       struct projection *p, struct projection_samples *ps)
{
	struct proj_path_ns *path;
	size_t i;
	int rc;

	memset(p, 0, sizeof(*p));
	projection_shares(in->pf, in->ev, bl, p);
	rc = proj_alloc(in, ps);
	if (rc)
		return rc;
	memcpy(ps->samples, in->samples, in->n * sizeof(*ps->samples));
	if (ps->win)
		memcpy(ps->win, in->win, in->n * sizeof(*ps->win));
	ps->nsamples = in->n;
	rc = proj_path_of(in, p, &path);
	if (rc) {
		projection_samples_free(ps);
		return rc;
	}
	projection_apply(ps->samples, in->n, ps->win, in->sp, in->as, in->nsp, path, p);
	free(path);
	for (i = 0; i < in->n; i++) {
		if (in->samples[i].flags & TRACE_SAMPLE_BAD)
			continue;
		ps->guest[ps->n] = (double)in->samples[i].latency_ns;
		ps->proj[ps->n] = (double)ps->samples[i].latency_ns;
		ps->run[ps->n++] = in->samples[i].run;
	}
	p->samples = ps->n;
	rc = projection_quantiles(ps->guest, ps->proj, ps->run, ps->n, p);
	if (rc)
		projection_samples_free(ps);
	return rc;
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

int projection_compute(const struct projection_in *in, const struct projection_baseline *bl,
		       struct projection *p)
{
	struct projection_samples ps;
	int rc = projection_project(in, bl, p, &ps);

	if (!rc)
		projection_samples_free(&ps);
	return rc;
}
