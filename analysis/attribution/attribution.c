// SPDX-License-Identifier: MIT
/*
 * attribution - the split of one spike: what each event of the window counts as, a sweep over
 * their intervals (the top cause wins each instant), the usual cost of network syscalls and the
 * baseline removed as normal time, host-time budgets, then an exact scaling onto the excess.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "analysis/attribution/attribution_iv.h"

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
	unsigned int ncpus;
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

/* attr_cpu_add - add @cpu to the spike's CPU set (ignores what is out of range). */
static void attr_cpu_add(struct attr_scope *sc, uint64_t cpu)
{
	if (cpu >= TRACER_MAX_CPUS || (sc->cpus[cpu / 64] >> (cpu % 64) & 1))
		return;
	sc->cpus[cpu / 64] |= 1ULL << (cpu % 64);
	sc->ncpus++;
}

/* attr_overlaps - whether event @e lies in the spike's window (attr_event_in). */
static int attr_overlaps(const struct tracer_event *e, const struct spike *sp)
{
	return attr_event_in(e, sp->win_start_ns, sp->win_end_ns);
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
	size_t i;

	memset(sc, 0, sizeof(*sc));
	sc->ctx = ctx;
	attr_io_tids(sp, ev, n, sc);
	attr_cpu_add(sc, sp->cpu);
	for (i = 0; i < n; i++) {
		if (!attr_is_thread_event(&ev[i]) || !attr_thread_counts(&ev[i], sc) ||
		    !attr_overlaps(&ev[i], sp))
			continue;
		attr_cpu_add(sc, ev[i].cpu);
		if (ev[i].type == TRACER_EV_OFFCPU)
			attr_cpu_add(sc, ev[i].arg2);
		if (ev[i].type == TRACER_EV_MIGRATE)
			attr_cpu_add(sc, ev[i].arg1);
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

/* attr_counts_cb - attr_event_counts for attr_host_budgets(). */
static int attr_counts_cb(const struct tracer_event *e, void *arg)
{
	return attr_event_counts(e, arg);
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
 * attr_fault_end - a user page fault has an entry tracepoint and no exit: it lasts until the
 * thread's next event in user context (a syscall, another fault), or the window's end. A
 * switch out (asleep while the page is read, or preempted) does not end it: the thread is
 * still in the fault.
 */
static uint64_t attr_fault_end(const struct tracer_event *ev, size_t n, size_t i, uint64_t wend)
{
	size_t k;

	for (k = i + 1; k < n; k++)
		if (ev[k].tid == ev[i].tid &&
		    (ev[k].type == TRACER_EV_SYSCALL || ev[k].type == TRACER_EV_PAGE_FAULT))
			return ev[k].ts_ns < wend ? ev[k].ts_ns : wend;
	return wend;
}

/* attr_is_interrupt - a handler on a CPU: the kinds whose return can preempt user code. */
static int attr_is_interrupt(const struct tracer_event *e)
{
	return e->type == TRACER_EV_IRQ || e->type == TRACER_EV_IPI || e->type == TRACER_EV_SOFTIRQ;
}

/*
 * attr_preempt_start - where the preemption of OFFCPU @i began. A thread running in user mode is
 * preempted only on its way back from an interrupt (the return checks need_resched), so from
 * the end of the last handler on the CPU it left to its switch-out the kernel was already
 * switching it out: the scheduler's own path, which no tracepoint brackets. That end, when the
 * thread was in user mode then (its syscalls had returned, no fault was recorded since the
 * last: a fault lasts until the next one or a syscall, 3.2); else its switch-out (inside the
 * kernel it may have been preempted anywhere).
 */
static uint64_t attr_preempt_start(const struct tracer_event *ev, size_t i)
{
	const struct tracer_event *o = &ev[i], *e;
	uint64_t out = o->ts_ns, irq_end = 0, own_end = 0, end;
	int in_fault = 0;
	size_t k;

	for (k = 0; k < i; k++) {
		e = &ev[k];
		end = e->ts_ns + e->dur_ns;
		if (attr_is_interrupt(e) && e->cpu == o->arg2 && end <= out && end > irq_end)
			irq_end = end;
		if (e->tid != o->tid ||
		    (e->type != TRACER_EV_SYSCALL && e->type != TRACER_EV_PAGE_FAULT))
			continue;
		if (end > out)
			return out; /* preempted inside its own syscall */
		in_fault = e->type == TRACER_EV_PAGE_FAULT;
		own_end = end > own_end ? end : own_end;
	}
	return !in_fault && irq_end > own_end ? irq_end : out;
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

/* attr_set - what an interval counts as. */
static int attr_set(struct attr_iv *iv, enum attr_cause cause, enum attr_level level)
{
	iv->cause = (uint8_t)cause;
	iv->level = (uint8_t)level;
	return 1;
}

/*
 * attr_classify_cpu_event - events of a CPU: irqs, network softirqs and devices, the tracer's
 * consumer, and a vCPU's silence where the platform has a hypervisor. 0: holds no time.
 */
static int attr_classify_cpu_event(const struct tracer_event *e, const struct attr_ctx *ctx,
				   struct attr_iv *iv)
{
	switch (e->type) {
	case TRACER_EV_IRQ:
	case TRACER_EV_IPI:
		return attr_set(iv, ATTR_IRQ, ATTR_LVL_HARDIRQ);
	case TRACER_EV_SOFTIRQ:
		return attr_set(iv, arch_softirq_is_network(e->arg0) ? ATTR_NETWORK : ATTR_IRQ,
				ATTR_LVL_SOFTIRQ);
	case TRACER_EV_NAPI_POLL:
	case TRACER_EV_NET_QUEUE:
	case TRACER_EV_NET_XMIT:
	case TRACER_EV_NET_RECEIVE:
	case TRACER_EV_TCP_RETRANSMIT:
		return attr_set(iv, ATTR_NETWORK, ATTR_LVL_SOFTIRQ);
	case TRACER_EV_TRACER:
		return attr_set(iv, ATTR_TRACER, ATTR_LVL_TRACER);
	case TRACER_EV_ABSENT:
		iv->part = ATTR_HV_ABSENT;
		return attr_has_hypervisor(ctx) && attr_set(iv, ATTR_HYPERVISOR, ATTR_LVL_ABSENT);
	default:
		return 0;
	}
}

/*
 * attr_classify - what event @e counts as; 0 for the records that are budgets or names only
 * (VM-exit proxies, steal, idle, names: attr_host_budgets counts them), and for host evidence
 * on bare metal.
 */
static int attr_classify(const struct tracer_event *e, const struct attr_ctx *ctx,
			 struct attr_iv *iv)
{
	switch (e->type) {
	case TRACER_EV_SYSCALL:
		attr_classify_syscall(e, ctx->arch, iv);
		return 1;
	case TRACER_EV_OFFCPU:
		return attr_set(iv, ATTR_SCHEDULING, ATTR_LVL_SCHED);
	case TRACER_EV_PAGE_FAULT:
		return attr_set(iv, ATTR_PAGE_FAULT, ATTR_LVL_FAULT);
	case TRACER_EV_IOURING_ASYNC:
	case TRACER_EV_IOURING_TASK_WORK:
		return attr_set(iv, ATTR_IO_URING, ATTR_LVL_IOURING);
	case TRACER_EV_SOFTIRQ_RAISE:
	case TRACER_EV_MIGRATE:
	case TRACER_EV_IOURING_SUBMIT:
	case TRACER_EV_IOURING_COMPLETE:
		return 1; /* an instant: a key event only */
	default:
		return attr_classify_cpu_event(e, ctx, iv);
	}
}

/*
 * attr_span - the [start, end) an event occupies: its recorded interval, or a derived one for
 * instants that stand for work (a page fault, an io-wq punt), or for OFFCPU only the part that
 * is scheduling: all of it when preempted (from the interrupt that preempted it, if it was in
 * user mode) or held (stopped by a signal or a tracer, frozen), else from the wakeup on (the sleep
 * before the wakeup is waiting for data, which belongs to the syscall the thread sleeps in). 0: no
 * time.
 */
static int attr_span(const struct tracer_event *ev, size_t n, size_t i, uint64_t wend,
		     uint64_t *start, uint64_t *end)
{
	const struct tracer_event *e = &ev[i];

	*start = e->ts_ns;
	*end = e->ts_ns + e->dur_ns;
	if (e->type == TRACER_EV_PAGE_FAULT)
		*end = attr_fault_end(ev, n, i, wend);
	else if (e->type == TRACER_EV_IOURING_ASYNC)
		*end = attr_async_end(ev, n, i, wend);
	else if (e->type == TRACER_EV_OFFCPU &&
		 !attr_offcpu_waited(e->flags, TRACER_OFFCPU_STATE(e->arg1), e->arg0, start, end))
		return 0;
	else if (e->type == TRACER_EV_OFFCPU && (e->flags & TRACER_F_PREEMPTED))
		*start = attr_preempt_start(ev, i);
	return *end > *start;
}

/* attr_clip - @iv's [start, end) clipped to the spike's window; 0 when nothing is left. */
static int attr_clip(const struct spike *sp, uint64_t s, uint64_t t, struct attr_iv *iv)
{
	s = s > sp->win_start_ns ? s : sp->win_start_ns;
	t = t < sp->win_end_ns ? t : sp->win_end_ns;
	if (t <= s)
		return 0;
	iv->start = s;
	iv->end = t;
	return 1;
}

/*
 * attr_make_iv - what event @i counts as and its interval clipped to the window. Returns -1 when
 * it takes no part (a budget record), 0 when it holds no time there (an instant: a key event
 * only, start == end), 1 with an interval.
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
	if (!attr_classify(e, ctx, iv))
		return -1;
	if (!attr_span(ev, n, i, sp->win_end_ns, &s, &t))
		return 0;
	return attr_clip(sp, s, t, iv);
}

/* attr_is_wakeup - a wakeup of the tracer's consumer (an irq_work the tracer caused). */
static int attr_is_wakeup(const struct tracer_event *e)
{
	return e->type == TRACER_EV_TRACER && e->arg0 == TRACER_SELF_WAKEUP;
}

/*
 * attr_claim_unseen - what the tracepoints do not see takes its measured cost out of the
 * uncovered time: each flush syscall of the timed thread its kernel entry and exit
 * (transition_ns), each wakeup of the tracer's consumer its interrupt (wakeup_ns).
 */
static void attr_claim_unseen(struct attr_iv *iv, size_t m, const struct tracer_event *ev,
			      const struct attr_ctx *ctx, uint64_t *uncovered)
{
	uint64_t claim, cost;
	size_t i;

	for (i = 0; i < m && *uncovered; i++) {
		if (iv[i].timed && iv[i].cause == ATTR_BUFFER_FLUSH)
			cost = ctx->transition_ns;
		else if (attr_is_wakeup(&ev[iv[i].ev]))
			cost = ctx->wakeup_ns;
		else
			continue;
		claim = cost < *uncovered ? cost : *uncovered;
		iv[i].own += claim;
		*uncovered -= claim;
	}
}

/* attr_account_hv - a hypervisor interval's own time into its part (a delivery into two). */
static void attr_account_hv(const struct attr_iv *iv, const struct tracer_event *ev,
			    const struct attr_ctx *ctx, uint64_t *hv)
{
	uint64_t beyond;

	if (iv->part != ATTR_HV_DELIVERY) {
		hv[iv->part] += iv->own;
		return;
	}
	beyond = attr_delivery_beyond(&ev[iv->ev], ctx, iv->own);
	hv[ATTR_HV_DELIVERY] += beyond;
	hv[ATTR_HV_DELIVERY_ROUTINE] += iv->own - beyond;
}

/*
 * attr_account - own time per cause and per hypervisor part. A network syscall's time up to its
 * usual cost is normal work, only the rest is network; a plain syscall is normal work.
 */
static void attr_account(struct attr_iv *iv, size_t m, const struct tracer_event *ev,
			 const struct attr_ctx *ctx, struct attr_spike *out, uint64_t *normal)
{
	uint64_t u, ex;
	size_t i;

	for (i = 0; i < m; i++) {
		if (iv[i].usual) {
			u = ctx->usual_ns
				? ctx->usual_ns(ctx->arg, (uint32_t)ev[iv[i].ev].arg0, iv[i].timed)
				: 0;
			ex = iv[i].own > u ? iv[i].own - u : 0;
			out->causes_ns[ATTR_NETWORK] += ex;
			*normal += iv[i].own - ex;
			if (!ex)
				iv[i].cause = ATTR_NCAUSES;
		} else if (iv[i].cause == ATTR_NCAUSES) {
			*normal += iv[i].own;
		} else {
			out->causes_ns[iv[i].cause] += iv[i].own;
			if (iv[i].cause == ATTR_HYPERVISOR)
				attr_account_hv(&iv[i], ev, ctx, out->hv_ns);
		}
	}
}

/* attr_collect - the window's intervals into @iv (room for 2 n). Returns how many. */
static size_t attr_collect(const struct spike *sp, const struct tracer_event *ev, size_t n,
			   const struct attr_ctx *ctx, const struct attr_scope *sc,
			   struct attr_iv *iv)
{
	size_t i, m = 0;

	for (i = 0; i < n; i++) {
		if (!attr_overlaps(&ev[i], sp) || !attr_event_counts(&ev[i], sc))
			continue;
		if (ev[i].ts_ns < sp->win_end_ns && attr_make_iv(sp, ev, n, i, ctx, &iv[m]) >= 0)
			m++;
		if (attr_delivery_iv(&ev[i], (uint32_t)i, ctx, &iv[m]) &&
		    attr_clip(sp, iv[m].start, iv[m].end, &iv[m]))
			m++;
	}
	return m;
}

/*
 * attr_settle - from own times to causes: normal time and the baseline out, the host budgets
 * in, then everything scaled onto the excess (and the hypervisor parts onto their cause).
 */
static void attr_settle(const struct spike *sp, const struct tracer_event *ev, size_t n,
			const struct attr_ctx *ctx, struct attr_scope *sc, uint64_t normal,
			struct attr_spike *out)
{
	uint64_t exits_ns = 0, steal_ns = 0;

	attr_remove_baseline(out->causes_ns, normal, sp->baseline_ns);
	if (attr_has_hypervisor(ctx)) {
		attr_host_budgets(sp, ev, n, ctx, attr_counts_cb, sc, sc->ncpus, out, &exits_ns,
				  &steal_ns);
		out->hv_ns[ATTR_HV_EXITS] +=
		    attr_take_budget(out->causes_ns, ATTR_HYPERVISOR, exits_ns);
		out->hv_ns[ATTR_HV_STEAL] +=
		    attr_take_budget(out->causes_ns, ATTR_HYPERVISOR, steal_ns);
	}
	if (!attr_scale_exact(out->causes_ns, ATTR_NCAUSES, sp->excess_ns))
		out->causes_ns[ATTR_UNEXPLAINED] = sp->excess_ns;
	if (!attr_scale_exact(out->hv_ns, ATTR_HV_NPARTS, out->causes_ns[ATTR_HYPERVISOR]))
		memset(out->hv_ns, 0, sizeof(out->hv_ns));
	out->dominant = attr_dominant(out->causes_ns);
}

int attr_spike_split(const struct spike *sp, struct tracer_event *ev, size_t n,
		     const struct attr_ctx *ctx, struct attr_spike *out)
{
	uint64_t uncovered;
	struct attr_scope sc;
	struct attr_iv *iv;
	size_t m;
	int rc;

	if (!sp || !ctx || !out || (!ev && n) || sp->win_end_ns < sp->win_start_ns)
		return -EINVAL;
	memset(out, 0, sizeof(*out));
	attr_sort_ts(ev, n);
	attr_scope_init(sp, ev, n, ctx, &sc);
	iv = malloc((2 * n + 1) * sizeof(*iv));
	if (!iv)
		return -ENOMEM;
	m = attr_collect(sp, ev, n, ctx, &sc, iv);
	rc = attr_sweep(iv, m, sp->win_end_ns - sp->win_start_ns, &uncovered);
	if (!rc) {
		attr_claim_unseen(iv, m, ev, ctx, &uncovered);
		attr_account(iv, m, ev, ctx, out, &uncovered);
		attr_settle(sp, ev, n, ctx, &sc, uncovered, out);
		out->nevents = (uint32_t)m;
		attr_pick_keys(iv, m, ev, out);
		attr_name_runners(sp, ev, n, out);
	}
	free(iv);
	return rc;
}

/* attr_clean_one - the kind of the one counted event of a clean window, and its rest. */
static enum attr_clean_kind attr_clean_one(const struct spike *sp, const struct tracer_event *e,
					   const struct attr_ctx *ctx, uint64_t *rest_ns)
{
	uint64_t wlen = sp->win_end_ns - sp->win_start_ns, used = sp->baseline_ns;
	enum attr_clean_kind kind = ATTR_CLEAN_WAKEUP;

	if (e->type == TRACER_EV_SYSCALL) {
		if (!ctx->timed_tid || e->tid != ctx->timed_tid || e->ts_ns < sp->win_start_ns ||
		    e->ts_ns + e->dur_ns > sp->win_end_ns)
			return ATTR_CLEAN_NONE;
		used += e->dur_ns;
		kind = ATTR_CLEAN_SYSCALL;
	} else if (!attr_is_wakeup(e)) {
		return ATTR_CLEAN_NONE;
	}
	*rest_ns = wlen > used ? wlen - used : 0;
	return kind;
}

enum attr_clean_kind attr_spike_clean(const struct spike *sp, struct tracer_event *ev, size_t n,
				      const struct attr_ctx *ctx, uint64_t *rest_ns)
{
	const struct tracer_event *one = NULL;
	struct attr_scope sc;
	struct attr_iv iv;
	size_t i;

	attr_sort_ts(ev, n);
	attr_scope_init(sp, ev, n, ctx, &sc);
	for (i = 0; i < n; i++) {
		if (!attr_overlaps(&ev[i], sp) || !attr_event_counts(&ev[i], &sc))
			continue;
		memset(&iv, 0, sizeof(iv));
		if (!attr_classify(&ev[i], ctx, &iv) && ev[i].type != TRACER_EV_ABSENT)
			continue; /* budgets and names: not an event of the window's own */
		if (one)
			return ATTR_CLEAN_NONE;
		one = &ev[i];
	}
	return one ? attr_clean_one(sp, one, ctx, rest_ns) : ATTR_CLEAN_NONE;
}
