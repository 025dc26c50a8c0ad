// SPDX-License-Identifier: MIT
/*
 * mechanisms_stream - kernel events to mechanism intervals. Most are one record each (an
 * absence, a delivery, a wakeup); a page fault and a context switch's way back need the
 * thread's next record, so each thread keeps a little state: its open fault, its latest
 * switch-in after a sleep.
 */
#include <errno.h>
#include <stdlib.h>

#include "analysis/attribution/attribution_pairing.h"
#include "analysis/attribution/mechanisms.h"

/*
 * A fault is closed by the thread's next syscall or fault: the time between includes the user
 * work after it, so a gap longer than this says nothing about the fault and is dropped.
 */
#define MECH_FAULT_MAX_NS 1000000ULL

/* mech_thread - what one thread's next record needs. */
struct mech_thread {
	uint32_t tid; /* 0: a free slot */
	uint16_t fault_cpu;
	uint64_t fault_ts;	/* its open page fault (0: none) */
	uint64_t off_ts, in_ts; /* its latest sleep: switched out, back on (0: none) */
	uint16_t in_cpu;
};

struct mech_stream {
	const struct arch *arch;
	bool waker_cpu;
	struct attr_pairing *pairing;
	struct mech_thread *t; /* open addressing by tid */
	size_t cap, used;
};

int mech_stream_new(const struct arch *arch, bool waker_cpu, struct mech_stream **out)
{
	struct mech_stream *m;

	if (!arch || !out)
		return -EINVAL;
	m = calloc(1, sizeof(*m));
	if (!m)
		return -ENOMEM;
	m->arch = arch;
	m->waker_cpu = waker_cpu;
	m->cap = 1024;
	m->t = calloc(m->cap, sizeof(*m->t));
	m->pairing = attr_pairing_new();
	if (!m->t || !m->pairing) {
		mech_stream_free(m);
		return -ENOMEM;
	}
	*out = m;
	return 0;
}

void mech_stream_free(struct mech_stream *m)
{
	if (!m)
		return;
	attr_pairing_free(m->pairing);
	free(m->t);
	free(m);
}

/* mech_slot - where @tid is in @t (cap a power of two), or the free slot it would take. */
static struct mech_thread *mech_slot(struct mech_thread *t, size_t cap, uint32_t tid)
{
	size_t i = (tid * 2654435761u) & (cap - 1);

	while (t[i].tid && t[i].tid != tid)
		i = (i + 1) & (cap - 1);
	return &t[i];
}

/* mech_grow - twice the slots, every thread moved. 0 or -ENOMEM. */
static int mech_grow(struct mech_stream *m)
{
	struct mech_thread *t = calloc(2 * m->cap, sizeof(*t));
	size_t i;

	if (!t)
		return -ENOMEM;
	for (i = 0; i < m->cap; i++)
		if (m->t[i].tid)
			*mech_slot(t, 2 * m->cap, m->t[i].tid) = m->t[i];
	free(m->t);
	m->t = t;
	m->cap *= 2;
	return 0;
}

/* mech_thread_of - @tid's state, made on first use. NULL: out of memory. */
static struct mech_thread *mech_thread_of(struct mech_stream *m, uint32_t tid)
{
	struct mech_thread *th;

	if (4 * (m->used + 1) > 3 * m->cap && mech_grow(m))
		return NULL;
	th = mech_slot(m->t, m->cap, tid);
	if (!th->tid) {
		th->tid = tid;
		m->used++;
	}
	return th;
}

/* mech_out - one interval to @emit, when it has a length. */
static int mech_out(mech_emit emit, void *arg, enum mech_kind kind, uint64_t start, uint64_t end,
		    uint16_t cpu)
{
	struct mech_iv iv = {.start = start, .end = end, .cpu = cpu, .kind = (uint8_t)kind};

	return end > start ? emit(arg, &iv) : 0;
}

/*
 * mech_offcpu - a sleep that ended: its wakeup to running, on the same or another CPU than the
 * waker's; and the switch-in, which the thread's syscall return then measures from.
 */
static int mech_offcpu(struct mech_stream *m, struct mech_thread *th, const struct tracer_event *e,
		       mech_emit emit, void *arg)
{
	uint64_t in = e->ts_ns + e->dur_ns;
	enum mech_kind kind;

	if (e->flags & TRACER_F_PREEMPTED)
		return 0;
	th->off_ts = e->ts_ns;
	th->in_ts = in;
	th->in_cpu = e->cpu;
	if (!m->waker_cpu || !e->arg0 || e->arg0 >= in)
		return 0;
	kind = e->flags & TRACER_F_WAKE_REMOTE ? MECH_WAKEUP_CROSS : MECH_WAKEUP_SAME;
	return mech_out(emit, arg, kind, e->arg0, in, e->cpu);
}

/*
 * mech_syscall - a syscall closes the thread's open fault (user work between is in it, up to
 * MECH_FAULT_MAX_NS), and if it slept in it and is no network or io_uring wait (whose way back
 * runs the I/O's completion), the time from its switch-in to its return is a context switch's.
 */
static int mech_syscall(struct mech_stream *m, struct mech_thread *th, const struct tracer_event *e,
			mech_emit emit, void *arg)
{
	uint64_t end = e->ts_ns + e->dur_ns;
	int io, rc = 0;

	if (th->fault_ts && e->ts_ns > th->fault_ts && e->ts_ns - th->fault_ts <= MECH_FAULT_MAX_NS)
		rc = mech_out(emit, arg, MECH_PAGE_FAULT, th->fault_ts, e->ts_ns, th->fault_cpu);
	th->fault_ts = 0;
	io = (e->flags & TRACER_F_FD_SOCKET) ||
	     (arch_syscall_class(m->arch, e->arg0) & ARCH_SC_RING_ENTER);
	if (!rc && th->in_ts && !io && e->ts_ns <= th->off_ts && end >= th->in_ts)
		rc = mech_out(emit, arg, MECH_CONTEXT_SWITCH, th->in_ts, end, th->in_cpu);
	th->in_ts = 0;
	return rc;
}

/* mech_fault - a fault closes the previous one and opens its own. */
static int mech_fault(struct mech_thread *th, const struct tracer_event *e, mech_emit emit,
		      void *arg)
{
	int rc = 0;

	if (th->fault_ts && e->ts_ns > th->fault_ts && e->ts_ns - th->fault_ts <= MECH_FAULT_MAX_NS)
		rc = mech_out(emit, arg, MECH_PAGE_FAULT, th->fault_ts, e->ts_ns, th->fault_cpu);
	th->fault_ts = e->ts_ns;
	th->fault_cpu = e->cpu;
	return rc;
}

/* mech_thread_event - the records about a thread. 0, -ENOMEM, @emit's error. */
static int mech_thread_event(struct mech_stream *m, const struct tracer_event *e, mech_emit emit,
			     void *arg)
{
	struct mech_thread *th = mech_thread_of(m, e->tid);

	if (!th)
		return -ENOMEM;
	if (e->type == TRACER_EV_OFFCPU)
		return mech_offcpu(m, th, e, emit, arg);
	if (e->type == TRACER_EV_SYSCALL)
		return mech_syscall(m, th, e, emit, arg);
	return mech_fault(th, e, emit, arg);
}

/* mech_one - what one event (its pairing checked) stands for. */
static int mech_one(struct mech_stream *m, const struct tracer_event *e, mech_emit emit, void *arg)
{
	switch (e->type) {
	case TRACER_EV_ABSENT:
		return mech_out(emit, arg, MECH_ABSENCE, e->ts_ns, e->ts_ns + e->dur_ns, e->cpu);
	case TRACER_EV_IPI:
		if (!e->arg1 || e->arg1 > e->ts_ns)
			return 0;
		if (e->flags & TRACER_F_IPI_SENT)
			return mech_out(emit, arg, MECH_IRQ_DELIVERY, e->ts_ns - e->arg1, e->ts_ns,
					e->cpu);
		if (e->flags & TRACER_F_TIMER_EXPIRY)
			return mech_out(emit, arg, MECH_TIMER_LATENESS, e->ts_ns - e->arg1,
					e->ts_ns, e->cpu);
		return 0;
	case TRACER_EV_OFFCPU:
	case TRACER_EV_SYSCALL:
	case TRACER_EV_PAGE_FAULT:
		return e->tid ? mech_thread_event(m, e, emit, arg) : 0;
	default:
		return 0;
	}
}

int mech_stream_add(struct mech_stream *m, const struct tracer_event *ev, size_t n, mech_emit emit,
		    void *arg)
{
	struct tracer_event e;
	size_t i;
	int rc;

	for (i = 0; i < n; i++) {
		e = ev[i];
		attr_pairing_check(m->pairing, &e);
		rc = mech_one(m, &e, emit, arg);
		if (rc)
			return rc;
	}
	return 0;
}
