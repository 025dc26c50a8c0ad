// SPDX-License-Identifier: MIT
/*
 * test_compare_mechanisms - the decomposition of a quantile's difference into mechanisms, on
 * synthetic sides whose contributions are known (analysis/compare/compare_mechanisms.h).
 */
#include <errno.h>
#include <stdint.h>
#include <string.h>

#include "analysis/compare/compare_mechanisms.h"
#include "tests/unit/check.h"

#define N   1000
#define US  1000.0
#define RUN 100 /* iterations per run: 10 runs, resampled by runs */

static struct trace_sample sa[N], sb[N];
static struct mech_window wa[N], wb[N];

/* side - A's latencies: 100 us + (i % 10) x 100 ns, no mechanism time; runs of RUN. */
static void side(struct trace_sample *s, struct mech_window *w)
{
	size_t i;

	memset(w, 0, N * sizeof(*w));
	for (i = 0; i < N; i++)
		s[i] = (struct trace_sample){.latency_ns = 100000 + (i % 10) * 100,
					     .run = (uint32_t)(i / RUN),
					     .iteration = (uint32_t)(i % RUN)};
}

/*
 * B is A 30 us slower everywhere, of which 20 us cross-vCPU wakeup and 10 us timer lateness:
 * at p50 and p99 the difference is +30 us, the wakeup +20, the timer +10, nothing unexplained,
 * and every resample says the same.
 */
static int test_everywhere(void)
{
	struct cmp_mech_side a = {sa, wa, N}, b = {sb, wb, N};
	struct cmp_mech_result r;
	size_t i;

	side(sa, wa);
	side(sb, wb);
	for (i = 0; i < N; i++) {
		sb[i].latency_ns += 30000;
		wb[i].ns[MECH_WAKEUP_CROSS] = 20000;
		wb[i].ns[MECH_TIMER_LATENESS] = 10000;
	}
	CHECK(cmp_mech_decompose(&a, &b, 0.5, CMP_MECH_REPS, &r) == 0);
	EXPECT(r.na == N && r.nb == N && r.by_runs);
	EXPECT_NEAR(r.total.ns, 30 * US, 1e-6);
	EXPECT_NEAR(r.mech[MECH_WAKEUP_CROSS].ns, 20 * US, 1e-6);
	EXPECT_NEAR(r.mech[MECH_TIMER_LATENESS].ns, 10 * US, 1e-6);
	EXPECT_NEAR(r.mech[MECH_ABSENCE].ns, 0, 1e-6);
	EXPECT_NEAR(r.unexplained.ns, 0, 1e-6);
	EXPECT_NEAR(r.mech[MECH_WAKEUP_CROSS].lo, 20 * US, 1e-6);
	EXPECT_NEAR(r.mech[MECH_WAKEUP_CROSS].hi, 20 * US, 1e-6);
	EXPECT(r.total.lo <= r.total.ns && r.total.ns <= r.total.hi);
	CHECK(cmp_mech_decompose(&a, &b, 0.99, CMP_MECH_REPS, &r) == 0);
	EXPECT_NEAR(r.total.ns, 30 * US, 1e-6);
	EXPECT_NEAR(r.mech[MECH_WAKEUP_CROSS].ns, 20 * US, 1e-6);
	EXPECT_NEAR(r.unexplained.ns, 0, 1e-6);
	return T_EXIT_PASS;
}

/*
 * B is A but every 50th iteration (2%, all of them 100.0 us in A) lost its vCPU for 500 us:
 * B's p99 (ranks 989 and 990 of 1000) is 600.0 us, A's 100.9 us: +499.1 us, of which the
 * absence +500 (every iteration within p99 -+ 0.5% of B is one of them) and -0.9 unexplained.
 * The p50 moved by 50 ns (B's p50 is 100.5 us, A's 100.45) and no mechanism moved it.
 */
static int test_tail_only(void)
{
	struct cmp_mech_side a = {sa, wa, N}, b = {sb, wb, N};
	struct cmp_mech_result r;
	size_t i;

	side(sa, wa);
	side(sb, wb);
	for (i = 0; i < N; i += 50) {
		sb[i].latency_ns += 500000;
		wb[i].ns[MECH_ABSENCE] = 500000;
	}
	CHECK(cmp_mech_decompose(&a, &b, 0.99, 0, &r) == 0);
	EXPECT_NEAR(r.total.ns, 499.1 * US, 1e-6);
	EXPECT_NEAR(r.mech[MECH_ABSENCE].ns, 500 * US, 1e-6);
	EXPECT_NEAR(r.unexplained.ns, -0.9 * US, 1e-6);
	CHECK(cmp_mech_decompose(&a, &b, 0.5, 0, &r) == 0);
	EXPECT_NEAR(r.total.ns, 50, 1e-6);
	EXPECT_NEAR(r.mech[MECH_ABSENCE].ns, 0, 1e-6);
	EXPECT_NEAR(r.unexplained.ns, 50, 1e-6);
	return T_EXIT_PASS;
}

/*
 * Resampling: with the slow iterations all in run 0 of B, a resample that leaves run 0 out has
 * no absence at p99, so the interval of the absence's contribution reaches down to 0 while the
 * estimate stays at its full value; with 2 runs a side is resampled in blocks instead.
 */
static int test_resampling(void)
{
	struct cmp_mech_side a = {sa, wa, N}, b = {sb, wb, N};
	struct cmp_mech_result r;
	size_t i;

	side(sa, wa);
	side(sb, wb);
	for (i = 0; i < 20; i++) {
		sb[i].latency_ns += 500000;
		wb[i].ns[MECH_ABSENCE] = 500000;
	}
	CHECK(cmp_mech_decompose(&a, &b, 0.99, CMP_MECH_REPS, &r) == 0);
	EXPECT_NEAR(r.mech[MECH_ABSENCE].ns, 500 * US, 1e-6);
	EXPECT_NEAR(r.mech[MECH_ABSENCE].lo, 0, 1e-6);
	EXPECT_NEAR(r.mech[MECH_ABSENCE].hi, 500 * US, 1e-6);
	for (i = 0; i < N; i++)
		sa[i].run = sb[i].run = (uint32_t)(i / 500);
	CHECK(cmp_mech_decompose(&a, &b, 0.99, CMP_MECH_REPS, &r) == 0);
	EXPECT(!r.by_runs);
	return T_EXIT_PASS;
}

/* The neighbourhood: 2.5% of the ranks at the median, 0.5% at p99; no good sample: -EINVAL. */
static int test_band_and_bad(void)
{
	struct cmp_mech_side a = {sa, wa, N}, b = {sb, wb, N};
	struct cmp_mech_result r;
	size_t i;

	EXPECT_NEAR(cmp_mech_band(0.5), 0.025, 1e-12);
	EXPECT_NEAR(cmp_mech_band(0.99), 0.005, 1e-12);
	side(sa, wa);
	side(sb, wb);
	for (i = 0; i < N; i++)
		sb[i].flags = TRACE_SAMPLE_BAD;
	EXPECT(cmp_mech_decompose(&a, &b, 0.5, 10, &r) == -EINVAL);
	return T_EXIT_PASS;
}

int main(void)
{
	static const struct check_case cases[] = {
	    CHECK_CASE(everywhere),
	    CHECK_CASE(tail_only),
	    CHECK_CASE(resampling),
	    CHECK_CASE(band_and_bad),
	};

	return CHECK_RUN(cases);
}
