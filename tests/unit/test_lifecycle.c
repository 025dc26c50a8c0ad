// SPDX-License-Identifier: MIT
/*
 * test_lifecycle - the hop split on a synthetic 2-hop ring whose every stamp is known: which
 * requests belong to which iteration and hop, where each part starts and ends, what is left out.
 */
#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include "analysis/lifecycle/lifecycle_spikes.h"
#include "analysis/lifecycle/lifecycle_split.h"
#include "analysis/model/report_model.h"
#include "analysis/model/spikes.h"
#include "lib/uring_tag.h"
#include "tests/unit/check.h"

#define MASTER	  100 /* tgid of the master */
#define FORWARDER 200 /* tgid of member 1 */

/* tag - a user_data: the master's (run, iteration), or a forwarder's message @iteration. */
static uint64_t tag(bool local, uint32_t run, uint32_t iteration, uint8_t hop, uint8_t op)
{
	const struct uring_tag t = {
	    .run = run, .iteration = iteration, .hop = hop, .op = op, .local = local};

	return uring_tag_pack(&t);
}

/* req - a request: submitted, armed, ready (0: not seen), completed, by @tgid. */
static struct lc_req req(uint64_t ud, uint64_t s, uint64_t a, uint64_t r, uint64_t c, uint32_t tgid,
			 uint16_t cpu)
{
	return (struct lc_req){.user_data = ud,
			       .submit_ns = s,
			       .arm_ns = a,
			       .ready_ns = r,
			       .complete_ns = c,
			       .tgid = tgid,
			       .ready_cpu = r ? cpu : LC_NO_CPU};
}

/*
 * Two iterations of run 0. Iteration 0, window [1000, 5000]: the master sends at 1100; the
 * forwarder's receive, armed since 600, has its data at 2000 (on CPU 0), completes at 2600, and
 * its io_uring_enter returns at 3000; it sends at 3500; the master's receive (armed at 1200)
 * has its data at 4000 (CPU 1) and completes at 4500. Iteration 1, window [10000, 15000]: the
 * forwarder sends at 10050 before the master's receive is even submitted (10100, armed 10300,
 * ready 11000, completed 11500), so that hop starts at 10100. A master request tagged for
 * iteration 7 and a warm-up completion outside every window are left out.
 */
static const struct trace_sample samples[] = {
    {.mono_start_ns = 1000, .mono_end_ns = 5000, .run = 0, .iteration = 0},
    {.mono_start_ns = 10000, .mono_end_ns = 15000, .run = 0, .iteration = 1},
};

static size_t fill(struct lc_req *r, struct lc_enter *e, size_t *ne)
{
	size_t n = 0;

	r[n++] = req(tag(false, 0, 0, 0, URING_OP_SEND), 1100, 0, 0, 1500, MASTER, 0);
	r[n++] = req(tag(true, 0, 5, 0, URING_OP_RECV), 500, 600, 2000, 2600, FORWARDER, 0);
	r[n++] = req(tag(true, 0, 5, 1, URING_OP_SEND), 3500, 0, 0, 3700, FORWARDER, 0);
	r[n++] = req(tag(false, 0, 0, 1, URING_OP_RECV), 1120, 1200, 4000, 4500, MASTER, 1);
	r[n++] = req(tag(true, 0, 5, 1, URING_OP_SEND), 10050, 0, 0, 10060, FORWARDER, 0);
	r[n++] = req(tag(false, 0, 1, 1, URING_OP_RECV), 10100, 10300, 11000, 11500, MASTER, 1);
	r[n++] = req(tag(false, 0, 7, 0, URING_OP_SEND), 12000, 0, 0, 12100, MASTER, 0);
	r[n++] = req(tag(false, 0, 99, 0, URING_OP_SEND), 20000, 0, 0, 20100, MASTER, 0);
	e[0] = (struct lc_enter){.tgid = FORWARDER, .start_ns = 400, .end_ns = 3000};
	e[1] = (struct lc_enter){.tgid = MASTER, .start_ns = 1050, .end_ns = 4800};
	*ne = 2;
	return n;
}

/* find - the split of @hop of sample @si among @n, or NULL. */
static const struct lc_split *find(const struct lc_split *sp, size_t n, uint32_t si, uint8_t hop)
{
	for (size_t i = 0; i < n; i++) {
		if (sp[i].sample == si && sp[i].hop == hop)
			return &sp[i];
	}
	return NULL;
}

/* parts_add_up - every split's parts sum to its hop time. */
static bool parts_add_up(const struct lc_split *sp, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		uint64_t sum = 0;

		for (int p = 0; p < LC_NPARTS; p++)
			sum += sp[i].part_ns[p];
		if (sum != sp[i].total_ns)
			return false;
	}
	return true;
}

/* test_known_split - every part of every hop as the stamps above say. */
static int test_known_split(void)
{
	struct lc_req r[16];
	struct lc_enter e[4];
	struct lc_input in = {.samples = samples, .nsamples = 2, .hops = 2, .reqs = r, .enters = e};
	struct lc_split *sp;
	struct lc_counts c;
	const struct lc_split *h;
	size_t n;

	in.nreqs = fill(r, e, &in.nenters);
	CHECK(lc_split_hops(&in, &sp, &n, &c) == 0);
	EXPECT(n == 3 && c.iterations == 2 && c.joined == 1 && c.mismatched == 1 && !c.no_stamp);
	h = find(sp, n, 0, 0); /* from the master's send (1100) to the forwarder's return (3000) */
	EXPECT(h && h->total_ns == 1900 && h->part_ns[LC_ISSUE] == 0 && h->ready_cpu == 0);
	EXPECT(h && h->part_ns[LC_IN_FLIGHT] == 900 && h->part_ns[LC_READY] == 600);
	EXPECT(h && h->part_ns[LC_REAP] == 400);
	h = find(sp, n, 0, 1); /* from the forwarder's send (3500) to the sample's end (5000) */
	EXPECT(h && h->total_ns == 1500 && h->part_ns[LC_ISSUE] == 0 && h->ready_cpu == 1);
	EXPECT(h && h->part_ns[LC_IN_FLIGHT] == 500 && h->part_ns[LC_READY] == 500);
	EXPECT(h && h->part_ns[LC_REAP] == 500);
	h = find(sp, n, 1, 1); /* the receive was submitted last: it starts the hop */
	EXPECT(h && h->total_ns == 4900 && h->part_ns[LC_ISSUE] == 200);
	EXPECT(h && h->part_ns[LC_IN_FLIGHT] == 700 && h->part_ns[LC_READY] == 500);
	EXPECT(h && h->part_ns[LC_REAP] == 3500);
	EXPECT(!find(sp, n, 1, 0)); /* its hop 0 had no send in the window (tagged iteration 7) */
	EXPECT(parts_add_up(sp, n));
	free(sp);
	return T_EXIT_PASS;
}

/* test_unseen_stamps - no arm and no task_add: the data were there, only issue and reap. */
static int test_unseen_stamps(void)
{
	struct lc_req r[2] = {
	    req(tag(false, 0, 0, 0, URING_OP_SEND), 1100, 0, 0, 1200, MASTER, 0),
	    req(tag(false, 0, 0, 0, URING_OP_RECV), 1150, 0, 0, 1400, MASTER, 0),
	};
	struct lc_input in = {.samples = samples, .nsamples = 1, .hops = 1, .reqs = r, .nreqs = 2};
	struct lc_split *sp;
	struct lc_counts c;
	size_t n;

	CHECK(lc_split_hops(&in, &sp, &n, &c) == 0);
	CHECK(n == 1);
	EXPECT(sp[0].total_ns == 3850 && sp[0].part_ns[LC_ISSUE] == 250);
	EXPECT(sp[0].part_ns[LC_IN_FLIGHT] == 0 && sp[0].part_ns[LC_READY] == 0);
	EXPECT(sp[0].part_ns[LC_REAP] == 3600 && sp[0].ready_cpu == LC_NO_CPU);
	free(sp);
	return T_EXIT_PASS;
}

/*
 * test_linked_forwarder - a forwarder whose receive and send are one chain (submitted together
 * at 500): no user sees the message, so hop 0 ends at the receive's completion (2600, no reap)
 * and hop 1 starts there, not at the chain's submission.
 */
static int test_linked_forwarder(void)
{
	struct lc_req r[4] = {
	    req(tag(false, 0, 0, 0, URING_OP_SEND), 1100, 0, 0, 1500, MASTER, 0),
	    req(tag(true, 0, 5, 0, URING_OP_RECV), 500, 600, 2000, 2600, FORWARDER, 0),
	    req(tag(true, 0, 5, 1, URING_OP_SEND), 500, 0, 0, 2700, FORWARDER, 0),
	    req(tag(false, 0, 0, 1, URING_OP_RECV), 1120, 1200, 4000, 4500, MASTER, 1),
	};
	struct lc_enter e = {.tgid = FORWARDER, .start_ns = 400, .end_ns = 3000};
	struct lc_input in = {.samples = samples,
			      .nsamples = 1,
			      .hops = 2,
			      .reqs = r,
			      .nreqs = 4,
			      .enters = &e,
			      .nenters = 1};
	const struct lc_split *h;
	struct lc_split *sp;
	struct lc_counts c;
	size_t n;

	CHECK(lc_split_hops(&in, &sp, &n, &c) == 0);
	EXPECT(n == 2 && c.joined == 1);
	h = find(sp, n, 0, 0);
	EXPECT(h && h->total_ns == 1500 && h->part_ns[LC_REAP] == 0);
	EXPECT(h && h->part_ns[LC_IN_FLIGHT] == 900 && h->part_ns[LC_READY] == 600);
	h = find(sp, n, 0, 1);
	EXPECT(h && h->total_ns == 2400 && h->part_ns[LC_IN_FLIGHT] == 1400);
	EXPECT(parts_add_up(sp, n));
	free(sp);
	return T_EXIT_PASS;
}

/*
 * test_per_message - a receive linked after an accept finds its data at once: the wait was the
 * accept's (armed 1200, the connection ready at 4000 on CPU 1), so those stamps split the hop.
 */
static int test_per_message(void)
{
	struct lc_req r[3] = {
	    req(tag(false, 0, 0, 0, URING_OP_SEND), 1100, 0, 0, 1500, MASTER, 0),
	    req(tag(false, 0, 0, 0, URING_OP_ACCEPT), 1120, 1200, 4000, 4400, MASTER, 1),
	    req(tag(false, 0, 0, 0, URING_OP_RECV), 1130, 0, 0, 4500, MASTER, 0),
	};
	struct lc_input in = {.samples = samples, .nsamples = 1, .hops = 1, .reqs = r, .nreqs = 3};
	struct lc_split *sp;
	struct lc_counts c;
	size_t n;

	CHECK(lc_split_hops(&in, &sp, &n, &c) == 0);
	CHECK(n == 1);
	EXPECT(sp[0].total_ns == 3870 && sp[0].part_ns[LC_ISSUE] == 70);
	EXPECT(sp[0].part_ns[LC_IN_FLIGHT] == 2800 && sp[0].part_ns[LC_READY] == 500);
	EXPECT(sp[0].part_ns[LC_REAP] == 500 && sp[0].ready_cpu == 1);
	free(sp);
	return T_EXIT_PASS;
}

/* test_no_stamp - a forwarder's receive without its io_uring_enter: counted, not split. */
static int test_no_stamp(void)
{
	struct lc_req r[16];
	struct lc_enter e[4];
	struct lc_input in = {.samples = samples, .nsamples = 2, .hops = 2, .reqs = r, .enters = e};
	struct lc_split *sp;
	struct lc_counts c;
	size_t n;

	in.nreqs = fill(r, e, &in.nenters);
	in.nenters = 0;
	CHECK(lc_split_hops(&in, &sp, &n, &c) == 0);
	EXPECT(n == 2 && c.no_stamp == 1 && c.joined == 0);
	EXPECT(!find(sp, n, 0, 0));
	free(sp);
	return T_EXIT_PASS;
}

/* test_bad_input - hops beyond the tag's range are refused; no sample, no split. */
static int test_bad_input(void)
{
	struct lc_input in = {.samples = samples, .nsamples = 0, .hops = URING_TAG_HOPS + 1};
	struct lc_split *sp;
	struct lc_counts c;
	size_t n;

	EXPECT(lc_split_hops(&in, &sp, &n, &c) == -EINVAL);
	in.hops = 2;
	CHECK(lc_split_hops(&in, &sp, &n, &c) == 0);
	EXPECT(n == 0 && !sp && c.iterations == 0);
	return T_EXIT_PASS;
}

/*
 * test_spike_part - 40 iterations of 5 us, one of 50 us whose hop 1 waited 45 us more to be
 * consumed: the spike is found and named by that part, its hops grew by all of its excess.
 */
static int test_spike_part(void)
{
	struct trace_sample s[40] = {0};
	struct lc_split sp[80];
	struct lc_input in = {.samples = s, .nsamples = 40, .hops = 2};
	struct spikes_opts so;
	lc_medians median = {{0}};
	struct json_object *o = json_object_new_object(), *k, *g;

	spikes_opts_default(&so);
	for (uint32_t i = 0; i < 40; i++) {
		s[i] = (struct trace_sample){.iteration = i, .mono_start_ns = 10000 * i};
		s[i].latency_ns = i == 17 ? 50000 : 5000;
		s[i].mono_end_ns = s[i].mono_start_ns + s[i].latency_ns;
		for (uint8_t h = 0; h < 2; h++) {
			sp[2 * i + h] = (struct lc_split){.sample = i, .hop = h, .total_ns = 2000};
			sp[2 * i + h].part_ns[LC_IN_FLIGHT] = 1000;
			sp[2 * i + h].part_ns[LC_READY] = 1000;
		}
	}
	sp[2 * 17 + 1].part_ns[LC_READY] += 45000;
	sp[2 * 17 + 1].total_ns += 45000;
	for (int h = 0; h < 2; h++) {
		median[h][LC_IN_FLIGHT] = median[h][LC_READY] = 1000;
		median[h][LC_NPARTS] = 2000;
	}
	CHECK(o && lc_spikes_add(o, &in, sp, 80, median, &so) == 0);
	EXPECT(rm_int(o, RK_LC_SPIKES_FOUND) == 1);
	k = json_object_array_get_idx(rm_get(o, RK_LC_SPIKES), 0);
	EXPECT(k && rm_int(k, RK_LCSPIKE_ITERATION) == 17 && rm_int(k, RK_LCSPIKE_HOP) == 1);
	EXPECT(k && !strcmp(rm_str(k, RK_LCSPIKE_PART), "ready_not_consumed"));
	EXPECT(k && rm_int(k, RK_LCSPIKE_GROWTH) == 45000 &&
	       rm_int(k, RK_LCSPIKE_HOPS_GROWTH) == 45000);
	g = json_object_array_get_idx(rm_get(o, RK_LC_GREW_MOST), 0);
	EXPECT(rm_len(o, RK_LC_GREW_MOST) == 1 && g && rm_int(g, RK_LCGREW_SPIKES) == 1);
	json_object_put(o);
	return T_EXIT_PASS;
}

int main(void)
{
	static const struct check_case cases[] = {
	    CHECK_CASE(known_split), CHECK_CASE(unseen_stamps), CHECK_CASE(linked_forwarder),
	    CHECK_CASE(per_message), CHECK_CASE(no_stamp),	CHECK_CASE(bad_input),
	    CHECK_CASE(spike_part),
	};

	return CHECK_RUN(cases);
}
