// SPDX-License-Identifier: MIT
/* test_projection - the host-free projection on synthetic spikes with known host time. */
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "analysis/attribution/projection.h"
#include "analysis/attribution/projection_ci.h"
#include "tests/unit/check.h"

#define RUNS  4
#define ITERS 1000
#define EVERY 50 /* one spike every 50 iterations: 2% of the samples */

/*
 * make - RUNS x ITERS samples of 1 us, every EVERYth one a spike of 11 us whose 10 us excess is
 * all host time: a vCPU absence of 10 us, or with @exits 4 us of it VM exits beyond the usual.
 */
static size_t make(struct trace_sample *s, struct spike *sp, struct attr_spike *as, bool exits)
{
	size_t i, k = 0;

	for (i = 0; i < RUNS * ITERS; i++) {
		s[i] = (struct trace_sample){.run = (uint32_t)(i / ITERS),
					     .iteration = (uint32_t)(i % ITERS),
					     .latency_ns = 1000};
		if (i % EVERY != EVERY / 2)
			continue;
		s[i].latency_ns = 11000;
		sp[k] =
		    (struct spike){.sample = (uint32_t)i, .latency_ns = 11000, .excess_ns = 10000};
		memset(&as[k], 0, sizeof(as[k]));
		as[k].causes_ns[ATTR_HYPERVISOR] = 10000;
		as[k].hv_ns[ATTR_HV_ABSENT] = exits ? 6000 : 10000;
		as[k].hv_ns[ATTR_HV_EXITS] = exits ? 4000 : 0;
		k++;
	}
	return k;
}

static struct trace_sample samples[RUNS * ITERS];
static struct spike spikes[RUNS * ITERS / EVERY];
static struct attr_spike attributed[RUNS * ITERS / EVERY];

/* The host's whole excess comes out: the projection is the flat 1 us, the guest's p99 is not. */
static int test_absence_removed(void)
{
	struct attr_platform pf = {.hypervisor = 1, .exit_cost_ns = 6000};
	struct projection p;
	size_t n = make(samples, spikes, attributed, false);

	CHECK(n == RUNS * ITERS / EVERY);
	CHECK(projection_compute(samples, RUNS * ITERS, spikes, attributed, n, &pf, NULL, NULL,
				 &p) == 0);
	CHECK(p.samples == RUNS * ITERS && p.runs == RUNS && p.spikes == n);
	CHECK(p.removed_ns == n * 10000 && p.removed_part_ns[ATTR_HV_ABSENT] == n * 10000);
	CHECK(p.q[0].guest_ns == 1000 && p.q[0].proj_ns == 1000);
	CHECK(p.q[1].guest_ns == 11000 && p.q[1].proj_ns == 1000); /* p99 of 2% spikes */
	CHECK(p.q[1].proj_lo == 1000 && p.q[1].proj_hi == 1000);
	CHECK(p.q[1].guest_lo == 11000 && p.q[1].guest_hi == 11000);
	return 0;
}

/* A bare-metal exit of 1.5 us against the guest's 6 us: three quarters of the exits' time. */
static int test_exit_baseline(void)
{
	struct attr_platform pf = {.hypervisor = 1, .exit_cost_ns = 6000};
	struct projection_baseline bl = {.exit_cost_ns = 1500};
	struct projection p;
	size_t n = make(samples, spikes, attributed, true);

	CHECK(projection_compute(samples, RUNS * ITERS, spikes, attributed, n, &pf, NULL, &bl,
				 &p) == 0);
	CHECK(fabs(p.exit_share - 0.75) < 1e-9 && p.routine_share == 1);
	CHECK(p.removed_part_ns[ATTR_HV_EXITS] == n * 3000);
	CHECK(p.removed_ns == n * 9000);
	CHECK(p.q[1].proj_ns == 2000); /* 11 us less 6 us absent, less 3 of the 4 us of exits */
	/* bare metal as dear as the guest: none of it is host time; unknown guest cost: none */
	bl.exit_cost_ns = 6000;
	CHECK(projection_compute(samples, RUNS * ITERS, spikes, attributed, n, &pf, NULL, &bl,
				 &p) == 0);
	CHECK(p.exit_share == 0 && p.q[1].proj_ns == 5000);
	pf.exit_cost_ns = 0;
	CHECK(projection_compute(samples, RUNS * ITERS, spikes, attributed, n, &pf, NULL, &bl,
				 &p) == 0);
	CHECK(p.exit_share == 0);
	return 0;
}

/* The cause whose share differs most: irq (0 against 50%), not scheduling (50 against 10%). */
static int test_mechanism(void)
{
	uint64_t a[ATTR_NCAUSES] = {0}, b[ATTR_NCAUSES] = {0};
	double sa, sb;

	a[ATTR_NETWORK] = 500;
	a[ATTR_SCHEDULING] = 500;
	b[ATTR_NETWORK] = 400;
	b[ATTR_SCHEDULING] = 100;
	b[ATTR_IRQ] = 500;
	CHECK(projection_mechanism(a, b, &sa, &sb) == ATTR_IRQ);
	CHECK(sa == 0 && fabs(sb - 0.5) < 1e-12);
	memset(b, 0, sizeof(b));
	CHECK(projection_mechanism(a, b, &sa, &sb) == ATTR_NETWORK && isnan(sb));
	memset(a, 0, sizeof(a));
	CHECK(projection_mechanism(a, b, &sa, &sb) == ATTR_NCAUSES);
	return 0;
}

/*
 * Runs that differ: run r's values all (r + 1) x 100. The p50 of a resample of runs lies
 * between the smallest and the largest run's; one run gives no interval.
 */
static int test_interval_over_runs(void)
{
	double v[400], lo, hi;
	uint32_t run[400];
	struct proj_runs r;
	size_t i;

	for (i = 0; i < 400; i++) {
		run[i] = (uint32_t)(i % 4);
		v[i] = 100.0 * (run[i] + 1);
	}
	CHECK(proj_runs_build(v, run, 400, &r) == 0 && r.nruns == 4);
	CHECK(proj_runs_interval(&r, 0.5, &lo, &hi) == 0);
	CHECK(lo >= 100 && lo < 250 && hi > 250 && hi <= 400);
	proj_runs_free(&r);
	for (i = 0; i < 400; i++)
		run[i] = 7;
	CHECK(proj_runs_build(v, run, 400, &r) == 0 && r.nruns == 1);
	CHECK(proj_runs_interval(&r, 0.5, &lo, &hi) == 0 && isnan(lo) && isnan(hi));
	proj_runs_free(&r);
	return 0;
}

int main(void)
{
	static const struct check_case cases[] = {
	    CHECK_CASE(absence_removed),
	    CHECK_CASE(exit_baseline),
	    CHECK_CASE(mechanism),
	    CHECK_CASE(interval_over_runs),
	};

	return CHECK_RUN(cases);
}
