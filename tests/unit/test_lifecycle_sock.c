// SPDX-License-Identifier: MIT
/*
 * test_lifecycle_sock - the hop split of a ring without io_uring, on a synthetic 2-hop ring whose
 * syscalls and sleeps are known: blocking (the receiver sleeps until woken) and busypoll (it
 * spins from before the send), and a window that holds no whole way round.
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>

#include "analysis/lifecycle/lifecycle_sock.h"
#include "tests/unit/check.h"

#define MASTER	  100 /* tgid; its thread is 101 */
#define FORWARDER 200 /* tgid; its thread is 201 */

static const struct trace_sample samples[] = {
    {.mono_start_ns = 1000, .mono_end_ns = 5000},
    {.mono_start_ns = 10000, .mono_end_ns = 15000, .iteration = 1},
};

/* call - a sendto (@send) or recvfrom of @tgid's thread from @s to @e returning @ret. */
static struct lc_sys call(uint32_t tgid, bool send, uint64_t s, uint64_t e, int64_t ret)
{
	return (struct lc_sys){
	    .start_ns = s, .end_ns = e, .ret = ret, .tgid = tgid, .tid = tgid + 1, .send = send};
}

static const struct lc_split *find(const struct lc_split *sp, size_t n, uint32_t si, uint8_t hop)
{
	for (size_t i = 0; i < n; i++) {
		if (sp[i].sample == si && sp[i].hop == hop)
			return &sp[i];
	}
	return NULL;
}

/*
 * test_blocking - the master sends at 1100; the forwarder, in recvfrom since 500, slept at 600,
 * was woken at 2000, ran at 2500, returned at 2800; it sends at 3000; the master, in recvfrom
 * since 1400, slept at 1500, woken at 4000, ran at 4300; the sample ends at 5000. The second
 * window holds one send only: mismatched.
 */
static int test_blocking(void)
{
	struct lc_sys sys[] = {
	    call(MASTER, true, 1100, 1300, 4),	  call(FORWARDER, false, 500, 2800, 4),
	    call(FORWARDER, true, 3000, 3200, 4), call(MASTER, false, 1400, 4600, 4),
	    call(MASTER, false, 900, 950, -11),	  call(MASTER, true, 10100, 10200, 4),
	};
	struct lc_sleep z[] = {
	    {.off_ns = 600, .wake_ns = 2000, .on_ns = 2500, .tid = FORWARDER + 1},
	    {.off_ns = 1500, .wake_ns = 4000, .on_ns = 4300, .tid = MASTER + 1},
	};
	struct lc_sock_input in = {.samples = samples,
				   .nsamples = 2,
				   .hops = 2,
				   .sys = sys,
				   .nsys = 6,
				   .sleeps = z,
				   .nsleeps = 2};
	const struct lc_split *h;
	struct lc_split *sp;
	struct lc_counts c;
	size_t n;

	CHECK(lc_sock_split_hops(&in, &sp, &n, &c) == 0);
	EXPECT(n == 2 && c.iterations == 2 && c.joined == 1 && c.mismatched == 1);
	h = find(sp, n, 0, 0);
	EXPECT(h && h->total_ns == 1700 && h->part_ns[LC_ISSUE] == 0);
	EXPECT(h && h->part_ns[LC_IN_FLIGHT] == 900 && h->part_ns[LC_READY] == 500);
	EXPECT(h && h->part_ns[LC_REAP] == 300 && h->ready_cpu == LC_NO_CPU);
	h = find(sp, n, 0, 1);
	EXPECT(h && h->total_ns == 2000 && h->part_ns[LC_IN_FLIGHT] == 1000);
	EXPECT(h && h->part_ns[LC_READY] == 300 && h->part_ns[LC_REAP] == 700);
	free(sp);
	return T_EXIT_PASS;
}

/*
 * test_busypoll - the receivers spin: the forwarder's empty polls end at 1050 (before the send),
 * 1500 and 1900, the poll that finds the message runs 2000..2300; the master's empty polls end
 * at 3000 and 3500, its finding poll begins at 3600.
 */
static int test_busypoll(void)
{
	struct lc_sys sys[] = {
	    call(MASTER, true, 1100, 1200, 4),	     call(FORWARDER, false, 1000, 1050, -11),
	    call(FORWARDER, false, 1400, 1500, -11), call(FORWARDER, false, 1800, 1900, -11),
	    call(FORWARDER, false, 2000, 2300, 4),   call(FORWARDER, true, 2400, 2500, 4),
	    call(MASTER, false, 2900, 3000, -11),    call(MASTER, false, 3400, 3500, -11),
	    call(MASTER, false, 3600, 3900, 4),
	};
	struct lc_sock_input in = {
	    .samples = samples, .nsamples = 1, .hops = 2, .busypoll = true, .sys = sys, .nsys = 9};
	const struct lc_split *h;
	struct lc_split *sp;
	struct lc_counts c;
	size_t n;

	CHECK(lc_sock_split_hops(&in, &sp, &n, &c) == 0);
	EXPECT(n == 2 && c.joined == 1 && c.mismatched == 0);
	h = find(sp, n, 0, 0);
	EXPECT(h && h->total_ns == 1200 && h->part_ns[LC_ISSUE] == 0);
	EXPECT(h && h->part_ns[LC_IN_FLIGHT] == 800 && h->part_ns[LC_READY] == 100);
	EXPECT(h && h->part_ns[LC_REAP] == 300);
	h = find(sp, n, 0, 1);
	EXPECT(h && h->total_ns == 2600 && h->part_ns[LC_IN_FLIGHT] == 1100);
	EXPECT(h && h->part_ns[LC_READY] == 100 && h->part_ns[LC_REAP] == 1400);
	free(sp);
	return T_EXIT_PASS;
}

/* test_wrong_order - who received must send next: a window where someone else did is skipped. */
static int test_wrong_order(void)
{
	struct lc_sys sys[] = {
	    call(MASTER, true, 1100, 1300, 4),
	    call(FORWARDER, false, 500, 2800, 4),
	    call(MASTER, true, 3000, 3200, 4),
	    call(MASTER, false, 1400, 4600, 4),
	};
	struct lc_sock_input in = {
	    .samples = samples, .nsamples = 1, .hops = 2, .sys = sys, .nsys = 4};
	struct lc_split *sp;
	struct lc_counts c;
	size_t n;

	CHECK(lc_sock_split_hops(&in, &sp, &n, &c) == 0);
	EXPECT(n == 0 && c.mismatched == 1);
	free(sp);
	return T_EXIT_PASS;
}

int main(void)
{
	static const struct check_case cases[] = {
	    CHECK_CASE(blocking),
	    CHECK_CASE(busypoll),
	    CHECK_CASE(wrong_order),
	};

	return CHECK_RUN(cases);
}
