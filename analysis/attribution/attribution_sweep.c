// SPDX-License-Identifier: MIT
/*
 * attribution_sweep - the mechanics of one spike's split: events in time order, the sweep that
 * gives every instant of the window to the top interval there, and the key events.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "analysis/attribution/attribution_iv.h"
#include "lib/stats.h"

#define ATTR_CMP(a, b)                                                                             \
	do {                                                                                       \
		if ((a) != (b))                                                                    \
			return (a) < (b) ? -1 : 1;                                                 \
	} while (0)

/* attr_cmp_ts - events by start time, then every field: the same order whatever came first. */
static int attr_cmp_ts(const void *a, const void *b)
{
	const struct tracer_event *x = a, *y = b;

	ATTR_CMP(x->ts_ns, y->ts_ns);
	ATTR_CMP(x->cpu, y->cpu);
	ATTR_CMP(x->type, y->type);
	ATTR_CMP(x->tid, y->tid);
	ATTR_CMP(x->dur_ns, y->dur_ns);
	ATTR_CMP(x->arg0, y->arg0);
	ATTR_CMP(x->arg1, y->arg1);
	ATTR_CMP(x->arg2, y->arg2);
	return x->flags - y->flags;
}

/* attr_sort_ts - @ev by attr_cmp_ts (a window's events mostly come sorted: checked first). */
void attr_sort_ts(struct tracer_event *ev, size_t n)
{
	size_t i;

	for (i = 1; i < n && attr_cmp_ts(&ev[i - 1], &ev[i]) <= 0; i++)
		;
	if (i < n)
		qsort(ev, n, sizeof(*ev), attr_cmp_ts);
}

/* attr_wins - whether interval @a takes an instant from @b: level, the timed thread, innermost. */
static int attr_wins(const struct attr_iv *a, const struct attr_iv *b)
{
	if (a->level != b->level)
		return a->level < b->level;
	if (a->timed != b->timed)
		return a->timed;
	if (a->start != b->start)
		return a->start > b->start;
	return a->ev < b->ev;
}

/* attr_cmp_iv_start - interval pointers by start. */
static int attr_cmp_iv_start(const void *a, const void *b)
{
	const struct attr_iv *x = *(struct attr_iv *const *)a, *y = *(struct attr_iv *const *)b;

	if (x->start != y->start)
		return x->start < y->start ? -1 : 1;
	return x->ev < y->ev ? -1 : x->ev > y->ev;
}

/* attr_top_of - drop the active intervals that ended by @at; the winner of the rest. */
static struct attr_iv *attr_top_of(struct attr_iv **act, size_t *nact, uint64_t at)
{
	struct attr_iv *top = NULL;
	size_t i, kept = 0;

	for (i = 0; i < *nact; i++) {
		if (act[i]->end <= at)
			continue;
		act[kept++] = act[i];
		if (!top || attr_wins(act[i], top))
			top = act[i];
	}
	*nact = kept;
	return top;
}

/*
 * attr_sweep - walk the elementary segments between interval boundaries in time order, with the
 * intervals active there; each segment goes to its top interval's own time, or to @uncovered.
 * Returns 0 or -ENOMEM.
 */
int attr_sweep(struct attr_iv *iv, size_t m, uint64_t wlen, uint64_t *uncovered)
{
	struct attr_iv **ord = malloc((m + 1) * sizeof(*ord)),
		       **act = malloc((m + 1) * sizeof(*act));
	uint64_t *b = malloc((2 * m + 1) * sizeof(*b)), covered = 0;
	size_t i, k, nb = 0, no = 0, nact = 0, next = 0;
	struct attr_iv *top;

	*uncovered = wlen;
	if (!ord || !act || !b)
		goto out;
	for (i = 0; i < m; i++) {
		if (iv[i].end <= iv[i].start)
			continue;
		b[nb++] = iv[i].start;
		b[nb++] = iv[i].end;
		ord[no++] = &iv[i];
	}
	stats_sort_u64(b, nb);
	for (i = 1; i < no && attr_cmp_iv_start(&ord[i - 1], &ord[i]) <= 0; i++)
		;
	if (i < no) /* the intervals come in event order: mostly by start already */
		qsort(ord, no, sizeof(*ord), attr_cmp_iv_start);
	for (k = 0; k + 1 < nb; k++) {
		if (b[k] == b[k + 1])
			continue;
		while (next < no && ord[next]->start <= b[k])
			act[nact++] = ord[next++];
		top = attr_top_of(act, &nact, b[k]);
		if (top) {
			top->own += b[k + 1] - b[k];
			covered += b[k + 1] - b[k];
		}
	}
	*uncovered = wlen > covered ? wlen - covered : 0;
out:
	free(ord);
	free(act);
	free(b);
	return ord && act && b ? 0 : -ENOMEM;
}

/* attr_cmp_key - key event order: own time, then recorded duration, both descending. */
static int attr_cmp_key(const void *a, const void *b)
{
	const struct attr_key_event *x = a, *y = b;

	if (x->own_ns != y->own_ns)
		return x->own_ns > y->own_ns ? -1 : 1;
	if (x->dur_ns != y->dur_ns)
		return x->dur_ns > y->dur_ns ? -1 : 1;
	return x->start_ns < y->start_ns ? -1 : x->start_ns > y->start_ns;
}

/*
 * attr_pick_keys - the top ATTR_KEY_EVENTS events of the spike in attr_cmp_key order, the
 * first of equals first (as a stable sort of all of them leaves them): each event is placed in
 * the short sorted list of the best so far.
 */
void attr_pick_keys(const struct attr_iv *iv, size_t m, const struct tracer_event *ev,
		    struct attr_spike *out)
{
	struct attr_key_event k;
	size_t i, at, n;

	for (i = 0; i < m; i++) {
		const struct tracer_event *e = &ev[iv[i].ev];

		k = (struct attr_key_event){
		    .start_ns = e->ts_ns,
		    .dur_ns = e->dur_ns,
		    .ts_ns = e->ts_ns,
		    .own_ns = iv[i].own,
		    .arg0 = e->arg0,
		    .arg1 = e->arg1,
		    .tid = e->tid,
		    .tgid = e->tgid,
		    .cpu = e->cpu,
		    .type = e->type,
		    .cause = iv[i].cause,
		    .flags = e->flags,
		    .arg2 = e->arg2,
		};
		if (e->type == TRACER_EV_IPI && iv[i].cause == ATTR_HYPERVISOR) {
			k.start_ns = e->ts_ns - e->arg1; /* the delivery: from the send on */
			k.dur_ns = e->arg1;
		}
		for (at = out->nkey; at > 0 && attr_cmp_key(&k, &out->key[at - 1]) < 0; at--)
			;
		if (at == ATTR_KEY_EVENTS)
			continue;
		n = out->nkey < ATTR_KEY_EVENTS ? out->nkey + 1 : ATTR_KEY_EVENTS;
		memmove(&out->key[at + 1], &out->key[at], (n - 1 - at) * sizeof(k));
		out->key[at] = k;
		out->nkey = (uint32_t)n;
	}
}
