// SPDX-License-Identifier: MIT
/* test_projection - the host-free projection on synthetic spikes with known host time. */
#include <errno.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
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

/* input - the samples above with @n spikes, on platform @pf. */
static struct projection_in input(size_t n, const struct attr_platform *pf)
{
	return (struct projection_in){.samples = samples,
				      .n = RUNS * ITERS,
				      .sp = spikes,
				      .as = attributed,
				      .nsp = n,
				      .pf = pf};
}

/* The host's whole excess comes out: the projection is the flat 1 us, the guest's p99 is not. */
static int test_absence_removed(void)
{
	struct attr_platform pf = {.hypervisor = 1, .exit_cost_ns = 6000};
	struct projection p;
	size_t n = make(samples, spikes, attributed, false);

	struct projection_in in = input(n, &pf);

	CHECK(n == RUNS * ITERS / EVERY);
	CHECK(projection_compute(&in, NULL, &p) == 0);
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
	struct projection_in in = input(n, &pf);

	CHECK(projection_compute(&in, &bl, &p) == 0);
	CHECK(fabs(p.exit_share - 0.75) < 1e-9 && p.routine_share == 1);
	CHECK(p.removed_part_ns[ATTR_HV_EXITS] == n * 3000);
	CHECK(p.removed_ns == n * 9000);
	CHECK(p.q[1].proj_ns == 2000); /* 11 us less 6 us absent, less 3 of the 4 us of exits */
	/* bare metal as dear as the guest: none of it is host time; unknown guest cost: none */
	bl.exit_cost_ns = 6000;
	CHECK(projection_compute(&in, &bl, &p) == 0);
	CHECK(p.exit_share == 0 && p.q[1].proj_ns == 5000);
	pf.exit_cost_ns = 0;
	CHECK(projection_compute(&in, &bl, &p) == 0);
	CHECK(p.exit_share == 0);
	return 0;
}

/*
 * The windows lose the host time that is an interval of the trace: a spike's 6 us absence and
 * 3 us of deliveries (2 beyond the routine, 2 routine at a baseline that makes half of it host
 * time) come out of its 8 us absence and of its 2 us interrupt delivery and then 5 us timer
 * lateness; its 4 us of exits come out of the latency only.
 */
static int test_windows_less(void)
{
	struct trace_sample s[2] = {{.latency_ns = 1000}, {.latency_ns = 20000}};
	struct mech_window w[2] = {{.ns = {[MECH_IRQ_DELIVERY] = 700}}, {.ns = {0}}};
	struct spike sp = {.sample = 1, .latency_ns = 20000, .excess_ns = 19000};
	struct attr_spike as = {.hv_ns = {[ATTR_HV_ABSENT] = 6000,
					  [ATTR_HV_DELIVERY] = 2000,
					  [ATTR_HV_DELIVERY_ROUTINE] = 2000,
					  [ATTR_HV_EXITS] = 4000}};
	struct projection p = {.exit_share = 1, .routine_share = 0.5};

	w[1].ns[MECH_ABSENCE] = 8000;
	w[1].ns[MECH_IRQ_DELIVERY] = 2000;
	w[1].ns[MECH_TIMER_LATENESS] = 5000;
	w[1].ns[MECH_WAKEUP_CROSS] = 3000;
	projection_apply(s, 2, w, &sp, &as, 1, NULL, &p);
	CHECK(p.spikes == 1 && p.removed_ns == 6000 + 2000 + 1000 + 4000);
	CHECK(s[0].latency_ns == 1000 && s[1].latency_ns == 20000 - 13000);
	CHECK(w[0].ns[MECH_IRQ_DELIVERY] == 700); /* not a spike: untouched */
	CHECK(w[1].ns[MECH_ABSENCE] == 2000 && w[1].ns[MECH_IRQ_DELIVERY] == 0);
	CHECK(w[1].ns[MECH_TIMER_LATENESS] == 4000 && w[1].ns[MECH_WAKEUP_CROSS] == 3000);
	return 0;
}

/* A baseline from the command line: strict, each item once, every error names the item. */
static int test_baseline_parse(void)
{
	static const char *const bad[] = {
	    "",	       "exit",		"exit=",   "exit=5x",  "exit=0",
	    "exit=2s", "exit=-1",	"exit= 5", "exit=1e3", "ipi=1,",
	    "foo=1",   "exit=1,exit=2", ",ipi=1",  "EXIT=1",   "exit=1us,ipi=1us,x=1"};
	struct projection_baseline bl;
	char err[128];
	size_t i;

	CHECK(projection_baseline_parse("exit=1500,ipi=2us", &bl, err, sizeof(err)) == 0);
	CHECK(bl.exit_cost_ns == 1500 && bl.ipi_normal_ns == 2000);
	CHECK(projection_baseline_parse("ipi=900ns", &bl, err, sizeof(err)) == 0);
	CHECK(bl.exit_cost_ns == 0 && bl.ipi_normal_ns == 900);
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		err[0] = 0;
		CHECK(projection_baseline_parse(bad[i], &bl, err, sizeof(err)) == -EINVAL);
		CHECK(err[0] && bl.exit_cost_ns == 0 && bl.ipi_normal_ns == 0);
	}
	projection_baseline_parse("exit=1,exit=2", &bl, err, sizeof(err));
	CHECK(strstr(err, "'exit' is given twice") != NULL);
	projection_baseline_parse("exit=0", &bl, err, sizeof(err));
	CHECK(strstr(err, "out of range") != NULL);
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
	    CHECK_CASE(absence_removed), CHECK_CASE(exit_baseline),	 CHECK_CASE(windows_less),
	    CHECK_CASE(baseline_parse),	 CHECK_CASE(interval_over_runs),
	};

	return CHECK_RUN(cases);
}
