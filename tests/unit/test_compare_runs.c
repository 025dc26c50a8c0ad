// SPDX-License-Identifier: MIT
/*
 * test_compare_runs - the run-level verdict on synthetic clustered latencies whose answer is
 * known: runs that drift from one another (the same configuration: same, though the pooled
 * iterations differ), a constant added (shift), every latency times 1.5 (scale), a jitter tail
 * or a CPU hog's far tail added (shape), a trace against itself, too few runs (blocks), too
 * few samples (none); and Student's t quantiles and the Welch interval against hand-computed
 * values.
 */
#include <errno.h>
#include <math.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include "analysis/compare/compare.h"
#include "tests/unit/check.h"

#define RUNS	8
#define PER_RUN 2000
#define N	(RUNS * PER_RUN)

/* The two traces of the case running: latencies and runs, A's and B's. */
static double lat_a[N], lat_b[N];
static uint32_t run_a[N], run_b[N];

/* xorshift64* - deterministic draws: every run of the test sees the same samples. */
static double uniform(uint64_t *s)
{
	*s ^= *s >> 12;
	*s ^= *s << 25;
	*s ^= *s >> 27;
	return ((*s * 2685821657736338717ULL) >> 11) * (1.0 / 9007199254740992.0) + 1e-17;
}

static double normal(uint64_t *s)
{
	return sqrt(-2.0 * log(uniform(s))) * cos(2.0 * M_PI * uniform(s));
}

/*
 * ring_runs - RUNS runs of PER_RUN round trips shaped like a ring's: each run has its own level
 * (50 us + a drift of sd 2 us: its CPUs and host placement), 1 us of noise, and 3% of the
 * samples in a tail 20-120 us up. @run gets each sample's run.
 */
static void ring_runs(double *v, uint32_t *run, uint64_t seed)
{
	double level = 0;
	size_t i;

	for (i = 0; i < N; i++) {
		if (i % PER_RUN == 0)
			level = 50000 + 2000 * normal(&seed);
		run[i] = (uint32_t)(i / PER_RUN);
		v[i] = level + 1000 * normal(&seed);
		if (uniform(&seed) < 0.03)
			v[i] += 20000 + 100000 * uniform(&seed);
	}
}

/* ring_pair - A from @seed, B from @seed + 1 with every latency times @times plus @add_ns. */
static void ring_pair(uint64_t seed, double times, double add_ns)
{
	size_t i;

	ring_runs(lat_a, run_a, seed);
	ring_runs(lat_b, run_b, seed + 1);
	for (i = 0; i < N; i++)
		lat_b[i] = lat_b[i] * times + add_ns;
}

/* compare_of - the first @n samples of A and B, with their runs or (@runs false) as one run. */
static int compare_of(size_t n, bool runs, struct compare_result *r)
{
	struct compare_opts o;

	compare_opts_default(&o);
	return compare_samples(lat_a, runs ? run_a : NULL, n, lat_b, runs ? run_b : NULL, n, &o, r);
}

static int test_t_quantile(void)
{
	/* reference values: the t tables (R's qt) */
	EXPECT_NEAR(compare_t_quantile(0.995, 1), 63.65674, 1e-4);
	EXPECT_NEAR(compare_t_quantile(0.995, 2), 9.924843, 1e-5);
	EXPECT_NEAR(compare_t_quantile(0.995, 5), 4.032143, 1e-5);
	EXPECT_NEAR(compare_t_quantile(0.975, 10), 2.228139, 1e-5);
	EXPECT_NEAR(compare_t_quantile(0.975, 4), 2.776445, 1e-5);
	EXPECT_NEAR(compare_t_quantile(0.995, 1000), 2.580755, 1e-5);
	EXPECT_NEAR(compare_t_quantile(0.995, 100000), 2.580755, 1e-5); /* as 1000 */
	EXPECT_NEAR(compare_t_quantile(0.5, 7), 0.0, 1e-9);
	EXPECTF(isnan(compare_t_quantile(0.4, 3)), "p 0.4 accepted");
	EXPECTF(isnan(compare_t_quantile(0.99, 0)), "nu 0 accepted");
	return T_EXIT_PASS;
}

/*
 * Welch by hand: means 2 and 5.5, variances 1 and 5/3, se^2 = 1/3 + 5/12 = 0.75, df 4.96
 * rounded down to 4, t(0.975, 4) = 2.776445: 3.5 +- 2.404.
 */
static int test_welch(void)
{
	const double x[] = {1, 2, 3}, y[] = {4, 5, 6, 7};
	struct compare_effect e;

	CHECK(compare_welch(x, 3, y, 4, 0.05, &e) == 0);
	EXPECT_NEAR(e.a, 2.0, 1e-12);
	EXPECT_NEAR(e.effect, 3.5, 1e-12);
	EXPECTF(e.df == 4, "df %u, want 4", e.df);
	EXPECT_NEAR(e.high - e.effect, 2.776445 * sqrt(0.75), 1e-5);
	EXPECT_NEAR(e.effect - e.low, 2.776445 * sqrt(0.75), 1e-5);
	EXPECTF(compare_welch(x, 1, y, 4, 0.05, &e) == -EINVAL, "one value accepted");
	return T_EXIT_PASS;
}

/*
 * Twenty pairs of the same configuration whose runs drift: at least 18 are the same (the
 * target is 90%), though the pooled iterations differ in most (what the old verdict read).
 */
static int test_same_with_drift(void)
{
	struct compare_result r;
	int pair, same = 0, pooled_differs = 0;

	for (pair = 0; pair < 20; pair++) {
		ring_pair(100 + 2 * pair, 1.0, 0);
		CHECK(compare_of(N, true, &r) == 0);
		same += r.verdict == COMPARE_SAME;
		pooled_differs += r.tests[COMPARE_RAW].differs;
		EXPECTF(!r.run.blocks && r.run.clusters_a == RUNS && r.run.clusters_b == RUNS,
			"pair %d: %zu and %zu clusters, blocks %d", pair, r.run.clusters_a,
			r.run.clusters_b, r.run.blocks);
	}
	EXPECTF(same >= 18, "%d of 20 same-configuration pairs are the same, want >= 18", same);
	EXPECTF(pooled_differs >= 10, "the pooled test differs in %d of 20: the case is too easy",
		pooled_differs);
	return T_EXIT_PASS;
}

/*
 * A known cause on every sample of B: 50 us added is a shift whose p50 interval holds 50 us; every
 * latency times 1.5 is a scale, found by the tail width p99-p50 growing with it.
 */
static int test_known_causes(void)
{
	static const struct {
		uint64_t seed;
		double times, add_ns;
		enum compare_verdict want;
		enum compare_figure moved; /* a figure whose interval holds what was added */
	} causes[] = {
	    {1, 1.0, 50000, COMPARE_SHIFT, COMPARE_P50},
	    {3, 1.5, 0, COMPARE_SCALE, COMPARE_TAIL99},
	};
	const struct compare_effect *e;
	struct compare_result r;
	double want;
	size_t c;

	for (c = 0; c < sizeof(causes) / sizeof(causes[0]); c++) {
		ring_pair(causes[c].seed, causes[c].times, causes[c].add_ns);
		CHECK(compare_of(N, true, &r) == 0);
		EXPECTF(r.verdict == causes[c].want, "x%g + %g ns: verdict %s, want %s",
			causes[c].times, causes[c].add_ns, compare_verdict_name(r.verdict),
			compare_verdict_name(causes[c].want));
		e = &r.run.effects[causes[c].moved];
		want = e->a * (causes[c].times - 1) + causes[c].add_ns;
		EXPECTF(e->differs && e->low < want && e->high > want,
			"%s: interval %g..%g misses the %g ns put in",
			compare_figure_name(causes[c].moved), e->low, e->high, want);
	}
	return T_EXIT_PASS;
}

/*
 * Tails neither a constant nor a factor makes: 15% of B's samples 5-45 us later (jitter), and
 * what a busy loop on a ring's CPU did here: the body 1 us faster (the vCPU never idles) and
 * 0.3% of the samples 1.5-3.5 ms later (the hog's time slice). Both shape.
 */
static int test_shape(void)
{
	static const struct {
		double share, from_ns, span_ns, body_ns;
	} tails[] = {
	    {0.15, 5000, 40000, 0},
	    {0.003, 1500000, 2000000, -1000},
	};
	struct compare_result r;
	uint64_t seed = 77;
	size_t t, i;

	for (t = 0; t < sizeof(tails) / sizeof(tails[0]); t++) {
		ring_pair(5 + 2 * t, 1.0, tails[t].body_ns);
		for (i = 0; i < N; i++) {
			if (uniform(&seed) < tails[t].share)
				lat_b[i] += tails[t].from_ns + tails[t].span_ns * uniform(&seed);
		}
		CHECK(compare_of(N, true, &r) == 0);
		EXPECTF(r.verdict == COMPARE_SHAPE, "tail %zu: verdict %s, want shape", t,
			compare_verdict_name(r.verdict));
	}
	return T_EXIT_PASS;
}

/* A trace against itself: every effect and interval end exactly 0 or symmetric, the same. */
static int test_self(void)
{
	struct compare_result r;
	int f;

	ring_pair(9, 1.0, 0);
	memcpy(lat_b, lat_a, sizeof(lat_b));
	memcpy(run_b, run_a, sizeof(run_b));
	CHECK(compare_of(N, true, &r) == 0);
	EXPECTF(r.verdict == COMPARE_SAME, "verdict %s, want same",
		compare_verdict_name(r.verdict));
	for (f = 0; f < COMPARE_NFIGURES; f++) {
		EXPECT_NEAR(r.run.effects[f].effect, 0, 0);
		EXPECT_NEAR(r.run.effects[f].low, -r.run.effects[f].high, 1e-9);
		EXPECTF(r.run.effects[f].high > 0, "%s: interval width %g, want > 0",
			compare_figure_name(f), r.run.effects[f].high);
	}
	return T_EXIT_PASS;
}

/*
 * Two runs a side are too few for a spread: blocks of consecutive iterations stand in (4 per
 * run, 8 a side), and the rule says so. 30 samples in one run make one block: no verdict.
 */
static int test_blocks_and_none(void)
{
	struct compare_result r;
	char rule[1024];

	ring_pair(11, 1.0, 0);
	CHECK(compare_of(2 * PER_RUN, true, &r) == 0);
	EXPECTF(r.run.blocks && r.run.runs_a == 2 && r.run.clusters_a == 8 && r.run.clusters_b == 8,
		"blocks %d, runs %zu, clusters %zu and %zu", r.run.blocks, r.run.runs_a,
		r.run.clusters_a, r.run.clusters_b);
	compare_rule(&r, 0.01, rule, sizeof(rule));
	EXPECTF(strstr(rule, "blocks of consecutive iterations stand in for runs"), "rule: %s",
		rule);
	CHECK(compare_of(30, false, &r) == 0);
	EXPECTF(r.verdict == COMPARE_NONE && !r.run.decided, "30 samples: verdict %s",
		compare_verdict_name(r.verdict));
	compare_rule(&r, 0.01, rule, sizeof(rule));
	EXPECTF(!strncmp(rule, "none: ", 6), "rule: %s", rule);
	return T_EXIT_PASS;
}

/*
 * The JSON of a shift: "rule" names it and the constant, "run_level" has the runs and every
 * effect; the p50 effect differs, the tail widths do not.
 */
static int test_json(void)
{
	struct json_object *probe = json_object_new_object(), *rl, *eff, *p50, *w99;
	struct compare_result r;
	struct compare_opts o;
	const char *rule;

	ring_pair(13, 1.0, 30000);
	compare_opts_default(&o);
	CHECK(compare_samples(lat_a, run_a, N, lat_b, run_b, N, &o, &r) == 0);
	compare_result_json(&r, &o, probe);
	rule = json_object_get_string(json_object_object_get(probe, "rule"));
	EXPECTF(rule && !strncmp(rule, "shift: p50 +", 12) && strstr(rule, "one constant"),
		"rule: %s", rule ? rule : "(none)");
	rl = json_object_object_get(probe, "run_level");
	eff = json_object_object_get(rl, "effects");
	p50 = json_object_object_get(eff, "p50_ns");
	w99 = json_object_object_get(eff, "tail99_ns");
	EXPECT(!strcmp(json_object_get_string(json_object_object_get(rl, "clusters")), "runs"));
	EXPECT(json_object_get_boolean(json_object_object_get(p50, "differs")));
	EXPECT(!json_object_get_boolean(json_object_object_get(w99, "differs")));
	EXPECT_NEAR(json_object_get_double(json_object_object_get(p50, "effect")), 30000, 3000);
	EXPECT(json_object_object_length(eff) == COMPARE_NFIGURES);
	json_object_put(probe);
	return T_EXIT_PASS;
}

/*
 * A null probe on a 10 ns timer: runs whose p99 is 90 ns against runs whose p99 is 100 ns
 * moved by one step, which is no difference (the margin is at least the resolution).
 */
static int test_timer_step(void)
{
	struct compare_result r;
	size_t i;

	for (i = 0; i < N; i++) {
		run_a[i] = run_b[i] = (uint32_t)(i / PER_RUN);
		lat_a[i] = i % 50 ? 80 : 90;
		lat_b[i] = i % 50 ? 80 : 100;
	}
	CHECK(compare_of(N, true, &r) == 0);
	EXPECTF(r.verdict == COMPARE_SAME, "verdict %s, want same",
		compare_verdict_name(r.verdict));
	return T_EXIT_PASS;
}

int main(void)
{
	static const struct check_case cases[] = {
	    CHECK_CASE(t_quantile),	 CHECK_CASE(welch), CHECK_CASE(same_with_drift),
	    CHECK_CASE(known_causes),	 CHECK_CASE(shape), CHECK_CASE(self),
	    CHECK_CASE(blocks_and_none), CHECK_CASE(json),  CHECK_CASE(timer_step),
	};

	return CHECK_RUN(cases);
}
