// SPDX-License-Identifier: MIT
/*
 * measure - runs x iterations of one probe into a trace writer.
 *
 * Stamps of one iteration: a timing_window (lib/timing.h) around iterate: tsc_begin
 * (lfence;rdtsc), mono_start, iterate, mono_end, tsc_end (rdtscp;lfence). The TSC pair is
 * outermost, so the TSC latency covers the whole region including both CLOCK_MONOTONIC reads
 * (what an empty window costs is the calibration's stamp_cost_ns, stored in the trace, measured
 * with the same window), and the monotonic window lies inside it: a kernel event inside
 * [mono_start, mono_end] certainly happened inside the timed region.
 */
#include "runner/measure.h"

#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <unistd.h>

#include <json-c/json.h>

#include "lib/quiet_mem.h"
#include "lib/trace/trace_writer.h"
#include "probes/registry.h"
#include "runner/platform.h"
#include "runner/progress.h"
#include "runner/spike_marker.h"
#include "runner/topology.h"

#define PLACEMENT_ROUNDS 1000 /* cache-line round trips of the per-run placement probe */
/*
 * Pacing sleeps until this long before an intended start, then spins. Measured on the loaded
 * 2-vCPU guest: clock_nanosleep woke p50 132 / p90 444 us late with the default 50 us timer
 * slack, p50 89 / p90 127 us with a 1 ns slack; so the slack is 1 ns during a paced run and the
 * margin covers the usual wake-up.
 */
#define PACE_SLEEP_MARGIN_NS 200000

/* The most samples a run holds before writing them (4 MiB); runs up to this are written whole. */
#define PENDING_MAX 65536
_Static_assert(PENDING_MAX <= TRACE_WRITER_HELD_SAMPLES, "the writer keeps room for them");

struct measure_state {
	struct trace_writer *w;
	uint32_t probe_id;
	const struct probe_config *cfg;
	const struct measure_plan *plan;
	const struct timing_calibration *cal;
	const struct probe_ops *ops;
	struct measure_result *res;
	struct topology topo;
	bool topo_up, probe_up;
	struct probe_ctx ctx;
	int home_netns;	     /* the runner's own network namespace, to return to after a run */
	cpu_set_t home_cpus; /* the thread's own affinity, restored for placement and at the end */
	uint64_t seq;	     /* probe_iteration.seq: unique over warm-ups and runs */
	double *good;	     /* latencies (ns) of the good samples of all runs */
	size_t ngood, cap;
	/*
	 * The samples of the current run, written to the trace after the run (or when full): no
	 * write() and no allocation on the timed thread between its iterations, which would
	 * otherwise show up as a periodic artifact of ringscope itself.
	 */
	struct trace_sample *pending;
	size_t npending, pending_cap;
	void *account;			 /* what the probe counts besides the samples, or NULL */
	pid_t traced[PROBE_MAX_MEMBERS]; /* the probe's processes the hooks were last told of */
	unsigned int ntraced;
};

/* cpus_json - the --cpus list as a JSON array. */
static struct json_object *cpus_json(const struct probe_config *cfg)
{
	struct json_object *a = json_object_new_array();
	int i;

	for (i = 0; i < cfg->cpus.n; i++)
		json_object_array_add(a, json_object_new_int(cfg->cpus.cpu[i]));
	return a;
}

struct json_object *measure_config_json(const struct probe_config *cfg,
					const struct measure_plan *plan)
{
	const struct probe_ops *ops = probe_find(cfg->probe);
	struct json_object *o = json_object_new_object();

	json_object_object_add(o, "runs", json_object_new_int((int)plan->runs));
	json_object_object_add(o, "iterations", json_object_new_int((int)plan->iterations));
	json_object_object_add(o, "warmup", json_object_new_int((int)plan->warmup));
	json_object_object_add(o, "interval_ns", json_object_new_int64((int64_t)plan->interval_ns));
	if (plan->run_ns) /* --duration: "iterations" is then each run's cap */
		json_object_object_add(o, "run_duration_ns",
				       json_object_new_int64((int64_t)plan->run_ns));
	json_object_object_add(o, "keep_ring", json_object_new_boolean(plan->keep_ring));
	json_object_object_add(o, "cpus", cpus_json(cfg));
	if (ops && ops->config_json)
		ops->config_json(cfg, o);
	return o;
}

/* add_json - write one JSON chunk and drop the reference; a write error is the measure's error. */
static int add_json(struct measure_state *st, uint32_t type, struct json_object *o)
{
	int rc = trace_writer_add_json(st->w, type, o);

	json_object_put(o);
	if (rc)
		snprintf(st->res->err, sizeof(st->res->err), "failed to write the trace: %s",
			 strerror(-rc));
	return rc;
}

/* write_probe - the PROBE chunk that opens this probe's part of the file. */
static int write_probe(struct measure_state *st)
{
	struct json_object *o = json_object_new_object();

	json_object_object_add(o, "probe_id", json_object_new_int((int)st->probe_id));
	json_object_object_add(o, "probe", json_object_new_string(st->cfg->probe));
	json_object_object_add(o, "config", measure_config_json(st->cfg, st->plan));
	/* the thread that runs the timed iterations: attribution joins its events with them */
	json_object_object_add(o, "timed_tid", json_object_new_int((int)gettid()));
	return add_json(st, TRACE_CHUNK_PROBE, o);
}

/* fail - record "@what probe 'NAME': @detail" as the reason (the first one wins); returns @rc. */
static int fail(struct measure_state *st, int rc, const char *what, const char *detail)
{
	if (!st->res->err[0])
		snprintf(st->res->err, sizeof(st->res->err), "%s probe '%s': %s", what,
			 st->cfg->probe, *detail ? detail : strerror(-rc));
	return rc;
}

/* go_home - back to the runner's own namespace and CPUs after the master ran as member 0. */
static void go_home(struct measure_state *st)
{
	if (st->topo.nmembers && st->topo.members[0].netns[0] && st->home_netns >= 0)
		setns(st->home_netns, CLONE_NEWNET);
	sched_setaffinity(0, sizeof(st->home_cpus), &st->home_cpus);
}

/* stop_probe - tear the probe down, then the topology; both may not be up. */
static void stop_probe(struct measure_state *st)
{
	if (st->probe_up && st->plan->on_teardown)
		st->plan->on_teardown(st->plan->arg, st->ctx.pids, st->ctx.npids);
	if (st->probe_up)
		st->ops->teardown(&st->ctx);
	st->probe_up = false;
	go_home(st);
	if (st->topo_up)
		topology_destroy(&st->topo);
	st->topo_up = false;
}

/* start_topology - the probe's members, or the master alone on the first CPU of the list. */
static int start_topology(struct measure_state *st)
{
	struct probe_config one = *st->cfg;
	char err[256] = "";
	int rc;

	if (st->ops->has_members && st->cfg->topology) {
		/* a topology file's members and namespaces are the user's: never destroyed */
		st->topo = *st->cfg->topology;
		placement_mark_shared(&st->topo);
		return 0;
	}
	if (!st->ops->has_members) {
		one.members = 1;
		one.domains = PROBE_DOMAINS_SINGLE;
	}
	rc = topology_create(&one, &st->topo, err, sizeof(err));
	if (rc)
		return fail(st, rc, "failed to lay out", err);
	st->topo_up = true;
	placement_mark_shared(&st->topo);
	return 0;
}

/* enter_master - move this thread to the master's namespace and CPU (again after placement). */
static int enter_master(struct measure_state *st)
{
	char err[256] = "";
	int rc;

	rc = topology_enter(&st->topo.members[0], err, sizeof(err));
	return rc ? fail(st, rc, "failed to place the master of", err) : 0;
}

/* remember_pids - the processes the hooks were told of, to take them back after a rebuild. */
static void remember_pids(struct measure_state *st)
{
	st->ntraced = st->ctx.npids;
	memcpy(st->traced, st->ctx.pids, st->ntraced * sizeof(pid_t));
}

/* start_probe - set the probe up from the master's place; tell the hook what it started. */
static int start_probe(struct measure_state *st)
{
	int rc;

	memset(&st->ctx, 0, sizeof(st->ctx));
	st->ctx.cfg = st->cfg;
	st->ctx.topo = &st->topo;
	rc = st->ops->setup(&st->ctx);
	st->probe_up = true; /* teardown is safe after a failed setup */
	if (rc)
		return fail(st, rc, "failed to set up", st->ctx.err);
	if (st->plan->on_setup)
		st->plan->on_setup(st->plan->arg, st->ctx.pids, st->ctx.npids);
	remember_pids(st);
	return 0;
}

/*
 * account - after each iterate: the probe's own account of it (@rc as iterate returned, or
 * PROBE_ITERATION_LOST for an error that lost the message), then its restarts into the result.
 */
static int account(struct measure_state *st, const struct probe_iteration *it, int rc)
{
	int err = 0;

	if (st->account)
		err = st->ops->account->iteration(st->account, &st->ctx, it, rc, st->cal);
	st->res->restarts += st->ctx.restarts;
	st->ctx.restarts = 0;
	return err ? fail(st, err, "failed to keep the account of", "") : 0;
}

/*
 * lost_message - the probe lost the message and rebuilt itself: count it, and move the hooks
 * from the old processes to the new ones.
 */
static void lost_message(struct measure_state *st)
{
	const struct measure_plan *plan = st->plan;

	st->res->lost++;
	if (plan->on_teardown)
		plan->on_teardown(plan->arg, st->traced, st->ntraced);
	if (plan->on_setup)
		plan->on_setup(plan->arg, st->ctx.pids, st->ctx.npids);
	remember_pids(st);
}

/*
 * placement_probe - the cache-line round trip of this run's CPU placement (NAN if unmeasured).
 * Its threads inherit this thread's affinity, so it runs with the runner's own CPUs.
 */
static double placement_probe(struct measure_state *st, int *a, int *b)
{
	const struct cli_cpus *cpus = &st->cfg->cpus;
	double rtt;

	sched_setaffinity(0, sizeof(st->home_cpus), &st->home_cpus);
	*a = cpus->n >= 2 ? cpus->cpu[0] : 0;
	*b = cpus->n >= 2 ? cpus->cpu[1] : 1;
	if (platform_cross_cpu_rtt(*a, *b, PLACEMENT_ROUNDS, &rtt))
		return NAN;
	return rtt;
}

/* pace - wait for iteration @k's intended start t0 + k x interval; returns that time. */
static uint64_t pace(const struct measure_plan *plan, uint64_t t0, unsigned int k)
{
	uint64_t intended = t0 + (uint64_t)k * plan->interval_ns, now = timing_mono_ns();
	struct timespec ts;

	if (now + PACE_SLEEP_MARGIN_NS < intended) {
		ts.tv_sec = (time_t)((intended - PACE_SLEEP_MARGIN_NS) / 1000000000ULL);
		ts.tv_nsec = (long)((intended - PACE_SLEEP_MARGIN_NS) % 1000000000ULL);
		clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &ts, NULL);
	}
	while (timing_mono_ns() < intended && !*plan->stop)
		;
	return intended;
}

/* keep_good - remember a good latency for the summary (8 bytes per iteration). */
static int keep_good(struct measure_state *st, double ns)
{
	double *v;

	if (st->ngood == st->cap) {
		st->cap = st->cap ? st->cap * 2 : 4096;
		v = realloc(st->good, st->cap * sizeof(*v));
		if (!v)
			return -ENOMEM;
		st->good = v;
	}
	st->good[st->ngood++] = ns;
	return 0;
}

/* iterate_failed - an iterate error: an interruption if a signal caused it, else the error. */
static int iterate_failed(struct measure_state *st, int rc, const struct probe_iteration *it)
{
	bool lost = rc == -ETIMEDOUT || rc == -EPIPE; /* no reply, or a member died with it */
	char where[64];

	if (*st->plan->stop) {
		st->res->interrupted = true;
		return 0;
	}
	snprintf(where, sizeof(where), "run %u, iteration %u", it->run, it->iteration);
	if (!st->res->err[0])
		snprintf(st->res->err, sizeof(st->res->err), "probe '%s' failed in %s: %s",
			 st->cfg->probe, where, st->ctx.err[0] ? st->ctx.err : strerror(-rc));
	account(st, it, lost ? PROBE_ITERATION_LOST : rc);
	st->res->lost += lost;
	return rc;
}

/*
 * warmup_iterate - one warm-up iteration, timed when --trace-marker takes its threshold from it,
 * and @again: after samples were written in the middle of a run (below, warmup).
 */
static int warmup_iterate(struct measure_state *st, struct probe_iteration *it, bool again)
{
	struct spike_marker *m = again ? NULL : st->plan->marker;
	struct timing_window w;
	int rc;

	if (!m && !again)
		return st->ops->iterate(&st->ctx, it);
	timing_window_open(&w);
	rc = st->ops->iterate(&st->ctx, it);
	timing_window_close(&w);
	if (!rc && m)
		spike_marker_warmup(m, timing_ticks_to_ns(st->cal, w.tsc_end - w.tsc_start));
	return rc;
}

/*
 * warmup - plan->warmup untimed iterations, so caches, connections and the TLB are warm; @again
 * after samples were written in the middle of a run, each inside a discarded timing window: the
 * write (compression, page cache) left caches and TLB cold, the stamps' own code too, and the
 * next iteration was 0.6-0.9 us instead of 0.044 us on the null probe here, a line of the
 * runner's own every 65,536 iterations. Paced runs keep their schedule: a delayed one is late.
 */
static int warmup(struct measure_state *st, unsigned int run, bool again)
{
	struct probe_iteration it = {.run = run, .is_warmup = 1};
	int rc;

	for (it.iteration = 0; it.iteration < st->plan->warmup; it.iteration++) {
		if (*st->plan->stop) {
			st->res->interrupted = true;
			return 0;
		}
		it.seq = st->seq++;
		rc = warmup_iterate(st, &it, again);
		if (rc < 0)
			return iterate_failed(st, rc, &it);
		if (account(st, &it, rc))
			return -ENOMEM;
		if (rc == PROBE_ITERATION_LOST)
			lost_message(st);
	}
	return 0;
}

/* flush_pending - the run's samples into the trace and the good ones into the summary. */
static int flush_pending(struct measure_state *st)
{
	const struct trace_sample *s;
	size_t i;
	int err;

	for (i = 0; i < st->npending; i++) {
		s = &st->pending[i];
		err = trace_writer_add_sample(st->w, st->probe_id, s);
		if (err)
			return fail(st, err, "failed to write the samples of", "");
		if (!(s->flags & TRACE_SAMPLE_BAD) && keep_good(st, (double)s->latency_ns))
			return fail(st, -ENOMEM, "failed to keep the samples of", "");
	}
	st->npending = 0;
	return 0;
}

/* record - one sample into the run's pending samples, the counters and the progress line. */
static int record(struct measure_state *st, struct trace_sample *s, int rc)
{
	s->latency_ns = (uint64_t)llround(timing_ticks_to_ns(st->cal, s->tsc_end - s->tsc_start));
	s->flags = rc == 1 ? TRACE_SAMPLE_BAD : 0;
	if (st->plan->interval_ns && s->mono_start_ns > s->intended_ns + MEASURE_LATE_NS)
		s->flags |= TRACE_SAMPLE_LATE;
	st->pending[st->npending++] = *s;
	st->res->samples++;
	st->res->bad += rc == 1;
	st->res->late += !!(s->flags & TRACE_SAMPLE_LATE);
	if (st->plan->progress)
		progress_add(st->plan->progress, s->mono_end_ns,
			     rc == 1 ? -1.0 : (double)s->latency_ns);
	return st->npending == st->pending_cap ? flush_pending(st) : 0;
}

/* timed - the recorded iterations of run @run, paced from t0 when an interval is set. */
static int timed(struct measure_state *st, unsigned int run)
{
	struct probe_iteration it = {.run = run};
	uint64_t t0 = timing_mono_ns();
	struct timing_window w;
	struct trace_sample s;
	bool full;
	int rc;

	for (it.iteration = 0; it.iteration < st->plan->iterations; it.iteration++) {
		if (*st->plan->stop) {
			st->res->interrupted = true;
			return 0;
		}
		memset(&s, 0, sizeof(s));
		s.intended_ns = st->plan->interval_ns ? pace(st->plan, t0, it.iteration) : 0;
		s.run = run;
		s.iteration = it.iteration;
		s.cpu = (uint32_t)sched_getcpu();
		it.seq = st->seq++;
		timing_window_open(&w);
		rc = st->ops->iterate(&st->ctx, &it);
		timing_window_close(&w);
		s.tsc_start = w.tsc_start;
		s.mono_start_ns = w.mono_start_ns;
		s.mono_end_ns = w.mono_end_ns;
		s.tsc_end = w.tsc_end;
		if (rc < 0)
			return iterate_failed(st, rc, &it);
		if (account(st, &it, rc))
			return -ENOMEM;
		if (rc == PROBE_ITERATION_LOST) {
			lost_message(st);
			continue;
		}
		if (!st->plan->interval_ns)
			s.intended_ns = s.mono_start_ns;
		full = st->npending + 1 == st->pending_cap;
		rc = record(st, &s, rc);
		if (!rc && full && it.iteration + 1 < st->plan->iterations)
			rc = warmup(st, run, true);
		if (rc)
			return rc;
		if (st->plan->marker) /* after the window closed, before the next one opens */
			spike_marker_check(st->plan->marker, run, it.iteration, s.latency_ns,
					   s.mono_start_ns);
		if (st->plan->run_ns && s.mono_end_ns - t0 >= st->plan->run_ns)
			break; /* --duration: no clock read of its own, the window's end */
	}
	return 0;
}

/* run_status - "ok", "interrupted" or "error" for a RUN or PROBE_END chunk. */
static const char *run_status(const struct measure_state *st, int rc)
{
	return rc ? "error" : st->res->interrupted ? "interrupted" : "ok";
}

/* add_ns - a latency key, or null when there is no good sample. */
static void add_ns(struct json_object *o, const char *key, size_t n, double v)
{
	json_object_object_add(o, key, n ? json_object_new_int64(llround(v)) : NULL);
}

/* run_mark - where the totals stood when a run began: the run's own counts are the difference. */
struct run_mark {
	uint64_t start_ns, samples, bad, late, lost;
	size_t good;
	int cpus[2]; /* the placement probe's CPUs */
	bool traced; /* the tracer was attached during the run */
	double rtt;  /* its median round trip (ns), NAN if it could not run */
};

/* write_run - the RUN chunk: counts, window, placement and percentiles of run @run. */
static int write_run(struct measure_state *st, unsigned int run, const struct run_mark *m, int rc)
{
	struct json_object *o = json_object_new_object(), *p = json_object_new_object();
	const struct measure_result *r = st->res;
	struct stats_summary sum = {0};

	if (st->ngood > m->good)
		stats_summarize(st->good + m->good, st->ngood - m->good, &sum);
	json_object_object_add(o, "probe_id", json_object_new_int((int)st->probe_id));
	json_object_object_add(o, "run", json_object_new_int((int)run));
	json_object_object_add(o, "status", json_object_new_string(run_status(st, rc)));
	if (st->plan->set_traced)
		json_object_object_add(o, "traced", json_object_new_boolean(m->traced));
	json_object_object_add(o, "samples",
			       json_object_new_int64((int64_t)(r->samples - m->samples)));
	json_object_object_add(o, "bad_messages",
			       json_object_new_int64((int64_t)(r->bad - m->bad)));
	json_object_object_add(o, "late", json_object_new_int64((int64_t)(r->late - m->late)));
	json_object_object_add(o, "lost", json_object_new_int64((int64_t)(r->lost - m->lost)));
	if (st->account)
		st->ops->account->to_json(st->account, o, false);
	json_object_object_add(o, "start_mono_ns", json_object_new_int64((int64_t)m->start_ns));
	json_object_object_add(o, "end_mono_ns", json_object_new_int64((int64_t)timing_mono_ns()));
	add_ns(o, "p50_ns", sum.n, sum.p50);
	add_ns(o, "p99_ns", sum.n, sum.p99);
	add_ns(o, "max_ns", sum.n, sum.max);
	json_object_object_add(p, "cpu_a", json_object_new_int(m->cpus[0]));
	json_object_object_add(p, "cpu_b", json_object_new_int(m->cpus[1]));
	json_object_object_add(p, "rtt_ns", isnan(m->rtt) ? NULL : json_object_new_double(m->rtt));
	json_object_object_add(o, "placement", p);
	if (st->plan->marker)
		spike_marker_run_json(st->plan->marker, o);
	if (rc)
		json_object_object_add(o, "error", json_object_new_string(st->res->err));
	return add_json(st, TRACE_CHUNK_RUN, o);
}

/* has_untraced - whether @plan measures some runs untraced beside traced ones. */
static bool has_untraced(const struct measure_plan *plan)
{
	return plan->set_traced && plan->runs > 1 && plan->untraced_runs != MEASURE_UNTRACED_NONE;
}

/* measure_run - one run: topology and probe (unless kept), placement, warm-up, iterations. */
static int measure_run(struct measure_state *st, unsigned int run)
{
	struct run_mark m = {.samples = st->res->samples,
			     .bad = st->res->bad,
			     .late = st->res->late,
			     .lost = st->res->lost,
			     .good = st->ngood};
	int rc = 0, wrc;

	if (st->plan->set_traced)
		m.traced = st->plan->set_traced(st->plan->arg, measure_run_traced(st->plan, run));
	m.start_ns = timing_mono_ns(); /* after the tracer's switch: it is no part of the run */
	if (st->account)
		st->ops->account->run_begins(st->account);

	if (!st->topo_up)
		rc = start_topology(st);
	m.rtt = placement_probe(st, &m.cpus[0], &m.cpus[1]);
	if (!rc)
		rc = enter_master(st);
	if (!rc && !st->probe_up)
		rc = start_probe(st);
	if (!rc)
		rc = warmup(st, run, false);
	if (!rc && st->plan->marker)
		spike_marker_run_begins(st->plan->marker);
	if (!rc && !st->res->interrupted)
		rc = timed(st, run);
	if (st->plan->marker)
		spike_marker_run_ends(st->plan->marker, run);
	if (rc && *st->plan->stop) {
		/* the signal caused it: a terminal's SIGINT reaches `ip` and the members too */
		st->res->interrupted = true;
		st->res->err[0] = '\0';
		rc = 0;
	}
	wrc = flush_pending(st);
	if (!wrc)
		wrc = trace_writer_flush(st->w);
	if (wrc && !rc)
		rc = fail(st, wrc, "failed to write the samples of", "");
	wrc = write_run(st, run, &m, rc);
	if (st->plan->progress) /* between runs: a draw between iterations perturbs the next one */
		progress_run_end(st->plan->progress, run, timing_mono_ns());
	if (m.traced && has_untraced(st->plan))
		st->ngood = m.good; /* the summary is the untraced runs', as analyze's table */
	if (rc || st->res->interrupted || !st->plan->keep_ring)
		stop_probe(st);
	return rc ? rc : wrc;
}

/* write_probe_end - the PROBE_END chunk: totals and, after a failure, why. */
static int write_probe_end(struct measure_state *st, int rc)
{
	struct json_object *o = json_object_new_object();
	const struct measure_result *r = st->res;

	json_object_object_add(o, "probe_id", json_object_new_int((int)st->probe_id));
	json_object_object_add(o, "status", json_object_new_string(run_status(st, rc)));
	json_object_object_add(o, "runs", json_object_new_int((int)r->runs_done));
	json_object_object_add(o, "samples", json_object_new_int64((int64_t)r->samples));
	json_object_object_add(o, "bad_messages", json_object_new_int64((int64_t)r->bad));
	json_object_object_add(o, "lost", json_object_new_int64((int64_t)r->lost));
	json_object_object_add(o, "late", json_object_new_int64((int64_t)r->late));
	if (st->account)
		st->ops->account->to_json(st->account, o, true);
	if (rc)
		json_object_object_add(o, "error", json_object_new_string(r->err));
	return add_json(st, TRACE_CHUNK_PROBE_END, o);
}

/* close_state - free what measure_probe holds; safe on what it has not made yet. */
static void close_state(struct measure_state *st)
{
	if (st->account)
		st->ops->account->close(st->account);
	if (st->home_netns >= 0)
		close(st->home_netns);
	free(st->good);
	if (st->pending)
		quiet_free(st->pending, st->pending_cap * sizeof(*st->pending));
}

bool measure_run_traced(const struct measure_plan *plan, unsigned int run)
{
	return plan->untraced_runs == MEASURE_UNTRACED_NONE || run % 2 == 0;
}

uint64_t measure_memory(const struct probe_config *cfg, const struct measure_plan *plan,
			size_t *per_iteration)
{
	const struct probe_ops *ops = probe_find(cfg->probe);
	uint64_t pending = plan->iterations < PENDING_MAX ? plan->iterations : PENDING_MAX;

	*per_iteration = sizeof(*((struct measure_state *)0)->good);
	if (ops && ops->account && ops->account->bytes_per_sample)
		*per_iteration += ops->account->bytes_per_sample(cfg);
	return (uint64_t)plan->runs * plan->iterations * *per_iteration +
	       pending * sizeof(struct trace_sample);
}

int measure_probe(struct trace_writer *w, uint32_t probe_id, const struct probe_config *cfg,
		  const struct measure_plan *plan, const struct timing_calibration *cal,
		  struct measure_result *res)
{
	struct measure_state st = {.w = w,
				   .probe_id = probe_id,
				   .cfg = cfg,
				   .plan = plan,
				   .cal = cal,
				   .res = res,
				   .home_netns = -1};
	unsigned int run;
	int rc, wrc, slack;

	memset(res, 0, sizeof(*res));
	st.ops = probe_find(cfg->probe);
	if (!st.ops) {
		snprintf(res->err, sizeof(res->err), "unknown probe '%s' (probes: %s)", cfg->probe,
			 probe_names());
		return -EINVAL;
	}
	st.pending_cap = plan->iterations < PENDING_MAX ? plan->iterations : PENDING_MAX;
	st.pending = quiet_alloc(st.pending_cap * sizeof(*st.pending));
	if (st.ops->account)
		st.account = st.ops->account->open(cfg, plan->iterations);
	if (!st.pending || (st.ops->account && !st.account)) {
		snprintf(res->err, sizeof(res->err), "out of memory for %zu samples",
			 st.pending_cap);
		close_state(&st);
		return -ENOMEM;
	}
	st.home_netns = open("/proc/self/ns/net", O_RDONLY | O_CLOEXEC);
	CPU_ZERO(&st.home_cpus);
	sched_getaffinity(0, sizeof(st.home_cpus), &st.home_cpus);
	slack = prctl(PR_GET_TIMERSLACK, 0, 0, 0, 0);
	if (plan->interval_ns)
		prctl(PR_SET_TIMERSLACK, 1UL, 0, 0, 0);
	if (plan->marker)
		spike_marker_probe(plan->marker, probe_id, cfg);
	rc = write_probe(&st);
	for (run = 0; !rc && run < plan->runs && !res->interrupted && !*plan->stop; run++) {
		rc = measure_run(&st, run);
		res->runs_done += !rc && !res->interrupted;
	}
	res->interrupted |= !!*plan->stop;
	stop_probe(&st);
	if (slack > 0)
		prctl(PR_SET_TIMERSLACK, (unsigned long)slack, 0, 0, 0);
	if (st.ngood)
		stats_summarize(st.good, st.ngood, &res->stats);
	res->stats_untraced = has_untraced(plan);
	wrc = write_probe_end(&st, rc);
	close_state(&st);
	return rc ? rc : wrc;
}
