// SPDX-License-Identifier: MIT
/*
 * measure_loop - the iterations of one run: warm-up, the timed iterations, and the samples they
 * record.
 *
 * Stamps of one iteration: a timing_window (lib/timing.h) around iterate: tsc_begin
 * (lfence;rdtsc), mono_start, iterate, mono_end, tsc_end (rdtscp;lfence). The TSC pair is
 * outermost, so the TSC latency covers the whole region including both CLOCK_MONOTONIC reads
 * (what an empty window costs is the calibration's stamp_cost_ns, stored in the trace, measured
 * with the same window), and the monotonic window lies inside it: a kernel event inside
 * [mono_start, mono_end] certainly happened inside the timed region.
 */
#include "runner/measure_loop.h"

#include <errno.h>
#include <math.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "lib/trace/trace_writer.h"
#include "runner/measure_setup.h"
#include "runner/progress.h"
#include "runner/spike_marker.h"

/*
 * Pacing sleeps until this long before an intended start, then spins. Measured on the loaded
 * 2-vCPU guest: clock_nanosleep woke p50 132 / p90 444 us late with the default 50 us timer
 * slack, p50 89 / p90 127 us with a 1 ns slack; so the slack is 1 ns during a paced run and the
 * margin covers the usual wake-up.
 */
#define PACE_SLEEP_MARGIN_NS 200000

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
	return err ? measure_fail(st, err, "failed to keep the account of", "") : 0;
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
	measure_remember_pids(st);
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
 * measure_warmup - plan->warmup untimed iterations, so caches, connections and the TLB are warm;
 * @again after samples were written in the middle of a run, each inside a discarded timing window:
 * the write (compression, page cache) left caches and TLB cold, the stamps' own code too, and the
 * next iteration was 0.6-0.9 us instead of 0.044 us on the null probe here, a line of the
 * runner's own every 65,536 iterations. Paced runs keep their schedule: a delayed one is late.
 */
int measure_warmup(struct measure_state *st, unsigned int run, bool again)
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

int measure_flush_pending(struct measure_state *st)
{
	const struct trace_sample *s;
	size_t i;
	int err;

	for (i = 0; i < st->npending; i++) {
		s = &st->pending[i];
		err = trace_writer_add_sample(st->w, st->probe_id, s);
		if (err)
			return measure_fail(st, err, "failed to write the samples of", "");
		if (!(s->flags & TRACE_SAMPLE_BAD) && keep_good(st, (double)s->latency_ns))
			return measure_fail(st, -ENOMEM, "failed to keep the samples of", "");
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
	return st->npending == st->pending_cap ? measure_flush_pending(st) : 0;
}

int measure_timed(struct measure_state *st, unsigned int run)
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
			rc = measure_warmup(st, run, true);
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
