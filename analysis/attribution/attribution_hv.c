// SPDX-License-Identifier: MIT
/*
 * attribution_hv - host time with positive evidence, for a spike on a platform with a
 * hypervisor: an interrupt's delivery (an interval before its handler, split into the run's
 * routine cost and what lies beyond it), and the VM-exit proxies and reported steal on the
 * window's CPUs (time budgets). The vCPU silences (ABSENT records) are plain intervals of the
 * sweep (attribution.c).
 */
#include <string.h>

#include "analysis/attribution/attribution_iv.h"

/* attr_delivery_routine - what delivering interrupt @e routinely costs here, 0: not one timed. */
static uint64_t attr_delivery_routine(const struct tracer_event *e, const struct attr_ctx *ctx)
{
	if (e->flags & TRACER_F_IPI_SENT)
		return ctx->ipi_normal_ns;
	return e->flags & TRACER_F_TIMER_EXPIRY ? ctx->timer_normal_ns : 0;
}

int attr_delivery_iv(const struct tracer_event *e, uint32_t i, const struct attr_ctx *ctx,
		     struct attr_iv *iv)
{
	if (e->type != TRACER_EV_IPI || !attr_has_hypervisor(ctx) || !e->arg1 ||
	    e->arg1 > e->ts_ns || !(e->flags & (TRACER_F_IPI_SENT | TRACER_F_TIMER_EXPIRY)))
		return 0;
	memset(iv, 0, sizeof(*iv));
	iv->start = e->ts_ns - e->arg1;
	iv->end = e->ts_ns;
	iv->ev = i;
	iv->cause = ATTR_HYPERVISOR;
	iv->level = ATTR_LVL_DELIVERY;
	iv->part = ATTR_HV_DELIVERY;
	return 1;
}

uint64_t attr_delivery_beyond(const struct tracer_event *e, const struct attr_ctx *ctx,
			      uint64_t own)
{
	uint64_t routine = attr_delivery_routine(e, ctx);

	if (routine >= e->arg1)
		return 0;
	return own - (uint64_t)((double)own * (double)routine / (double)e->arg1);
}

/* attr_overlap_share - the share of @e's interval inside the window (an instant: 1 inside). */
static double attr_overlap_share(const struct tracer_event *e, const struct spike *sp)
{
	uint64_t s = e->ts_ns > sp->win_start_ns ? e->ts_ns : sp->win_start_ns;
	uint64_t t = e->ts_ns + e->dur_ns < sp->win_end_ns ? e->ts_ns + e->dur_ns : sp->win_end_ns;

	if (!e->dur_ns)
		return e->ts_ns >= sp->win_start_ns && e->ts_ns < sp->win_end_ns;
	return t > s ? (double)(t - s) / (double)e->dur_ns : 0;
}

/*
 * attr_exit_proxies - VM exits that event @e stands for: MSR writes that trap (x2APIC ICR:
 * an IPI sent, TSC_DEADLINE: the timer programmed, FS_BASE), counted per window in lean
 * detail and one by one in full detail, and an idle entry (HLT).
 */
static double attr_exit_proxies(const struct tracer_event *e)
{
	switch (e->type) {
	case TRACER_EV_EXITS:
		return (double)(e->arg0 + e->arg1 + e->arg2);
	case TRACER_EV_MSR_WRITE:
	case TRACER_EV_IDLE:
		return 1;
	default:
		return 0;
	}
}

void attr_host_budgets(const struct spike *sp, const struct tracer_event *ev, size_t n,
		       const struct attr_ctx *ctx,
		       int (*counts)(const struct tracer_event *, void *), void *arg,
		       unsigned int ncpus, struct attr_spike *out, uint64_t *exits_ns,
		       uint64_t *steal_ns)
{
	double exits = 0, steal = 0, share, usual;
	const struct tracer_event *e;
	size_t i;

	for (i = 0; i < n; i++) {
		e = &ev[i];
		if ((e->type != TRACER_EV_STEAL && !attr_exit_proxies(e)) || !counts(e, arg))
			continue;
		share = e->type == TRACER_EV_IDLE
			    ? e->ts_ns >= sp->win_start_ns && e->ts_ns < sp->win_end_ns
			    : attr_overlap_share(e, sp);
		if (e->type == TRACER_EV_STEAL)
			steal += share * (double)e->arg0;
		else
			exits += share * attr_exit_proxies(e);
	}
	out->exits = exits;
	usual = ctx->exits_usual_per_ns * (double)sp->baseline_ns * ncpus;
	*exits_ns = ctx->pf->exit_cost_ns && exits > usual
			? (uint64_t)((exits - usual) * (double)ctx->pf->exit_cost_ns)
			: 0;
	*steal_ns = (uint64_t)steal;
}
