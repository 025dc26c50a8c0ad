// SPDX-License-Identifier: MIT
/*
 * attribution - the split of one spike: a sweep over the window's event intervals (the top
 * cause wins each instant), the usual cost of network syscalls and the baseline removed as
 * normal time, then an exact scaling onto the spike's excess.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "analysis/attribution/attribution.h"

/* Nested intervals: the lower level wins the time (an irq inside a syscall is irq time). */
enum attr_level {
	ATTR_LVL_HARDIRQ,
	ATTR_LVL_SOFTIRQ,
	ATTR_LVL_FAULT,
	ATTR_LVL_SCHED,
	ATTR_LVL_IOURING,
	ATTR_LVL_SYSCALL,
	ATTR_LVL_PLAIN, /* a syscall that is neither a flush nor network: normal work */
};

/* attr_iv - one event's interval inside the window, and what it counts as. */
struct attr_iv {
	uint64_t start, end;
	uint64_t own; /* time this interval was the top one */
	uint32_t ev;  /* index into the (sorted) events */
	uint8_t cause;
	uint8_t level;
	uint8_t timed;
	uint8_t usual; /* a network syscall: its usual cost is normal time */
};

/* attr_is_thread_event - events tied to a thread (the rest are tied to a CPU). */
static int attr_is_thread_event(const struct tracer_event *e)
{
	return e->type == TRACER_EV_SYSCALL || e->type == TRACER_EV_OFFCPU ||
	       e->type == TRACER_EV_MIGRATE || e->type == TRACER_EV_PAGE_FAULT;
}

/* attr_is_uring_event - io_uring events: any thread of the session (sqpoll, io-wq workers). */
static int attr_is_uring_event(const struct tracer_event *e)
{
	return e->type >= TRACER_EV_IOURING_SUBMIT && e->type <= TRACER_EV_IOURING_TASK_WORK;
}

#define ATTR_CPU_WORDS	 (TRACER_MAX_CPUS / 64)
#define ATTR_MAX_IO_TIDS 8

/* attr_scope - which threads and CPUs count for one window. */
struct attr_scope {
	const struct attr_ctx *ctx;
	uint32_t io[ATTR_MAX_IO_TIDS]; /* io_uring threads (sqpoll, io-wq) seen in the window */
	unsigned int nio;
	uint64_t cpus[ATTR_CPU_WORDS];
};

/* attr_is_io_tid - whether @tid did io_uring work in the window. */
static int attr_is_io_tid(const struct attr_scope *sc, uint32_t tid)
{
	unsigned int i;

	for (i = 0; i < sc->nio; i++)
		if (sc->io[i] == tid)
			return 1;
	return 0;
}

/*
 * attr_thread_counts - a thread event counts when it is the timed thread's, an io_uring
 * thread's (SQPOLL, io-wq: they do the timed thread's I/O), or a ring member's (another process
 * of the session). Other threads of the timed thread's process (the tracer's consumer, the trace
 * writer) are the observer: the time they take shows as the timed thread's OFFCPU.
 */
static int attr_thread_counts(const struct tracer_event *e, const struct attr_scope *sc)
{
	const struct attr_ctx *ctx = sc->ctx;

	if (!ctx->timed_tid || e->tid == ctx->timed_tid || attr_is_io_tid(sc, e->tid))
		return 1;
	return !ctx->timed_tgid || e->tgid != ctx->timed_tgid;
}

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
static void attr_sort_ts(struct tracer_event *ev, size_t n)
{
	size_t i;

	for (i = 1; i < n && attr_cmp_ts(&ev[i - 1], &ev[i]) <= 0; i++)
		;
	if (i < n)
		qsort(ev, n, sizeof(*ev), attr_cmp_ts);
}

/* attr_cpu_add - add @cpu to the spike's CPU set (ignores what is out of range). */
static void attr_cpu_add(uint64_t *set, uint64_t cpu)
{
	if (cpu < TRACER_MAX_CPUS)
		set[cpu / 64] |= 1ULL << (cpu % 64);
}

/* attr_overlaps - whether event @e lies in the window (an instant: starts inside it). */
static int attr_overlaps(const struct tracer_event *e, const struct spike *sp)
{
	if (!e->dur_ns)
		return e->ts_ns >= sp->start_ns && e->ts_ns < sp->end_ns;
	return e->ts_ns < sp->end_ns && e->ts_ns + e->dur_ns > sp->start_ns;
}

/* attr_io_tids - the threads other than the timed one with io_uring events in the window. */
static void attr_io_tids(const struct spike *sp, const struct tracer_event *ev, size_t n,
			 struct attr_scope *sc)
{
	size_t i;

	for (i = 0; i < n && sc->nio < ATTR_MAX_IO_TIDS; i++) {
		if (!attr_is_uring_event(&ev[i]) || !attr_overlaps(&ev[i], sp) ||
		    ev[i].tid == sc->ctx->timed_tid || attr_is_io_tid(sc, ev[i].tid))
			continue;
		sc->io[sc->nio++] = ev[i].tid;
	}
}

/*
 * attr_scope_init - the io_uring threads of the window, then the CPUs whose irq/softirq/network
 * events count: where the timed thread began the iteration, plus every CPU that a counted thread
 * event of the window names.
 */
static void attr_scope_init(const struct spike *sp, const struct tracer_event *ev, size_t n,
			    const struct attr_ctx *ctx, struct attr_scope *sc)
{
	uint64_t *set = sc->cpus;
	size_t i;

	memset(sc, 0, sizeof(*sc));
	sc->ctx = ctx;
	attr_io_tids(sp, ev, n, sc);
	attr_cpu_add(set, sp->cpu);
	for (i = 0; i < n; i++) {
		if (!attr_is_thread_event(&ev[i]) || !attr_thread_counts(&ev[i], sc) ||
		    !attr_overlaps(&ev[i], sp))
			continue;
		attr_cpu_add(set, ev[i].cpu);
		if (ev[i].type == TRACER_EV_OFFCPU)
			attr_cpu_add(set, ev[i].arg2);
		if (ev[i].type == TRACER_EV_MIGRATE)
			attr_cpu_add(set, ev[i].arg1);
	}
}

/* attr_event_counts - whether event @e takes part in the spike's split. */
static int attr_event_counts(const struct tracer_event *e, const struct attr_scope *sc)
{
	if (attr_is_uring_event(e))
		return 1;
	if (attr_is_thread_event(e))
		return attr_thread_counts(e, sc);
	return e->cpu < TRACER_MAX_CPUS && (sc->cpus[e->cpu / 64] >> (e->cpu % 64) & 1);
}

/*
 * attr_async_end - an io-wq punt has no end event of its own: it lasts until the completion of
 * the same request (same process and user_data), or the window's end.
 */
static uint64_t attr_async_end(const struct tracer_event *ev, size_t n, size_t i, uint64_t wend)
{
	size_t k;

	for (k = i + 1; k < n; k++)
		if (ev[k].type == TRACER_EV_IOURING_COMPLETE && ev[k].tgid == ev[i].tgid &&
		    ev[k].arg0 == ev[i].arg1)
			return ev[k].ts_ns < wend ? ev[k].ts_ns : wend;
	return wend;
}

/*
 * attr_classify_syscall - flush, network (usual cost subtracted later) or plain work, by what
 * the syscall's number means on the arch that recorded it.
 */
static void attr_classify_syscall(const struct tracer_event *e, const struct arch *arch,
				  struct attr_iv *iv)
{
	unsigned int cls = arch_syscall_class(arch, e->arg0);

	if ((cls & ARCH_SC_FLUSH) && (e->flags & TRACER_F_FD_OTHER)) {
		iv->cause = ATTR_BUFFER_FLUSH;
		iv->level = ATTR_LVL_SYSCALL;
	} else if ((e->flags & TRACER_F_FD_SOCKET) || (cls & ARCH_SC_RING_ENTER)) {
		iv->cause = ATTR_NETWORK;
		iv->level = ATTR_LVL_SYSCALL;
		iv->usual = 1;
	} else {
		iv->cause = ATTR_NCAUSES;
		iv->level = ATTR_LVL_PLAIN;
	}
}

/* attr_classify_cpu_event - irq-level events: network softirqs and devices, or irq. */
static int attr_classify_cpu_event(const struct tracer_event *e, struct attr_iv *iv)
{
	switch (e->type) {
	case TRACER_EV_IRQ:
	case TRACER_EV_IPI:
		iv->cause = ATTR_IRQ;
		iv->level = ATTR_LVL_HARDIRQ;
		return 1;
	case TRACER_EV_SOFTIRQ:
		iv->cause = arch_softirq_is_network(e->arg0) ? ATTR_NETWORK : ATTR_IRQ;
		iv->level = ATTR_LVL_SOFTIRQ;
		return 1;
	case TRACER_EV_NAPI_POLL:
	case TRACER_EV_NET_QUEUE:
	case TRACER_EV_NET_XMIT:
	case TRACER_EV_NET_RECEIVE:
	case TRACER_EV_TCP_RETRANSMIT:
		iv->cause = ATTR_NETWORK;
		iv->level = ATTR_LVL_SOFTIRQ;
		return 1;
	default:
		return 0;
	}
}

/*
 * attr_span - the [start, end) an event occupies: its recorded interval, or a derived one for
 * instants that stand for work (a page fault, an io-wq punt), or for OFFCPU only the part that
 * is scheduling: all of it when preempted, else from the wakeup on (the sleep before the wakeup
 * is waiting for data, which belongs to the syscall the thread sleeps in). 0: no time.
 */
static int attr_span(const struct tracer_event *ev, size_t n, size_t i, uint64_t wend,
		     uint64_t *start, uint64_t *end)
{
	const struct tracer_event *e = &ev[i];

	*start = e->ts_ns;
	*end = e->ts_ns + e->dur_ns;
	if (e->type == TRACER_EV_PAGE_FAULT)
		*end = e->ts_ns + ATTR_PAGE_FAULT_NS;
	else if (e->type == TRACER_EV_IOURING_ASYNC)
		*end = attr_async_end(ev, n, i, wend);
	else if (e->type == TRACER_EV_OFFCPU && !(e->flags & TRACER_F_PREEMPTED)) {
		if (!e->arg0 || e->arg0 >= *end)
			return 0;
		if (e->arg0 > e->ts_ns)
			*start = e->arg0;
	}
	return *end > *start;
}

/*
 * attr_make_iv - what event @i counts as and its interval clipped to the window; returns 0 when
 * it holds no time there (an instant: a key event only, start == end).
 */
static int attr_make_iv(const struct spike *sp, const struct tracer_event *ev, size_t n, size_t i,
			const struct attr_ctx *ctx, struct attr_iv *iv)
{
	const struct tracer_event *e = &ev[i];
	uint64_t s, t;

	memset(iv, 0, sizeof(*iv));
	iv->ev = (uint32_t)i;
	iv->timed = ctx->timed_tid && e->tid == ctx->timed_tid;
	iv->cause = ATTR_NCAUSES;
	iv->level = ATTR_LVL_PLAIN;
	if (e->type == TRACER_EV_SYSCALL) {
		attr_classify_syscall(e, ctx->arch, iv);
	} else if (e->type == TRACER_EV_OFFCPU) {
		iv->cause = ATTR_SCHEDULING;
		iv->level = ATTR_LVL_SCHED;
	} else if (e->type == TRACER_EV_PAGE_FAULT) {
		iv->cause = ATTR_PAGE_FAULT;
		iv->level = ATTR_LVL_FAULT;
	} else if (e->type == TRACER_EV_IOURING_ASYNC || e->type == TRACER_EV_IOURING_TASK_WORK) {
		iv->cause = ATTR_IO_URING;
		iv->level = ATTR_LVL_IOURING;
	} else if (!attr_classify_cpu_event(e, iv)) {
		return 0;
	}
	if (!attr_span(ev, n, i, sp->end_ns, &s, &t))
		return 0;
	s = s > sp->start_ns ? s : sp->start_ns;
	t = t < sp->end_ns ? t : sp->end_ns;
	if (t <= s)
		return 0;
	iv->start = s;
	iv->end = t;
	return 1;
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

static int attr_cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

/*
 * attr_sort_u64 - sort @v ascending: by insertion when short (most windows hold a few
 * events: qsort's calls cost more than the sort), else by qsort.
 */
static void attr_sort_u64(uint64_t *v, size_t n)
{
	size_t i, k;
	uint64_t x;

	if (n > 32) {
		qsort(v, n, sizeof(*v), attr_cmp_u64);
		return;
	}
	for (i = 1; i < n; i++) {
		x = v[i];
		for (k = i; k > 0 && v[k - 1] > x; k--)
			v[k] = v[k - 1];
		v[k] = x;
	}
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
static int attr_sweep(struct attr_iv *iv, size_t m, uint64_t wlen, uint64_t *uncovered)
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
	attr_sort_u64(b, nb);
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

/*
 * attr_claim_transitions - each flush syscall of the timed thread takes up to transition_ns
 * of the uncovered time: its kernel entry and exit, which the tracepoints do not see.
 */
static void attr_claim_transitions(struct attr_iv *iv, size_t m, const struct attr_ctx *ctx,
				   uint64_t *uncovered)
{
	uint64_t claim;
	size_t i;

	for (i = 0; i < m && *uncovered; i++) {
		if (!iv[i].timed || iv[i].cause != ATTR_BUFFER_FLUSH)
			continue;
		claim = ctx->transition_ns < *uncovered ? ctx->transition_ns : *uncovered;
		iv[i].own += claim;
		*uncovered -= claim;
	}
}

/*
 * attr_account - own time per cause. A network syscall's time up to its usual cost is normal
 * work, only the rest is network; a plain syscall is normal work.
 */
static void attr_account(struct attr_iv *iv, size_t m, const struct tracer_event *ev,
			 const struct attr_ctx *ctx, uint64_t *causes, uint64_t *normal)
{
	uint64_t u, ex;
	size_t i;

	for (i = 0; i < m; i++) {
		if (iv[i].usual) {
			u = ctx->usual_ns
				? ctx->usual_ns(ctx->arg, (uint32_t)ev[iv[i].ev].arg0, iv[i].timed)
				: 0;
			ex = iv[i].own > u ? iv[i].own - u : 0;
			causes[ATTR_NETWORK] += ex;
			*normal += iv[i].own - ex;
			if (!ex)
				iv[i].cause = ATTR_NCAUSES;
		} else if (iv[i].cause == ATTR_NCAUSES) {
			*normal += iv[i].own;
		} else {
			causes[iv[i].cause] += iv[i].own;
		}
	}
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
static void attr_pick_keys(const struct attr_iv *iv, size_t m, const struct tracer_event *ev,
			   struct attr_spike *out)
{
	struct attr_key_event k;
	size_t i, at, n;

	for (i = 0; i < m; i++) {
		const struct tracer_event *e = &ev[iv[i].ev];

		k = (struct attr_key_event){
		    .start_ns = e->ts_ns,
		    .dur_ns = e->dur_ns,
		    .own_ns = iv[i].own,
		    .arg0 = e->arg0,
		    .tid = e->tid,
		    .cpu = e->cpu,
		    .type = e->type,
		    .cause = iv[i].cause,
		    .flags = e->flags,
		    .arg2 = e->arg2,
		};
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

int attr_spike_split(const struct spike *sp, struct tracer_event *ev, size_t n,
		     const struct attr_ctx *ctx, struct attr_spike *out)
{
	uint64_t uncovered, normal;
	struct attr_scope sc;
	struct attr_iv *iv;
	size_t i, m = 0;
	int rc;

	if (!sp || !ctx || !out || (!ev && n) || sp->end_ns < sp->start_ns)
		return -EINVAL;
	memset(out, 0, sizeof(*out));
	attr_sort_ts(ev, n);
	attr_scope_init(sp, ev, n, ctx, &sc);
	iv = malloc((n ? n : 1) * sizeof(*iv));
	if (!iv)
		return -ENOMEM;
	for (i = 0; i < n; i++)
		if (attr_overlaps(&ev[i], sp) && attr_event_counts(&ev[i], &sc))
			attr_make_iv(sp, ev, n, i, ctx, &iv[m++]);
	rc = attr_sweep(iv, m, sp->end_ns - sp->start_ns, &uncovered);
	if (rc)
		goto out;
	attr_claim_transitions(iv, m, ctx, &uncovered);
	normal = uncovered;
	attr_account(iv, m, ev, ctx, out->causes_ns, &normal);
	attr_remove_baseline(out->causes_ns, normal, sp->baseline_ns);
	if (!attr_scale_exact(out->causes_ns, ATTR_NCAUSES, sp->excess_ns))
		out->causes_ns[ATTR_UNEXPLAINED] = sp->excess_ns;
	out->dominant = attr_dominant(out->causes_ns);
	out->nevents = (uint32_t)m;
	attr_pick_keys(iv, m, ev, out);
out:
	free(iv);
	return rc;
}

int attr_spike_transition(const struct spike *sp, struct tracer_event *ev, size_t n,
			  const struct attr_ctx *ctx, uint64_t *rest_ns)
{
	struct attr_scope sc;
	uint64_t used;
	const struct tracer_event *sys = NULL;
	size_t i;

	attr_sort_ts(ev, n);
	attr_scope_init(sp, ev, n, ctx, &sc);
	for (i = 0; i < n; i++) {
		if (!attr_overlaps(&ev[i], sp) || !attr_event_counts(&ev[i], &sc))
			continue;
		if (sys || ev[i].type != TRACER_EV_SYSCALL || !ctx->timed_tid ||
		    ev[i].tid != ctx->timed_tid)
			return 0;
		sys = &ev[i];
	}
	if (!sys || sys->ts_ns < sp->start_ns || sys->ts_ns + sys->dur_ns > sp->end_ns)
		return 0;
	used = sys->dur_ns + sp->baseline_ns;
	*rest_ns = sp->end_ns - sp->start_ns > used ? sp->end_ns - sp->start_ns - used : 0;
	return 1;
}
