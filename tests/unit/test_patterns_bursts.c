// SPDX-License-Identifier: MIT
/*
 * test_patterns_bursts - a flush line among bursts of other spikes (issue 9.6): the line is
 * reported once, at its own period, not as lines of a multiple of it, nor lost.
 */
#include <math.h>
#include <stdint.h>

#include "tests/unit/check.h"
#include "tests/unit/synth_patterns.h"

#define MAX_RUNS   5
#define MAX_BURSTS 20

/* per run: where each burst of other spikes starts, how long it lasts, how many there are */
static uint32_t burst_start[MAX_RUNS][MAX_BURSTS], burst_len[MAX_RUNS][MAX_BURSTS];
static uint32_t nbursts[MAX_RUNS];
static double burst_density; /* share of a burst's iterations that spike */

static double base(void)
{
	return 100 + 5 * synth_normal();
}

/* in_burst - whether iteration @it of @run falls in a burst and spikes there. */
static bool in_burst(uint32_t run, uint32_t it)
{
	uint32_t b;

	for (b = 0; b < nbursts[run]; b++)
		if (it - burst_start[run][b] < burst_len[run][b])
			return burst_density >= 1 || synth_uniform() < burst_density;
	return false;
}

/*
 * Page faults in bursts: per run, 20 bursts of 10 to 70 iterations in which 70% are 3 us fault
 * spikes, and a 40 us flush every 256 iterations (phase 100 in every run).
 */
static double faults_latency(uint32_t run, uint32_t it)
{
	if (it % 256 == 100)
		return 40000 + 1000 * synth_normal();
	return in_burst(run, it) ? 3000 + 500 * synth_uniform() : base();
}

static void make_fault_bursts(uint32_t runs, uint32_t iters)
{
	uint32_t r, b;

	burst_density = 0.7;
	for (r = 0; r < runs; r++) {
		nbursts[r] = MAX_BURSTS;
		for (b = 0; b < MAX_BURSTS; b++) {
			burst_start[r][b] = (uint32_t)(synth_uniform() * iters);
			burst_len[r][b] = 10 + (uint32_t)(synth_uniform() * 60);
		}
	}
}

/* burst_case - a flush line among bursts: how the data are made and what must be found. */
struct burst_case {
	uint32_t iterations; /* per run, of 5 runs */
	void (*make)(uint32_t runs, uint32_t iters);
	synth_latency_fn latency;
	size_t min_spikes;  /* the bursts make this many spikes at least */
	double phase;	    /* of the flush, in every run */
	size_t min_support; /* flushes the line must hold */
};

/* check_seeds - for seeds 1 .. @seeds: one line only, of period 256 at the flush's phase. */
static int check_seeds(const struct burst_case *bc, uint64_t seeds)
{
	struct patterns p;
	uint64_t seed;

	for (seed = 1; seed <= seeds; seed++) {
		synth_seed(seed);
		bc->make(5, bc->iterations);
		CHECK(synth_find(5, bc->iterations, bc->latency, &p) == 0);
		CHECK(p.nspikes >= bc->min_spikes);
		CHECK(p.nlines == 1);
		CHECK(fabs(p.lines[0].period - 256) < 0.05);
		CHECK(p.lines[0].same_phase && fabs(p.lines[0].phase - bc->phase) <= 1);
		CHECK(p.lines[0].hit_rate > 0.95 && p.lines[0].support >= bc->min_support);
	}
	return 0;
}

/* Without the fundamental step: one line of 512 with ~108 of the ~195 flushes. */
static int test_flush_among_fault_bursts(void)
{
	static const struct burst_case bc = {10000, make_fault_bursts, faults_latency, 2000, 100,
					     195};

	return check_seeds(&bc, 3);
}

/*
 * KSM merged the identical pages of a 1 MiB stdio buffer that 4 KiB lines fill, one page per
 * put: after each merge, every put of the next fill takes a copy-on-write fault (30 us here), a
 * burst of 256 spikes in a row, at times of KSM's choosing; run 0 first touches the buffer. The
 * flush, 170 us, every 256 puts at iteration 156. On this guest (docs/patterns.md) the lines
 * came out as three of 1280, or as none.
 */
static double merges_latency(uint32_t run, uint32_t it)
{
	if (it % 256 == 156)
		return 170000 + 5000 * synth_normal();
	if (in_burst(run, it))
		return 30000 + 2000 * synth_normal();
	return 190 + 5 * synth_normal();
}

static void make_merge_bursts(uint32_t runs, uint32_t iters)
{
	uint32_t r, b;

	burst_density = 1;
	for (r = 0; r < runs; r++) {
		nbursts[r] = (uint32_t)(synth_uniform() * 5);
		for (b = 0; b < nbursts[r]; b++) {
			burst_start[r][b] = (uint32_t)(synth_uniform() * iters);
			burst_len[r][b] = 256;
		}
	}
	burst_start[0][nbursts[0]] = 0;
	burst_len[0][nbursts[0]++] = 1024;
}

/*
 * Without the fundamental step: four lines of a multiple in every seed; with the best line
 * divided by 2..8: three lines of 768 (seed 4), two of 512 (seed 9).
 */
static int test_flush_among_merges(void)
{
	static const struct burst_case bc = {30000, make_merge_bursts, merges_latency, 1000,
					     156,   5 * 117 - 10};

	return check_seeds(&bc, 10);
}

int main(void)
{
	static const struct check_case cases[] = {
	    CHECK_CASE(flush_among_fault_bursts),
	    CHECK_CASE(flush_among_merges),
	};

	return CHECK_RUN(cases);
}
