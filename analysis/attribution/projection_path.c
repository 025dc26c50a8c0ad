// SPDX-License-Identifier: MIT
/*
 * projection_path - the host time on each iteration's critical path (projection_path.h). The
 * host intervals are sorted by CPU and start, each with the latest end of those before it on its
 * CPU, so a wait finds what overlaps it by one search and a short walk back; the pieces inside
 * a wait are swept so that each instant counts once.
 */
#include "analysis/attribution/projection_path.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "lib/stats.h"

/* A host interval on the path's index: its weight is the share of it that is host time. */
struct pp_iv {
	uint64_t start, end;
	uint64_t maxend; /* of this and every earlier interval of its CPU */
	/* an absence: 1; a delivery: beyond its routine part and that part's share */
	double weight;
	uint16_t cpu;
	uint8_t absence;
	uint8_t idle; /* no host time: its CPU idle, while which its deliveries count */
};

/* pp_cmp_iv - by CPU, then start. */
static int pp_cmp_iv(const void *a, const void *b)
{
	const struct pp_iv *x = a, *y = b;

	if (x->cpu != y->cpu)
		return x->cpu < y->cpu ? -1 : 1;
	return x->start < y->start ? -1 : x->start > y->start;
}

/*
 * pp_weight - the share of a delivery of kind @kind, [@start, @end), that is host time: what lies
 * beyond its routine cost all, the routine part only its share (attr_delivery_beyond()'s split,
 * spread evenly over the interval).
 */
static double pp_weight(const struct proj_path_rule *rule, unsigned int kind, uint64_t start,
			uint64_t end)
{
	uint64_t len = end - start;
	uint64_t routine = kind == MECH_IRQ_DELIVERY ? rule->ipi_normal_ns : rule->timer_normal_ns;

	if (routine > len)
		routine = len;
	return 1.0 - (double)routine / (double)len * (1.0 - rule->routine_share);
}

/*
 * pp_index - @in's host intervals of the three kinds and its idle periods, sorted, with their
 * maxend. NULL: -ENOMEM.
 */
static struct pp_iv *pp_index(const struct proj_path *in, const struct proj_path_rule *rule,
			      size_t *n)
{
	struct pp_iv *v = malloc((in->nhost + in->nidle + 1) * sizeof(*v));
	const struct mech_iv *h;
	size_t i, k = 0;

	if (!v)
		return NULL;
	for (i = 0; i < in->nidle; i++) {
		h = &in->idle[i];
		if (h->end > h->start)
			v[k++] = (struct pp_iv){
			    .start = h->start, .end = h->end, .cpu = h->cpu, .idle = 1};
	}
	for (i = 0; i < in->nhost; i++) {
		h = &in->host[i];
		if (h->end <= h->start || h->kind > MECH_TIMER_LATENESS)
			continue;
		v[k++] = (struct pp_iv){.start = h->start,
					.end = h->end,
					.cpu = h->cpu,
					.absence = h->kind == MECH_ABSENCE,
					.weight = h->kind == MECH_ABSENCE
						      ? 1.0
						      : pp_weight(rule, h->kind, h->start, h->end)};
	}
	qsort(v, k, sizeof(*v), pp_cmp_iv);
	for (i = 0; i < k; i++)
		v[i].maxend = i && v[i - 1].cpu == v[i].cpu && v[i - 1].maxend > v[i].end
				  ? v[i - 1].maxend
				  : v[i].end;
	*n = k;
	return v;
}

/* pp_after - the number of intervals before the first of @cpu starting at or after @t. */
static size_t pp_after(const struct pp_iv *v, size_t n, uint16_t cpu, uint64_t t)
{
	size_t lo = 0, hi = n, mid;

	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		if (v[mid].cpu < cpu || (v[mid].cpu == cpu && v[mid].start < t))
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

/* The pieces of the host intervals inside one wait, and room for their boundaries. */
struct pp_pieces {
	struct pp_iv *p;
	uint64_t *bounds;
	size_t n, cap;
};

/* pp_piece_add - @iv clipped to @w. 0 or -ENOMEM. */
static int pp_piece_add(struct pp_pieces *ps, const struct pp_iv *iv, const struct proj_wait *w)
{
	void *grown;
	size_t cap = ps->cap ? 2 * ps->cap : 16;

	if (ps->n == ps->cap) {
		grown = realloc(ps->p, cap * sizeof(*ps->p));
		if (!grown)
			return -ENOMEM;
		ps->p = grown;
		grown = realloc(ps->bounds, 2 * cap * sizeof(*ps->bounds));
		if (!grown)
			return -ENOMEM;
		ps->bounds = grown;
		ps->cap = cap;
	}
	ps->p[ps->n] = *iv;
	ps->p[ps->n].start = iv->start > w->start ? iv->start : w->start;
	ps->p[ps->n].end = iv->end < w->end ? iv->end : w->end;
	ps->n++;
	return 0;
}

/*
 * pp_sweep - the union of @ps's pieces into @out: each instant between two boundaries to an
 * absence covering it, else, while the CPU is idle, to the covering delivery whose host share
 * is largest.
 */
static void pp_sweep(struct pp_pieces *ps, struct proj_path_ns *out)
{
	double delivery = 0, best;
	size_t i, j, nb = 0;
	int absent, idle;

	for (i = 0; i < ps->n; i++) {
		ps->bounds[nb++] = ps->p[i].start;
		ps->bounds[nb++] = ps->p[i].end;
	}
	stats_sort_u64(ps->bounds, nb);
	for (j = 0; j + 1 < nb; j++) {
		if (ps->bounds[j + 1] == ps->bounds[j])
			continue;
		absent = idle = 0;
		best = 0;
		for (i = 0; i < ps->n; i++) {
			if (ps->p[i].start > ps->bounds[j] || ps->p[i].end <= ps->bounds[j])
				continue;
			absent |= ps->p[i].absence;
			idle |= ps->p[i].idle;
			best = ps->p[i].weight > best ? ps->p[i].weight : best;
		}
		if (absent)
			out->absent_ns += ps->bounds[j + 1] - ps->bounds[j];
		else if (idle)
			delivery += best * (double)(ps->bounds[j + 1] - ps->bounds[j]);
	}
	out->delivery_ns += (uint64_t)delivery; /* rounded down: never a projection too fast */
}

/* pp_wait - wait @w's pieces from the index @v (@n) into @ps, swept into @out. 0 or -ENOMEM. */
static int pp_wait(const struct pp_iv *v, size_t n, const struct proj_wait *w, struct pp_pieces *ps,
		   struct proj_path_ns *out)
{
	size_t i = pp_after(v, n, w->cpu, w->end);
	int rc;

	ps->n = 0;
	for (; i > 0 && v[i - 1].cpu == w->cpu && v[i - 1].maxend > w->start; i--) {
		if (v[i - 1].end <= w->start || (!v[i - 1].absence && !w->deliveries))
			continue;
		rc = pp_piece_add(ps, &v[i - 1], w);
		if (rc)
			return rc;
	}
	pp_sweep(ps, out);
	return 0;
}

int projection_path_host(const struct proj_path *in, const struct proj_path_rule *rule,
			 size_t nsamples, struct proj_path_ns *out)
{
	struct pp_pieces ps = {0};
	struct pp_iv *v;
	size_t i, n = 0;
	int rc = 0;

	memset(out, 0, nsamples * sizeof(*out));
	v = pp_index(in, rule, &n);
	if (!v)
		return -ENOMEM;
	for (i = 0; !rc && i < in->nwaits; i++) {
		const struct proj_wait *w = &in->waits[i];

		if (w->sample < nsamples && w->end > w->start)
			rc = pp_wait(v, n, w, &ps, &out[w->sample]);
	}
	free(ps.p);
	free(ps.bounds);
	free(v);
	return rc;
}

int projection_path_windows(const struct trace_sample *s, size_t n, struct proj_wait **out,
			    size_t *nout)
{
	size_t i, k = 0;

	*nout = 0;
	*out = malloc((n ? n : 1) * sizeof(**out));
	if (!*out)
		return -ENOMEM;
	for (i = 0; i < n; i++) {
		if (s[i].flags & TRACE_SAMPLE_BAD)
			continue;
		(*out)[k++] = (struct proj_wait){.start = s[i].mono_start_ns,
						 .end = s[i].mono_end_ns,
						 .sample = (uint32_t)i,
						 .cpu = (uint16_t)s[i].cpu};
	}
	*nout = k;
	return 0;
}

int projection_path_single(const char *name)
{
	static const char *const single[] = {"null", "syscall", "vmexit"};

	for (size_t i = 0; name && i < sizeof(single) / sizeof(*single); i++) {
		if (!strcmp(name, single[i]))
			return 1;
	}
	return 0;
}
