// SPDX-License-Identifier: MIT
/*
 * attribution_join - the streaming join of kernel events with spike windows: each event is
 * looked up among the windows sorted by start (binary search, then back while a window can
 * still reach it), so the events may come in any order and only those inside a window are kept.
 * On the way it learns the usual cost of every syscall (a log-linear histogram per number).
 */
#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "analysis/attribution/attribution_iv.h"
#include "analysis/attribution/attribution_join.h"
#include "analysis/attribution/attribution_pairing.h"
#include "lib/hugemem.h"
#include "lib/stats.h"

/* attr_cmp_win - windows by start. */
static int attr_cmp_win(const void *a, const void *b)
{
	const struct attr_win *x = a, *y = b;

	return x->start < y->start ? -1 : x->start > y->start;
}

/*
 * attr_index - sort windows by start (the timed windows come sorted: a paper-sized probe's
 * 500,000 need no sort) and compute the running max of their ends.
 */
static void attr_index(struct attr_win *w, size_t n)
{
	size_t i;

	for (i = 1; i < n && w[i - 1].start <= w[i].start; i++)
		;
	if (i < n)
		qsort(w, n, sizeof(*w), attr_cmp_win);
	for (i = 0; i < n; i++)
		w[i].maxend = i && w[i - 1].maxend > w[i].end ? w[i - 1].maxend : w[i].end;
}

/*
 * attr_last_before - the number of windows that start before @key: the candidates for an event
 * that ends at @key. Events come nearly in time order, so the search starts from the answer
 * of the last one (*@hint), galloping out to bracket the answer, then halving.
 */
static size_t attr_last_before(const struct attr_win *w, size_t n, uint64_t key, size_t *hint)
{
	size_t lo = *hint < n ? *hint : n, hi = lo, step = 1;

	if (lo > 0 && w[lo - 1].start >= key) { /* the answer is below: w[hi].start >= key */
		while (lo > step && w[lo - step - 1].start >= key)
			step *= 2;
		hi = lo - 1;
		lo = lo > step ? lo - step : 0;
	} else { /* the answer is at lo or above: w[lo - 1].start < key */
		while (hi + step <= n && w[hi + step - 1].start < key)
			step *= 2;
		lo = hi;
		hi = hi + step <= n ? hi + step - 1 : n;
	}
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (w[mid].start < key)
			lo = mid + 1;
		else
			hi = mid;
	}
	*hint = lo;
	return lo;
}

/* attr_ev_in - whether event @e lies in window @w (attr_event_in). */
static int attr_ev_in(const struct tracer_event *e, const struct attr_win *w)
{
	return attr_event_in(e, w->start, w->end);
}

/* attr_ev_key - the search key: windows starting before it may hold the event. */
static uint64_t attr_ev_key(const struct tracer_event *e)
{
	return e->dur_ns ? e->ts_ns + e->dur_ns : e->ts_ns + 1;
}

/* attr_slot_at - slot @s of the store. */
static struct attr_slot *attr_slot_at(const struct attr_join *j, uint32_t s)
{
	return &j->blocks[s >> ATTR_BLOCK_SHIFT][s & (ATTR_BLOCK_SLOTS - 1)];
}

/* attr_store_grow - one more block for the store. 0 or -ENOMEM. */
static int attr_store_grow(struct attr_join *j)
{
	struct attr_slot **grown;

	if ((j->nblocks + 1) * (size_t)ATTR_BLOCK_SLOTS >= ATTR_NONE)
		return -ENOMEM; /* slot numbers are 32 bits */
	grown = realloc(j->blocks, (j->nblocks + 1) * sizeof(*grown));
	if (!grown)
		return -ENOMEM;
	j->blocks = grown;
	j->blocks[j->nblocks] = malloc(ATTR_BLOCK_SLOTS * sizeof(**grown));
	if (!j->blocks[j->nblocks])
		return -ENOMEM;
	hugemem_advise(j->blocks[j->nblocks++], ATTR_BLOCK_SLOTS * sizeof(**grown));
	return 0;
}

/* attr_list_push - keep a copy of @e for window @w, at the end of its chain. 0 or -ENOMEM. */
static int attr_list_push(struct attr_join *j, size_t w, const struct tracer_event *e)
{
	struct attr_evlist *l = &j->lists[w];
	uint32_t s = (uint32_t)j->nstore;

	if (j->nstore == j->nblocks * ATTR_BLOCK_SLOTS && attr_store_grow(j))
		return -ENOMEM;
	*attr_slot_at(j, s) = (struct attr_slot){.ev = *e, .next = ATTR_NONE};
	if (l->n++)
		attr_slot_at(j, l->tail)->next = s;
	else
		l->head = s;
	l->tail = s;
	j->nstore++;
	return 0;
}

/*
 * attr_list_get - window @w's events side by side in j->scratch (the order they came, or the
 * order attr_list_put left), returned. NULL when out of memory.
 */
static struct tracer_event *attr_list_get(struct attr_join *j, size_t w)
{
	const struct attr_evlist *l = &j->lists[w];
	struct tracer_event *grown;
	uint32_t i, s;

	if (l->n > j->capscratch) {
		grown = realloc(j->scratch, l->n * sizeof(*grown));
		if (!grown)
			return NULL;
		j->scratch = grown;
		j->capscratch = l->n;
	}
	for (i = 0, s = l->head; i < l->n; i++, s = attr_slot_at(j, s)->next)
		j->scratch[i] = attr_slot_at(j, s)->ev;
	return j->scratch;
}

/* attr_list_put - j->scratch back into window @w's chain (as the split sorted it). */
static void attr_list_put(struct attr_join *j, size_t w)
{
	const struct attr_evlist *l = &j->lists[w];
	uint32_t i, s;

	for (i = 0, s = l->head; i < l->n; i++, s = attr_slot_at(j, s)->next)
		attr_slot_at(j, s)->ev = j->scratch[i];
}

/* attr_in_any - whether @e overlaps one of the windows @w (*@hint: attr_last_before). */
static int attr_in_any(const struct attr_win *w, size_t n, const struct tracer_event *e,
		       size_t *hint)
{
	size_t i = attr_last_before(w, n, attr_ev_key(e), hint);

	for (; i > 0 && w[i - 1].maxend > attr_event_start(e); i--)
		if (attr_ev_in(e, &w[i - 1]))
			return 1;
	return 0;
}

/*
 * attr_learn - per-probe facts from an event inside the probe's time span: its count, the
 * usual syscall costs, the timed thread's process, syscalls of the timed thread in a window.
 */
static int attr_learn(struct attr_join *j, const struct tracer_event *e)
{
	struct attr_pstate *p;
	size_t k;

	attr_learn_platform(j, e);
	for (k = 0; k < j->nprobes; k++) {
		if (j->p[k].timed_tid && e->tid == j->p[k].timed_tid)
			j->p[k].timed_tgid = e->tgid;
		attr_learn_exits(&j->p[k], e);
	}
	for (k = 0; k < j->nprobes; k++) {
		p = &j->p[k];
		if (e->ts_ns < p->span_start || e->ts_ns >= p->span_end)
			continue;
		p->events++;
		if (e->type == TRACER_EV_IPI &&
		    (e->flags & (TRACER_F_IPI_SENT | TRACER_F_TIMER_EXPIRY))) {
			p->deliveries++;
			p->delivery_ns += e->arg1;
		}
		if (e->type != TRACER_EV_SYSCALL)
			return 0;
		if ((!p->timed_tid || e->tid == p->timed_tid) &&
		    attr_in_any(p->tw, p->ntw, e, &p->tw_hint))
			p->syscalls_in_windows++;
		return attr_hist_add(p, e);
	}
	return 0;
}

/* attr_join_one - count event @e and keep it for every spike window it overlaps. */
static int attr_join_one(struct attr_join *j, const struct tracer_event *e)
{
	size_t i = attr_last_before(j->w, j->nw, attr_ev_key(e), &j->hint);
	int rc = attr_learn(j, e);

	if (!rc && e->type == TRACER_EV_NAME)
		rc = attr_names_add(&j->names, e);
	for (; !rc && i > 0 && j->w[i - 1].maxend > attr_event_start(e); i--)
		if (attr_ev_in(e, &j->w[i - 1]))
			rc = attr_list_push(j, i - 1, e);
	return rc;
}

int attr_join__add(struct attr_join *j, const struct tracer_event *ev, size_t n)
{
	struct tracer_event e;
	size_t i;
	int rc;

	/* a copy: a pairing that cannot be true is removed before anything learns from it */
	for (i = 0; i < n; i++) {
		e = ev[i];
		j->evidence.ipis_refused += (uint64_t)attr_pairing_check(j->pairing, &e);
		rc = attr_join_one(j, &e);
		if (rc)
			return rc;
	}
	return 0;
}

/* attr_probe_windows - probe @k's timed windows, indexed, and its time span. 0 or -ENOMEM. */
static int attr_probe_windows(struct attr_join *j, size_t k)
{
	const struct attr_probe_in *in = &j->in[k];
	struct attr_pstate *p = &j->p[k];
	size_t i;

	p->timed_tid = in->timed_tid;
	p->span_start = UINT64_MAX;
	p->tw = malloc((in->nsamples ? in->nsamples : 1) * sizeof(*p->tw));
	if (!p->tw)
		return -ENOMEM;
	hugemem_advise(p->tw, in->nsamples * sizeof(*p->tw));
	for (i = 0; i < in->nsamples; i++) {
		const struct trace_sample *s = &in->samples[i];

		p->tw[i] = (struct attr_win){.start = s->mono_start_ns, .end = s->mono_end_ns};
		p->span_start = s->mono_start_ns < p->span_start ? s->mono_start_ns : p->span_start;
		p->span_end = s->mono_end_ns > p->span_end ? s->mono_end_ns : p->span_end;
	}
	p->ntw = in->nsamples;
	attr_index(p->tw, p->ntw);
	return 0;
}

/* attr_spike_windows - every probe's spikes in one index. 0 or -ENOMEM. */
static int attr_spike_windows(struct attr_join *j)
{
	size_t k, i, n = 0;

	for (k = 0; k < j->nprobes; k++)
		n += j->in[k].nspikes;
	j->w = malloc((n ? n : 1) * sizeof(*j->w));
	j->lists = calloc(n ? n : 1, sizeof(*j->lists));
	if (!j->w || !j->lists)
		return -ENOMEM;
	for (k = 0; k < j->nprobes; k++) {
		for (i = 0; i < j->in[k].nspikes; i++) {
			const struct spike *sp = &j->in[k].spikes[i];

			j->w[j->nw++] = (struct attr_win){.start = sp->win_start_ns,
							  .end = sp->win_end_ns,
							  .probe = (uint32_t)k,
							  .spike = (uint32_t)i};
		}
	}
	attr_index(j->w, j->nw);
	return 0;
}

int attr_join__new(const struct attr_probe_in *in, size_t nprobes, const struct arch *arch,
		   const struct attr_platform *pf, struct attr_join **out)
{
	struct attr_join *j;
	size_t k;
	int rc = -ENOMEM;

	if (!out || !arch || (!in && nprobes))
		return -EINVAL;
	*out = NULL;
	j = calloc(1, sizeof(*j));
	if (!j)
		return -ENOMEM;
	j->in = in;
	j->arch = arch;
	j->nprobes = nprobes;
	j->pf = pf;
	j->p = calloc(nprobes ? nprobes : 1, sizeof(*j->p));
	j->pairing = attr_pairing_new();
	if (!j->p || !j->pairing)
		goto fail;
	for (k = 0; k < nprobes; k++) {
		rc = attr_probe_windows(j, k);
		if (rc)
			goto fail;
	}
	rc = attr_spike_windows(j);
	if (rc)
		goto fail;
	*out = j;
	return 0;
fail:
	attr_join__free(j);
	return rc;
}

/*
 * attr_summarize - the per-probe totals of @o (the spikes of @in): spikes per dominant cause,
 * excess per cause, and the spikes the guest saw nothing of (no event in the window) with their
 * unexplained time and the grid of wall time their windows' starts lie on, if any.
 */
static int attr_summarize(const struct attr_probe_in *in, struct attr_probe_out *o)
{
	uint64_t *starts = malloc((o->nspikes ? o->nspikes : 1) * sizeof(*starts));
	size_t i, c;
	int rc;

	if (!starts)
		return -ENOMEM;
	for (i = 0; i < o->nspikes; i++) {
		o->dominant[o->spikes[i].dominant]++;
		if (!o->spikes[i].nevents) {
			starts[o->eventless++] = in->spikes[i].win_start_ns;
			o->eventless_ns += o->spikes[i].causes_ns[ATTR_UNEXPLAINED];
		}
		for (c = 0; c < ATTR_NCAUSES; c++)
			o->excess_ns[c] += o->spikes[i].causes_ns[c];
		for (c = 0; c < ATTR_HV_NPARTS; c++)
			o->hv_ns[c] += o->spikes[i].hv_ns[c];
	}
	rc = attr_grid_find(starts, o->eventless, &o->eventless_grid);
	free(starts);
	return rc;
}

/*
 * attr_window_clean - attr_spike_clean() of window @i, its events left sorted as that sorts
 * them in place. The kind (*@rest_ns set), or -ENOMEM.
 */
static int attr_window_clean(struct attr_join *j, size_t i, const struct attr_ctx *ctx,
			     uint64_t *rest_ns)
{
	struct tracer_event *ev = attr_list_get(j, i);
	int kind;

	if (!ev && j->lists[i].n)
		return -ENOMEM;
	kind = attr_spike_clean(&j->in[j->w[i].probe].spikes[j->w[i].spike], ev, j->lists[i].n, ctx,
				rest_ns);
	attr_list_put(j, i);
	return kind;
}

/* attr_median_of - the median of @v[0..n) (0 when n is 0). 0 or -ENOMEM. */
static int attr_median_of(double *v, size_t n, uint64_t *out)
{
	double med, mad;
	int rc = n ? stats_median_mad(v, n, &med, &mad) : 0;

	*out = n && !rc ? (uint64_t)med : 0;
	return rc;
}

/*
 * attr_cleans - per probe, the median over its clean spike windows (one syscall of the timed
 * thread, or one wakeup of the tracer's consumer, and nothing else) of the time beyond the
 * baseline and the syscall: what the tracepoints do not see of each. 0 or -ENOMEM.
 */
static int attr_cleans(struct attr_join *j)
{
	double *rest = malloc((2 * j->nw + 1) * sizeof(*rest)), *wake;
	size_t i, k, ns, nwk;
	uint64_t r;
	int rc = 0;

	if (!rest)
		return -ENOMEM;
	wake = rest + j->nw;
	for (k = 0; k < j->nprobes && !rc; k++) {
		struct attr_pstate *p = &j->p[k];
		struct attr_ctx ctx = attr_ctx_of(j, p);

		for (ns = nwk = 0, i = 0; i < j->nw && !rc; i++) {
			if (j->w[i].probe != k)
				continue;
			rc = attr_window_clean(j, i, &ctx, &r);
			if (rc == ATTR_CLEAN_SYSCALL)
				rest[ns++] = (double)r;
			else if (rc == ATTR_CLEAN_WAKEUP)
				wake[nwk++] = (double)r;
			rc = rc < 0 ? rc : 0;
		}
		p->transition_windows = ns;
		p->wakeup_windows = nwk;
		if (!rc)
			rc = attr_median_of(rest, ns, &p->transition_ns);
		if (!rc)
			rc = attr_median_of(wake, nwk, &p->wakeup_ns);
	}
	free(rest);
	return rc;
}

/* attr_split_window - split spike window @i with the events kept for it. */
static int attr_split_window(struct attr_join *j, size_t i, struct attr_probe_out *out)
{
	const struct attr_win *w = &j->w[i];
	struct attr_pstate *p = &j->p[w->probe];
	struct attr_ctx ctx = attr_ctx_of(j, p);
	struct tracer_event *ev = attr_list_get(j, i);

	if (!ev && j->lists[i].n)
		return -ENOMEM;
	return attr_spike_split(&j->in[w->probe].spikes[w->spike], ev, j->lists[i].n, &ctx,
				&out[w->probe].spikes[w->spike]);
}

int attr_join__finish(struct attr_join *j, struct attr_probe_out *out)
{
	size_t k, i;
	int rc = 0;

	memset(out, 0, j->nprobes * sizeof(*out));
	for (k = 0; k < j->nprobes && !rc; k++) {
		out[k].nspikes = j->in[k].nspikes;
		out[k].events = j->p[k].events;
		out[k].syscalls_in_windows = j->p[k].syscalls_in_windows;
		out[k].deliveries = j->p[k].deliveries;
		out[k].delivery_ns = j->p[k].delivery_ns;
		out[k].iterations = j->in[k].nsamples;
		out[k].spikes = calloc(out[k].nspikes ? out[k].nspikes : 1, sizeof(*out[k].spikes));
		if (!out[k].spikes)
			rc = -ENOMEM;
		hugemem_advise(out[k].spikes, out[k].nspikes * sizeof(*out[k].spikes));
	}
	if (!rc)
		rc = attr_cleans(j);
	for (i = 0; i < j->nw && !rc; i++)
		rc = attr_split_window(j, i, out);
	for (k = 0; k < j->nprobes; k++) {
		out[k].transition_ns = j->p[k].transition_ns;
		out[k].transition_windows = j->p[k].transition_windows;
		out[k].wakeup_ns = j->p[k].wakeup_ns;
		out[k].wakeup_windows = j->p[k].wakeup_windows;
		if (!rc)
			rc = attr_summarize(&j->in[k], &out[k]);
	}
	for (k = 0; rc && k < j->nprobes; k++)
		attr_probe_out_free(&out[k]);
	return rc;
}

void attr_probe_out_free(struct attr_probe_out *o)
{
	free(o->spikes);
	memset(o, 0, sizeof(*o));
}

struct attr_names *attr_join__take_names(struct attr_join *j)
{
	struct attr_names *names = j->names;

	j->names = NULL;
	return names;
}

void attr_join__free(struct attr_join *j)
{
	size_t k, nr;

	if (!j)
		return;
	for (k = 0; j->p && k < j->nprobes; k++) {
		for (nr = 0; nr < ATTR_MAX_NR; nr++) {
			free(j->p[k].hist[nr][0]);
			free(j->p[k].hist[nr][1]);
		}
		free(j->p[k].tw);
	}
	attr_names_free(j->names);
	attr_pairing_free(j->pairing);
	free(j->scratch);
	for (k = 0; k < j->nblocks; k++)
		free(j->blocks[k]);
	free(j->blocks);
	free(j->lists);
	free(j->w);
	free(j->p);
	free(j);
}
