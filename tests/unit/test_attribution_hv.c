// SPDX-License-Identifier: MIT
/*
 * test_attribution_hv - the rules that read host evidence, the tracer's own activity and a page
 * fault's extent, each on a synthetic event stream whose answer is known; and a synthetic trace
 * file, analysed as on a guest and as on bare metal.
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <json-c/json.h>

#include "analysis/attribution/attribution_report.h"
#include "lib/trace/trace_reader.h"
#include "lib/trace/trace_writer.h"
#include "tests/unit/check.h"

#define T0  1000000ULL /* window start */
#define TID 100	       /* the timed thread, process 100; TID + 1 is another thread of it */

static const struct attr_platform guest = {.hypervisor = 1};
static const struct attr_platform bare = {.hypervisor = 0};

/* spike41 - a 41 us window on CPU 0, baseline 1 us: the excess is 40 us. */
static struct spike spike41(void)
{
	return (struct spike){.start_ns = T0,
			      .end_ns = T0 + 41000,
			      .win_start_ns = T0,
			      .win_end_ns = T0 + 41000,
			      .latency_ns = 41000,
			      .baseline_ns = 1000,
			      .excess_ns = 40000};
}

/* ctx_on - the timed thread's context on @pf, IPIs normally delivered in 2 us, timers 1 us. */
static struct attr_ctx ctx_on(const struct attr_platform *pf)
{
	return (struct attr_ctx){.arch = &arch_x86_64,
				 .timed_tid = TID,
				 .timed_tgid = TID,
				 .pf = pf,
				 .ipi_normal_ns = 2000,
				 .timer_normal_ns = 1000};
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

static struct tracer_event sys(uint64_t nr, uint8_t flags, uint64_t ts, uint64_t dur)
{
	struct tracer_event e = ev(TRACER_EV_SYSCALL, ts, dur, TID, 0);

	e.arg0 = nr;
	e.flags = flags;
	return e;
}

static uint64_t sum(const uint64_t *v, size_t n)
{
	uint64_t s = 0;
	size_t i;

	for (i = 0; i < n; i++)
		s += v[i];
	return s;
}

/* split - attr_spike_split of a copy of @e (it sorts in place), with the sums checked. */
static int split(const struct spike *sp, const struct tracer_event *e, size_t n,
		 const struct attr_ctx *ctx, struct attr_spike *a)
{
	struct tracer_event copy[16];

	memcpy(copy, e, n * sizeof(*e));
	if (attr_spike_split(sp, copy, n, ctx, a))
		return -1;
	if (sum(a->causes_ns, ATTR_NCAUSES) != sp->excess_ns ||
	    sum(a->hv_ns, ATTR_HV_NPARTS) != a->causes_ns[ATTR_HYPERVISOR])
		return -1;
	return 0;
}

/*
 * An io_uring_enter stretched by 25 us in which its vCPU executed nothing: the silence is
 * hypervisor, the rest network; on bare metal (or with no platform known) all network.
 */
static int test_absent_in_syscall(void)
{
	struct spike sp = spike41();
	struct tracer_event e[] = {sys(426, 0, T0 + 500, 40000),
				   ev(TRACER_EV_ABSENT, T0 + 10000, 25000, TID, 0)};
	struct attr_ctx ctx = ctx_on(&guest);
	struct attr_spike a;

	CHECK(split(&sp, e, 2, &ctx, &a) == 0);
	CHECK(a.causes_ns[ATTR_HYPERVISOR] == 25000 && a.causes_ns[ATTR_NETWORK] == 15000);
	CHECK(a.hv_ns[ATTR_HV_ABSENT] == 25000 && a.dominant == ATTR_HYPERVISOR);
	CHECK(a.key[0].type == TRACER_EV_ABSENT && a.key[0].cause == ATTR_HYPERVISOR);
	ctx = ctx_on(&bare);
	CHECK(split(&sp, e, 2, &ctx, &a) == 0);
	CHECK(a.causes_ns[ATTR_HYPERVISOR] == 0 && a.causes_ns[ATTR_NETWORK] == 40000);
	ctx.pf = NULL;
	CHECK(split(&sp, e, 2, &ctx, &a) == 0 && a.causes_ns[ATTR_NETWORK] == 40000);
	return 0;
}

/* A NET_RX softirq stretched by a silence of its vCPU: the silence is hypervisor. */
static int test_absent_in_softirq(void)
{
	struct spike sp = spike41();
	struct tracer_event e[] = {ev(TRACER_EV_SOFTIRQ, T0 + 1000, 30000, 7, 0),
				   ev(TRACER_EV_ABSENT, T0 + 5000, 20000, 7, 0)};
	struct attr_ctx ctx = ctx_on(&guest);
	struct attr_spike a;

	e[0].arg0 = 3; /* NET_RX */
	CHECK(split(&sp, e, 2, &ctx, &a) == 0);
	CHECK(a.causes_ns[ATTR_HYPERVISOR] == 20000 && a.causes_ns[ATTR_NETWORK] == 10000);
	CHECK(a.causes_ns[ATTR_UNEXPLAINED] == 10000); /* 11 us uncovered, less the baseline */
	return 0;
}

/* delayed_wakeup - a sleep woken at +6 us whose reschedule IPI came 25 us after it was sent. */
static void delayed_wakeup(struct tracer_event *e)
{
	e[0] = ev(TRACER_EV_OFFCPU, T0 + 1000, 40000, TID, 0);
	e[0].arg0 = T0 + 6000; /* the wakeup */
	e[1] = ev(TRACER_EV_IPI, T0 + 31000, 1000, 0, 0);
	e[1].arg0 = TRACER_IPI_RESCHEDULE;
	e[1].arg1 = 25000; /* sent at T0 + 6000 */
	e[1].arg2 = 1;
	e[1].flags = TRACER_F_IPI_SENT;
}

/*
 * The wait for a wakeup whose interrupt the host delivered 25 us after its send: the delivery
 * is hypervisor, not scheduling (2 us of it the run's routine cost, 23 us beyond); the handler
 * is irq; the rest of the run-queue wait (35 - 25 - 1 = 9 us) scheduling. On bare metal the
 * delay stays scheduling.
 */
static int test_delayed_wakeup(void)
{
	struct spike sp = spike41();
	struct tracer_event e[2];
	struct attr_ctx ctx = ctx_on(&guest);
	struct attr_spike a;

	delayed_wakeup(e);
	CHECK(split(&sp, e, 2, &ctx, &a) == 0);
	CHECK(a.causes_ns[ATTR_HYPERVISOR] == 25000 && a.hv_ns[ATTR_HV_DELIVERY] == 23000);
	CHECK(a.hv_ns[ATTR_HV_DELIVERY_ROUTINE] == 2000);
	CHECK(a.causes_ns[ATTR_IRQ] == 1000 && a.causes_ns[ATTR_SCHEDULING] == 9000);
	CHECK(a.causes_ns[ATTR_UNEXPLAINED] == 5000); /* the sleep before the wakeup */
	CHECK(a.key[0].type == TRACER_EV_IPI && a.key[0].cause == ATTR_HYPERVISOR);
	CHECK(a.key[0].start_ns == T0 + 6000 && a.key[0].dur_ns == 25000);
	CHECK(a.key[0].ts_ns == T0 + 6000 + 25000); /* the IPI's entry, where its slice starts */
	ctx = ctx_on(&bare);
	CHECK(split(&sp, e, 2, &ctx, &a) == 0);
	CHECK(a.causes_ns[ATTR_HYPERVISOR] == 0 && a.causes_ns[ATTR_SCHEDULING] == 34000);
	ctx = ctx_on(&guest);
	ctx.ipi_normal_ns = 30000; /* a platform whose IPIs always take that long: routine */
	CHECK(split(&sp, e, 2, &ctx, &a) == 0 && a.causes_ns[ATTR_HYPERVISOR] == 25000);
	CHECK(a.hv_ns[ATTR_HV_DELIVERY] == 0 && a.hv_ns[ATTR_HV_DELIVERY_ROUTINE] == 25000);
	return 0;
}

/*
 * A timer interrupt 11 us late (1 us is this run's routine) on the timed thread's CPU: the
 * 11 us before its handler are host time, 10 us of it beyond the routine. Its delivery counts
 * even when the handler itself comes after the window.
 */
static int test_late_timer(void)
{
	struct spike sp = spike41();
	struct tracer_event e[] = {ev(TRACER_EV_IPI, T0 + 20000, 2000, TID, 0)};
	struct attr_ctx ctx = ctx_on(&guest);
	struct attr_spike a;

	e[0].arg0 = TRACER_IPI_LOCAL_TIMER;
	e[0].arg1 = 11000;
	e[0].flags = TRACER_F_TIMER_EXPIRY;
	CHECK(split(&sp, e, 1, &ctx, &a) == 0);
	CHECK(a.causes_ns[ATTR_HYPERVISOR] == 11000 && a.causes_ns[ATTR_IRQ] == 2000);
	CHECK(a.hv_ns[ATTR_HV_DELIVERY] == 10000 && a.hv_ns[ATTR_HV_DELIVERY_ROUTINE] == 1000);
	CHECK(a.causes_ns[ATTR_UNEXPLAINED] == 27000);
	e[0].ts_ns = T0 + 45000; /* handler after the window: 7 us of the delay inside it */
	CHECK(split(&sp, e, 1, &ctx, &a) == 0);
	CHECK(a.causes_ns[ATTR_HYPERVISOR] == 7000 && a.causes_ns[ATTR_IRQ] == 0);
	return 0;
}

/*
 * VM-exit proxies (3 in an EXITS window covering the spike) at a measured 3 us each: 9 us of
 * host time, out of unexplained first, then out of the guest's causes; unknown cost: none.
 */
static int test_exit_budget(void)
{
	struct spike sp = spike41();
	struct tracer_event e[] = {ev(TRACER_EV_EXITS, T0 - 41000, 123000, 0, 0),
				   sys(1, TRACER_F_FD_OTHER, T0 + 1000, 35000)};
	struct attr_platform pf = {.hypervisor = 1, .exit_cost_ns = 3000};
	struct attr_ctx ctx = ctx_on(&pf);
	struct attr_spike a;

	e[0].arg0 = 6; /* ICR writes over the 123 us: a third of them in the window */
	e[0].arg1 = 3; /* TSC_DEADLINE writes */
	CHECK(split(&sp, e, 1, &ctx, &a) == 0);
	CHECK(a.exits == 3 && a.hv_ns[ATTR_HV_EXITS] == 9000);
	CHECK(a.causes_ns[ATTR_UNEXPLAINED] == 31000);
	CHECK(split(&sp, e, 2, &ctx, &a) == 0); /* 5 us unexplained, 4 us from the flush */
	CHECK(a.causes_ns[ATTR_HYPERVISOR] == 9000 && a.causes_ns[ATTR_BUFFER_FLUSH] == 31000);
	ctx.exits_usual_per_ns = 1.0 / 1000; /* one exit per us is usual: 1 in the baseline */
	CHECK(split(&sp, e, 1, &ctx, &a) == 0 && a.hv_ns[ATTR_HV_EXITS] == 6000);
	pf.exit_cost_ns = 0; /* no vmexit probe: the budget is unknown, not guessed */
	CHECK(split(&sp, e, 1, &ctx, &a) == 0);
	CHECK(a.exits == 3 && a.causes_ns[ATTR_HYPERVISOR] == 0);
	return 0;
}

/* Steal the host reported over a window twice the spike's: half of it is in the spike. */
static int test_steal(void)
{
	struct spike sp = spike41();
	struct tracer_event e[] = {ev(TRACER_EV_STEAL, T0 - 41000, 82000, 0, 0)};
	struct attr_ctx ctx = ctx_on(&guest);
	struct attr_spike a;

	e[0].arg0 = 8200;
	CHECK(split(&sp, e, 1, &ctx, &a) == 0);
	CHECK(a.hv_ns[ATTR_HV_STEAL] == 4100 && a.causes_ns[ATTR_UNEXPLAINED] == 35900);
	return 0;
}

/*
 * The tracer's consumer ran on the timed thread's CPU while it was preempted inside its
 * io_uring_enter: that is tracer time, neither scheduling nor network.
 */
static int test_tracer_oncpu(void)
{
	struct spike sp = spike41();
	struct tracer_event e[] = {sys(426, 0, T0 + 500, 40000),
				   ev(TRACER_EV_OFFCPU, T0 + 1000, 30000, TID, 0),
				   ev(TRACER_EV_TRACER, T0 + 1000, 30000, TID + 1, 0)};
	struct attr_ctx ctx = ctx_on(&bare);
	struct attr_spike a;

	e[1].flags = TRACER_F_PREEMPTED;
	e[2].arg0 = TRACER_SELF_ONCPU;
	CHECK(split(&sp, e, 3, &ctx, &a) == 0);
	CHECK(a.causes_ns[ATTR_TRACER] == 30000 && a.causes_ns[ATTR_SCHEDULING] == 0);
	CHECK(a.causes_ns[ATTR_NETWORK] == 10000 && a.dominant == ATTR_TRACER);
	return 0;
}

/*
 * A wakeup of the tracer's consumer: a clean window measures its unseen interrupt, and each
 * wakeup then owns that much of the uncovered time.
 */
static int test_tracer_wakeup(void)
{
	struct spike sp = spike41();
	struct tracer_event e[] = {ev(TRACER_EV_TRACER, T0 + 1000, 0, TID, 0)};
	struct attr_ctx ctx = ctx_on(&bare);
	struct attr_spike a;
	uint64_t rest = 0;

	e[0].arg0 = TRACER_SELF_WAKEUP;
	e[0].arg1 = 4096;
	CHECK(attr_spike_clean(&sp, e, 1, &ctx, &rest) == ATTR_CLEAN_WAKEUP && rest == 40000);
	ctx.wakeup_ns = 3000;
	CHECK(split(&sp, e, 1, &ctx, &a) == 0);
	CHECK(a.causes_ns[ATTR_TRACER] == 3000 && a.causes_ns[ATTR_UNEXPLAINED] == 37000);
	return 0;
}

/* A page fault lasts until the thread's next event: here a syscall 10 us after it. */
static int test_fault_until_next_event(void)
{
	struct spike sp = spike41();
	struct tracer_event e[] = {ev(TRACER_EV_PAGE_FAULT, T0 + 2000, 0, TID, 0),
				   sys(110, 0, T0 + 12000, 1000)};
	struct attr_ctx ctx = ctx_on(&bare);
	struct attr_spike a;

	CHECK(split(&sp, e, 2, &ctx, &a) == 0);
	CHECK(a.causes_ns[ATTR_PAGE_FAULT] == 10000 && a.causes_ns[ATTR_UNEXPLAINED] == 30000);
	return 0;
}

/*
 * A fault that blocks (switched out asleep at +2 us, woken at +20 us, back at +32 us): its sleep
 * is the fault's, not unexplained, while the wait for a CPU after the wakeup stays scheduling;
 * preempted inside the fault instead, the whole preemption is scheduling.
 */
static int test_fault_blocks(void)
{
	struct spike sp = spike41();
	struct tracer_event e[] = {ev(TRACER_EV_PAGE_FAULT, T0 + 1000, 0, TID, 0),
				   ev(TRACER_EV_OFFCPU, T0 + 2000, 30000, TID, 0),
				   sys(110, 0, T0 + 35000, 1000)};
	struct attr_ctx ctx = ctx_on(&bare);
	struct attr_spike a;

	e[1].arg0 = T0 + 20000;
	CHECK(split(&sp, e, 3, &ctx, &a) == 0);
	CHECK(a.causes_ns[ATTR_PAGE_FAULT] == 22000 && a.causes_ns[ATTR_SCHEDULING] == 12000);
	CHECK(a.causes_ns[ATTR_UNEXPLAINED] == 6000);
	e[1].flags = TRACER_F_PREEMPTED;
	CHECK(split(&sp, e, 3, &ctx, &a) == 0);
	CHECK(a.causes_ns[ATTR_PAGE_FAULT] == 4000 && a.causes_ns[ATTR_SCHEDULING] == 30000);
	return 0;
}

/* An irq that began before the window and ends inside it counts for its part inside. */
static int test_event_straddles_start(void)
{
	struct spike sp = spike41();
	struct tracer_event e[] = {ev(TRACER_EV_IRQ, T0 - 5000, 10000, TID, 0)};
	struct attr_ctx ctx = ctx_on(&bare);
	struct attr_spike a;

	CHECK(split(&sp, e, 1, &ctx, &a) == 0);
	CHECK(a.causes_ns[ATTR_IRQ] == 5000 && a.causes_ns[ATTR_UNEXPLAINED] == 35000);
	return 0;
}

/* name - a NAME record: @tid is called @comm from @ts on. */
static struct tracer_event name(uint32_t tid, uint64_t ts, const char *comm)
{
	struct tracer_event e = ev(TRACER_EV_NAME, ts, 0, tid, 0);
	char buf[16] = {0};

	strncpy(buf, comm, sizeof(buf));
	memcpy(&e.arg0, buf, 8);
	memcpy(&e.arg1, buf + 8, 8);
	return e;
}

/* key_what - the "what" of the first key event of @a, in the JSON of spike @sp. */
static int key_what_is(const struct spike *sp, const struct attr_spike *a,
		       const struct attr_names *names, const char *want, const char *key,
		       int64_t val)
{
	struct json_object *o = attr_spike_json(sp, a, &arch_x86_64, names), *k;
	int ok;

	k = json_object_array_get_idx(json_object_object_get(o, "events"), 0);
	ok = k && !strcmp(json_object_get_string(json_object_object_get(k, "what")), want) &&
	     !strcmp(json_object_get_string(json_object_object_get(k, "comm")), "ringscope") &&
	     json_object_get_int64(json_object_object_get(k, key)) == val;
	if (!ok)
		fprintf(stderr, "got %s\n", json_object_to_json_string(k));
	json_object_put(o);
	return ok;
}

/*
 * Who ran instead: a preemption whose switch named the next thread says which, by its name
 * (the later of two NAME records of a thread, whatever their order), in "what" and in JSON.
 * With RAN records the thread that held the CPU longest during the wait is named instead: a hog
 * that ran 20 us after cyclictest's 3 us, not the thread switched to first. RAN time on another
 * CPU, or outside the window, is not counted.
 */
static int test_ran_instead(void)
{
	struct tracer_event n[] = {name(4321, T0 + 5, "cyclictest"), name(4321, T0, "bash"),
				   name(TID, T0, "ringscope"), name(5555, T0, "hog")};
	struct tracer_event e[] = {ev(TRACER_EV_OFFCPU, T0 + 1000, 30000, TID, 0),
				   ev(TRACER_EV_RAN, T0 + 1000, 3000, 4321, 0),
				   ev(TRACER_EV_RAN, T0 + 4000, 20000, 5555, 0),
				   ev(TRACER_EV_RAN, T0 + 4000, 25000, 6666, 1),
				   ev(TRACER_EV_RAN, T0 + 25000, 40000, 7777, 0)};
	struct attr_ctx ctx = ctx_on(&bare);
	struct attr_names *names = NULL;
	struct spike sp = spike41();
	struct attr_spike a;
	size_t i;
	int ok;

	for (i = 0; i < 4; i++)
		CHECK(attr_names_add(&names, &n[i]) == 0);
	CHECK(attr_names_get(names, 99) == NULL &&
	      !strcmp(attr_names_get(names, 4321), "cyclictest"));
	e[0].flags = TRACER_F_PREEMPTED | TRACER_F_NEXT_SEEN;
	e[0].arg1 = (uint64_t)4321 << 32;
	ok = split(&sp, e, 1, &ctx, &a) == 0 &&
	     key_what_is(&sp, &a, names, "off cpu, preempted; switched to cyclictest 4321",
			 "next_tid", 4321);
	/* 7777 ran 16 us of the window (to its end at T0 + 41000), the hog 20 us */
	ok = ok && split(&sp, e, 5, &ctx, &a) == 0 && a.key[0].ran_threads == 3 &&
	     key_what_is(
		 &sp, &a, names,
		 "off cpu, preempted; ran hog 5555 for 20.0 us of it (the longest of several)",
		 "ran_ns", 20000);
	/* and when it took the CPU: where the export's flow to its slice of what ran lands */
	ok = ok && a.key[0].ran_tid == 5555 && a.key[0].ran_start_ns == T0 + 4000;
	ok = ok && a.key[0].ts_ns == T0 + 1000 && a.key[0].tgid == e[0].tgid;
	attr_names_free(names);
	CHECK(ok);
	return 0;
}

/*
 * trace_file - a one-probe trace on @hypervisor (NULL: bare metal) into @path; with @stale the
 * spike's CPU went idle and came back between the wakeup's send and its handler. 0 or -1.
 */
static int trace_file(const char *path, const char *hypervisor, bool stale)
{
	struct json_object *pl = json_object_new_object(), *probe = json_object_new_object();
	struct json_object *session = json_object_new_object();
	struct trace_writer *w;
	struct tracer_event e[12];
	struct trace_sample s;
	uint32_t i;
	int rc;

	json_object_object_add(session, "pid", json_object_new_int(TID));
	json_object_object_add(pl, "hypervisor",
			       hypervisor ? json_object_new_string(hypervisor) : NULL);
	json_object_object_add(probe, "probe_id", json_object_new_int(0));
	json_object_object_add(probe, "probe", json_object_new_string("null"));
	if (trace_writer_open(path, &w))
		return -1;
	rc = trace_writer_add_json(w, TRACE_CHUNK_SESSION, session) ||
	     trace_writer_add_json(w, TRACE_CHUNK_PLATFORM, pl) ||
	     trace_writer_add_json(w, TRACE_CHUNK_PROBE, probe);
	for (i = 0; !rc && i < 100; i++) { /* 1 us iterations every 100 us; the 50th is 41 us */
		s = (struct trace_sample){.mono_start_ns = T0 + 100000ULL * i,
					  .latency_ns = i == 50 ? 41000 : 1000,
					  .iteration = i};
		s.mono_end_ns = s.mono_start_ns + s.latency_ns;
		rc = trace_writer_add_sample(w, 0, &s);
	}
	delayed_wakeup(e);	      /* the spike's wait, its wakeup IPI 25 us late */
	e[0].ts_ns += 50 * 100000ULL; /* into iteration 50 */
	e[0].arg0 += 50 * 100000ULL;
	e[1].ts_ns += 50 * 100000ULL;
	for (i = 2; i < 11; i++) { /* IPIs between iterations, delivered in the normal 2 us */
		e[i] = e[1];
		e[i].ts_ns = T0 + 100000ULL * i + 50000;
		e[i].arg1 = 2000;
	}
	if (stale) { /* idle from 5 us after the send for 10 us, before the handler's record */
		e[11] = e[1];
		e[1] = ev(TRACER_EV_IDLE, e[11].ts_ns - e[11].arg1 + 5000, 10000, 0, 0);
	}
	rc = rc || trace_writer_add_events(w, e, stale ? 12 : 11);
	json_object_put(session);
	json_object_put(pl);
	json_object_put(probe);
	return trace_writer_close(w, NULL) || rc ? -1 : 0;
}

/*
 * hv_of - the analysed trace's hypervisor excess, its meaning text, the interrupt delivery per
 * iteration (ns) and the IPI pairings refused.
 */
static int hv_of(const char *path, int64_t *hv, char *meaning, size_t len, double *delivery,
		 int64_t *refused)
{
	struct attr_report_opts o = {.top = 1};
	struct json_object *probes = json_object_new_array(), *p, *v;
	struct trace_session *s = NULL;
	char err[256];
	int rc;

	spikes_opts_default(&o.spikes);
	json_object_array_add(probes, json_object_new_object());
	rc = trace_session_load(path, &s, err, sizeof(err)) ||
	     attr_report_add(path, s, &o, probes, err, sizeof(err));
	p = json_object_array_get_idx(probes, 0);
	if (!rc && json_object_object_get_ex(p, "attribution", &v) &&
	    json_object_object_get_ex(v, "hypervisor", &v) &&
	    json_object_object_get_ex(v, "excess_ns", &v))
		*hv = json_object_get_int64(v);
	else
		rc = -1;
	if (!rc && json_object_object_get_ex(p, "cause_meaning", &v))
		snprintf(meaning, len, "%s",
			 json_object_get_string(json_object_object_get(v, "hypervisor")));
	if (!rc && json_object_object_get_ex(p, "evidence", &v)) {
		*delivery =
		    json_object_get_double(json_object_object_get(v, "delivery_ns_per_iteration"));
		*refused = json_object_get_int64(json_object_object_get(v, "ipi_pairings_refused"));
	}
	trace_session_free(s);
	json_object_put(probes);
	return rc;
}

/*
 * The same events in a file from a guest and from bare metal: the guest's trace gives the late
 * wakeup's delivery to hypervisor (25 us of the 40 us excess); bare metal's leaves the cause
 * empty and says why. Either way the probe's 10 deliveries (9 x 2 us and 25 us) come to 430 ns
 * per iteration of its 100.
 */
static int test_trace_guest_and_bare_metal(void)
{
	char path[] = "/tmp/test_attribution_hv_XXXXXX", meaning[640] = "";
	double delivery = 0;
	int64_t hv = -1, refused = -1;
	int fd = mkstemp(path), rc = 1;

	CHECK(fd >= 0);
	close(fd);
	if (trace_file(path, "KVMKVMKVM", false) ||
	    hv_of(path, &hv, meaning, sizeof(meaning), &delivery, &refused) || hv != 25000 ||
	    !strstr(meaning, "host time with evidence") || delivery != 430 || refused != 0)
		goto out;
	if (trace_file(path, NULL, false) ||
	    hv_of(path, &hv, meaning, sizeof(meaning), &delivery, &refused) || hv != 0 ||
	    !strstr(meaning, "bare metal") || delivery != 430)
		goto out;
	rc = 0;
out:
	if (rc)
		fprintf(stderr, "hypervisor %lld ns, meaning '%s'\n", (long long)hv, meaning);
	unlink(path);
	return rc;
}

/*
 * The same guest trace, but the spike's CPU went idle and came back between the wakeup IPI's
 * send and its handler: the pairing cannot be true (issue 9: a reschedule "delivered" 39.4 ms
 * after its send, ~300 idle periods later, counted 739 us of hypervisor time). It is refused and
 * counted: no hypervisor time, the wait is the run queue's; the probe's deliveries are the 9
 * routine ones (9 x 2 us over 100 iterations).
 */
static int test_trace_stale_pairing(void)
{
	char path[] = "/tmp/test_attribution_hv_XXXXXX", meaning[640] = "";
	double delivery = 0;
	int64_t hv = -1, refused = -1;
	int fd = mkstemp(path), rc;

	CHECK(fd >= 0);
	close(fd);
	rc = trace_file(path, "KVMKVMKVM", true) ||
	     hv_of(path, &hv, meaning, sizeof(meaning), &delivery, &refused);
	unlink(path);
	CHECK(rc == 0);
	EXPECTF(hv == 0 && refused == 1 && delivery == 180,
		"hypervisor %lld ns, %lld refused, %.0f ns of delivery per iteration",
		(long long)hv, (long long)refused, delivery);
	EXPECT(strstr(meaning, "stale pairings refused 1;"));
	return 0;
}

int main(void)
{
	static const struct check_case cases[] = {
	    CHECK_CASE(absent_in_syscall),
	    CHECK_CASE(absent_in_softirq),
	    CHECK_CASE(delayed_wakeup),
	    CHECK_CASE(late_timer),
	    CHECK_CASE(exit_budget),
	    CHECK_CASE(steal),
	    CHECK_CASE(tracer_oncpu),
	    CHECK_CASE(tracer_wakeup),
	    CHECK_CASE(fault_until_next_event),
	    CHECK_CASE(fault_blocks),
	    CHECK_CASE(event_straddles_start),
	    CHECK_CASE(ran_instead),
	    CHECK_CASE(trace_guest_and_bare_metal),
	    CHECK_CASE(trace_stale_pairing),
	};

	return CHECK_RUN(cases);
}
