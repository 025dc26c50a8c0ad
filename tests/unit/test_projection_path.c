// SPDX-License-Identifier: MIT
/*
 * test_projection_path - the projection's critical path on synthetic waits and host intervals
 * whose overlap is known: what counts (on the waiting CPU, inside the wait, once), the
 * baseline's share, the max rule against a spike's attribution, and a ring's hops as waits.
 */
#include <stdint.h>
#include <stdlib.h>

#include "analysis/attribution/projection.h"
#include "analysis/attribution/projection_path.h"
#include "analysis/lifecycle/lifecycle_path.h"
#include "analysis/lifecycle/lifecycle_split.h"
#include "tests/unit/check.h"

/* A receiver's wait on CPU 1 from 1000 to 5000 ns, sample 0; deliveries count. */
static const struct proj_wait ready = {
    .start = 1000, .end = 5000, .sample = 0, .cpu = 1, .deliveries = 1};

static const struct proj_path_rule all = {.routine_share = 1}; /* no baseline */

/* host - the host time on sample 0's path from @n intervals @iv against wait @w. */
static struct proj_path_ns host(const struct proj_wait *w, const struct mech_iv *iv, size_t n,
				const struct proj_path_rule *rule)
{
	struct proj_path path = {.waits = w, .nwaits = 1, .host = iv, .nhost = n};
	struct proj_path_ns out[1];

	if (projection_path_host(&path, rule, 1, out))
		return (struct proj_path_ns){UINT64_MAX, UINT64_MAX};
	return out[0];
}

/* A delivery to the receiver's CPU counts by its overlap with the wait, no more. */
static int test_delivery_overlap(void)
{
	struct mech_iv iv = {.start = 4000, .end = 7000, .cpu = 1, .kind = MECH_IRQ_DELIVERY};
	struct proj_path_ns h = host(&ready, &iv, 1, &all);

	CHECK(h.delivery_ns == 1000 && h.absent_ns == 0);
	iv = (struct mech_iv){.start = 2000, .end = 3500, .cpu = 1, .kind = MECH_TIMER_LATENESS};
	h = host(&ready, &iv, 1, &all);
	CHECK(h.delivery_ns == 1500); /* a timer's lateness is a delivery too */
	return 0;
}

/* A delivery to another CPU, or outside the wait, delayed nothing on the path. */
static int test_delivery_elsewhere(void)
{
	struct mech_iv iv[3] = {
	    {.start = 1000, .end = 5000, .cpu = 0, .kind = MECH_IRQ_DELIVERY}, /* other CPU */
	    {.start = 200, .end = 1000, .cpu = 1, .kind = MECH_IRQ_DELIVERY},  /* before */
	    {.start = 5000, .end = 9000, .cpu = 1, .kind = MECH_ABSENCE},      /* after */
	};
	struct proj_path_ns h = host(&ready, iv, 3, &all);

	CHECK(h.delivery_ns == 0 && h.absent_ns == 0);
	return 0;
}

/* Two overlapping deliveries count once (their union); an absence beats them. */
static int test_union_once(void)
{
	struct mech_iv iv[3] = {
	    {.start = 1500, .end = 3000, .cpu = 1, .kind = MECH_IRQ_DELIVERY},
	    {.start = 2000, .end = 3500, .cpu = 1, .kind = MECH_IRQ_DELIVERY},
	    {.start = 3200, .end = 4200, .cpu = 1, .kind = MECH_ABSENCE},
	};
	struct proj_path_ns h = host(&ready, iv, 2, &all);

	CHECK(h.delivery_ns == 2000); /* 1500..3500, not 1500 + 1500 */
	h = host(&ready, iv, 3, &all);
	CHECK(h.absent_ns == 1000 && h.delivery_ns == 1700); /* 1500..3200 left to deliveries */
	return 0;
}

/* An absence of the CPU counts, inside the wait only, and never beyond the wait's length. */
static int test_absence(void)
{
	struct mech_iv iv = {.start = 0, .end = 1000000, .cpu = 1, .kind = MECH_ABSENCE};
	struct proj_path_ns h = host(&ready, &iv, 1, &all);

	CHECK(h.absent_ns == 4000 && h.delivery_ns == 0);
	return 0;
}

/*
 * With a baseline only the host's share: a 2000 ns delivery whose routine cost is 1000 ns, half
 * of that host time, is 1500 ns of host time, spread evenly: 3/4 of its overlap.
 */
static int test_baseline_share(void)
{
	struct proj_path_rule half = {.routine_share = 0.5, .ipi_normal_ns = 1000};
	struct mech_iv iv = {.start = 1000, .end = 3000, .cpu = 1, .kind = MECH_IRQ_DELIVERY};
	struct proj_path_ns h = host(&ready, &iv, 1, &half);

	CHECK(h.delivery_ns == 1500);
	half.routine_share = 0; /* bare metal as dear as the routine: only what lies beyond */
	h = host(&ready, &iv, 1, &half);
	CHECK(h.delivery_ns == 1000);
	iv.start = 2500; /* shorter than the routine: all routine, none of it host time */
	h = host(&ready, &iv, 1, &half);
	CHECK(h.delivery_ns == 0);
	return 0;
}

/* A single-thread probe's window is a wait for absences only: a delivery to it is no delay. */
static int test_single_thread(void)
{
	struct trace_sample s[2] = {
	    {.mono_start_ns = 1000, .mono_end_ns = 5000, .cpu = 1},
	    {.mono_start_ns = 6000, .mono_end_ns = 9000, .cpu = 1, .flags = TRACE_SAMPLE_BAD}};
	struct mech_iv iv[2] = {
	    {.start = 1000, .end = 3000, .cpu = 1, .kind = MECH_IRQ_DELIVERY},
	    {.start = 4000, .end = 4500, .cpu = 1, .kind = MECH_ABSENCE},
	};
	struct proj_wait *w;
	struct proj_path_ns h;
	size_t n;

	CHECK(projection_path_single("null") && projection_path_single("vmexit"));
	CHECK(!projection_path_single("ring") && !projection_path_single(NULL));
	CHECK(projection_path_windows(s, 2, &w, &n) == 0);
	CHECK(n == 1 && w[0].cpu == 1 && !w[0].deliveries); /* the bad sample has none */
	h = host(w, iv, 2, &all);
	free(w);
	CHECK(h.absent_ns == 500 && h.delivery_ns == 0);
	return 0;
}

/*
 * Per iteration the larger of the spike's attribution and the path comes out, never the sum:
 * sample 0 is a spike with 3000 ns of attributed host time and 1000 on its path (3000 out);
 * sample 1 an ordinary iteration with 2000 on its path; sample 2 a spike with 500 attributed
 * and 4000 on its path (4000 out, and its window loses the path's delivery, not the spike's
 * absence).
 */
static int test_max_rule(void)
{
	struct trace_sample s[3] = {
	    {.latency_ns = 20000}, {.latency_ns = 10000}, {.latency_ns = 20000}};
	struct mech_window win[3] = {0};
	struct spike sp[2] = {{.sample = 0}, {.sample = 2}};
	struct attr_spike as[2] = {{.hv_ns = {[ATTR_HV_ABSENT] = 3000}},
				   {.hv_ns = {[ATTR_HV_ABSENT] = 500}}};
	struct proj_path_ns path[3] = {
	    {.delivery_ns = 1000}, {.delivery_ns = 2000}, {.delivery_ns = 4000}};
	struct projection p = {.exit_share = 1, .routine_share = 1};

	win[2].ns[MECH_ABSENCE] = 500;
	win[2].ns[MECH_IRQ_DELIVERY] = 4000;
	projection_apply(s, 3, win, sp, as, 2, path, &p);
	CHECK(s[0].latency_ns == 17000 && s[1].latency_ns == 8000 && s[2].latency_ns == 16000);
	CHECK(p.spikes == 1 && p.removed_part_ns[ATTR_HV_ABSENT] == 3000);
	CHECK(p.path_iterations == 2 && p.path_ns.delivery_ns == 6000);
	CHECK(p.removed_ns == 3000 + 6000);
	CHECK(win[2].ns[MECH_ABSENCE] == 500 && win[2].ns[MECH_IRQ_DELIVERY] == 0);
	return 0;
}

/* No hypervisor named: nothing on the path is host time, the projection is the guest. */
static int test_no_hypervisor(void)
{
	struct trace_sample s[4];
	struct mech_iv iv = {.start = 0, .end = 100000, .cpu = 0, .kind = MECH_ABSENCE};
	struct proj_wait w[4];
	struct proj_path path = {.waits = w, .nwaits = 4, .host = &iv, .nhost = 1};
	struct attr_platform pf = {.hypervisor = 0};
	struct projection_in in = {.samples = s, .n = 4, .pf = &pf, .path = &path};
	struct projection p;

	for (uint32_t i = 0; i < 4; i++) {
		s[i] = (struct trace_sample){.latency_ns = 10000, .run = i % 2};
		w[i] = (struct proj_wait){.start = 1000, .end = 5000, .sample = i};
	}
	CHECK(projection_compute(&in, NULL, &p) == 0);
	CHECK(p.path_waits == 0 && p.path_iterations == 0 && p.q[0].proj_ns == 10000);
	pf.hypervisor = 1;
	CHECK(projection_compute(&in, NULL, &p) == 0);
	CHECK(p.path_waits == 4 && p.path_iterations == 4 && p.q[0].proj_ns == 6000);
	return 0;
}

/*
 * A ring's hops as waits: each ready part on its receiver's CPU, deliveries counted when the
 * receiver slept; a hop without a ready part or a known CPU gives none; with many host
 * intervals no iteration gets more than its hops' ready parts.
 */
static int test_ring_hops(void)
{
	struct lc_split sp[3] = {
	    {.sample = 0,
	     .hop = 0,
	     .recv_cpu = 1,
	     .ready_at_ns = 1000,
	     .part_ns = {[LC_READY] = 400}},
	    {.sample = 0,
	     .hop = 1,
	     .recv_cpu = LC_NO_CPU,
	     .ready_at_ns = 2000,
	     .part_ns = {[LC_READY] = 300}},
	    {.sample = 1, .hop = 0, .recv_cpu = 0, .ready_at_ns = 3000, .part_ns = {0}},
	};
	struct mech_iv iv[64];
	struct proj_wait *w;
	struct proj_path_ns h;
	size_t n;

	CHECK(lifecycle_path_of(sp, 3, true, &w, &n) == 0);
	CHECK(n == 1 && w[0].start == 1000 && w[0].end == 1400 && w[0].cpu == 1 && w[0].deliveries);
	for (size_t i = 0; i < 64; i++)
		iv[i] = (struct mech_iv){.start = 900 + 7 * i,
					 .end = 1000 + 13 * i,
					 .cpu = 1,
					 .kind = i % 3 ? MECH_IRQ_DELIVERY : MECH_ABSENCE};
	h = host(w, iv, 64, &all);
	CHECK(h.absent_ns + h.delivery_ns == 400);
	free(w);
	CHECK(lifecycle_path_of(sp, 3, false, &w, &n) == 0);
	CHECK(n == 1 && !w[0].deliveries); /* busy polling: it was running */
	free(w);
	return 0;
}

int main(void)
{
	static const struct check_case cases[] = {
	    CHECK_CASE(delivery_overlap), CHECK_CASE(delivery_elsewhere), CHECK_CASE(union_once),
	    CHECK_CASE(absence),	  CHECK_CASE(baseline_share),	  CHECK_CASE(single_thread),
	    CHECK_CASE(max_rule),	  CHECK_CASE(no_hypervisor),	  CHECK_CASE(ring_hops),
	};

	return CHECK_RUN(cases);
}
