// SPDX-License-Identifier: MIT
/*
 * measure - runs x iterations of one probe into a trace writer: the driver of each run, from its
 * set-up to its RUN chunk. The iterations are measure_loop.c's, the set-up and teardown
 * measure_setup.c's, the chunks measure_chunks.c's.
 */
#include "runner/measure.h"

#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <unistd.h>

#include "lib/quiet_mem.h"
#include "lib/trace/trace_writer.h"
#include "probes/registry.h"
#include "runner/measure_chunks.h"
#include "runner/measure_loop.h"
#include "runner/measure_setup.h"
#include "runner/progress.h"
#include "runner/spike_marker.h"

/* The most samples a run holds before writing them (4 MiB); runs up to this are written whole. */
#define PENDING_MAX 65536
_Static_assert(PENDING_MAX <= TRACE_WRITER_HELD_SAMPLES, "the writer keeps room for them");

/* run_traced - whether run @run of @plan is to be traced (given a tracer). */
static bool run_traced(const struct measure_plan *plan, unsigned int run)
{
	return plan->untraced_runs == MEASURE_UNTRACED_NONE || run % 2 == 0;
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
		m.traced = st->plan->set_traced(st->plan->arg, run_traced(st->plan, run));
	m.start_ns = timing_mono_ns(); /* after the tracer's switch: it is no part of the run */
	if (st->account)
		st->ops->account->run_begins(st->account);

	if (!st->topo_up)
		rc = measure_start_topology(st);
	m.rtt = measure_placement_probe(st, &m.cpus[0], &m.cpus[1]);
	if (!rc)
		rc = measure_enter_master(st);
	if (!rc && !st->probe_up)
		rc = measure_start_probe(st);
	if (!rc)
		rc = measure_warmup(st, run, false);
	if (!rc && st->plan->marker)
		spike_marker_run_begins(st->plan->marker);
	if (!rc && !st->res->interrupted)
		rc = measure_timed(st, run);
	if (st->plan->marker)
		spike_marker_run_ends(st->plan->marker, run);
	if (rc && *st->plan->stop) {
		/* the signal caused it: a terminal's SIGINT reaches `ip` and the members too */
		st->res->interrupted = true;
		st->res->err[0] = '\0';
		rc = 0;
	}
	wrc = measure_flush_pending(st);
	if (!wrc)
		wrc = trace_writer_flush(st->w);
	if (wrc && !rc)
		rc = measure_fail(st, wrc, "failed to write the samples of", "");
	wrc = measure_write_run(st, run, &m, rc);
	if (st->plan->progress) /* between runs: a draw between iterations perturbs the next one */
		progress_run_end(st->plan->progress, run, timing_mono_ns());
	if (m.traced && has_untraced(st->plan))
		st->ngood = m.good; /* the summary is the untraced runs', as analyze's table */
	if (rc || st->res->interrupted || !st->plan->keep_ring)
		measure_stop_probe(st);
	return rc ? rc : wrc;
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
	rc = measure_write_probe(&st);
	for (run = 0; !rc && run < plan->runs && !res->interrupted && !*plan->stop; run++) {
		rc = measure_run(&st, run);
		res->runs_done += !rc && !res->interrupted;
	}
	res->interrupted |= !!*plan->stop;
	measure_stop_probe(&st);
	if (slack > 0)
		prctl(PR_SET_TIMERSLACK, (unsigned long)slack, 0, 0, 0);
	if (st.ngood)
		stats_summarize(st.good, st.ngood, &res->stats);
	res->stats_untraced = has_untraced(plan);
	wrc = measure_write_probe_end(&st, rc);
	close_state(&st);
	return rc ? rc : wrc;
}
