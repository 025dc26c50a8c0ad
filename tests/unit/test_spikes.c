// SPDX-License-Identifier: MIT
/* test_spikes - spike detection on sample sets whose baseline and spikes are known by hand. */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "analysis/model/spikes.h"
#include "tests/unit/check.h"

/* fill - sample i has latency lat[i], window [1000 i, 1000 i + lat[i]), run 0, iteration i. */
static void fill(struct trace_sample *s, const uint64_t *lat, size_t n)
{
	size_t i;

	memset(s, 0, n * sizeof(*s));
	for (i = 0; i < n; i++) {
		s[i].latency_ns = lat[i];
		s[i].mono_start_ns = 1000000 + 100000 * i;
		s[i].mono_end_ns = s[i].mono_start_ns + lat[i];
		s[i].iteration = (uint32_t)i;
		s[i].cpu = 1;
	}
}

/* MAD = 0: the ratio alone decides; 120 is above the median but below 1.5 x. */
static int test_mad_zero(void)
{
	const uint64_t lat[] = {100, 100, 1000, 100, 120, 100, 100, 400, 100};
	struct trace_sample s[9];
	struct spikes_opts o;
	struct spikes_baseline b;
	struct spike *sp;
	size_t n;

	fill(s, lat, 9);
	spikes_opts_default(&o);
	o.min_excess_ns = 0; /* nanosecond data: the 1 us floor is tested on its own */
	CHECK(spikes_find(s, 9, &o, &sp, &n, &b) == 0);
	CHECK(b.ngood == 9 && b.median_ns == 100 && b.mad_ns == 0 && b.threshold_ns == 150);
	CHECK(n == 2);
	CHECK(sp[0].iteration == 2 && sp[0].latency_ns == 1000 && sp[0].excess_ns == 900);
	CHECK(sp[0].baseline_ns == 100 && sp[0].cpu == 1 && sp[0].sample == 2);
	CHECK(sp[0].start_ns == s[2].mono_start_ns && sp[0].end_ns == s[2].mono_end_ns);
	CHECK(sp[1].iteration == 7 && sp[1].excess_ns == 300);
	free(sp);
	return 0;
}

/* All equal: MAD = 0 and nothing reaches 1.5 x the median. */
static int test_constant(void)
{
	const uint64_t lat[] = {50, 50, 50, 50};
	struct trace_sample s[4];
	struct spikes_opts o;
	struct spike *sp;
	size_t n;

	fill(s, lat, 4);
	spikes_opts_default(&o);
	CHECK(spikes_find(s, 4, &o, &sp, &n, NULL) == 0);
	CHECK(n == 0 && sp == NULL);
	return 0;
}

/* k MAD decides when it is the stricter bound: median 100, MAD 10, k = 6 -> above 160. */
static int test_k_mad(void)
{
	const uint64_t lat[] = {90, 110, 100, 90, 110, 100, 160, 161, 100};
	struct trace_sample s[9];
	struct spikes_opts o = {.k = 6, .min_ratio = 1.5};
	struct spikes_baseline b;
	struct spike *sp;
	size_t n;

	fill(s, lat, 9);
	CHECK(spikes_find(s, 9, &o, &sp, &n, &b) == 0);
	CHECK(b.median_ns == 100 && b.mad_ns == 10 && b.threshold_ns == 160);
	CHECK(n == 1 && sp[0].latency_ns == 161); /* 160 is not strictly above */
	free(sp);
	o.k = 1; /* now 1.5 x median = 150 is the stricter bound */
	CHECK(spikes_find(s, 9, &o, &sp, &n, &b) == 0);
	CHECK(b.threshold_ns == 150 && n == 2);
	free(sp);
	return 0;
}

/* Bad samples neither move the baseline nor become spikes; output sorted by window start. */
static int test_bad_and_order(void)
{
	const uint64_t lat[] = {100, 5000, 100, 900, 100, 700};
	struct trace_sample s[6];
	struct spikes_opts o;
	struct spikes_baseline b;
	struct spike *sp;
	size_t n;

	fill(s, lat, 6);
	s[1].flags = TRACE_SAMPLE_BAD;
	s[5].mono_start_ns = 10; /* a window earlier than all others */
	s[5].mono_end_ns = 710;
	s[5].run = 3;
	spikes_opts_default(&o);
	o.min_excess_ns = 0; /* nanosecond data: the 1 us floor is tested on its own */
	CHECK(spikes_find(s, 6, &o, &sp, &n, &b) == 0);
	CHECK(b.ngood == 5 && b.median_ns == 100);
	CHECK(n == 2);
	CHECK(sp[0].latency_ns == 700 && sp[0].run == 3 && sp[0].sample == 5);
	CHECK(sp[1].latency_ns == 900);
	free(sp);
	return 0;
}

/* Even count: the median interpolates (type 7) and the baseline rounds to ns. */
static int test_even_median(void)
{
	const uint64_t lat[] = {100, 101, 1000, 100};
	struct trace_sample s[4];
	struct spikes_opts o;
	struct spike *sp;
	size_t n;

	fill(s, lat, 4);
	spikes_opts_default(&o);
	o.min_excess_ns = 0; /* nanosecond data: the 1 us floor is tested on its own */
	CHECK(spikes_find(s, 4, &o, &sp, &n, NULL) == 0);
	CHECK(n == 1 && sp[0].baseline_ns == 101 && sp[0].excess_ns == 899); /* 100.5 -> 101 */
	free(sp);
	return 0;
}

/*
 * The excess floor: median 100 ns, MAD 0; 1000 is 9x the median but only 900 ns above it,
 * so the default 1 us floor keeps it out, while 1200 (1100 ns above) is a spike.
 */
static int test_min_excess(void)
{
	const uint64_t lat[] = {100, 100, 1000, 100, 1200, 100, 100};
	struct trace_sample s[7];
	struct spikes_opts o;
	struct spikes_baseline b;
	struct spike *sp;
	size_t n;

	fill(s, lat, 7);
	spikes_opts_default(&o);
	CHECK(o.min_excess_ns == 1000);
	CHECK(spikes_find(s, 7, &o, &sp, &n, &b) == 0);
	CHECK(b.threshold_ns == 1100);
	CHECK(n == 1 && sp[0].latency_ns == 1200 && sp[0].excess_ns == 1100);
	free(sp);
	o.min_excess_ns = -1;
	CHECK(spikes_find(s, 7, &o, &sp, &n, &b) == -EINVAL);
	return 0;
}

/* Empty and invalid input. */
static int test_edges(void)
{
	struct spikes_opts o = {.k = -1, .min_ratio = 1.5};
	struct spikes_baseline b;
	struct trace_sample s;
	struct spike *sp;
	size_t n;

	CHECK(spikes_find(NULL, 0, &o, &sp, &n, NULL) == -EINVAL);
	spikes_opts_default(&o);
	CHECK(spikes_find(NULL, 0, &o, &sp, &n, &b) == 0 && n == 0 && b.ngood == 0);
	memset(&s, 0, sizeof(s));
	s.flags = TRACE_SAMPLE_BAD;
	CHECK(spikes_find(&s, 1, &o, &sp, &n, &b) == 0 && n == 0 && b.ngood == 0);
	CHECK(spikes_find(&s, 1, &o, NULL, &n, &b) == -EINVAL);
	return 0;
}

/* tsc_of - the TSC (2 GHz) at monotonic time @t: the two clocks 900 ms apart. */
static uint64_t tsc_of(uint64_t t)
{
	return (t - 900000000ULL) * 2;
}

/*
 * The window is the TSC interval mapped onto the monotonic clock: 5 us between an iteration's
 * TSC and monotonic starts (sample 10) or between its monotonic and TSC ends (sample 15) lie
 * inside it, at their true place within the mapping's error; the neighbours' 20 + 30 ns of
 * stamps bound the clocks' offset within +-25 ns.
 */
static int test_map_tsc(void)
{
	struct spikes_clock clk = {.tsc_hz = 2e9, .tsc_hz_err = 100};
	uint64_t lat[20], t, pre, post;
	struct trace_sample s[20];
	struct spikes_opts o;
	struct spike *sp;
	size_t i, n;

	for (i = 0; i < 20; i++) {
		t = 1000000000ULL + 100000 * i; /* the iteration's true start */
		pre = i == 10 ? 5000 : 0;	/* an interrupt after the TSC start */
		post = i == 15 ? 4000 : i == 11 ? 3000 : 0;
		s[i] = (struct trace_sample){.tsc_start = tsc_of(t),
					     .mono_start_ns = t + pre + 20,
					     .mono_end_ns = t + pre + 50,
					     .tsc_end = tsc_of(t + pre + 80 + post),
					     .latency_ns = pre + 80 + post,
					     .iteration = (uint32_t)i};
		lat[i] = s[i].latency_ns;
	}
	spikes_opts_default(&o);
	CHECK(spikes_find(s, 20, &o, &sp, &n, NULL) == 0 && n == 3);
	CHECK(sp[0].win_start_ns == s[10].mono_start_ns); /* before mapping: the mono stamps */
	CHECK(spikes_map_tsc(sp, n, s, 20, &clk) == 0);
	for (i = 0; i < n; i++) {
		t = 1000000000ULL + 100000 * sp[i].sample;
		CHECK(sp[i].win_err_ns <= 30);
		CHECK(sp[i].win_start_ns + sp[i].win_err_ns >= t);
		CHECK(sp[i].win_start_ns <= t + sp[i].win_err_ns);
		CHECK(sp[i].win_end_ns - sp[i].win_start_ns == lat[sp[i].sample]);
		CHECK(sp[i].win_start_ns <= sp[i].start_ns && sp[i].win_end_ns >= sp[i].end_ns);
	}
	clk.tsc_hz = 0; /* no calibration: the windows stay */
	sp[0].win_start_ns = 7;
	CHECK(spikes_map_tsc(sp, n, s, 20, &clk) == 0 && sp[0].win_start_ns == 7);
	sp[0].sample = 20;
	CHECK(spikes_map_tsc(sp, n, s, 20, &clk) == -EINVAL);
	free(sp);
	return 0;
}

int main(void)
{
	static const struct check_case cases[] = {
	    CHECK_CASE(mad_zero),      CHECK_CASE(constant),	CHECK_CASE(k_mad),
	    CHECK_CASE(bad_and_order), CHECK_CASE(even_median), CHECK_CASE(min_excess),
	    CHECK_CASE(edges),	       CHECK_CASE(map_tsc),
	};

	return CHECK_RUN(cases);
}
