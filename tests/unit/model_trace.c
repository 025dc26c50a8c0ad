// SPDX-License-Identifier: MIT
/* model_trace - the two synthetic trace files of test_report_model (model_trace.h). */
#include "tests/unit/model_trace.h"

#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>

#include <json-c/json.h>

#include "analysis/model/report_model.h"
#include "bpf/tracer_loader.h"
#include "lib/trace/trace_writer.h"
#include "lib/uring_tag.h"
#include "runner/platform.h"
#include "runner/recording.h"

#define MT_RUNS	      8
#define MT_ITERATIONS 200
#define MT_PERIOD     200000ULL	    /* ns from one sample's start to the next */
#define MT_PROBE_SPAN 1000000000ULL /* each probe's samples start this far after the last's */
#define MT_PID	      4242	    /* the runner */
#define MT_TID	      4243	    /* the thread that times the probes */
#define MT_KWORKER    77	    /* a kernel thread that preempts it */

enum { MT_RING, MT_SYSCALL, MT_NULL, MT_HTTP };

/* One probe of a trace: what it is called and how its samples go. */
struct mt_probe {
	uint32_t id;
	const char *name;
	unsigned int runs;
	uint64_t (*latency)(unsigned int run, unsigned int it); /* ns */
	unsigned int scale10;					/* latency x scale10 / 10 */
	bool all_bad;
};

static struct json_object *add(struct json_object *o, const char *key, struct json_object *v)
{
	json_object_object_add(o, key, v);
	return o;
}

static struct json_object *add_key(struct json_object *o, enum rm_key key, struct json_object *v)
{
	rm_set(o, key, v);
	return o;
}

static uint64_t noise(unsigned int run, unsigned int it)
{
	return ((uint64_t)run * MT_ITERATIONS + it) * 7919 % 41;
}

/* ring_latency - a drift (+11 iterations per run), a line every 20 iterations, two modes. */
static uint64_t ring_latency(unsigned int run, unsigned int it)
{
	if (it == 100 + 11 * run)
		return 80000;
	if (it % 20 == 5)
		return 40000 + 10 * noise(run, it);
	if (it % 7 == 3)
		return 14000 + noise(run, it);
	return 10000 + noise(run, it);
}

/* flush_latency - a buffer flush every 64 iterations. */
static uint64_t flush_latency(unsigned int run, unsigned int it)
{
	return it % 64 == 63 ? 30000 : 2000 + noise(run, it);
}

static uint64_t flat_latency(unsigned int run, unsigned int it)
{
	return 5000 + noise(run, it);
}

static uint64_t sample_start(const struct mt_probe *p, unsigned int run, unsigned int it)
{
	return (p->id + 1) * MT_PROBE_SPAN + ((uint64_t)run * MT_ITERATIONS + it) * MT_PERIOD;
}

/* config_json - the settings of probe @p, as the runner writes them. */
static struct json_object *config_json(const struct mt_probe *p)
{
	struct json_object *c = add(json_object_new_object(), "runs", json_object_new_int(p->runs));

	if (p->id == MT_RING) {
		add_key(c, RK_CONFIG_HOPS, json_object_new_int(3));
		add_key(c, RK_CONFIG_MSG_SIZE, json_object_new_int(64));
		add_key(c, RK_CONFIG_IO, json_object_new_string("uring"));
		add_key(c, RK_CONFIG_CONNECT, json_object_new_string("persistent"));
		add_key(c, RK_CONFIG_REPLY, json_object_new_string("next-connection"));
		add_key(c, RK_CONFIG_DOMAINS, json_object_new_string("single"));
	} else if (p->id == MT_SYSCALL) {
		add_key(c, RK_CONFIG_TEXT, json_object_new_string("ringscope syscall probe"));
		add_key(c, RK_CONFIG_SINK, json_object_new_string("/dev/null"));
		add_key(c, RK_CONFIG_STDIO_BUFFER, json_object_new_int(4096));
	} else if (p->id == MT_HTTP) {
		add_key(c, RK_CONFIG_IO, json_object_new_string("uring"));
		add_key(c, RK_CONFIG_CONNECT, json_object_new_string("per-message"));
		add_key(c, RK_CONFIG_DOMAINS, json_object_new_string("netns"));
	}
	return c;
}

/* put - write chunk @o of @type and drop it. */
static int put(struct trace_writer *w, uint32_t type, struct json_object *o)
{
	int rc = o ? trace_writer_add_json(w, type, o) : -ENOMEM;

	json_object_put(o);
	return rc;
}

/* lost_iterations - two lost messages, one of them in a warm-up. */
static struct json_object *lost_iterations(void)
{
	struct json_object *a = json_object_new_array();

	json_object_array_add(
	    a, add_key(add_key(json_object_new_object(), RK_LOST_RUN, json_object_new_int(0)),
		       RK_LOST_ITERATION, json_object_new_int(7)));
	json_object_array_add(a, add_key(add_key(add_key(json_object_new_object(), RK_LOST_RUN,
							 json_object_new_int(1)),
						 RK_LOST_ITERATION, json_object_new_int(0)),
					 RK_LOST_WARMUP, json_object_new_boolean(1)));
	return a;
}

/* hops - a 3-hop ring: wire times, residence in the two forwarders, an unmeasured last wire. */
static struct json_object *hops(void)
{
	struct json_object *a = json_object_new_array(), *h;
	int i;

	for (i = 0; i < 3; i++) {
		h = add_key(add_key(json_object_new_object(), RK_HOP_FROM, json_object_new_int(i)),
			    RK_HOP_TO, json_object_new_int((i + 1) % 3));
		add_key(h, RK_HOP_WIRE_P50, i < 2 ? json_object_new_int(3000 + i) : NULL);
		add_key(h, RK_HOP_WIRE_P99, i < 2 ? json_object_new_int(6000 + i) : NULL);
		if (i < 2) {
			add_key(h, RK_HOP_RESIDENCE_P50, json_object_new_int(400));
			add_key(h, RK_HOP_RESIDENCE_P99, json_object_new_int(900));
		}
		json_object_array_add(a, h);
	}
	return a;
}

/* probe_end - the PROBE_END chunk: the ring of A has every supervisor key and an error. */
static struct json_object *probe_end(const struct mt_probe *p, bool b)
{
	struct json_object *o =
	    add(json_object_new_object(), "probe_id", json_object_new_int(p->id));

	if (p->id != MT_RING)
		return o;
	add_key(o, RK_END_LOST, json_object_new_int(b ? 0 : 2));
	add_key(o, RK_END_BAD_MESSAGES, json_object_new_int(b ? 0 : 1));
	add_key(o, RK_END_LATE, json_object_new_int(b ? 0 : 16));
	add_key(o, RK_END_RESTARTS, json_object_new_int(b ? 0 : 1));
	add_key(o, RK_END_LOST_ITERATIONS, b ? json_object_new_array() : lost_iterations());
	if (b)
		return o;
	add_key(o, RK_END_HOPS, hops());
	return add_key(o, RK_END_ERROR, json_object_new_string("member 2 died"));
}

/* run_json - a RUN chunk; B's null probe alternates traced and untraced runs (observer effect). */
static struct json_object *run_json(const struct mt_probe *p, unsigned int r, bool b)
{
	struct json_object *o =
	    add(json_object_new_object(), "probe_id", json_object_new_int(p->id));

	add(o, "run", json_object_new_int((int)r));
	if (b && p->id == MT_NULL)
		add(o, "traced", json_object_new_boolean(r % 2 == 0));
	return o;
}

/* write_probe - PROBE, the samples and a RUN after each run, PROBE_END. */
static int write_probe(struct trace_writer *w, const struct mt_probe *p, bool b)
{
	struct json_object *begin = json_object_new_object();
	struct trace_sample s = {0};
	unsigned int r, i;
	int rc;

	add(begin, "probe_id", json_object_new_int(p->id));
	add(begin, "probe", json_object_new_string(p->name));
	add(begin, "config", config_json(p));
	rc = put(w, TRACE_CHUNK_PROBE,
		 add_key(begin, RK_BEGIN_TIMED_TID, json_object_new_int(MT_TID)));
	for (r = 0; !rc && r < p->runs; r++) {
		for (i = 0; !rc && i < MT_ITERATIONS; i++) {
			s.run = r;
			s.iteration = i;
			s.latency_ns = p->latency(r, i) * p->scale10 / 10;
			s.flags = p->all_bad || (p->id == MT_RING && !b && !r && i == 199)
				      ? TRACE_SAMPLE_BAD
				  : i % 50 == 0 ? TRACE_SAMPLE_LATE
						: 0;
			s.mono_start_ns = sample_start(p, r, i);
			s.mono_end_ns = s.mono_start_ns + s.latency_ns;
			rc = trace_writer_add_sample(w, p->id, &s);
		}
		if (!rc)
			rc = put(w, TRACE_CHUNK_RUN, run_json(p, r, b));
	}
	return rc ? rc : put(w, TRACE_CHUNK_PROBE_END, probe_end(p, b));
}

/* event - a record about the timed thread (@tid MT_TID) or a CPU's (@tid 0), on CPU 0. */
static struct tracer_event event(uint8_t type, uint64_t ts, uint64_t dur, uint32_t tid)
{
	return (struct tracer_event){
	    .type = type, .ts_ns = ts, .dur_ns = dur, .tid = tid, .tgid = tid ? MT_PID : 0};
}

/* name - a NAME record: thread @tid is called @comm from the start of the trace on. */
static struct tracer_event name(uint32_t tid, const char *comm)
{
	struct tracer_event e = event(TRACER_EV_NAME, 1, 0, tid);
	char buf[16] = {0};

	strncpy(buf, comm, sizeof(buf) - 1);
	memcpy(&e.arg0, buf, 8);
	memcpy(&e.arg1, buf + 8, 8);
	return e;
}

/* flush - the timed thread writes @dur ns to a file (fd 5) from @ts. */
static struct tracer_event flush(uint64_t ts, uint64_t dur)
{
	struct tracer_event e = event(TRACER_EV_SYSCALL, ts, dur, MT_TID);

	e.arg0 = SYS_write;
	e.arg2 = 5;
	e.flags = TRACER_F_FD_OTHER;
	return e;
}

/* preempted - the timed thread is switched out for @dur ns from @ts; the kworker runs. */
static struct tracer_event preempted(uint64_t ts, uint64_t dur)
{
	struct tracer_event e = event(TRACER_EV_OFFCPU, ts, dur, MT_TID);

	e.arg1 = (uint64_t)MT_KWORKER << 32;
	e.flags = TRACER_F_PREEMPTED | TRACER_F_NEXT_SEEN;
	return e;
}

/*
 * spike_events - what the spikes of A are made of: the ring's line is preempted by a named
 * kworker (which then ran for most of it) or flushes a file in turn, its drift is a NET_RX softirq;
 * the syscall probe's spikes are flushes. The timed thread and the kworker are named.
 */
static size_t spike_events(const struct mt_probe *ring, const struct mt_probe *sys,
			   struct tracer_event *ev)
{
	unsigned int r, i;
	size_t n = 0;

	ev[n++] = name(MT_TID, "ringscope");
	ev[n++] = name(MT_KWORKER, "kworker/0:1");
	for (r = 0; r < MT_RUNS; r++) {
		for (i = 5; i < MT_ITERATIONS; i += 20) {
			if ((r + i / 20) % 2) {
				ev[n++] = flush(sample_start(ring, r, i) + 1000, 25000);
				continue;
			}
			ev[n++] = preempted(sample_start(ring, r, i) + 1000, 25000);
			ev[n] = event(TRACER_EV_RAN, sample_start(ring, r, i) + 1500, 24000, 0);
			ev[n++].tid = MT_KWORKER;
		}
		ev[n] =
		    event(TRACER_EV_SOFTIRQ, sample_start(ring, r, 100 + 11 * r) + 2000, 60000, 0);
		ev[n].arg0 = 3; /* NET_RX */
		ev[n++].arg2 = 2;
	}
	for (i = 63; i < MT_ITERATIONS; i += 64)
		ev[n++] = flush(sample_start(sys, 0, i) + 500, 27000);
	return n;
}

/* request - the ring's io_uring request @ud: submitted at @s, ready at @r on CPU @cpu, done @c. */
static struct tracer_event request(uint64_t ud, uint64_t s, uint64_t r, uint64_t c, uint16_t cpu)
{
	struct tracer_event e = event(TRACER_EV_IOURING_REQ, s, c - s, MT_TID);

	e.arg0 = ud;
	e.arg1 = (c - r) << 32 | 10; /* armed 10 ns after its submission */
	e.arg2 = cpu;
	return e;
}

/*
 * lifecycle_events - the io_uring requests of the ring's first run, every hop's send and
 * receive tagged for the master's iteration: data ready half-way through the iteration (on CPU
 * 0 or 1 by hop), so a spike grows the part "ready, not consumed" of every hop.
 */
static size_t lifecycle_events(const struct mt_probe *ring, struct tracer_event *ev)
{
	struct uring_tag t = {0};
	uint64_t s, l;
	size_t n = 0;

	for (t.iteration = 0; t.iteration < MT_ITERATIONS; t.iteration++) {
		s = sample_start(ring, 0, t.iteration);
		l = ring->latency(0, t.iteration) * ring->scale10 / 10;
		for (t.hop = 0; t.hop < 3; t.hop++) {
			t.op = URING_OP_SEND;
			ev[n++] = request(uring_tag_pack(&t), s + 100 + t.hop, s + 150, s + 150, 0);
			t.op = URING_OP_RECV;
			ev[n++] = request(uring_tag_pack(&t), s + 50 + t.hop, s + l / 2,
					  s + l - 200, t.hop % 2);
		}
	}
	return n;
}

/* tracer_chunk - the TRACER chunk as the runner makes it from a (synthetic) tracer status. */
static struct json_object *tracer_chunk(uint64_t events)
{
	static const struct tracer_prog_status progs[] = {
	    {"raw_syscalls", "sys_enter", ""},
	    {"sched", "sched_wakeup", "not needed: sched_waking gives the wakeup time"},
	};
	static const uint64_t lost[] = {1, 2};
	struct tracer_status st = {.progs = progs,
				   .nprogs = 2,
				   .events = events,
				   .lost = 3,
				   .lost_per_cpu = lost,
				   .nlost_per_cpu = 2,
				   .ringbuf_bytes = 1 << 24,
				   .detail = TRACER_DETAIL_LEAN,
				   .naggregated = TRACER_CNT_MAX};

	return recording_tracer_json(&st, true);
}

/* close_error - END: the run ended with an error. */
static int close_error(struct trace_writer *w)
{
	struct json_object *end = json_object_new_object();
	int rc;

	rm_set_str(end, RK_SESSION_END_STATUS, "error");
	rm_set_str(end, RK_SESSION_END_ERROR, "probe 'ring' failed");
	rc = trace_writer_close(w, end);
	json_object_put(end);
	return rc;
}

int model_trace_write(const char *path, bool b)
{
	const struct timing_calibration cal = {
	    .tsc_hz = 2.5e9, .tsc_step_ticks = 25, .stamp_cost_ns = 60};
	const struct mt_probe probes[] = {
	    {MT_RING, "ring", MT_RUNS, ring_latency, b ? 13 : 10, false},
	    {MT_SYSCALL, "syscall", 1, flush_latency, 10, false},
	    {MT_NULL, "null", 2, flat_latency, 1, !b},
	    {MT_HTTP, "http", 1, flat_latency, 100, false},
	};
	struct tracer_event ev[2 + MT_RUNS * (2 * (MT_ITERATIONS / 20) + 1) + MT_ITERATIONS / 64];
	struct tracer_event *req;
	struct trace_writer *w;
	size_t i, n, nreq;
	int rc = trace_writer_open(path, &w);

	if (rc)
		return rc;
	rc = put(w, TRACE_CHUNK_SESSION,
		 add_key(add(json_object_new_object(), "tool", json_object_new_string("ringscope")),
			 RK_SESSION_PID, json_object_new_int(MT_PID)));
	rc = rc ?: put(w, TRACE_CHUNK_PLATFORM, platform_fingerprint(&cal));
	for (i = 0; !rc && i < sizeof(probes) / sizeof(probes[0]); i++) {
		if (probes[i].id != (b ? MT_SYSCALL : MT_HTTP))
			rc = write_probe(w, &probes[i], b);
	}
	if (rc || b) {
		if (rc)
			trace_writer_abandon(w);
		return rc ?: trace_writer_close(w, NULL);
	}
	n = spike_events(&probes[MT_RING], &probes[MT_SYSCALL], ev);
	rc = trace_writer_add_events(w, ev, n);
	req = calloc(MT_ITERATIONS * 6, sizeof(*req));
	rc = rc ?: req ? 0 : -ENOMEM;
	nreq = rc ? 0 : lifecycle_events(&probes[MT_RING], req);
	rc = rc ?: trace_writer_add_events(w, req, nreq);
	free(req);
	n += nreq;
	rc = rc ?: put(w, TRACE_CHUNK_TRACER, tracer_chunk(n));
	if (rc) {
		trace_writer_abandon(w);
		return rc;
	}
	return close_error(w);
}
