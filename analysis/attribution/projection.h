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
#include "analysis/attribution/mechanisms.h"
#include "analysis/attribution/projection_path.h"
#include "analysis/model/spikes.h"
#include "lib/trace/trace_format.h"

#define PROJ_NQ 3 /* p50, p99, p99.9 */
extern const double proj_quantiles[PROJ_NQ];

/* projection_baseline - what bare metal pays for the same mechanisms; 0: not given. */
struct projection_baseline {
	uint64_t exit_cost_ns;	/* its `vmexit` probe less `null`: the instruction without a trap */
	uint64_t ipi_normal_ns; /* its routine IPI delivery (p10) */
};

/*
 * projection_baseline_parse - "exit=TIME,ipi=TIME" (either or both, each once; a time is a
 * whole number with ns, us, ms or s, bare in ns, 1ns..1s) into @bl. Returns 0, or -EINVAL with
 * @err naming the item and what is wrong (@bl zeroed).
 */
int projection_baseline_parse(const char *text, struct projection_baseline *bl, char *err,
			      size_t errlen);

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
	uint64_t removed_part_ns[ATTR_HV_NPARTS]; /* of it, out of spikes, by part */
	size_t path_waits;	     /* critical-path waits looked at (0: none known) */
	size_t path_iterations;	     /* iterations whose critical path had more host time than
					their spike's attribution: that came out instead */
	struct proj_path_ns path_ns; /* of removed_ns, what those iterations' paths held */
	double exit_share;	     /* of the exits' attributed time taken out */
	double routine_share;	     /* of the routine deliveries' attributed time taken out */
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
 * shares: by part into @part (ATTR_HV_NPARTS). Returns the sum.
 */
uint64_t projection_removed(const struct attr_spike *a, const struct projection *p, uint64_t *part);

/*
 * projection_apply - the host time out of samples @s (@n of them, in place): of each, the larger
 * of its spike's projection_removed() (@sp[i].sample indexes @s, @as parallel to @sp) and the
 * host time on its critical path (@path, parallel to @s; NULL: none; a sample whose spike's
 * is taken out instead is zeroed in it), never their sum (both can see the same nanoseconds),
 * unless it would reach below 0; and where windows @win (parallel to
 * @s; NULL: none) hold what came out as intervals of the trace, their mechanism times less it:
 * the vCPU absence, then the deliveries out of the interrupt delivery and the timer lateness.
 * @p counts what came out.
 */
void projection_apply(struct trace_sample *s, size_t n, struct mech_window *win,
		      const struct spike *sp, const struct attr_spike *as, size_t nsp,
		      struct proj_path_ns *path, struct projection *p);

/*
 * projection_quantiles - @p->q of values @guest and @proj (@n each, runs @run): the table's
 * percentiles (linear interpolation) and intervals over runs. Returns 0, -ENOMEM.
 */
int projection_quantiles(const double *guest, const double *proj, const uint32_t *run, size_t n,
			 struct projection *p);

/* projection_in - one probe to project. */
struct projection_in {
	const struct trace_sample *samples; /* those attribution explained: the traced runs' */
	const struct mech_window *win;	    /* their mechanism times (parallel); NULL: none */
	size_t n;
	const struct spike *sp;	     /* its spikes, .sample indexing samples */
	const struct attr_spike *as; /* and their attribution, parallel to sp */
	size_t nsp;
	const struct attr_platform *pf; /* the guest's exit cost; whether it has a host at all */
	const struct attr_evidence *ev; /* its routine IPI delivery and timer lateness */
	const struct proj_path *path;	/* its iterations' critical path; NULL: not known */
};

/* projection_samples - a probe's samples projected (projection_samples_free() them). */
struct projection_samples {
	struct trace_sample *samples; /* every sample, each spike less its host time */
	struct mech_window *win;      /* their windows less the host time's intervals, or NULL */
	size_t nsamples;
	double *guest, *proj; /* the good samples' latencies (ns) as measured and projected */
	uint32_t *run;	      /* and their runs */
	size_t n;
};

/*
 * projection_project - projection_shares() with baseline @bl (NULL: none), the host time on
 * the critical path (projection_path_host(), when @in has a path and a hypervisor), then
 * projection_apply() on copies of @in's samples and windows into @ps, and the quantiles of
 * the good samples, measured and projected, into @p. Returns 0, -ENOMEM (@ps then empty).
 */
int projection_project(const struct projection_in *in, const struct projection_baseline *bl,
		       struct projection *p, struct projection_samples *ps);

/* projection_samples_free - release what projection_project() put into @ps. */
void projection_samples_free(struct projection_samples *ps);

/* projection_compute - projection_project() when only @p is wanted. 0, -ENOMEM. */
int projection_compute(const struct projection_in *in, const struct projection_baseline *bl,
		       struct projection *p);

#endif
