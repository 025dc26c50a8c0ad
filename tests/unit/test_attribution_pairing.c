// SPDX-License-Identifier: MIT
/*
 * test_attribution_pairing - which IPI records keep their pairing with a send, on synthetic
 * per-CPU streams whose answer is known (analysis/attribution/attribution_pairing.h).
 */
#include <stdint.h>
#include <stdlib.h>

#include "analysis/attribution/attribution_pairing.h"
#include "tests/unit/check.h"

#define US 1000ULL
#define MS 1000000ULL
#define S0 (5000 * MS) /* the send */

static struct tracer_event idle(uint16_t cpu, uint64_t start, uint64_t dur)
{
	return (struct tracer_event){
	    .type = TRACER_EV_IDLE, .ts_ns = start, .dur_ns = dur, .arg0 = 1, .cpu = cpu};
}

/* ipi - a handler of @kind on @cpu at @entry; @sent nonzero: paired with a send then. */
static struct tracer_event ipi(uint16_t cpu, uint64_t kind, uint64_t entry, uint64_t sent)
{
	struct tracer_event e = {
	    .type = TRACER_EV_IPI, .ts_ns = entry, .dur_ns = 1 * US, .arg0 = kind, .cpu = cpu};

	if (sent) {
		e.flags = TRACER_F_IPI_SENT;
		e.arg1 = entry - sent;
		e.arg2 = 1 - cpu;
	}
	return e;
}

/* refused - feed @e[0..n-1] in order; how many pairings were refused, the last one's in *@last. */
static int refused(struct tracer_event *e, size_t n, struct tracer_event *last)
{
	struct attr_pairing *p = attr_pairing_new();
	int count = 0;

	if (!p)
		return -1;
	for (size_t i = 0; i < n; i++)
		count += attr_pairing_check(p, &e[i]);
	*last = e[n - 1];
	attr_pairing_free(p);
	return count;
}

/*
 * The lead's case, shortened: a reschedule sent to CPU 1, which then went idle and came back
 * many times (woken by call-function IPIs that were each paired right), and took a reschedule
 * 39.36 ms after the send. Refused: flag, latency and sender cleared; the others kept.
 */
static int test_idle_and_back(void)
{
	struct tracer_event e[41], last;
	size_t n = 0;

	for (int i = 0; i < 20; i++) {
		uint64_t t = S0 + 1 * MS + (uint64_t)i * 100 * US;

		e[n++] = ipi(1, TRACER_IPI_CALL_FUNCTION_SINGLE, t + 60 * US, t + 35 * US);
		e[n++] = idle(1, t, 70 * US);
	}
	e[n++] = ipi(1, TRACER_IPI_RESCHEDULE, S0 + 39360 * US, S0);
	CHECK(refused(e, n, &last) == 1);
	CHECK(!(last.flags & TRACER_F_IPI_SENT) && last.arg1 == 0 && last.arg2 == 0);
	CHECK(last.type == TRACER_EV_IPI && last.arg0 == TRACER_IPI_RESCHEDULE);
	return 0;
}

/*
 * A CPU silent for 5 ms (the host did not run it: nothing recorded, or only an ABSENT record)
 * takes the IPI when it runs again: a true 5 ms delivery, kept. So is one whose CPU went idle
 * before the send, or whose idle period holds the handler (its record comes after).
 */
static int test_true_delays_kept(void)
{
	struct tracer_event e[3], last;
	struct tracer_event absent = {
	    .type = TRACER_EV_ABSENT, .ts_ns = S0 - 1 * MS, .dur_ns = 6 * MS, .cpu = 1};

	e[0] = idle(1, S0 - 2 * MS, 500 * US);
	e[1] = absent;
	e[2] = ipi(1, TRACER_IPI_RESCHEDULE, S0 + 5 * MS, S0);
	CHECK(refused(e, 3, &last) == 0 && (last.flags & TRACER_F_IPI_SENT));
	CHECK(last.arg1 == 5 * MS);
	e[0] = ipi(1, TRACER_IPI_RESCHEDULE, S0 + 30 * US, S0); /* inside the idle period... */
	e[1] = idle(1, S0 + 5 * US, 40 * US);			/* ...recorded at its exit */
	e[2] = ipi(1, TRACER_IPI_RESCHEDULE, S0 + 200 * US, S0 + 150 * US);
	CHECK(refused(e, 3, &last) == 0);
	return 0;
}

/* Another handler of the same kind since the send would have taken it: refused. */
static int test_same_kind_between(void)
{
	struct tracer_event e[2], last;

	e[0] = ipi(1, TRACER_IPI_CALL_FUNCTION_SINGLE, S0 + 10 * US, 0);
	e[1] = ipi(1, TRACER_IPI_CALL_FUNCTION_SINGLE, S0 + 20 * US, S0);
	CHECK(refused(e, 2, &last) == 1);
	e[0].arg0 = TRACER_IPI_CALL_FUNCTION; /* another kind: no evidence */
	e[1] = ipi(1, TRACER_IPI_CALL_FUNCTION_SINGLE, S0 + 20 * US, S0);
	CHECK(refused(e, 2, &last) == 0);
	return 0;
}

/*
 * An IPI outranks the local timer: pending, it runs first. One timer interrupt between the send
 * and the handler may have raced the send (its tracepoint fires before the APIC write): kept.
 * Two cannot: refused.
 */
static int test_timers_between(void)
{
	struct tracer_event e[3], last;

	e[0] = ipi(1, TRACER_IPI_LOCAL_TIMER, S0 + 1 * US, 0);
	e[1] = ipi(1, TRACER_IPI_RESCHEDULE, S0 + 30 * US, S0);
	CHECK(refused(e, 2, &last) == 0);
	e[1] = ipi(1, TRACER_IPI_LOCAL_TIMER, S0 + 4 * MS, 0);
	e[2] = ipi(1, TRACER_IPI_RESCHEDULE, S0 + 4 * MS + 30 * US, S0);
	CHECK(refused(e, 3, &last) == 1);
	return 0;
}

/*
 * Only the target CPU's own records count, and only those between the send and the handler: an
 * idle period of another CPU, or a record of this CPU that came after later ones, refuses
 * nothing.
 */
static int test_other_cpu_and_order(void)
{
	struct tracer_event e[3], last;

	e[0] = idle(0, S0 + 10 * US, 10 * US);
	e[1] = ipi(1, TRACER_IPI_RESCHEDULE, S0 + 30 * US, S0);
	CHECK(refused(e, 2, &last) == 0);
	e[0] = ipi(1, TRACER_IPI_RESCHEDULE, S0 + 5 * MS, 0); /* later, but first in the stream */
	e[1] = idle(1, S0 + 6 * MS, 10 * US);
	e[2] = ipi(1, TRACER_IPI_RESCHEDULE, S0 + 30 * US, S0);
	CHECK(refused(e, 3, &last) == 0 && (last.flags & TRACER_F_IPI_SENT));
	return 0;
}

int main(void)
{
	static const struct check_case cases[] = {
	    CHECK_CASE(idle_and_back),	     CHECK_CASE(true_delays_kept),
	    CHECK_CASE(same_kind_between),   CHECK_CASE(timers_between),
	    CHECK_CASE(other_cpu_and_order),
	};

	return CHECK_RUN(cases);
}
