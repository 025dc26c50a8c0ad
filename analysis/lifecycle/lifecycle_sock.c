// SPDX-License-Identifier: MIT
/* lifecycle_sock - the hop split of a blocking or busy-polling ring, from syscalls and sleeps. */
#include "analysis/lifecycle/lifecycle_sock.h"

#include <errno.h>
#include <stddef.h>
#include <stdlib.h>

#include "lib/uring_tag.h"

/* The syscalls of one kind, sorted for the sweep. */
struct lc_sock_sets {
	struct lc_sys *recvs; /* receives that returned data, by end */
	struct lc_sys *sends; /* sends that sent, by start */
	struct lc_sys
	    *empty; /* receives that returned none (busypoll's empty polls), by tid, end */
	size_t nrecvs, nsends, nempty;
};

static int by_end(const void *a, const void *b)
{
	const struct lc_sys *x = a, *y = b;

	return (x->end_ns > y->end_ns) - (x->end_ns < y->end_ns);
}

static int by_start(const void *a, const void *b)
{
	const struct lc_sys *x = a, *y = b;

	return (x->start_ns > y->start_ns) - (x->start_ns < y->start_ns);
}

static int by_tid_end(const void *a, const void *b)
{
	const struct lc_sys *x = a, *y = b;

	if (x->tid != y->tid)
		return (x->tid > y->tid) - (x->tid < y->tid);
	return by_end(a, b);
}

static int by_tid_off(const void *a, const void *b)
{
	const struct lc_sleep *x = a, *y = b;

	if (x->tid != y->tid)
		return (x->tid > y->tid) - (x->tid < y->tid);
	return (x->off_ns > y->off_ns) - (x->off_ns < y->off_ns);
}

/* sets_make - @in's syscalls sorted into the three sets (one allocation, sets->recvs). */
static int sets_make(const struct lc_sock_input *in, struct lc_sock_sets *sets)
{
	struct lc_sys *all = malloc((in->nsys ? in->nsys : 1) * 3 * sizeof(*all));

	*sets = (struct lc_sock_sets){.recvs = all};
	if (!all)
		return -ENOMEM;
	sets->sends = all + in->nsys;
	sets->empty = all + 2 * in->nsys;
	for (size_t i = 0; i < in->nsys; i++) {
		const struct lc_sys *c = &in->sys[i];

		if (c->send && c->ret > 0)
			sets->sends[sets->nsends++] = *c;
		else if (!c->send && c->ret > 0)
			sets->recvs[sets->nrecvs++] = *c;
		else if (!c->send)
			sets->empty[sets->nempty++] = *c;
	}
	qsort(sets->recvs, sets->nrecvs, sizeof(*all), by_end);
	qsort(sets->sends, sets->nsends, sizeof(*all), by_start);
	qsort(sets->empty, sets->nempty, sizeof(*all), by_tid_end);
	qsort(in->sleeps, in->nsleeps, sizeof(*in->sleeps), by_tid_off);
	return 0;
}

/* field_at - the @T at byte @at of record @i of @base (@size bytes each). */
#define field_at(T, base, size, i, at) (*(const T *)((const char *)(base) + (i) * (size) + (at)))

/*
 * last_in - the index of the last of @n records (@size bytes each, sorted by tid, then time) that
 * is @tid's with its time in [@from, @to], or @n if there is none. A record's tid is the
 * uint32_t at byte @tid_at, its time the uint64_t at @ts_at: the empty polls and the sleeps are
 * searched alike.
 */
static size_t last_in(const void *base, size_t n, size_t size, size_t tid_at, size_t ts_at,
		      uint32_t tid, uint64_t from, uint64_t to)
{
	size_t lo = 0, hi = n, mid;
	uint32_t t;

	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		t = field_at(uint32_t, base, size, mid, tid_at);
		if (t < tid || (t == tid && field_at(uint64_t, base, size, mid, ts_at) <= to))
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo && field_at(uint32_t, base, size, lo - 1, tid_at) == tid &&
	    field_at(uint64_t, base, size, lo - 1, ts_at) >= from)
		return lo - 1;
	return n;
}

/* last_empty_end - the end of @tid's last empty poll in [@from, @to], or LC_NO_STAMP. */
static uint64_t last_empty_end(const struct lc_sock_sets *sets, uint32_t tid, uint64_t from,
			       uint64_t to)
{
	size_t i =
	    last_in(sets->empty, sets->nempty, sizeof(*sets->empty), offsetof(struct lc_sys, tid),
		    offsetof(struct lc_sys, end_ns), tid, from, to);

	return i < sets->nempty ? sets->empty[i].end_ns : LC_NO_STAMP;
}

/* sleep_in - @tid's last sleep that began inside [@from, @to], or NULL. */
static const struct lc_sleep *sleep_in(const struct lc_sock_input *in, uint32_t tid, uint64_t from,
				       uint64_t to)
{
	size_t i =
	    last_in(in->sleeps, in->nsleeps, sizeof(*in->sleeps), offsetof(struct lc_sleep, tid),
		    offsetof(struct lc_sleep, off_ns), tid, from, to);

	return i < in->nsleeps ? &in->sleeps[i] : NULL;
}

/*
 * receive_of - hop @h's receiving side as a request: blocking, its receive's sleep (armed when
 * it slept, ready at its wakeup, completed when it ran); busypoll, spinning since the send (armed
 * then), ready when its last empty poll ended, completed when the poll that found it began.
 */
static struct lc_req receive_of(const struct lc_sock_input *in, const struct lc_sock_sets *sets,
				const struct lc_sys *send, const struct lc_sys *recv)
{
	struct lc_req r = {.submit_ns = recv->start_ns,
			   .complete_ns = recv->end_ns,
			   .ready_cpu = LC_NO_CPU,
			   .recv_cpu = recv->cpu,
			   .tgid = recv->tgid};
	const struct lc_sleep *z;

	if (in->busypoll) {
		r.submit_ns = r.arm_ns = send->start_ns;
		r.ready_ns = last_empty_end(sets, recv->tid, send->start_ns, recv->start_ns);
		r.complete_ns = recv->start_ns;
		return r;
	}
	z = sleep_in(in, recv->tid, recv->start_ns, recv->end_ns);
	if (z) {
		r.arm_ns = z->off_ns;
		r.ready_ns = z->wake_ns ? z->wake_ns : LC_NO_STAMP;
		r.complete_ns = z->on_ns;
	}
	return r;
}

/* one_round - whether @s and @r (hops each) are one message's way round: who sent received. */
static bool one_round(const struct lc_sys *s, const struct lc_sys *r, unsigned int hops)
{
	for (unsigned int k = 0; k + 1 < hops; k++) {
		if (r[k].tgid != s[k + 1].tgid || r[k].end_ns > s[k + 1].start_ns)
			return false;
	}
	return s[0].tgid == r[hops - 1].tgid;
}

/* window_split - sample @si's hops from its sends @s and receives @r into @out; how many. */
static size_t window_split(const struct lc_sock_input *in, const struct lc_sock_sets *sets,
			   uint32_t si, const struct lc_sys *s, const struct lc_sys *r,
			   struct lc_split *out)
{
	uint64_t start, user;
	struct lc_req rq;
	size_t n = 0;

	for (unsigned int k = 0; k < in->hops; k++) {
		rq = receive_of(in, sets, &s[k], &r[k]);
		start = s[k].start_ns > rq.submit_ns ? s[k].start_ns : rq.submit_ns;
		user = k + 1 == in->hops ? in->samples[si].mono_end_ns : r[k].end_ns;
		n += !lc_split_one(si, (uint8_t)k, start, &rq, user, &out[n]);
	}
	return n;
}

/* split_all - every good sample (@idx, @ngood of them) over @sets into @out; how many. */
static size_t split_all(const struct lc_sock_input *in, const struct lc_sock_sets *sets,
			const uint32_t *idx, long ngood, struct lc_split *out,
			struct lc_counts *counts)
{
	struct lc_sys s[URING_TAG_HOPS], r[URING_TAG_HOPS];
	size_t i = 0, j = 0, n = 0, ns, nr, got;

	for (long g = 0; g < ngood; g++) {
		const struct trace_sample *w = &in->samples[idx[g]];

		while (i < sets->nsends && sets->sends[i].start_ns < w->mono_start_ns)
			i++;
		while (j < sets->nrecvs && sets->recvs[j].end_ns < w->mono_start_ns)
			j++;
		for (ns = 0;
		     i + ns < sets->nsends && sets->sends[i + ns].start_ns <= w->mono_end_ns; ns++)
			s[ns < in->hops ? ns : 0] = sets->sends[i + ns];
		for (nr = 0; j + nr < sets->nrecvs && sets->recvs[j + nr].end_ns <= w->mono_end_ns;
		     nr++)
			r[nr < in->hops ? nr : 0] = sets->recvs[j + nr];
		if (ns != in->hops || nr != in->hops || !one_round(s, r, in->hops)) {
			counts->mismatched++;
			continue;
		}
		got = window_split(in, sets, idx[g], s, r, out + n);
		counts->joined += got == in->hops;
		n += got;
	}
	return n;
}

int lc_sock_split_hops(const struct lc_sock_input *in, struct lc_split **out, size_t *nout,
		       struct lc_counts *counts)
{
	struct lc_sock_sets sets;
	uint32_t *idx = NULL;
	long ngood;
	int ret;

	*out = NULL;
	*nout = 0;
	*counts = (struct lc_counts){0};
	if (!in->hops || in->hops > URING_TAG_HOPS)
		return -EINVAL;
	ret = sets_make(in, &sets);
	ngood = ret ? ret : lc_good_order(in->samples, in->nsamples, &idx);
	if (ngood > 0) {
		*out = malloc((size_t)ngood * in->hops * sizeof(**out));
		ngood = *out ? ngood : -ENOMEM;
	}
	if (ngood > 0) {
		counts->iterations = (size_t)ngood;
		*nout = split_all(in, &sets, idx, ngood, *out, counts);
	}
	free(idx);
	free(sets.recvs);
	return ngood < 0 ? (int)ngood : 0;
}
