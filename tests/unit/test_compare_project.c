// SPDX-License-Identifier: MIT
/*
 * test_compare_project - compare --project on synthetic sides whose answer is known: a guest
 * whose only difference from bare metal is host time in its spikes projects onto it; one whose
 * every iteration also waits for a cross-vCPU wakeup (or an interrupt's delivery) does not, and
 * that mechanism is named (analysis/compare/compare_project.h).
 */
#include <math.h>
#include <stdint.h>
#include <string.h>

#include "analysis/compare/compare_project.h"
#include "tests/unit/check.h"

#define RUNS  6
#define ITERS 1000
#define N     (RUNS * ITERS)
#define EVERY 50 /* 2% spikes: p99 lies among them */
#define US    1000

static struct trace_sample sa[N], sb[N];
static struct mech_window wa[N], wb[N];
static struct spike sp[N / EVERY];
static struct attr_spike as[N / EVERY];

/* base - a run's level (runs differ by 100 ns each) and 10 ns of scatter within it. */
static uint64_t base(size_t i)
{
	return 20 * US + (i / ITERS) * 100 + (i % 10) * 10;
}

/* make_b - bare metal: every iteration at its base, no mechanism time. */
static void make_b(void)
{
	size_t i;

	memset(wb, 0, sizeof(wb));
	for (i = 0; i < N; i++)
		sb[i] = (struct trace_sample){
		    .latency_ns = base(i), .run = (uint32_t)(i / ITERS), .iteration = i % ITERS};
}

/*
 * make_a - the guest: every iteration its base plus @extra ns of mechanism @kind (none for
 * MECH_NIV), every EVERYth one 30 us longer, all of it a vCPU absence the spike's attribution
 * proves. Returns its spikes.
 */
static size_t make_a(unsigned int kind, uint32_t extra)
{
	size_t i, k = 0;

	memset(wa, 0, sizeof(wa));
	for (i = 0; i < N; i++) {
		sa[i] = (struct trace_sample){.latency_ns = base(i) + (kind < MECH_NIV ? extra : 0),
					      .run = (uint32_t)(i / ITERS),
					      .iteration = i % ITERS};
		if (kind < MECH_NIV)
			wa[i].ns[kind] = extra;
		if (i % EVERY != EVERY / 2)
			continue;
		sa[i].latency_ns += 30 * US;
		wa[i].ns[MECH_ABSENCE] = 30 * US;
		sp[k] = (struct spike){.sample = (uint32_t)i, .excess_ns = 30 * US};
		memset(&as[k], 0, sizeof(as[k]));
		as[k].causes_ns[ATTR_HYPERVISOR] = 30 * US;
		as[k++].hv_ns[ATTR_HV_ABSENT] = 30 * US;
	}
	return k;
}

/* project - cmp_project of A (its @nsp spikes) against B with compare's default rule. */
static int project(size_t nsp, struct cmp_proj_result *r)
{
	struct attr_platform pf = {.hypervisor = 1};
	struct projection_in in = {
	    .samples = sa, .win = wa, .n = N, .sp = sp, .as = as, .nsp = nsp, .pf = &pf};
	struct cmp_mech_side b = {sb, wb, N};
	struct compare_opts o;

	compare_opts_default(&o);
	return cmp_project(&in, NULL, &b, &o, 50, r);
}

/* The host time is all in the spikes: the projection is B, at p50, p99 and p99.9: same. */
static int test_matches(void)
{
	struct cmp_proj_result r;
	size_t k;

	make_b();
	CHECK(project(make_a(MECH_NIV, 0), &r) == 0);
	EXPECT(r.proj.spikes == N / EVERY && r.proj.removed_ns == (uint64_t)(N / EVERY) * 30 * US);
	EXPECT(r.proj.q[1].guest_ns > 49 * US && r.proj.q[1].proj_ns < 21 * US);
	EXPECT(r.test.run.decided && r.test.verdict == COMPARE_SAME);
	for (k = 0; k < PROJ_NQ; k++)
		EXPECT_NEAR(
		    r.test.run.effects[k == 0	? COMPARE_P50
				       : k == 1 ? COMPARE_P99
						: COMPARE_P999]
			.effect,
		    0, 1e-6);
	EXPECT(r.decomposed && r.missing[0] == MECH_NIV); /* nothing differs: nothing missing */
	EXPECT_NEAR(r.mech[1].mech[MECH_ABSENCE].ns, 0, 1e-6); /* the windows lost it too */
	return T_EXIT_PASS;
}

/*
 * Every iteration of A also waits 8 us for a cross-vCPU wakeup, which no attribution calls host
 * time: the projection stays 8 us above B at p50 and p99 (a shift), all of it that wakeup.
 */
static int test_wakeup_missing(void)
{
	struct cmp_proj_result r;

	make_b();
	CHECK(project(make_a(MECH_WAKEUP_CROSS, 8 * US), &r) == 0);
	EXPECT(r.test.verdict == COMPARE_SHIFT);
	EXPECT_NEAR(r.test.run.effects[COMPARE_P50].effect, 8 * US, 1e-6);
	EXPECT(r.test.run.effects[COMPARE_P50].differs && r.test.run.effects[COMPARE_P99].differs);
	EXPECT(r.missing[0] == MECH_WAKEUP_CROSS && r.missing[1] == MECH_WAKEUP_CROSS);
	EXPECT_NEAR(r.mech[0].mech[MECH_WAKEUP_CROSS].ns, 8 * US, 1e-6);
	EXPECT_NEAR(r.mech[0].unexplained.ns, 0, 1e-6);
	EXPECT(!cmp_proj_host(r.missing[0]));
	return T_EXIT_PASS;
}

/* The same 8 us as an interrupt's delivery: host time, but in ordinary iterations: left in. */
static int test_delivery_left_in(void)
{
	struct cmp_proj_result r;

	make_b();
	CHECK(project(make_a(MECH_IRQ_DELIVERY, 8 * US), &r) == 0);
	EXPECT(r.missing[0] == MECH_IRQ_DELIVERY && cmp_proj_host(r.missing[0]));
	EXPECT_NEAR(r.mech[0].mech[MECH_IRQ_DELIVERY].ns, 8 * US, 1e-6);
	return T_EXIT_PASS;
}

/* The part in the total's direction, the largest; none when every part opposes it. */
static int test_missing_direction(void)
{
	struct cmp_mech_result r;

	memset(&r, 0, sizeof(r));
	r.total.ns = -10 * US;
	r.mech[MECH_WAKEUP_SAME].ns = 6 * US;
	r.mech[MECH_IRQ_DELIVERY].ns = -12 * US;
	r.mech[MECH_PAGE_FAULT].ns = -3 * US;
	EXPECT(cmp_proj_missing(&r) == MECH_IRQ_DELIVERY);
	r.total.ns = 10 * US;
	EXPECT(cmp_proj_missing(&r) == MECH_WAKEUP_SAME);
	r.mech[MECH_WAKEUP_SAME].ns = 0;
	EXPECT(cmp_proj_missing(&r) == MECH_NIV);
	r.total.ns = 0;
	EXPECT(cmp_proj_missing(&r) == MECH_NIV);
	r.total.ns = NAN;
	EXPECT(cmp_proj_missing(&r) == MECH_NIV);
	return T_EXIT_PASS;
}

int main(void)
{
	static const struct check_case cases[] = {
	    CHECK_CASE(matches),
	    CHECK_CASE(wakeup_missing),
	    CHECK_CASE(delivery_left_in),
	    CHECK_CASE(missing_direction),
	};

	return CHECK_RUN(cases);
}
