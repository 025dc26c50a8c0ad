// SPDX-License-Identifier: MIT
/*
 * test_mechanisms - the mechanism cost table on synthetic events whose answer is known
 * (analysis/attribution/mechanisms.h): which interval each record stands for, the time each
 * mechanism holds in a window, the median's interval, and a whole trace file's table.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <json-c/json.h>

#include "analysis/attribution/mechanisms.h"
#include "analysis/model/report_model.h"
#include "lib/trace/trace_reader.h"
#include "lib/trace/trace_writer.h"
#include "tests/unit/check.h"

#define US	 1000ULL
#define T0	 (1000 * 1000 * US)
#define TID	 100
#define FUTEX_NR 202 /* x86-64: a wait that is no I/O */
#define WRITE_NR 1
#define MAX_IVS	 32

/* What a stream emitted. */
struct got {
	struct mech_iv iv[MAX_IVS];
	size_t n;
};

static int collect(void *arg, const struct mech_iv *iv)
{
	struct got *g = arg;

	if (g->n == MAX_IVS)
		return -1;
	g->iv[g->n++] = *iv;
	return 0;
}

/* feed - @ev through a new stream (waker CPUs known or not) into @g. 0 or -1. */
static int feed(const struct tracer_event *ev, size_t n, bool waker, struct got *g)
{
	struct mech_stream *m;
	int rc;

	memset(g, 0, sizeof(*g));
	if (mech_stream_new(arch_find("x86_64"), waker, &m))
		return -1;
	rc = mech_stream_add(m, ev, n, collect, g);
	mech_stream_free(m);
	return rc;
}

/* has - whether @g holds an interval of @kind over [start, end). */
static int has(const struct got *g, enum mech_kind kind, uint64_t start, uint64_t end)
{
	size_t i;

	for (i = 0; i < g->n; i++)
		if (g->iv[i].kind == kind && g->iv[i].start == start && g->iv[i].end == end)
			return 1;
	return 0;
}

static struct tracer_event ev_of(uint8_t type, uint64_t ts, uint64_t dur)
{
	return (struct tracer_event){.type = type,
				     .ts_ns = ts,
				     .dur_ns = dur,
				     .tid = TID,
				     .tgid = TID,
				     .cpu = 1,
				     .arg2 = TRACER_FD_NONE};
}

/* A sleep: switched out at @off, woken at @wake (from another CPU if @remote), back at @in. */
static struct tracer_event sleep_of(uint64_t off, uint64_t wake, uint64_t in, int remote)
{
	struct tracer_event e = ev_of(TRACER_EV_OFFCPU, off, in - off);

	e.arg0 = wake;
	e.flags = TRACER_F_NEXT_SEEN | (remote ? TRACER_F_WAKE_REMOTE : 0);
	return e;
}

/* The one-record mechanisms: an absence, an IPI's delivery, a timer's lateness. */
static int test_one_record_mechanisms(void)
{
	struct tracer_event ev[4] = {ev_of(TRACER_EV_ABSENT, T0, 5000 * US),
				     ev_of(TRACER_EV_IPI, T0 + 10000 * US, 2 * US),
				     ev_of(TRACER_EV_IPI, T0 + 20000 * US, 2 * US),
				     ev_of(TRACER_EV_IPI, T0 + 30000 * US, 2 * US)};
	struct got g;

	ev[1].arg0 = TRACER_IPI_RESCHEDULE;
	ev[1].flags = TRACER_F_IPI_SENT;
	ev[1].arg1 = 17 * US;
	ev[2].arg0 = TRACER_IPI_LOCAL_TIMER;
	ev[2].flags = TRACER_F_TIMER_EXPIRY;
	ev[2].arg1 = 9 * US;
	ev[3].arg0 = TRACER_IPI_LOCAL_TIMER; /* no expiry seen: no lateness */
	CHECK(feed(ev, 4, true, &g) == 0);
	EXPECT(g.n == 3);
	EXPECT(has(&g, MECH_ABSENCE, T0, T0 + 5000 * US));
	EXPECT(has(&g, MECH_IRQ_DELIVERY, T0 + 9983 * US, T0 + 10000 * US));
	EXPECT(has(&g, MECH_TIMER_LATENESS, T0 + 19991 * US, T0 + 20000 * US));
	return T_EXIT_PASS;
}

/*
 * Wakeups: from another CPU (cross), from its own (same), a preemption (none). The futex sleep's
 * syscall returns 3 us after the switch-in: a context switch of 3 us; a socket wait's does not.
 */
static int test_wakeups_and_switch(void)
{
	struct tracer_event ev[6];
	struct got g;

	ev[0] = sleep_of(T0, T0 + 10 * US, T0 + 40 * US, 1);
	ev[1] = ev_of(TRACER_EV_SYSCALL, T0 - 1 * US, 44 * US);
	ev[1].arg0 = FUTEX_NR;
	ev[2] = sleep_of(T0 + 100 * US, T0 + 110 * US, T0 + 112 * US, 0);
	ev[3] = ev_of(TRACER_EV_SYSCALL, T0 + 99 * US, 20 * US);
	ev[3].arg0 = 45; /* recvfrom */
	ev[3].flags = TRACER_F_FD_SOCKET;
	ev[4] = sleep_of(T0 + 200 * US, 0, T0 + 250 * US, 0);
	ev[4].flags |= TRACER_F_PREEMPTED;
	ev[5] = ev_of(TRACER_EV_SYSCALL, T0 + 260 * US, 1 * US);
	ev[5].arg0 = FUTEX_NR;
	CHECK(feed(ev, 6, true, &g) == 0);
	EXPECT(g.n == 3);
	EXPECT(has(&g, MECH_WAKEUP_CROSS, T0 + 10 * US, T0 + 40 * US));
	EXPECT(has(&g, MECH_CONTEXT_SWITCH, T0 + 40 * US, T0 + 43 * US));
	EXPECT(has(&g, MECH_WAKEUP_SAME, T0 + 110 * US, T0 + 112 * US));
	/* a trace that does not say where a wakeup ran splits none */
	CHECK(feed(ev, 6, false, &g) == 0);
	EXPECT(g.n == 1 && has(&g, MECH_CONTEXT_SWITCH, T0 + 40 * US, T0 + 43 * US));
	return T_EXIT_PASS;
}

/* A fault lasts to the thread's next syscall or fault; one that no syscall follows within 1 ms says
 * nothing. */
static int test_page_faults(void)
{
	struct tracer_event ev[5] = {ev_of(TRACER_EV_PAGE_FAULT, T0, 0),
				     ev_of(TRACER_EV_PAGE_FAULT, T0 + 4 * US, 0),
				     ev_of(TRACER_EV_SYSCALL, T0 + 7 * US, 1 * US),
				     ev_of(TRACER_EV_PAGE_FAULT, T0 + 100 * US, 0),
				     ev_of(TRACER_EV_SYSCALL, T0 + 3000 * US, 1 * US)};
	struct got g;

	ev[2].arg0 = WRITE_NR;
	ev[4].arg0 = WRITE_NR;
	CHECK(feed(ev, 5, true, &g) == 0);
	EXPECT(g.n == 2);
	EXPECT(has(&g, MECH_PAGE_FAULT, T0, T0 + 4 * US));
	EXPECT(has(&g, MECH_PAGE_FAULT, T0 + 4 * US, T0 + 7 * US));
	return T_EXIT_PASS;
}

/* The median of 1..99 is 50, its 95% interval the 39th to the 61st value. */
static int test_cost_interval(void)
{
	double v[99];
	struct mech_cost c;
	int i;

	for (i = 0; i < 99; i++)
		v[98 - i] = i + 1;
	mech_cost_of(v, 99, &c);
	EXPECT(c.n == 99);
	EXPECT_NEAR(c.p50_ns, 50, 1e-9);
	EXPECT_NEAR(c.lo_ns, 39, 1e-9);
	EXPECT_NEAR(c.hi_ns, 61, 1e-9);
	EXPECT_NEAR(c.p90_ns, 89.2, 1e-9);
	mech_cost_of(v, 0, &c);
	EXPECT(c.n == 0);
	/* one value, two: the interval is every value there is */
	mech_cost_of(v, 1, &c);
	EXPECT(c.n == 1 && c.lo_ns == v[0] && c.hi_ns == v[0] && c.p50_ns == v[0]);
	v[0] = 7;
	v[1] = 3;
	mech_cost_of(v, 2, &c);
	EXPECT_NEAR(c.lo_ns, 3, 1e-9);
	EXPECT_NEAR(c.hi_ns, 7, 1e-9);
	EXPECT_NEAR(c.p50_ns, 5, 1e-9);
	return T_EXIT_PASS;
}

/* session_of - one probe @name with @n samples of @lat ns, 100 us apart from @t0, run 0. */
static void probe_of(struct trace_probe *p, struct trace_sample *ts, size_t n, const char *name,
		     uint64_t t0, const uint64_t *lat)
{
	size_t i;

	memset(p, 0, sizeof(*p));
	p->name = (char *)name;
	p->samples = ts;
	p->nsamples = n;
	for (i = 0; i < n; i++)
		ts[i] = (struct trace_sample){.mono_start_ns = t0 + i * 100 * US,
					      .mono_end_ns = t0 + i * 100 * US + lat[i],
					      .latency_ns = lat[i],
					      .iteration = (uint32_t)i};
}

/*
 * Two windows [0, 50) and [100, 150) us: a cross wakeup over [10, 40) with a delivery over
 * [20, 30) inside it gives the delivery 10 us and the wakeup 20; an absence over [40, 120)
 * holds 10 us of the first window and 20 of the second; one syscall of the timed thread in the
 * second window is counted, another thread's is not.
 */
static int test_windows(void)
{
	static const uint64_t lat[2] = {50 * US, 50 * US};
	struct trace_sample ts[2];
	struct trace_session s = {0};
	struct trace_probe p;
	struct mech_windows *w;
	const struct mech_window *r;
	struct tracer_event sys = ev_of(TRACER_EV_SYSCALL, T0 + 130 * US, 2 * US);
	const struct mech_iv ivs[] = {
	    {T0 + 10 * US, T0 + 40 * US, 1, MECH_WAKEUP_CROSS},
	    {T0 + 20 * US, T0 + 30 * US, 1, MECH_IRQ_DELIVERY},
	    {T0 + 40 * US, T0 + 120 * US, 0, MECH_ABSENCE},
	};
	size_t i, n;

	probe_of(&p, ts, 2, "ring", T0, lat);
	p.begin = json_object_new_object();
	rm_set_int(p.begin, RK_BEGIN_TIMED_TID, TID);
	s.probes = &p;
	s.nprobes = 1;
	CHECK(mech_windows_new(&s, NULL, &w) == 0);
	for (i = 0; i < sizeof(ivs) / sizeof(ivs[0]); i++)
		EXPECT(mech_windows_interval(w, &ivs[i]) == 0);
	mech_windows_event(w, &sys);
	sys.tid = TID + 1;
	mech_windows_event(w, &sys);
	EXPECT(mech_windows_finish(w) == 0);
	r = mech_windows_of(w, 0, &n);
	CHECK(r && n == 2);
	EXPECT(r[0].ns[MECH_IRQ_DELIVERY] == 10 * US);
	EXPECT(r[0].ns[MECH_WAKEUP_CROSS] == 20 * US);
	EXPECT(r[0].ns[MECH_ABSENCE] == 10 * US);
	EXPECT(r[1].ns[MECH_ABSENCE] == 20 * US && r[1].ns[MECH_WAKEUP_CROSS] == 0);
	EXPECT(r[0].syscalls == 0 && r[1].syscalls == 1);
	mech_windows_free(w);
	/* windows of the syscall probe only: the ring has none */
	CHECK(mech_windows_new(&s, "syscall", &w) == 0);
	EXPECT(mech_windows_interval(w, &ivs[0]) == 0 && mech_windows_finish(w) == 0);
	EXPECT(mech_windows_of(w, 0, &n) == NULL && n == 0);
	mech_windows_free(w);
	json_object_put(p.begin);
	return T_EXIT_PASS;
}

/* put_probe - PROBE @id @name (timed by TID), its samples of @lat ns, 100 us apart from @t0. */
static int put_probe(struct trace_writer *w, uint32_t id, const char *name, uint64_t t0,
		     const uint64_t *lat, size_t n)
{
	struct json_object *o = json_object_new_object();
	struct trace_sample s;
	size_t i;
	int rc;

	json_object_object_add(o, "probe_id", json_object_new_int((int)id));
	json_object_object_add(o, "probe", json_object_new_string(name));
	json_object_object_add(o, "config", json_object_new_object());
	json_object_object_add(o, "timed_tid", json_object_new_int(TID));
	rc = trace_writer_add_json(w, TRACE_CHUNK_PROBE, o);
	json_object_put(o);
	for (i = 0; !rc && i < n; i++) {
		s = (struct trace_sample){.mono_start_ns = t0 + i * 100 * US,
					  .mono_end_ns = t0 + i * 100 * US + lat[i],
					  .latency_ns = lat[i],
					  .iteration = (uint32_t)i};
		rc = trace_writer_add_sample(w, id, &s);
	}
	return rc;
}

#define NS_PER_PROBE 21

/*
 * write_session - null (100 ns), vmexit (5100 ns) and syscall probes (400 ns, but every 5th
 * iteration 700 ns with one write of the timed thread in it), a TRACER chunk that records the
 * waker's CPU, one vCPU absence inside the syscall probe's run.
 */
static int write_session(const char *path)
{
	uint64_t null_lat[NS_PER_PROBE], vm_lat[NS_PER_PROBE], sys_lat[NS_PER_PROBE];
	struct tracer_event ev[NS_PER_PROBE + 1];
	struct json_object *tracer = json_object_new_object();
	struct trace_writer *w;
	size_t i, ne = 0;
	int rc;

	for (i = 0; i < NS_PER_PROBE; i++) {
		null_lat[i] = 100 + i % 3;
		vm_lat[i] = 5100 + i % 3;
		sys_lat[i] = i % 5 == 4 ? 700 + i : 400;
		if (i % 5 == 4) {
			ev[ne] = ev_of(TRACER_EV_SYSCALL, 3 * T0 + i * 100 * US + 100, 200);
			ev[ne++].arg0 = WRITE_NR;
		}
	}
	ev[ne++] = ev_of(TRACER_EV_ABSENT, 3 * T0 + 50 * US, 4000 * US);
	json_object_object_add(tracer, "waker_cpu", json_object_new_boolean(1));
	if (trace_writer_open(path, &w))
		return -1;
	rc = trace_writer_add_json(w, TRACE_CHUNK_TRACER, tracer);
	rc = rc || put_probe(w, 0, "null", T0, null_lat, NS_PER_PROBE);
	rc = rc || put_probe(w, 1, "vmexit", 2 * T0, vm_lat, NS_PER_PROBE);
	rc = rc || put_probe(w, 2, "syscall", 3 * T0, sys_lat, NS_PER_PROBE);
	rc = rc || trace_writer_add_events(w, ev, ne);
	json_object_put(tracer);
	return trace_writer_close(w, NULL) || rc ? -1 : 0;
}

/* row - the table's row @key. */
static struct json_object *row(struct json_object *report, const char *key)
{
	return rm_member(rm_get(rm_get(report, RK_REPORT_MECHANISMS), RK_MECH_ROWS_OF), key);
}

/*
 * A whole file: a VM exit costs 5000 ns (the medians 5101 and 101); a syscall the flush
 * iterations less the probe's median 400: 304, 309, 314, 319 ns, median 311.5; the absence is
 * counted in 6 ms of traced runs (three probes, one run each of 21 iterations 100 us apart).
 */
static int test_session_table(void)
{
	char path[] = "/tmp/test_mechanisms_XXXXXX", err[256];
	struct json_object *report = json_object_new_object(), *abs;
	struct trace_session *s = NULL;
	int fd = mkstemp(path);

	CHECK(fd >= 0);
	close(fd);
	CHECK(write_session(path) == 0);
	CHECK(trace_session_load(path, &s, err, sizeof(err)) == 0);
	CHECK(mech_report_add(s, report, err, sizeof(err)) == 0);
	EXPECT_NEAR(rm_num(row(report, "vmexit"), RK_MECH_ROW_P50), 5000, 1e-6);
	EXPECT_NEAR(rm_num(row(report, "syscall"), RK_MECH_ROW_P50), 311.5, 1e-6);
	EXPECT(rm_int(row(report, "syscall"), RK_MECH_ROW_N) == 4);
	EXPECT(rm_int(row(report, "wakeup_cross_vcpu"), RK_MECH_ROW_N) == 0);
	EXPECT(!strcmp(rm_str(row(report, "wakeup_cross_vcpu"), RK_MECH_ROW_UNKNOWN),
		       "none in the trace"));
	abs = rm_get(rm_get(report, RK_REPORT_MECHANISMS), RK_MECH_ABSENCES_OF);
	EXPECT(rm_int(abs, RK_MECH_ABS_COUNT) == 1);
	EXPECT(rm_num(abs, RK_MECH_ABS_TRACED_S) > 0.0059 &&
	       rm_num(abs, RK_MECH_ABS_TRACED_S) < 0.0061);
	json_object_put(report);
	trace_session_free(s);
	unlink(path);
	return T_EXIT_PASS;
}

int main(void)
{
	static const struct check_case cases[] = {
	    CHECK_CASE(one_record_mechanisms),
	    CHECK_CASE(wakeups_and_switch),
	    CHECK_CASE(page_faults),
	    CHECK_CASE(cost_interval),
	    CHECK_CASE(windows),
	    CHECK_CASE(session_table),
	};

	return CHECK_RUN(cases);
}
