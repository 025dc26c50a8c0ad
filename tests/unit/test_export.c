// SPDX-License-Identifier: MIT
/*
 * test_export - a trace written with the real trace writer, whose samples, spike and
 * kernel events are known by hand, exported as Chrome trace-event JSON and as event CSV.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <json-c/json.h>

#include "analysis/export/export_perfetto.h"
#include "lib/trace/trace_writer.h"
#include "tests/unit/check.h"
#include "tests/unit/synth_trace.h"

#define TIMED_TID 4242
#define WORKER	  77 /* a thread of process 70 that took CPU 0 from the timed thread */

/* name - a NAME record: @tid of @tgid is called @comm from @ts on. */
static struct tracer_event name(uint64_t ts, uint32_t tid, uint32_t tgid, const char *comm)
{
	struct tracer_event e = {.ts_ns = ts, .tid = tid, .tgid = tgid, .type = TRACER_EV_NAME};
	char buf[16] = {0};

	strncpy(buf, comm, sizeof(buf) - 1);
	memcpy(&e.arg0, buf, 8);
	memcpy(&e.arg1, buf + 8, 8);
	return e;
}

/*
 * offcpu - the timed thread left CPU @left at @ts for @next, and came back @dur later on CPU 1.
 */
static struct tracer_event offcpu(uint64_t ts, uint64_t dur, uint32_t left, uint32_t next)
{
	return (struct tracer_event){.ts_ns = ts,
				     .dur_ns = dur,
				     .arg1 = (uint64_t)next << 32 | 1,
				     .tid = TIMED_TID,
				     .tgid = TIMED_TID,
				     .arg2 = left,
				     .cpu = 1,
				     .type = TRACER_EV_OFFCPU,
				     .flags = TRACER_F_NEXT_SEEN};
}

/* preempted - the timed thread preempted on CPU 0 by the worker at @ts, back there @dur later. */
static struct tracer_event preempted(uint64_t ts, uint64_t dur)
{
	struct tracer_event e = offcpu(ts, dur, 0, WORKER);

	e.cpu = 0;
	e.flags |= TRACER_F_PREEMPTED;
	return e;
}

/* worker_ran - a RAN record: the worker held CPU 0 from @ts for @dur. */
static struct tracer_event worker_ran(uint64_t ts, uint64_t dur)
{
	return (struct tracer_event){
	    .ts_ns = ts, .dur_ns = dur, .tid = WORKER, .tgid = 70, .cpu = 0, .type = TRACER_EV_RAN};
}

static char path[64];

/*
 * write_events - a syscall of the timed thread inside the spike, in which it was preempted by
 * the worker for 30 us (a RAN record says the worker held CPU 0 meanwhile); an irq, two
 * instants; two names, and the timed thread off CPU twice before (for the worker, then for
 * the idle task), the worker's time on CPU 0 meanwhile.
 */
static int write_events(struct trace_writer *w)
{
	const uint64_t spike = SYNTH_T0 + SYNTH_SPIKE_AT * (uint64_t)SYNTH_PERIOD;
	const struct tracer_event ev[] = {
	    name(SYNTH_T0, TIMED_TID, TIMED_TID, "timed"),
	    name(SYNTH_T0 + 1, WORKER, 70, "worker"),
	    offcpu(SYNTH_T0 + 20000, 5000, 0, WORKER),
	    offcpu(SYNTH_T0 + 40000, 10000, 1, 0),
	    preempted(spike + 20000, 30000),
	    worker_ran(spike + 20000, 30000),
	    worker_ran(SYNTH_T0 + 20000, 4000),
	    {.ts_ns = spike + 1000,
	     .dur_ns = 80000,
	     .arg0 = 426,
	     .arg1 = 1,
	     .tid = TIMED_TID,
	     .tgid = TIMED_TID,
	     .arg2 = 5,
	     .cpu = 0,
	     .type = TRACER_EV_SYSCALL,
	     .flags = TRACER_F_FD_SOCKET},
	    {.ts_ns = SYNTH_T0 + 5,
	     .dur_ns = 3000,
	     .arg0 = 11,
	     .tid = 1,
	     .tgid = 1,
	     .cpu = 1,
	     .type = TRACER_EV_IRQ},
	    {.ts_ns = SYNTH_T0 + 7,
	     .arg0 = 3,
	     .tid = 1,
	     .tgid = 1,
	     .cpu = 1,
	     .type = TRACER_EV_SOFTIRQ_RAISE},
	    {.ts_ns = SYNTH_T0 + 9,
	     .arg0 = 0x1000,
	     .arg1 = 6,
	     .tid = TIMED_TID,
	     .tgid = TIMED_TID,
	     .type = TRACER_EV_PAGE_FAULT},
	};

	return trace_writer_add_events(w, ev, sizeof(ev) / sizeof(ev[0]));
}

/* write_trace - SESSION, PROBE 3 (ring, hops=2, io=uring), 200 samples of run 0, events. */
static int write_trace(void)
{
	struct json_object *session, *probe, *config;
	struct trace_writer *w;
	int rc;

	if (trace_writer_open(path, &w))
		return -1;
	session = synth_json_add(json_object_new_object(), "pid", json_object_new_int(TIMED_TID));
	config = synth_json_add(json_object_new_object(), "hops", json_object_new_int(2));
	synth_json_add(config, "io", json_object_new_string("uring"));
	probe = synth_json_add(json_object_new_object(), "probe_id", json_object_new_int(3));
	synth_json_add(probe, "probe", json_object_new_string("ring"));
	synth_json_add(probe, "config", config);
	synth_json_add(probe, "timed_tid", json_object_new_int(TIMED_TID));
	rc = trace_writer_add_json(w, TRACE_CHUNK_SESSION, session) ||
	     trace_writer_add_json(w, TRACE_CHUNK_PROBE, probe);
	rc = rc || synth_samples(w, 3) || write_events(w);
	json_object_put(session);
	json_object_put(probe);
	return trace_writer_close(w, NULL) || rc ? -1 : 0;
}

/* export_json - the export of the trace, parsed; NULL on failure. */
static struct json_object *export_json(int causes, struct export_perfetto_stats *ps)
{
	struct export_perfetto_opts o = {.causes = causes != 0};
	struct trace_read_status st;
	struct json_object *doc;
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	int rc;

	spikes_opts_default(&o.spikes);
	rc = f ? export_perfetto(path, f, &o, ps, &st) : -1;
	if (f)
		fclose(f);
	doc = rc ? NULL : json_tokener_parse(buf);
	if (rc)
		fprintf(stderr, "export failed: %s\n", st.err);
	free(buf);
	return doc;
}

static const char *str(struct json_object *o, const char *key)
{
	struct json_object *v;

	return json_object_object_get_ex(o, key, &v) ? json_object_get_string(v) : "";
}

static int64_t num(struct json_object *o, const char *key)
{
	struct json_object *v;

	return json_object_object_get_ex(o, key, &v) ? json_object_get_int64(v) : -1;
}

/* find - the first event of traceEvents with @key equal to @value. */
static struct json_object *find(struct json_object *ev, const char *key, const char *value)
{
	size_t i;

	for (i = 0; i < json_object_array_length(ev); i++)
		if (!strcmp(str(json_object_array_get_idx(ev, i), key), value))
			return json_object_array_get_idx(ev, i);
	return NULL;
}

/* The tracks, their names, the slices and instants, and the spike with its cause. */
static int test_perfetto(void)
{
	struct export_perfetto_stats ps;
	struct json_object *doc = export_json(1, &ps), *ev, *e, *args;

	CHECK(doc && json_object_object_get_ex(doc, "traceEvents", &ev));
	CHECK(!strcmp(str(doc, "displayTimeUnit"), "ns"));
	CHECK(ps.samples == SYNTH_SAMPLES && ps.spikes == 1 && ps.events == 11);
	CHECK(ps.intervals == 7 && ps.instants == 2 && ps.names == 2 && ps.ran == 7);
	/*
	 * names: the runner, the CPU process and cpu 1, the probe and its run 0, two threads,
	 * the tracks of what ran on cpu 0 and 1
	 */
	CHECK(json_object_array_length(ev) == 9 + SYNTH_SAMPLES + 9 + 7 + 2 * ps.flows);
	e = find(ev, "name", "process_name");
	CHECK(e && num(e, "pid") == TIMED_TID);
	e = find(ev, "name", "io_uring_enter");
	CHECK(e && !strcmp(str(e, "ph"), "X") && num(e, "pid") == TIMED_TID);
	CHECK(!strcmp(str(e, "ts"), "6001.000") && !strcmp(str(e, "dur"), "80.000"));
	CHECK(json_object_object_get_ex(e, "args", &args) && num(args, "fd") == 5);
	CHECK(!strcmp(str(args, "fd_kind"), "socket") && num(args, "ret") == 1);
	e = find(ev, "name", "irq 11");
	CHECK(e && num(e, "pid") == EXPORT_PF_CPU_PID && num(e, "tid") == EXPORT_PF_CPU_PID + 2);
	e = find(ev, "name", "softirq_raise NET_RX");
	CHECK(e && !strcmp(str(e, "ph"), "i") && !strcmp(str(e, "s"), "t"));
	e = find(ev, "name", "spike");
	CHECK(e && num(e, "pid") == EXPORT_PF_PROBE_PID + 3 && num(e, "tid") == 1);
	CHECK(!strcmp(str(e, "cname"), "terrible") && !strcmp(str(e, "ts"), "6000.000"));
	CHECK(json_object_object_get_ex(e, "args", &args) &&
	      num(args, "iteration") == SYNTH_SPIKE_AT);
	CHECK(num(args, "excess_ns") == 100000 - 10001 && *str(args, "dominant"));
	CHECK(find(ev, "args", "{ \"name\": \"probe 3: ring hops=2 io=uring\" }"));
	CHECK(find(ev, "args", "{ \"name\": \"run 0\" }"));
	json_object_put(doc);
	return 0;
}

/* ran - the @nth slice of what ran on CPU @cpu (in the order written), or NULL. */
static struct json_object *ran(struct json_object *ev, unsigned int cpu, int nth)
{
	struct json_object *e;
	size_t i;

	for (i = 0; i < json_object_array_length(ev); i++) {
		e = json_object_array_get_idx(ev, i);
		if (!strcmp(str(e, "cat"), "sched") && num(e, "tid") == EXPORT_PF_RAN_TID(cpu) &&
		    nth-- == 0)
			return e;
	}
	return NULL;
}

/* expect_ran - slice @e is @name from @start to @end (us), its ends known as said. */
static int expect_ran(struct json_object *e, const char *name, const char *start, const char *end,
		      const char *how_start, const char *how_end)
{
	struct json_object *args;
	char dur[32];

	CHECK(e && json_object_object_get_ex(e, "args", &args));
	snprintf(dur, sizeof(dur), "%.3f", atof(end) - atof(start));
	EXPECTF(!strcmp(str(e, "name"), name), "%s, not %s", str(e, "name"), name);
	EXPECTF(!strcmp(str(e, "ts"), start), "%s starts at %s, not %s", name, str(e, "ts"), start);
	EXPECTF(!strcmp(str(e, "dur"), dur), "%s lasts %s, not %s", name, str(e, "dur"), dur);
	EXPECT(!strcmp(str(args, "start"), how_start) && !strcmp(str(args, "end"), how_end));
	EXPECT(num(e, "pid") == EXPORT_PF_CPU_PID && !strcmp(str(e, "ph"), "X"));
	return 0;
}

/*
 * What ran on each CPU: the timed thread from its page fault (first seen) to its switch out on
 * CPU 0, where the worker then ran from that switch to its own switch out (its RAN record); on
 * CPU 1 the irq's thread (tid 1, unnamed) to the next switch, the timed thread from its
 * switch in to its switch out, the idle task to the next switch; the threads named.
 */
static int test_cpu_tracks(void)
{
	static const struct {
		unsigned int cpu;
		const char *name, *start, *end, *how_start, *how_end;
	} want[] = {
	    {0, "timed 4242", "1000.009", "1020.000", "first seen", "switched out"},
	    {0, "worker 77", "1020.000", "1024.000", "switched in", "switched out"},
	    {0, "worker 77", "6020.000", "6050.000", "switched in", "switched out"},
	    {0, "timed 4242", "6050.000", "6081.000", "switched in", "last seen"},
	    {1, "tid 1", "1000.005", "1025.000", "first seen", "next switch"},
	    {1, "timed 4242", "1025.000", "1040.000", "switched in", "switched out"},
	    {1, "idle", "1040.000", "1050.000", "switched in", "next switch"},
	};
	struct export_perfetto_stats ps;
	struct json_object *doc = export_json(1, &ps), *ev, *e, *args;
	int nth[2] = {0, 0};
	size_t i;

	CHECK(doc && json_object_object_get_ex(doc, "traceEvents", &ev));
	for (i = 0; i < sizeof(want) / sizeof(want[0]); i++)
		CHECK(!expect_ran(ran(ev, want[i].cpu, nth[want[i].cpu]++), want[i].name,
				  want[i].start, want[i].end, want[i].how_start, want[i].how_end));
	CHECK(!ran(ev, 0, nth[0]) && !ran(ev, 1, nth[1]));
	CHECK(json_object_object_get_ex(ran(ev, 0, 1), "args", &args));
	CHECK(num(args, "tid") == WORKER && num(args, "tgid") == 70);
	CHECK(json_object_object_get_ex(ran(ev, 1, 1), "args", &args));
	CHECK(num(args, "tid") == TIMED_TID && num(args, "tgid") == TIMED_TID);
	CHECK(find(ev, "args", "{ \"name\": \"cpu 0 ran\" }"));
	e = find(ev, "args", "{ \"name\": \"worker\" }");
	CHECK(e && !strcmp(str(e, "name"), "thread_name") && num(e, "pid") == 70);
	CHECK(num(e, "tid") == WORKER);
	CHECK(!find(ev, "name", "name")); /* NAME records are names, not instants */
	json_object_put(doc);
	return 0;
}

/* flow_end - the "s" or "f" (@ph) of flow @id, or NULL; *@n counts them. */
static struct json_object *flow_end(struct json_object *ev, const char *ph, int64_t id, int *n)
{
	struct json_object *e, *found = NULL;
	size_t i;

	for (i = 0; i < json_object_array_length(ev); i++) {
		e = json_object_array_get_idx(ev, i);
		if (!strcmp(str(e, "cat"), "attribution") && num(e, "id") == id &&
		    !strcmp(str(e, "ph"), ph)) {
			++*n;
			found = e;
		}
	}
	return found;
}

/* is_flow_to - flow @f ends at the start of (@pid, @tid, @ts) and is named @name. */
static int is_flow_to(struct json_object *f, const char *name, uint32_t pid, uint32_t tid,
		      const char *ts)
{
	return !strcmp(str(f, "name"), name) && num(f, "pid") == pid && num(f, "tid") == tid &&
	       !strcmp(str(f, "ts"), ts);
}

/*
 * Flows from the spike to what its attribution used: each an "s" inside the spike's slice and
 * an "f" bound to the start of the key event's slice (the preemption, counted as scheduling),
 * or of the slice of what ran of the thread that held the CPU meanwhile (the worker, on CPU 0).
 */
static int test_flows(void)
{
	struct export_perfetto_stats ps;
	struct json_object *doc = export_json(1, &ps), *ev, *s, *f;
	int to_preemption = 0, to_worker = 0, n;
	int64_t id;

	CHECK(doc && json_object_object_get_ex(doc, "traceEvents", &ev));
	CHECK(ps.flows == 2); /* the io_uring_enter around them counts as the normal iteration */
	for (id = 1; id <= (int64_t)ps.flows; id++) {
		n = 0;
		s = flow_end(ev, "s", id, &n);
		f = flow_end(ev, "f", id, &n);
		EXPECTF(s && f && n == 2, "flow %lld: %d events", (long long)id, n);
		EXPECT(!strcmp(str(s, "name"), str(f, "name")) && !strcmp(str(f, "bp"), "e"));
		EXPECT(num(s, "pid") == EXPORT_PF_PROBE_PID + 3 && num(s, "tid") == 1);
		EXPECT(atof(str(s, "ts")) >= 6000.0 && atof(str(s, "ts")) <= 6100.0);
		to_preemption += is_flow_to(f, "scheduling", TIMED_TID, TIMED_TID, "6020.000");
		to_worker += is_flow_to(f, "ran instead", EXPORT_PF_CPU_PID, EXPORT_PF_RAN_TID(0),
					"6020.000");
	}
	n = 0;
	CHECK(!flow_end(ev, "s", id, &n) && n == 0); /* ids are 1..flows */
	CHECK(to_preemption == 1 && to_worker == 1);
	json_object_put(doc);
	return 0;
}

/* --no-causes: the same spike, without a dominant cause. */
static int test_no_causes(void)
{
	struct export_perfetto_stats ps;
	struct json_object *doc = export_json(0, &ps), *ev, *e, *args;

	CHECK(doc && json_object_object_get_ex(doc, "traceEvents", &ev));
	CHECK(ps.spikes == 1);
	e = find(ev, "name", "spike");
	CHECK(e && json_object_object_get_ex(e, "args", &args));
	CHECK(num(args, "excess_ns") == 100000 - 10001 && !*str(args, "dominant"));
	CHECK(ps.flows == 0 && !find(ev, "cat", "attribution")); /* no attribution, no flows */
	json_object_put(doc);
	return 0;
}

/* One CSV row per event, the syscall named. */
static int test_events_csv(void)
{
	struct trace_read_status st;
	char *buf = NULL;
	size_t len = 0;
	uint64_t rows;
	FILE *f = open_memstream(&buf, &len);
	int rc;

	CHECK(f);
	rc = export_events_csv(path, f, &rows, &st);
	fclose(f);
	CHECK(rc == 0 && rows == 11);
	CHECK(!strncmp(buf, "type,cpu,tid,tgid,start_ns,dur_ns,arg0,arg1,arg2,flags,syscall\n",
		       strlen("type,cpu,tid,tgid,start_ns,dur_ns,arg0,arg1,arg2,flags,syscall\n")));
	CHECK(
	    strstr(buf, "\nsyscall,0,4242,4242,6001000,80000,426,1,5,fd_socket,io_uring_enter\n"));
	CHECK(strstr(buf, "\nirq,1,1,1,1000005,3000,11,0,0,,\n"));
	free(buf);
	return 0;
}

int main(void)
{
	static const struct check_case cases[] = {
	    CHECK_CASE(perfetto), CHECK_CASE(no_causes),  CHECK_CASE(cpu_tracks),
	    CHECK_CASE(flows),	  CHECK_CASE(events_csv),
	};
	int fd, rc;

	snprintf(path, sizeof(path), "/tmp/test_export.XXXXXX");
	fd = mkstemp(path);
	if (fd < 0 || close(fd) || write_trace()) {
		fprintf(stderr, "cannot write the trace '%s'\n", path);
		return T_EXIT_FAIL;
	}
	rc = CHECK_RUN(cases);
	unlink(path);
	return rc;
}
