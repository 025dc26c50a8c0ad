// SPDX-License-Identifier: MIT
/*
 * test_attribution_grid - moments on a grid of wall time found with their period, the longest
 * that holds; random moments, too few, or a period too short to tell from random, are not.
 */
#include <stdint.h>
#include <stdlib.h>

#include "analysis/attribution/attribution_grid.h"
#include "tests/unit/check.h"

#define MS 1000000ULL
#define N  200

/* lcg - a fixed pseudo-random sequence, the same on every machine. */
static uint32_t lcg(uint32_t *s)
{
	*s = *s * 1664525u + 1013904223u;
	return *s >> 8;
}

/*
 * on_grid - @n moments on a grid of @period_ns from 7 ms, each 1 to 9 periods after the one
 * before, jittered by up to +-@jitter_ns; every @extra_every-th moment (0: none) is instead at a
 * random point between two.
 */
static void on_grid(uint64_t *t, size_t n, uint64_t period_ns, uint32_t jitter_ns,
		    unsigned int extra_every)
{
	uint64_t tick = 7 * MS;
	uint32_t s = 12345;
	size_t i;

	for (i = 0; i < n; i++) {
		if (extra_every && i % extra_every == extra_every - 1 && i) {
			t[i] = t[i - 1] + 1 + lcg(&s) % (period_ns - 2);
			continue;
		}
		tick += period_ns * (1 + lcg(&s) % 9);
		t[i] = tick - jitter_ns + lcg(&s) % (2 * jitter_ns + 1);
	}
}

/* A host tick of 1 ms, jittered by 0.9 us, skipping ticks: found, to 50 ns. */
static int test_grid(void)
{
	uint64_t t[N];
	struct attr_grid g;

	on_grid(t, N, MS, 900, 0);
	CHECK(attr_grid_find(t, N, &g) == 0);
	EXPECT(g.gaps == N - 1 && g.fit == N - 1);
	EXPECT_NEAR(g.period_ns, 1e6, 50);
	return 0;
}

/* One moment in 20 from elsewhere breaks two gaps of 20: still the 1 ms grid. */
static int test_grid_with_strays(void)
{
	uint64_t t[N];
	struct attr_grid g;

	on_grid(t, N, MS, 1000, 20);
	CHECK(attr_grid_find(t, N, &g) == 0);
	EXPECT_NEAR(g.period_ns, 1e6, 50);
	EXPECT(g.fit >= (N - 1) * 8 / 10 && g.fit < N - 1);
	return 0;
}

/* A 4 ms grid also fits 2 and 1 ms: the longest is the source's. */
static int test_longest(void)
{
	uint64_t t[N];
	struct attr_grid g;

	on_grid(t, N, 4 * MS, 500, 0);
	CHECK(attr_grid_find(t, N, &g) == 0);
	EXPECT_NEAR(g.period_ns, 4e6, 50);
	return 0;
}

/* Moments at random: no grid. */
static int test_random(void)
{
	uint64_t t[N], at = 0;
	uint32_t s = 99;
	struct attr_grid g;
	size_t i;

	for (i = 0; i < N; i++)
		t[i] = at += 1 + lcg(&s) % (9 * MS);
	CHECK(attr_grid_find(t, N, &g) == 0);
	EXPECT(g.period_ns == 0 && g.fit == 0);
	return 0;
}

/* Too few moments, or a period within 50 tolerances (random moments would fit it): none. */
static int test_limits(void)
{
	uint64_t t[N];
	struct attr_grid g;

	on_grid(t, ATTR_GRID_MIN_MOMENTS - 1, MS, 0, 0);
	CHECK(attr_grid_find(t, ATTR_GRID_MIN_MOMENTS - 1, &g) == 0);
	EXPECT(g.period_ns == 0);
	on_grid(t, N, ATTR_GRID_MIN_PERIODS_OF_TOL * ATTR_GRID_TOL_NS / 2, 0, 0);
	CHECK(attr_grid_find(t, N, &g) == 0);
	EXPECT(g.period_ns == 0);
	return 0;
}

int main(void)
{
	static const struct check_case cases[] = {
	    CHECK_CASE(grid),	CHECK_CASE(grid_with_strays), CHECK_CASE(longest),
	    CHECK_CASE(random), CHECK_CASE(limits),
	};

	return CHECK_RUN(cases);
}
