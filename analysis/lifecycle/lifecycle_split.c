// SPDX-License-Identifier: MIT
/* lifecycle_split - each hop of each ring iteration split into issue, in flight, ready, reap. */
#include "analysis/lifecycle/lifecycle_split.h"

#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>

#include "lib/uring_tag.h"

static const char *const lc_part_names[LC_NPARTS] = {
    [LC_ISSUE] = "issue",
    [LC_IN_FLIGHT] = "in_flight",
    [LC_READY] = "ready_not_consumed",
    [LC_REAP] = "reap",
};

const char *lc_part_name(enum lc_part p)
{
	return p < LC_NPARTS ? lc_part_names[p] : "?";
}

static int by_complete(const void *a, const void *b)
{
	const struct lc_req *x = a, *y = b;

	return (x->complete_ns > y->complete_ns) - (x->complete_ns < y->complete_ns);
}

static int by_tgid_start(const void *a, const void *b)
{
	const struct lc_enter *x = a, *y = b;

	if (x->tgid != y->tgid)
		return (x->tgid > y->tgid) - (x->tgid < y->tgid);
	return (x->start_ns > y->start_ns) - (x->start_ns < y->start_ns);
}

/*
 * sort_once - qsort() unless @base is in order already: every ring probe of a session is split
 * from the same arrays, for its section and for the projection's critical path, and glibc's
 * merge sort costs n log n even on sorted input.
 */
static void sort_once(void *base, size_t n, size_t size, int (*cmp)(const void *, const void *))
{
	const char *b = base;

	for (size_t i = 1; i < n; i++) {
		if (cmp(b + (i - 1) * size, b + i * size) > 0) {
			qsort(base, n, size, cmp);
			return;
		}
	}
}

/* enter_end - the return of @tgid's io_uring_enter around @t, or 0 when none holds it. */
static uint64_t enter_end(const struct lc_input *in, uint32_t tgid, uint64_t t)
{
	size_t lo = 0, hi = in->nenters;
	const struct lc_enter *e;

	while (lo < hi) { /* the first enter after (tgid, t) */
		size_t mid = lo + (hi - lo) / 2;

		e = &in->enters[mid];
		if (e->tgid < tgid || (e->tgid == tgid && e->start_ns <= t))
			lo = mid + 1;
		else
			hi = mid;
	}
	if (!lo)
		return 0;
	e = &in->enters[lo - 1];
	return e->tgid == tgid && e->end_ns >= t ? e->end_ns : 0;
}

/* clamp - @t within [@lo, @hi]. */
static uint64_t clamp(uint64_t t, uint64_t lo, uint64_t hi)
{
	return t < lo ? lo : t > hi ? hi : t;
}

int lc_split_one(uint32_t si, uint8_t hop, uint64_t start, const struct lc_req *recv, uint64_t user,
		 struct lc_split *out)
{
	uint64_t c, r, a;

	if (user < start)
		return -EINVAL;
	c = clamp(recv->complete_ns, start, user);
	r = clamp(recv->ready_ns != LC_NO_STAMP ? recv->ready_ns : c, start, c);
	a = clamp(recv->arm_ns != LC_NO_STAMP ? recv->arm_ns : r, start, r);
	*out = (struct lc_split){.sample = si,
				 .hop = hop,
				 .ready_cpu = recv->ready_cpu,
				 .recv_cpu = recv->recv_cpu,
				 .ready_at_ns = r};
	out->total_ns = user - start;
	out->part_ns[LC_ISSUE] = a - start;
	out->part_ns[LC_IN_FLIGHT] = r - a;
	out->part_ns[LC_READY] = c - r;
	out->part_ns[LC_REAP] = user - c;
	return 0;
}

/* The send and receive of each hop found in one sample's window. */
struct lc_window {
	const struct lc_req *send[URING_TAG_HOPS];
	const struct lc_req *recv[URING_TAG_HOPS];
	const struct lc_req *accept[URING_TAG_HOPS]; /* per-message: the connection's arrival */
};

/* take - @r into @w if it is a send or receive of a hop of the ring and of sample @s. */
static void take(const struct lc_input *in, const struct trace_sample *s, const struct lc_req *r,
		 struct lc_window *w, struct lc_counts *counts)
{
	struct uring_tag t;

	if (!uring_tag_unpack(r->user_data, &t) || t.hop >= in->hops)
		return;
	if (t.op != URING_OP_SEND && t.op != URING_OP_RECV && t.op != URING_OP_ACCEPT)
		return;
	if (!t.local && (t.warmup || t.run != (s->run & 0xffff) || t.iteration != s->iteration)) {
		counts->mismatched++;
		return;
	}
	if (t.op == URING_OP_SEND)
		w->send[t.hop] = r;
	else if (t.op == URING_OP_RECV)
		w->recv[t.hop] = r;
	else
		w->accept[t.hop] = r;
}

/* is_local - whether @r is a forwarder's request (its tag counts the member's messages). */
static bool is_local(const struct lc_req *r)
{
	struct uring_tag t;

	return uring_tag_unpack(r->user_data, &t) && t.local;
}

/*
 * hop_start - when hop @h's message could leave: its send submitted, or, for a forwarder whose
 * send was linked to its receive in one chain (it completed after that receive: the kernel
 * issues it then), the receive's completion.
 */
static uint64_t hop_start(const struct lc_input *in, const struct lc_window *w, unsigned int h)
{
	const struct lc_req *send = w->send[h], *prev = w->recv[(h + in->hops - 1) % in->hops];
	uint64_t t = send->submit_ns;

	if (prev && is_local(prev) && prev->complete_ns <= send->complete_ns &&
	    prev->complete_ns > t)
		t = prev->complete_ns;
	return t > w->recv[h]->submit_ns ? t : w->recv[h]->submit_ns;
}

/*
 * user_stamp - when hop @h's receiver had the message: the master at the sample's end; a
 * forwarder when its io_uring_enter returned, or, when its receive was linked to its send (the
 * send submitted before the receive completed: the kernel passes the message on, no user sees
 * it), at the receive's completion. 0: not known.
 */
static uint64_t user_stamp(const struct lc_input *in, const struct lc_window *w, unsigned int h,
			   const struct trace_sample *s)
{
	const struct lc_req *recv = w->recv[h], *next = w->send[(h + 1) % in->hops];

	if (!is_local(recv))
		return s->mono_end_ns;
	if (next && next->submit_ns < recv->complete_ns)
		return recv->complete_ns;
	return enter_end(in, recv->tgid, recv->complete_ns);
}

/*
 * receiving - the request whose stamps hop @h's receiving side has: its receive, or with a
 * connection per message (the receive linked after an accept, finding its data at once) the
 * receive with the accept's armed and data-ready stamps: the wait was the accept's (in @tmp).
 */
static const struct lc_req *receiving(const struct lc_window *w, unsigned int h, struct lc_req *tmp)
{
	const struct lc_req *a = w->accept[h];

	if (!a || w->recv[h]->arm_ns != LC_NO_STAMP || w->recv[h]->ready_ns != LC_NO_STAMP)
		return w->recv[h];
	*tmp = *w->recv[h];
	tmp->arm_ns = a->arm_ns;
	tmp->ready_ns = a->ready_ns;
	tmp->ready_cpu = a->ready_cpu;
	return tmp;
}

/* split_sample - the hops of sample @si from @w into @out (room for in->hops); how many. */
static size_t split_sample(const struct lc_input *in, uint32_t si, const struct lc_window *w,
			   struct lc_split *out, struct lc_counts *counts)
{
	struct lc_req tmp;
	size_t n = 0;
	uint64_t user;

	for (unsigned int h = 0; h < in->hops; h++) {
		if (!w->send[h] || !w->recv[h])
			continue;
		user = user_stamp(in, w, h, &in->samples[si]);
		if (!user) {
			counts->no_stamp++;
			continue;
		}
		n += !lc_split_one(si, (uint8_t)h, hop_start(in, w, h), receiving(w, h, &tmp), user,
				   &out[n]);
	}
	counts->joined += n == in->hops;
	return n;
}

/* by_start - sample indices by their window's start (the samples in @base). */
static int by_start(const void *a, const void *b, void *base)
{
	const struct trace_sample *s = base;
	uint64_t x = s[*(const uint32_t *)a].mono_start_ns;
	uint64_t y = s[*(const uint32_t *)b].mono_start_ns;

	return (x > y) - (x < y);
}

long lc_good_order(const struct trace_sample *samples, size_t n, uint32_t **idx)
{
	size_t k = 0;

	*idx = malloc((n ? n : 1) * sizeof(**idx));
	if (!*idx)
		return -ENOMEM;
	for (size_t i = 0; i < n; i++) {
		if (!(samples[i].flags & TRACE_SAMPLE_BAD))
			(*idx)[k++] = (uint32_t)i;
	}
	qsort_r(*idx, k, sizeof(**idx), by_start, (void *)samples);
	return (long)k;
}

int lc_split_hops(const struct lc_input *in, struct lc_split **out, size_t *nout,
		  struct lc_counts *counts)
{
	size_t j = 0, n = 0;
	uint32_t *idx;
	long ngood;

	*out = NULL;
	*nout = 0;
	*counts = (struct lc_counts){0};
	if (!in->hops || in->hops > URING_TAG_HOPS)
		return -EINVAL;
	sort_once(in->reqs, in->nreqs, sizeof(*in->reqs), by_complete);
	sort_once(in->enters, in->nenters, sizeof(*in->enters), by_tgid_start);
	ngood = lc_good_order(in->samples, in->nsamples, &idx);
	if (ngood < 0)
		return (int)ngood;
	*out = ngood ? malloc((size_t)ngood * in->hops * sizeof(**out)) : NULL;
	if (ngood && !*out) {
		free(idx);
		return -ENOMEM;
	}
	counts->iterations = (size_t)ngood;
	for (long g = 0; g < ngood; g++) {
		const struct trace_sample *s = &in->samples[idx[g]];
		struct lc_window w = {0};

		while (j < in->nreqs && in->reqs[j].complete_ns < s->mono_start_ns)
			j++;
		for (size_t k = j; k < in->nreqs && in->reqs[k].complete_ns <= s->mono_end_ns; k++)
			take(in, s, &in->reqs[k], &w, counts);
		n += split_sample(in, idx[g], &w, *out + n, counts);
	}
	free(idx);
	*nout = n;
	return 0;
}
