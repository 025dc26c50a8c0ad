/* SPDX-License-Identifier: MIT */
/*
 * projection - a host-free projection of a guest's latencies: each sample less the host time
 * attribution found in it (vCPU absence, interrupt delivery, steal, VM exits beyond the usual),
 * the exits' and the routine deliveries' time taken out only above a bare-metal baseline when
 * one is given. Reported as p50/p99/p99.9 of the guest and of the projection, with intervals
 * over runs (projection_ci). docs/attribution.md, "A host-free projection".
 */
#ifndef RINGSCOPE_PROJECTION_H
#define RINGSCOPE_PROJECTION_H

#include <stddef.h>
#include <stdint.h>

#include "analysis/attribution/attribution.h"
#include "analysis/model/spikes.h"
#include "lib/trace/trace_format.h"

#define PROJ_NQ 3 /* p50, p99, p99.9 */
extern const double proj_quantiles[PROJ_NQ];

/* projection_baseline - what bare metal pays for the same mechanisms; 0: not given. */
struct projection_baseline {
	uint64_t exit_cost_ns;	/* its `vmexit` probe less `null`: the instruction without a trap */
	uint64_t ipi_normal_ns; /* its routine IPI delivery (p10) */
};

/* projection_q - one quantile of the guest and of its projection, with 95% intervals. */
struct projection_q {
	double q;
	double guest_ns, guest_lo, guest_hi;
	double proj_ns, proj_lo, proj_hi;
};

/* projection - one probe's projection. */
struct projection {
	size_t samples;				  /* good samples projected */
	size_t runs;				  /* runs they come from */
	size_t spikes;				  /* spikes with host time taken out */
	uint64_t removed_ns;			  /* host time taken out, all samples */
	uint64_t removed_part_ns[ATTR_HV_NPARTS]; /* and by part */
	double exit_share;			  /* of the exits' attributed time taken out */
	double routine_share; /* of the routine deliveries' attributed time taken out */
	struct projection_baseline baseline;
	struct projection_q q[PROJ_NQ];
};

/*
 * projection_shares - into @p: the baseline and what share of the exits' and routine
 * deliveries' time is host time: 1 without a baseline; 1 - baseline / guest cost with one
 * (the guest's exit cost from @pf, its routine IPI delivery from @ev), 0 when bare metal costs
 * as much or the guest's cost is unknown.
 */
void projection_shares(const struct attr_platform *pf, const struct attr_evidence *ev,
		       const struct projection_baseline *bl, struct projection *p);

/*
 * projection_removed - the host time to take out of a spike attributed as @a, with @p's
 * shares; its parts added to @p->removed_part_ns.
 */
uint64_t projection_removed(const struct attr_spike *a, struct projection *p);

/*
 * projection_latencies - the good samples of @s (@n of them) in file order, each less
 * projection_removed() of its spike (@sp[i].sample indexes @s; @as parallel to @sp): *@lat
 * (ns) and *@run, malloc'd, *@nout of them, and @p's counts. Returns 0, -ENOMEM.
 */
int projection_latencies(const struct trace_sample *s, size_t n, const struct spike *sp,
			 const struct attr_spike *as, size_t nsp, struct projection *p,
			 double **lat, uint32_t **run, size_t *nout);

/*
 * projection_quantiles - @p->q of values @guest and @proj (@n each, runs @run): the table's
 * percentiles (linear interpolation) and intervals over runs. Returns 0, -ENOMEM.
 */
int projection_quantiles(const double *guest, const double *proj, const uint32_t *run, size_t n,
			 struct projection *p);

/*
 * projection_compute - projection_shares, projection_latencies and projection_quantiles of
 * one probe: @s its samples that attribution explained (the traced runs'), @sp and @as its
 * spikes and their attribution. Returns 0, -ENOMEM.
 */
int projection_compute(const struct trace_sample *s, size_t n, const struct spike *sp,
		       const struct attr_spike *as, size_t nsp, const struct attr_platform *pf,
		       const struct attr_evidence *ev, const struct projection_baseline *bl,
		       struct projection *p);

/*
 * projection_mechanism - of per-cause excess @a_ns and @b_ns (ATTR_NCAUSES each), the cause
 * whose share of its side's total differs most, its shares into @share_a and @share_b (NAN for
 * a side without excess); ATTR_NCAUSES when neither side has any.
 */
enum attr_cause projection_mechanism(const uint64_t *a_ns, const uint64_t *b_ns, double *share_a,
				     double *share_b);

#endif
