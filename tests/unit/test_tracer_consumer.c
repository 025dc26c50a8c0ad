// SPDX-License-Identifier: MIT
/*
 * test_tracer_consumer - the ringbuf's consumer on the real kernel: it sleeps until half the
 * ringbuf is waiting (no timer of its own wakes it on the measured CPUs), loses nothing when it
 * is woken, and its time on a traced CPU is a TRACER record, none on a CPU it can keep off.
 */
#include <stdio.h>
#include <stdlib.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "tests/unit/tracer_testlib.h"

#define SMALL_RINGBUF (4u << 20) /* 65536 records: the mark is crossed within the test */
#define SYSCALLS      200000	 /* getppid calls: 200000 SYSCALL records, three ringbufs */

/* run - a tracer on @cpus (@ncpus 0: all), @ringbuf bytes, around @work: records into @c. */
static int run(struct collect *c, const int *cpus, int ncpus, size_t ringbuf, void (*work)(void),
	       struct tracer_status *st)
{
	struct tracer_opts o = {.cpus = cpus,
				.ncpus = ncpus,
				.on_events = collect_events,
				.ctx = c,
				.ringbuf_bytes = ringbuf};
	struct tracer *t;
	char err[256];

	if (tracer_open(&o, &t, err, sizeof(err))) {
		fprintf(stderr, "tracer_open: %s\n", err);
		return T_EXIT_FAIL;
	}
	EXPECT(tracer_add_tgid(t, getpid()) == 0);
	EXPECT(tracer_start(t) == 0);
	work();
	EXPECT(tracer_stop(t, st) == 0);
	tracer_close(t);
	return T_EXIT_PASS;
}

static void quiet(void)
{
	for (int i = 0; i < 30; i++)
		usleep(10000);
}

/*
 * syscalls - getppid in bursts of 1000 with a pause between: a producer at a ring's pace (a few
 * hundred thousand records a second), not a loop that outruns any consumer on a busy machine.
 */
static void syscalls(void)
{
	for (int i = 0; i < SYSCALLS; i++) {
		syscall(SYS_getppid);
		if (i % 1000 == 999)
			usleep(500);
	}
}

/* count_self - the consumer's TRACER records of @what (@cpu, or any CPU when -1). */
static size_t count_self(const struct collect *c, enum tracer_self what, int cpu)
{
	size_t n = 0;

	for (size_t i = 0; i < c->n; i++) {
		const struct tracer_event *e = &c->ev[i];

		n += e->type == TRACER_EV_TRACER && e->arg0 == what && (cpu < 0 || e->cpu == cpu);
	}
	return n;
}

/* first_wakeup - the time of the first TRACER_SELF_WAKEUP record; UINT64_MAX: none. */
static uint64_t first_wakeup(const struct collect *c)
{
	uint64_t first = UINT64_MAX;

	for (size_t i = 0; i < c->n; i++) {
		const struct tracer_event *e = &c->ev[i];

		if (e->type == TRACER_EV_TRACER && e->arg0 == TRACER_SELF_WAKEUP &&
		    e->ts_ns < first)
			first = e->ts_ns;
	}
	return first;
}

/*
 * test_asleep - 300 ms of a quiet process, every CPU traced: the consumer never runs (the old
 * one, on a 20 ms poll, made 14-15 TRACER intervals here).
 */
static int test_asleep(void)
{
	struct tracer_status st;
	struct collect c = {0};

	CHECK(run(&c, NULL, 0, 0, quiet, &st) == T_EXIT_PASS);
	EXPECTF(count_self(&c, TRACER_SELF_ONCPU, -1) == 0, "%zu consumer intervals",
		count_self(&c, TRACER_SELF_ONCPU, -1));
	EXPECT(count_self(&c, TRACER_SELF_WAKEUP, -1) == 0);
	free(c.ev);
	return T_EXIT_PASS;
}

/*
 * test_woken_at_mark - a small ringbuf filled three times over: the consumer is woken (a
 * TRACER_SELF_WAKEUP record), runs only from then on, and every record arrives.
 */
static int test_woken_at_mark(void)
{
	struct tracer_status st;
	struct collect c = {0};
	size_t getppids = 0;
	uint64_t woken;

	CHECK(run(&c, NULL, 0, SMALL_RINGBUF, syscalls, &st) == T_EXIT_PASS);
	woken = first_wakeup(&c);
	EXPECT(woken != UINT64_MAX);
	for (size_t i = 0; i < c.n; i++) {
		const struct tracer_event *e = &c.ev[i];

		getppids += e->type == TRACER_EV_SYSCALL && e->arg0 == SYS_getppid &&
			    e->tid == (uint32_t)gettid();
		EXPECTF(e->type != TRACER_EV_TRACER || e->arg0 != TRACER_SELF_ONCPU ||
			    e->ts_ns >= woken,
			"the consumer ran %llu ns before it was first woken",
			(unsigned long long)(woken - e->ts_ns));
	}
	EXPECTF(st.lost == 0 && getppids == SYSCALLS, "%llu lost, %zu of %d getppid records",
		(unsigned long long)st.lost, getppids, SYSCALLS);
	fprintf(stderr, "# woken_at_mark: %zu wake-ups, %zu consumer intervals, %llu boosts\n",
		count_self(&c, TRACER_SELF_WAKEUP, -1), count_self(&c, TRACER_SELF_ONCPU, -1),
		(unsigned long long)st.consumer_boosts);
	free(c.ev);
	return T_EXIT_PASS;
}

/* test_kept_off - only CPU 0 traced: the consumer runs elsewhere, CPU 0 sees none of it. */
static int test_kept_off(void)
{
	struct tracer_status st;
	struct collect c = {0};
	const int cpu0 = 0;

	if (sysconf(_SC_NPROCESSORS_ONLN) < 2)
		return check_skip("one CPU: the consumer cannot keep off it");
	CHECK(run(&c, &cpu0, 1, SMALL_RINGBUF, syscalls, &st) == T_EXIT_PASS);
	EXPECT(first_wakeup(&c) != UINT64_MAX);
	EXPECT(count_self(&c, TRACER_SELF_ONCPU, 0) == 0);
	free(c.ev);
	return T_EXIT_PASS;
}

int main(void)
{
	static const struct check_case cases[] = {
	    CHECK_CASE(asleep),
	    CHECK_CASE(woken_at_mark),
	    CHECK_CASE(kept_off),
	};

	return tracer_test_run(cases, sizeof(cases) / sizeof(cases[0]));
}
