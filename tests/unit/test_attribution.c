// SPDX-License-Identifier: MIT
/* test_attribution - per-spike splits of synthetic windows and events with known answers. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "analysis/attribution/attribution.h"
#include "analysis/attribution/attribution_report.h"
#include "tests/unit/check.h"

#define T0  1000000ULL /* window start */
#define TID 100	       /* the timed thread, process 100 */

/* spike41 - a 41 us window on CPU 0, baseline 1 us: the excess is 40 us. */
static struct spike spike41(void)
{
	return (struct spike){.start_ns = T0,
			      .end_ns = T0 + 41000,
			      .win_start_ns = T0,
			      .win_end_ns = T0 + 41000,
			      .latency_ns = 41000,
			      .baseline_ns = 1000,
			      .excess_ns = 40000,
			      .cpu = 0};
}

static struct tracer_event ev(uint8_t type, uint64_t ts, uint64_t dur, uint32_t tid, uint16_t cpu)
{
	return (struct tracer_event){.type = type,
				     .ts_ns = ts,
				     .dur_ns = dur,
				     .tid = tid,
				     .tgid = tid == TID + 1 ? TID : tid,
				     .cpu = cpu};
}

static struct tracer_event sys(uint64_t nr, uint8_t flags, uint64_t ts, uint64_t dur, uint32_t tid)
{
	struct tracer_event e = ev(TRACER_EV_SYSCALL, ts, dur, tid, 0);

	e.arg0 = nr;
	e.flags = flags;
	return e;
}

static const struct attr_ctx ctx_timed = {
    .arch = &arch_x86_64, .timed_tid = TID, .timed_tgid = TID};

static uint64_t sum(const struct attr_spike *a)
{
	uint64_t s = 0;
	int c;

	for (c = 0; c < ATTR_NCAUSES; c++)
		s += a->causes_ns[c];
	return s;
}

/* A 40 us write to a file inside the window: all of the excess is buffer-flush. */
static int test_flush(void)
{
	struct spike sp = spike41();
	struct tracer_event e[] = {sys(1, TRACER_F_FD_OTHER, T0 + 500, 40000, TID)};
	struct attr_spike a;

	CHECK(attr_spike_split(&sp, e, 1, &ctx_timed, &a) == 0);
	CHECK(a.causes_ns[ATTR_BUFFER_FLUSH] == 40000 && sum(&a) == 40000);
	CHECK(a.dominant == ATTR_BUFFER_FLUSH);
	CHECK(a.nkey == 1 && a.key[0].own_ns == 40000 && a.key[0].type == TRACER_EV_SYSCALL);
	CHECK(a.key[0].cause == ATTR_BUFFER_FLUSH && a.key[0].tid == TID && a.key[0].arg0 == 1);
	return 0;
}

/* A 5 us irq inside the write counts as irq, not as the write. */
static int test_nested_irq(void)
{
	struct spike sp = spike41();
	struct tracer_event e[] = {sys(1, TRACER_F_FD_OTHER, T0 + 500, 40000, TID),
				   ev(TRACER_EV_IRQ, T0 + 10000, 5000, 0, 0)};
	struct attr_spike a;

	CHECK(attr_spike_split(&sp, e, 2, &ctx_timed, &a) == 0);
	CHECK(a.causes_ns[ATTR_BUFFER_FLUSH] == 35000 && a.causes_ns[ATTR_IRQ] == 5000);
	CHECK(a.dominant == ATTR_BUFFER_FLUSH && sum(&a) == 40000);
	CHECK(a.key[1].type == TRACER_EV_IRQ && a.key[1].own_ns == 5000);
	return 0;
}

/* Off CPU 40 us, woken after 10 us: 30 us run-queue wait; the sleep is not scheduling. */
static int test_offcpu_wakeup(void)
{
	struct spike sp = spike41();
	struct tracer_event e[] = {ev(TRACER_EV_OFFCPU, T0 + 500, 40000, TID, 0)};
	struct attr_spike a;

	e[0].arg0 = T0 + 10500;
	CHECK(attr_spike_split(&sp, e, 1, &ctx_timed, &a) == 0);
	CHECK(a.causes_ns[ATTR_SCHEDULING] == 30000 && a.causes_ns[ATTR_UNEXPLAINED] == 10000);
	CHECK(a.dominant == ATTR_SCHEDULING);
	e[0].flags = TRACER_F_PREEMPTED; /* preempted: all of it waits for the CPU */
	CHECK(attr_spike_split(&sp, e, 1, &ctx_timed, &a) == 0);
	CHECK(a.causes_ns[ATTR_SCHEDULING] == 40000 && sum(&a) == 40000);
	e[0].flags = 0;
	e[0].arg0 = 0; /* no wakeup seen: a sleep, no scheduling */
	CHECK(attr_spike_split(&sp, e, 1, &ctx_timed, &a) == 0);
	CHECK(a.causes_ns[ATTR_UNEXPLAINED] == 40000);
	return 0;
}

/*
 * Off CPU 40 us outside any syscall, woken after 30 us: stopped by a signal (prev_state
 * __TASK_STOPPED | TASK_WAKEKILL, SIGSTOP then SIGCONT), by a tracer, or frozen, the thread
 * waited for someone else all along: all of it is scheduling, named for what held it. Asleep in
 * an ordinary state (TASK_FREEZABLE is no stop) only the wait after the wakeup is.
 */
static int test_offcpu_held(void)
{
	static const uint32_t held[] = {0x104, 0x8, 0x8000};
	struct spike sp = spike41();
	struct tracer_event e[] = {ev(TRACER_EV_OFFCPU, T0 + 500, 40000, TID, 0)};
	struct attr_spike a;
	char what[96];
	size_t i;

	e[0].arg0 = T0 + 30500;
	for (i = 0; i < sizeof(held) / sizeof(held[0]); i++) {
		e[0].arg1 = held[i];
		CHECK(attr_spike_split(&sp, e, 1, &ctx_timed, &a) == 0);
		CHECK(a.causes_ns[ATTR_SCHEDULING] == 40000 && sum(&a) == 40000);
	}
	e[0].arg1 = 0x104;
	CHECK(attr_spike_split(&sp, e, 1, &ctx_timed, &a) == 0);
	attr_event_what(&arch_x86_64, &a.key[0], what, sizeof(what));
	CHECK(strcmp(what, "off cpu, stopped by a signal") == 0);
	e[0].arg1 = 0x2001;
	CHECK(attr_spike_split(&sp, e, 1, &ctx_timed, &a) == 0);
	CHECK(a.causes_ns[ATTR_SCHEDULING] == 10000 && a.causes_ns[ATTR_UNEXPLAINED] == 30000);
	attr_event_what(&arch_x86_64, &a.key[0], what, sizeof(what));
	CHECK(strcmp(what, "off cpu, slept, then woken") == 0);
	return 0;
}

/*
 * A timer interrupt at +5 us (2 us), then the timed thread, in user mode, preempted at +8 us for
 * 20 us: the 1 us from the handler's end to the switch-out is the preemption's own path, so
 * scheduling is 21 us. Not so when the thread was in a syscall then (preempted anywhere in the
 * kernel), nor for a handler on another CPU.
 */
static int test_preempt_from_irq(void)
{
	struct spike sp = spike41();
	struct tracer_event in[] = {ev(TRACER_EV_IPI, T0 + 5000, 2000, TID, 0),
				    ev(TRACER_EV_OFFCPU, T0 + 8000, 20000, TID, 0),
				    sys(0, 0, T0 + 1000, 30000, TID)},
			    e[3];
	struct attr_spike a;

	in[1].flags = TRACER_F_PREEMPTED;
	memcpy(e, in, sizeof(e)); /* the split sorts its events in place */
	CHECK(attr_spike_split(&sp, e, 2, &ctx_timed, &a) == 0);
	CHECK(a.causes_ns[ATTR_SCHEDULING] == 21000 && a.causes_ns[ATTR_IRQ] == 2000);
	CHECK(a.causes_ns[ATTR_UNEXPLAINED] == 17000 && sum(&a) == 40000);
	memcpy(e, in, sizeof(e));
	CHECK(attr_spike_split(&sp, e, 3, &ctx_timed, &a) == 0); /* inside a read */
	CHECK(a.causes_ns[ATTR_SCHEDULING] == 20000 && a.causes_ns[ATTR_IRQ] == 2000);
	memcpy(e, in, sizeof(e));
	e[0].cpu = 1; /* it left CPU 0 (arg2); the handler was on CPU 1 */
	CHECK(attr_spike_split(&sp, e, 2, &ctx_timed, &a) == 0);
	CHECK(a.causes_ns[ATTR_SCHEDULING] == 20000);
	return 0;
}

/* No events at all: the whole excess is unexplained. */
static int test_no_events(void)
{
	struct spike sp = spike41();
	struct attr_spike a;

	CHECK(attr_spike_split(&sp, NULL, 0, &ctx_timed, &a) == 0);
	CHECK(a.causes_ns[ATTR_UNEXPLAINED] == 40000 && sum(&a) == 40000);
	CHECK(a.dominant == ATTR_UNEXPLAINED && a.nkey == 0 && a.nevents == 0);
	return 0;
}

/* An irq on a CPU no counted thread used is ignored, until a member thread runs there. */
static int test_other_cpu(void)
{
	struct spike sp = spike41();
	struct tracer_event e[] = {ev(TRACER_EV_IRQ, T0 + 1000, 20000, 0, 1),
				   ev(TRACER_EV_SOFTIRQ, T0 + 30000, 4000, 0, 1),
				   sys(0, TRACER_F_FD_SOCKET, T0 + 100, 50, 200)};
	struct attr_spike a;

	e[1].arg0 = 1; /* TIMER */
	e[2].cpu = 1;
	CHECK(attr_spike_split(&sp, e, 2, &ctx_timed, &a) == 0);
	CHECK(a.causes_ns[ATTR_UNEXPLAINED] == 40000 && a.nevents == 0);
	CHECK(attr_spike_split(&sp, e, 3, &ctx_timed, &a) == 0); /* member 200 on CPU 1 */
	CHECK(a.causes_ns[ATTR_IRQ] == 24000 && a.causes_ns[ATTR_NETWORK] == 50); /* no usual */
	CHECK(a.causes_ns[ATTR_UNEXPLAINED] == 15950);
	return 0;
}

/* Another thread of the timed process (the tracer, the writer) is the observer, not a cause. */
static int test_observer_thread(void)
{
	struct spike sp = spike41();
	struct tracer_event e[] = {sys(1, TRACER_F_FD_OTHER, T0 + 500, 40000, TID + 1),
				   ev(TRACER_EV_OFFCPU, T0 + 400, 40200, TID, 0)};
	struct attr_spike a;

	e[1].flags = TRACER_F_PREEMPTED;
	CHECK(attr_spike_split(&sp, e, 2, &ctx_timed, &a) == 0);
	CHECK(a.causes_ns[ATTR_BUFFER_FLUSH] == 0 && a.dominant == ATTR_SCHEDULING);
	CHECK(a.causes_ns[ATTR_SCHEDULING] == 40000);
	return 0;
}

/* A thread of the timed process that did io_uring work (SQPOLL) is no observer: it counts. */
static int test_io_thread(void)
{
	struct spike sp = spike41();
	struct tracer_event e[] = {ev(TRACER_EV_OFFCPU, T0 + 500, 30000, TID + 1, 0),
				   ev(TRACER_EV_IOURING_SUBMIT, T0 + 31000, 0, TID + 1, 0)};
	struct attr_spike a;

	e[0].flags = TRACER_F_PREEMPTED;
	CHECK(attr_spike_split(&sp, e, 1, &ctx_timed, &a) == 0); /* alone: an observer */
	CHECK(a.causes_ns[ATTR_UNEXPLAINED] == 40000);
	CHECK(attr_spike_split(&sp, e, 2, &ctx_timed, &a) == 0);
	CHECK(a.causes_ns[ATTR_SCHEDULING] == 30000 && a.causes_ns[ATTR_UNEXPLAINED] == 10000);
	return 0;
}

/*
 * A window holding only a flush of the timed thread measures the unseen entry and exit; a
 * flush then owns that much more of the uncovered time.
 */
static int test_transition(void)
{
	struct spike sp = spike41();
	struct tracer_event e[] = {sys(1, TRACER_F_FD_OTHER, T0 + 500, 10000, TID),
				   ev(TRACER_EV_IRQ, T0 + 30000, 1000, 0, 0)};
	struct attr_ctx ctx = ctx_timed;
	struct attr_spike a;
	uint64_t rest = 0;

	CHECK(attr_spike_clean(&sp, e, 1, &ctx, &rest) == ATTR_CLEAN_SYSCALL && rest == 30000);
	CHECK(attr_spike_clean(&sp, e, 2, &ctx, &rest) == ATTR_CLEAN_NONE); /* not clean: an irq */
	ctx.transition_ns = 20000;
	CHECK(attr_spike_split(&sp, e, 2, &ctx, &a) == 0);
	CHECK(a.causes_ns[ATTR_BUFFER_FLUSH] == 30000 && a.causes_ns[ATTR_IRQ] == 1000);
	CHECK(a.causes_ns[ATTR_UNEXPLAINED] == 9000);
	return 0;
}

/* A page fault lasts until the thread's next event, here the window's end: 39 us of 41. */
static int test_page_fault(void)
{
	struct spike sp = spike41();
	struct tracer_event e[] = {ev(TRACER_EV_PAGE_FAULT, T0 + 2000, 0, TID, 0)};
	struct attr_spike a;

	CHECK(attr_spike_split(&sp, e, 1, &ctx_timed, &a) == 0);
	CHECK(a.causes_ns[ATTR_PAGE_FAULT] == 39000);
	CHECK(a.causes_ns[ATTR_UNEXPLAINED] == 1000); /* 2 us before it, less the 1 us baseline */
	return 0;
}

/* An io-wq punt lasts until the completion of the same request. */
static int test_uring_async(void)
{
	struct spike sp = spike41();
	struct tracer_event e[] = {ev(TRACER_EV_IOURING_COMPLETE, T0 + 25000, 0, TID, 0),
				   ev(TRACER_EV_IOURING_ASYNC, T0 + 5000, 0, TID, 0)};
	struct attr_spike a;

	e[0].arg0 = 77; /* user_data of the completion */
	e[1].arg1 = 77; /* and of the punt */
	CHECK(attr_spike_split(&sp, e, 2, &ctx_timed, &a) == 0);
	CHECK(a.causes_ns[ATTR_IO_URING] == 20000 && a.causes_ns[ATTR_UNEXPLAINED] == 20000);
	e[1].arg0 = 78; /* sorted now: another request's completion, the punt lasts to the end */
	CHECK(attr_spike_split(&sp, e, 2, &ctx_timed, &a) == 0);
	CHECK(a.causes_ns[ATTR_IO_URING] == 36000);
	return 0;
}

/* The window (monotonic) is shorter than the latency (TSC): causes scale onto the excess. */
static int test_scaled(void)
{
	struct spike sp = spike41();
	struct tracer_event e[] = {sys(1, TRACER_F_FD_OTHER, T0, 20000, TID),
				   ev(TRACER_EV_IRQ, T0 + 20000, 10000, 0, 0)};
	struct attr_spike a;

	sp.latency_ns = 41003;
	sp.excess_ns = 40003;
	CHECK(attr_spike_split(&sp, e, 2, &ctx_timed, &a) == 0);
	CHECK(sum(&a) == 40003 && a.causes_ns[ATTR_BUFFER_FLUSH] >= 20000);
	CHECK(a.causes_ns[ATTR_IRQ] >= 10000 && a.causes_ns[ATTR_UNEXPLAINED] >= 10000);
	return 0;
}

/* Exact scaling: 1:1:1 onto 100 gives 34, 33, 33; the baseline comes out of normal time first. */
static int test_scale(void)
{
	uint64_t v[3] = {5, 5, 5}, c[ATTR_NCAUSES] = {0};

	CHECK(attr_scale_exact(v, 3, 100) == 1 && v[0] == 34 && v[1] == 33 && v[2] == 33);
	v[0] = v[1] = v[2] = 0;
	CHECK(attr_scale_exact(v, 3, 100) == 0 && v[0] == 0);
	c[ATTR_IRQ] = 300;
	c[ATTR_SCHEDULING] = 100;
	attr_remove_baseline(c, 50, 250); /* 50 from normal, 200 from 400 of causes */
	CHECK(c[ATTR_IRQ] == 150 && c[ATTR_SCHEDULING] == 50 && c[ATTR_UNEXPLAINED] == 0);
	attr_remove_baseline(c, 500, 100);
	CHECK(c[ATTR_IRQ] == 150 && c[ATTR_UNEXPLAINED] == 400);
	CHECK(attr_dominant(c) == ATTR_UNEXPLAINED);
	return 0;
}

/* rnd - a small deterministic generator (the tests never depend on the clock). */
static uint64_t rnd(uint64_t *state)
{
	*state = *state * 6364136223846793005ULL + 1442695040888963407ULL;
	return *state >> 33;
}

#define NSPK 40
#define NEV  4000

/* make_case - NSPK spikes 100 us apart and NEV random events of every type around them. */
static void make_case(struct spike *sp, struct trace_sample *s, struct tracer_event *e,
		      uint64_t seed)
{
	size_t i;

	for (i = 0; i < NSPK; i++) {
		uint64_t lat = 2000 + rnd(&seed) % 60000;

		sp[i] = (struct spike){.start_ns = T0 + 100000 * i,
				       .latency_ns = lat,
				       .baseline_ns = 1500,
				       .excess_ns = lat - 1500,
				       .cpu = (uint32_t)(i % 2),
				       .iteration = (uint32_t)i};
		sp[i].end_ns = sp[i].start_ns + lat - rnd(&seed) % 100;
		sp[i].win_start_ns = sp[i].start_ns;
		sp[i].win_end_ns = sp[i].end_ns;
		s[i] = (struct trace_sample){.mono_start_ns = sp[i].start_ns,
					     .mono_end_ns = sp[i].end_ns};
	}
	for (i = 0; i < NEV; i++) {
		e[i] = ev((uint8_t)(1 + rnd(&seed) % (TRACER_EV_TYPE_MAX - 1)),
			  T0 - 5000 + rnd(&seed) % (100000 * NSPK),
			  rnd(&seed) % 3 ? rnd(&seed) % 30000 : 0, rnd(&seed) % 3 ? TID : 200,
			  (uint16_t)(rnd(&seed) % 3));
		e[i].arg0 = rnd(&seed) % 2 ? 1 : 426;
		e[i].flags = (uint8_t)(rnd(&seed) % 8);
		if (e[i].type == TRACER_EV_OFFCPU)
			e[i].arg0 = e[i].ts_ns + rnd(&seed) % 20000;
	}
}

/* run_join - attribute the spikes with the events fed in chunks of 7. */
static int run_join(const struct spike *sp, const struct trace_sample *s,
		    const struct tracer_event *e, size_t n, struct attr_probe_out *out)
{
	struct attr_probe_in in = {
	    .spikes = sp, .nspikes = NSPK, .samples = s, .nsamples = NSPK, .timed_tid = TID};
	struct attr_join *j;
	size_t i;
	int rc;

	rc = attr_join__new(&in, 1, &arch_x86_64, NULL, &j);
	for (i = 0; !rc && i < n; i += 7)
		rc = attr_join__add(j, e + i, n - i < 7 ? n - i : 7);
	if (!rc)
		rc = attr_join__finish(j, out);
	attr_join__free(j);
	return rc;
}

/* Whatever the events, the causes of every spike add up to its excess. */
static int test_sum_invariant(void)
{
	static struct tracer_event e[NEV];
	struct trace_sample s[NSPK];
	struct attr_probe_out out;
	struct spike sp[NSPK];
	uint64_t seed, total;
	size_t i;

	for (seed = 1; seed <= 5; seed++) {
		make_case(sp, s, e, seed);
		CHECK(run_join(sp, s, e, NEV, &out) == 0);
		for (i = 0, total = 0; i < NSPK; i++) {
			CHECK(sum(&out.spikes[i]) == sp[i].excess_ns);
			total += sp[i].excess_ns;
		}
		for (i = 0; i < ATTR_NCAUSES; i++)
			total -= out.excess_ns[i];
		CHECK(total == 0);
		attr_probe_out_free(&out);
	}
	return 0;
}

/* The same events reversed and shuffled give the same attribution. */
static int test_out_of_order(void)
{
	static struct tracer_event e[NEV], r[NEV];
	struct attr_probe_out a, b;
	struct trace_sample s[NSPK];
	struct spike sp[NSPK];
	uint64_t seed = 42;
	size_t i, k;

	make_case(sp, s, e, 7);
	for (i = 0; i < NEV; i++)
		r[i] = e[NEV - 1 - i];
	for (i = NEV - 1; i > 0; i--) {
		struct tracer_event t = r[i];

		k = rnd(&seed) % (i + 1);
		r[i] = r[k];
		r[k] = t;
	}
	CHECK(run_join(sp, s, e, NEV, &a) == 0);
	CHECK(run_join(sp, s, r, NEV, &b) == 0);
	CHECK(a.events == b.events && a.syscalls_in_windows == b.syscalls_in_windows);
	for (i = 0; i < NSPK; i++) {
		CHECK(!memcmp(a.spikes[i].causes_ns, b.spikes[i].causes_ns,
			      sizeof(a.spikes[i].causes_ns)));
		CHECK(a.spikes[i].dominant == b.spikes[i].dominant);
	}
	attr_probe_out_free(&a);
	attr_probe_out_free(&b);
	return 0;
}

/*
 * A 50 us io_uring_enter where the usual one takes 20 us: only the 30 us beyond the usual cost
 * is network (within the 3% resolution of the usual-cost histogram).
 */
static int test_network_usual(void)
{
	static struct tracer_event e[201];
	struct spike sp = {.start_ns = T0,
			   .end_ns = T0 + 51000,
			   .win_start_ns = T0,
			   .win_end_ns = T0 + 51000,
			   .latency_ns = 51000,
			   .baseline_ns = 21000,
			   .excess_ns = 30000};
	struct trace_sample s[101];
	struct attr_probe_in in = {
	    .spikes = &sp, .nspikes = 1, .samples = s, .nsamples = 101, .timed_tid = TID};
	struct attr_probe_out out;
	struct attr_join *j;
	size_t i;

	for (i = 0; i < 100; i++) {
		e[i] = sys(426, 0, T0 + 100000 * (i + 1) + 500, 20000, TID);
		s[i] = (struct trace_sample){.mono_start_ns = e[i].ts_ns - 500,
					     .mono_end_ns = e[i].ts_ns + 20500};
	}
	e[100] = sys(426, 0, T0 + 500, 50000, TID);
	s[100] = (struct trace_sample){.mono_start_ns = sp.start_ns, .mono_end_ns = sp.end_ns};
	CHECK(attr_join__new(&in, 1, &arch_x86_64, NULL, &j) == 0);
	CHECK(attr_join__add(j, e, 101) == 0);
	CHECK(attr_join__finish(j, &out) == 0);
	attr_join__free(j);
	CHECK(out.spikes[0].dominant == ATTR_NETWORK && sum(&out.spikes[0]) == 30000);
	CHECK(out.spikes[0].causes_ns[ATTR_NETWORK] >= 29000);
	CHECK(out.events == 101 && out.syscalls_in_windows == 101 &&
	      out.dominant[ATTR_NETWORK] == 1);
	attr_probe_out_free(&out);
	return 0;
}

/* syscalls_in_windows counts the timed thread's syscalls that overlap a timed window, only. */
static int test_syscalls_in_windows(void)
{
	struct trace_sample s[2] = {{.mono_start_ns = T0, .mono_end_ns = T0 + 100},
				    {.mono_start_ns = T0 + 1000, .mono_end_ns = T0 + 1100}};
	struct tracer_event e[] = {sys(1, 0, T0 + 150, 800, TID), sys(1, 0, T0 + 1050, 10, 200),
				   sys(1, 0, T0 + 1090, 50, TID), sys(1, 0, T0 - 10, 5, TID)};
	struct attr_probe_in in = {.samples = s, .nsamples = 2, .timed_tid = TID};
	struct attr_probe_out out;
	struct attr_join *j;

	CHECK(attr_join__new(&in, 1, &arch_x86_64, NULL, &j) == 0);
	CHECK(attr_join__add(j, e, 4) == 0);
	CHECK(attr_join__finish(j, &out) == 0);
	attr_join__free(j);
	CHECK(out.syscalls_in_windows == 1 && out.events == 3 && out.nspikes == 0);
	attr_probe_out_free(&out);
	return 0;
}

/*
 * The spikes the guest saw nothing of: of three 41 us windows, the two with no event at all are
 * counted eventless with their 40 us of unexplained time each; the one an interrupt held is not.
 */
static int test_eventless(void)
{
	struct spike sp[3] = {spike41(), spike41(), spike41()};
	struct trace_sample s[3];
	struct tracer_event e;
	struct attr_probe_in in = {
	    .spikes = sp, .nspikes = 3, .samples = s, .nsamples = 3, .timed_tid = TID};
	struct attr_probe_out out;
	struct attr_join *j;
	size_t i;

	for (i = 0; i < 3; i++) {
		sp[i].start_ns = sp[i].win_start_ns = T0 + i * 100000;
		sp[i].end_ns = sp[i].win_end_ns = T0 + i * 100000 + 41000;
		s[i] = (struct trace_sample){.mono_start_ns = sp[i].start_ns,
					     .mono_end_ns = sp[i].end_ns};
	}
	e = ev(TRACER_EV_IRQ, T0 + 100000 + 500, 30000, TID, 0);
	CHECK(attr_join__new(&in, 1, &arch_x86_64, NULL, &j) == 0);
	CHECK(attr_join__add(j, &e, 1) == 0);
	CHECK(attr_join__finish(j, &out) == 0);
	attr_join__free(j);
	EXPECT(out.spikes[0].nevents == 0 && out.spikes[1].nevents == 1 &&
	       out.spikes[2].nevents == 0);
	EXPECT(out.eventless == 2);
	EXPECT(out.eventless_ns == 80000 && out.spikes[0].causes_ns[ATTR_UNEXPLAINED] == 40000);
	attr_probe_out_free(&out);
	return 0;
}

int main(void)
{
	static const struct check_case cases[] = {
	    CHECK_CASE(flush),
	    CHECK_CASE(nested_irq),
	    CHECK_CASE(offcpu_wakeup),
	    CHECK_CASE(offcpu_held),
	    CHECK_CASE(preempt_from_irq),
	    CHECK_CASE(no_events),
	    CHECK_CASE(other_cpu),
	    CHECK_CASE(observer_thread),
	    CHECK_CASE(io_thread),
	    CHECK_CASE(transition),
	    CHECK_CASE(page_fault),
	    CHECK_CASE(uring_async),
	    CHECK_CASE(scaled),
	    CHECK_CASE(scale),
	    CHECK_CASE(sum_invariant),
	    CHECK_CASE(out_of_order),
	    CHECK_CASE(network_usual),
	    CHECK_CASE(syscalls_in_windows),
	    CHECK_CASE(eventless),
	};

	return CHECK_RUN(cases);
}
