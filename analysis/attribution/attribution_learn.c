// SPDX-License-Identifier: MIT
/*
 * attribution_learn - what the join's stream teaches beyond the windows: the usual cost of
 * every syscall (a log-linear histogram per number), the run's normal interrupt delivery, the
 * host evidence of the whole trace, the usual rate of VM exits; and the split's context.
 */
#include <errno.h>
#include <stdlib.h>

#include "analysis/attribution/attribution_join.h"

/* attr_hist_bucket - exact below 2 x SUB, then SUB buckets per power of two. */
static size_t attr_hist_bucket(uint64_t v)
{
	unsigned int e;

	if (v < 2 * ATTR_HIST_SUB)
		return (size_t)v;
	e = 63 - (unsigned int)__builtin_clzll(v); /* >= 6 */
	return 2 * ATTR_HIST_SUB + (e - 6) * ATTR_HIST_SUB + ((v >> (e - 5)) & (ATTR_HIST_SUB - 1));
}

/* attr_hist_value - the middle of bucket @b. */
static uint64_t attr_hist_value(size_t b)
{
	unsigned int e, sub;

	if (b < 2 * ATTR_HIST_SUB)
		return b;
	e = 6 + (unsigned int)((b - 2 * ATTR_HIST_SUB) / ATTR_HIST_SUB);
	sub = (unsigned int)((b - 2 * ATTR_HIST_SUB) % ATTR_HIST_SUB);
	return ((uint64_t)(ATTR_HIST_SUB + sub) << (e - 5)) + (1ULL << (e - 5)) / 2;
}

/* attr_hist_quantile - the lower @q quantile of the histogram, 0 when empty. */
uint64_t attr_hist_quantile(const struct attr_hist *h, double q)
{
	uint64_t rank, seen = 0;
	size_t b;

	if (!h || !h->count)
		return 0;
	rank = (uint64_t)((double)(h->count - 1) * q);
	for (b = 0; b < ATTR_HIST_BUCKETS; b++) {
		seen += h->b[b];
		if (seen > rank)
			return attr_hist_value(b);
	}
	return 0;
}

/*
 * attr_usual_ns - the attr_ctx callback: median duration of syscall @nr in this probe. It is
 * asked only after the stream, once per syscall of every window: the median is kept.
 */
static uint64_t attr_usual_ns(void *arg, uint32_t nr, int timed)
{
	const struct attr_pstate *p = arg;
	struct attr_hist *h = nr < ATTR_MAX_NR ? p->hist[nr][timed ? 1 : 0] : NULL;

	if (!h)
		return 0;
	if (!h->known)
		h->median = attr_hist_quantile(h, 0.5);
	h->known = true;
	return h->median;
}

/* attr_hist_count - one value into @h. */
static void attr_hist_count(struct attr_hist *h, uint64_t v)
{
	h->count++;
	h->b[attr_hist_bucket(v)]++;
}

/* attr_hist_add - count one duration of syscall @nr. 0 or -ENOMEM. */
int attr_hist_add(struct attr_pstate *p, const struct tracer_event *e)
{
	int timed = p->timed_tid && e->tid == p->timed_tid;
	struct attr_hist **h;

	if (e->arg0 >= ATTR_MAX_NR)
		return 0;
	h = &p->hist[e->arg0][timed];
	if (!*h) {
		*h = calloc(1, sizeof(**h));
		if (!*h)
			return -ENOMEM;
	}
	attr_hist_count(*h, e->dur_ns);
	return 0;
}

/*
 * attr_learn_platform - what every event of the trace says about the platform: the delivery
 * latencies of IPIs and timer interrupts (their median is the run's normal), vCPU silences,
 * steal, VM-exit proxies, the tracer's own activity.
 */
void attr_learn_platform(struct attr_join *j, const struct tracer_event *e)
{
	struct attr_evidence *ev = &j->evidence;

	switch (e->type) {
	case TRACER_EV_IPI:
		if (e->flags & TRACER_F_IPI_SENT)
			attr_hist_count(&j->ipi_hist, e->arg1);
		else if (e->flags & TRACER_F_TIMER_EXPIRY)
			attr_hist_count(&j->timer_hist, e->arg1);
		break;
	case TRACER_EV_ABSENT:
		ev->absent_spans++;
		ev->absent_ns += e->dur_ns;
		break;
	case TRACER_EV_STEAL:
		ev->steal_ns += e->arg0;
		break;
	case TRACER_EV_EXITS:
		ev->exits += e->arg0 + e->arg1 + e->arg2;
		break;
	case TRACER_EV_MSR_WRITE:
	case TRACER_EV_IDLE:
		ev->exits++;
		break;
	case TRACER_EV_TRACER:
		ev->tracer_oncpu_ns += e->arg0 == TRACER_SELF_ONCPU ? e->dur_ns : 0;
		ev->tracer_wakeups += e->arg0 == TRACER_SELF_WAKEUP;
		break;
	default:
		break;
	}
}

/*
 * attr_learn_exits - VM-exit proxies inside probe @p's span (an EXITS window's counts in the
 * share of it inside the span), and the CPUs they came from: the usual rate of exits.
 */
void attr_learn_exits(struct attr_pstate *p, const struct tracer_event *e)
{
	uint64_t s, t;
	double n;

	if (e->type == TRACER_EV_EXITS) {
		s = e->ts_ns > p->span_start ? e->ts_ns : p->span_start;
		t = e->ts_ns + e->dur_ns < p->span_end ? e->ts_ns + e->dur_ns : p->span_end;
		n = t > s && e->dur_ns ? (double)(e->arg0 + e->arg1 + e->arg2) * (double)(t - s) /
					     (double)e->dur_ns
				       : 0;
	} else if (e->type == TRACER_EV_MSR_WRITE || e->type == TRACER_EV_IDLE) {
		n = e->ts_ns >= p->span_start && e->ts_ns < p->span_end;
	} else {
		return;
	}
	p->exits += n;
	if (n > 0 && e->cpu < TRACER_MAX_CPUS)
		p->exit_cpus[e->cpu / 64] |= 1ULL << (e->cpu % 64);
}

/* attr_popcount - CPUs in a set. */
static unsigned int attr_popcount(const uint64_t *set)
{
	unsigned int i, n = 0;

	for (i = 0; i < TRACER_MAX_CPUS / 64; i++)
		n += (unsigned int)__builtin_popcountll(set[i]);
	return n;
}

/* attr_ctx_of - the split's context for probe @p. */
struct attr_ctx attr_ctx_of(struct attr_join *j, struct attr_pstate *p)
{
	unsigned int ncpus = attr_popcount(p->exit_cpus);
	uint64_t span = p->span_end > p->span_start ? p->span_end - p->span_start : 0;

	return (struct attr_ctx){
	    .arch = j->arch,
	    .timed_tid = p->timed_tid,
	    .timed_tgid = p->timed_tgid,
	    .usual_ns = attr_usual_ns,
	    .arg = p,
	    .transition_ns = p->transition_ns,
	    .wakeup_ns = p->wakeup_ns,
	    .pf = j->pf,
	    .ipi_normal_ns = attr_hist_quantile(&j->ipi_hist, ATTR_NORMAL_DELIVERY_Q),
	    .timer_normal_ns = attr_hist_quantile(&j->timer_hist, ATTR_NORMAL_DELIVERY_Q),
	    .exits_usual_per_ns = span && ncpus ? p->exits / (double)span / ncpus : 0,
	};
}

void attr_join__evidence(const struct attr_join *j, struct attr_evidence *out)
{
	*out = j->evidence;
	out->ipi_normal_ns = attr_hist_quantile(&j->ipi_hist, ATTR_NORMAL_DELIVERY_Q);
	out->ipi_p50_ns = attr_hist_quantile(&j->ipi_hist, 0.5);
	out->ipis = j->ipi_hist.count;
	out->timer_normal_ns = attr_hist_quantile(&j->timer_hist, ATTR_NORMAL_DELIVERY_Q);
	out->timer_p50_ns = attr_hist_quantile(&j->timer_hist, 0.5);
	out->timers = j->timer_hist.count;
}
