// SPDX-License-Identifier: MIT
/*
 * attribution_ran - who ran instead: for each off-CPU key event of a spike, the untraced thread
 * that held its CPU longest while it waited to run (RAN records), so that a CPU hog is named
 * by its own name rather than by whoever happened to be switched to first; and which part of an
 * off-CPU interval waited for a CPU, the rule the split's scheduling time follows too.
 */
#include "analysis/attribution/attribution_iv.h"

/* Distinct runners kept per key event; the rest still count in ran_threads. */
#define ATTR_RUNNERS 16

struct attr_runner {
	uint32_t tid;
	uint64_t ns;
	uint64_t first_ts; /* the start of its first RAN record in the wait */
};

int attr_offcpu_waited(uint8_t flags, uint32_t state, uint64_t wake, uint64_t *start, uint64_t *end)
{
	if ((flags & TRACER_F_PREEMPTED) || (state & ATTR_TASK_HELD))
		return 1;
	if (!wake || wake >= *end)
		return 0;
	if (wake > *start)
		*start = wake;
	return 1;
}

/*
 * attr_wait_span - the part of off-CPU key event @k that waited for a CPU, clipped to the window
 * of @sp (attr_offcpu_waited). 0 when none of it did.
 */
static int attr_wait_span(const struct spike *sp, const struct attr_key_event *k, uint64_t *s,
			  uint64_t *t)
{
	*s = k->start_ns;
	*t = k->start_ns + k->dur_ns;
	if (!attr_offcpu_waited(k->flags, TRACER_OFFCPU_STATE(k->arg1), k->arg0, s, t))
		return 0;
	if (*s < sp->win_start_ns)
		*s = sp->win_start_ns;
	if (*t > sp->win_end_ns)
		*t = sp->win_end_ns;
	return *t > *s;
}

/*
 * attr_runner_add - @ns more for RAN record @e's thread among the @n runners of @r; returns the
 * new count.
 */
static size_t attr_runner_add(struct attr_runner *r, size_t n, uint32_t *threads,
			      const struct tracer_event *e, uint64_t ns)
{
	size_t i;

	for (i = 0; i < n && r[i].tid != e->tid; i++)
		;
	if (i == n) {
		++*threads;
		if (n == ATTR_RUNNERS)
			return n;
		r[n++] = (struct attr_runner){.tid = e->tid, .first_ts = e->ts_ns};
	}
	r[i].ns += ns;
	return n;
}

/* attr_key_runners - the runners of off-CPU key event @k: the longest into @k->ran_*. */
static void attr_key_runners(const struct spike *sp, const struct tracer_event *ev, size_t n,
			     struct attr_key_event *k)
{
	struct attr_runner r[ATTR_RUNNERS];
	uint64_t s, t, a, b;
	size_t i, nr = 0;

	if (!attr_wait_span(sp, k, &s, &t))
		return;
	for (i = 0; i < n && ev[i].ts_ns < t; i++) {
		if (ev[i].type != TRACER_EV_RAN || ev[i].cpu != k->cpu)
			continue;
		a = ev[i].ts_ns > s ? ev[i].ts_ns : s;
		b = ev[i].ts_ns + ev[i].dur_ns < t ? ev[i].ts_ns + ev[i].dur_ns : t;
		if (b > a)
			nr = attr_runner_add(r, nr, &k->ran_threads, &ev[i], b - a);
	}
	for (i = 0; i < nr; i++)
		if (r[i].ns > k->ran_ns) {
			k->ran_ns = r[i].ns;
			k->ran_tid = r[i].tid;
			k->ran_start_ns = r[i].first_ts;
		}
}

void attr_name_runners(const struct spike *sp, const struct tracer_event *ev, size_t n,
		       struct attr_spike *out)
{
	uint32_t i;

	for (i = 0; i < out->nkey; i++)
		if (out->key[i].type == TRACER_EV_OFFCPU)
			attr_key_runners(sp, ev, n, &out->key[i]);
}
