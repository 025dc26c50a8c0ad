/* SPDX-License-Identifier: MIT */
/*
 * attribution_iv - the intervals one spike's split works on (private to analysis/attribution/):
 * what each event counts as, at which level, and the sweep that gives every instant of the
 * window to one of them.
 */
#ifndef RINGSCOPE_ATTRIBUTION_IV_H
#define RINGSCOPE_ATTRIBUTION_IV_H

#include <stddef.h>
#include <stdint.h>

#include "analysis/attribution/attribution.h"

/*
 * Overlapping intervals: the lower level wins the time. A silent vCPU beats everything it
 * silenced; an irq inside a syscall is irq time; a late interrupt's delay beats the wait it
 * delayed; the tracer's consumer beats the preemption it caused; inside a page fault, waiting
 * for a CPU (preempted, or woken and not yet run) is scheduling, the sleep before the wakeup
 * (the page being read) the fault's.
 */
enum attr_level {
	ATTR_LVL_ABSENT,
	ATTR_LVL_HARDIRQ,
	ATTR_LVL_SOFTIRQ,
	ATTR_LVL_DELIVERY,
	ATTR_LVL_TRACER,
	ATTR_LVL_SCHED,
	ATTR_LVL_FAULT,
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
	uint8_t part;  /* ATTR_HYPERVISOR: enum attr_hv_part */
};

/*
 * attr_sweep - walk the elementary segments between interval boundaries in time order, with the
 * intervals active there; each segment goes to its top interval's own time, or to @uncovered.
 * Returns 0 or -ENOMEM.
 */
int attr_sweep(struct attr_iv *iv, size_t m, uint64_t wlen, uint64_t *uncovered);

/* attr_pick_keys - the ATTR_KEY_EVENTS events that owned the most time, into @out->key. */
void attr_pick_keys(const struct attr_iv *iv, size_t m, const struct tracer_event *ev,
		    struct attr_spike *out);

/*
 * Task states (the OFFCPU record's prev_state, include/linux/sched.h) in which a thread was
 * held off its CPU by someone else, not asleep for anything of its own: stopped by a signal
 * (__TASK_STOPPED), by a tracer (__TASK_TRACED), or frozen (TASK_FROZEN, Linux 6.1 on).
 */
#define ATTR_TASK_STOPPED 0x0004u
#define ATTR_TASK_TRACED  0x0008u
#define ATTR_TASK_FROZEN  0x8000u
#define ATTR_TASK_HELD	  (ATTR_TASK_STOPPED | ATTR_TASK_TRACED | ATTR_TASK_FROZEN)

/*
 * attr_offcpu_waited - the part [*@start, *@end) of an off-CPU interval with @flags and
 * prev_state @state that waited for a CPU: all of it when preempted or held (stopped, traced,
 * frozen: it waited for someone else, its CPU was taken from it), else from the wakeup @wake on
 * (the sleep before it waited for data). 0 when none of it did (no wakeup seen, or one at its
 * end).
 */
int attr_offcpu_waited(uint8_t flags, uint32_t state, uint64_t wake, uint64_t *start,
		       uint64_t *end);

/*
 * attr_name_runners - for each off-CPU key event of @out, the untraced thread that ran longest on
 * its CPU while it waited inside the window of @sp (RAN records among @ev, sorted by time).
 */
void attr_name_runners(const struct spike *sp, const struct tracer_event *ev, size_t n,
		       struct attr_spike *out);

/* attr_sort_ts - events by start time, then every field: the same order whatever came first. */
void attr_sort_ts(struct tracer_event *ev, size_t n);

/*
 * attr_event_start - where an event's time begins: its record's start, or for an interrupt
 * that was seen sent (IPI) or due (timer), the send or the expiry: its delivery is part of it.
 */
static inline uint64_t attr_event_start(const struct tracer_event *e)
{
	if (e->type == TRACER_EV_IPI && (e->flags & (TRACER_F_IPI_SENT | TRACER_F_TIMER_EXPIRY)) &&
	    e->arg1 < e->ts_ns)
		return e->ts_ns - e->arg1;
	return e->ts_ns;
}

/* attr_event_in - whether @e lies in [start, end) (an instant: starts inside it). */
static inline int attr_event_in(const struct tracer_event *e, uint64_t start, uint64_t end)
{
	if (!e->dur_ns)
		return attr_event_start(e) < end && e->ts_ns >= start;
	return attr_event_start(e) < end && e->ts_ns + e->dur_ns > start;
}

/* attr_has_hypervisor - whether host evidence counts on this platform (not on bare metal). */
static inline int attr_has_hypervisor(const struct attr_ctx *ctx)
{
	return ctx->pf && ctx->pf->hypervisor;
}

/*
 * attr_delivery_iv - an IPI's delivery (from its send) or a timer interrupt's lateness (from
 * its expiry) to its handler's entry, as hypervisor time: on a guest the host delivers
 * interrupts, and nothing of the guest runs in between (unless it had interrupts off). 0: none.
 */
int attr_delivery_iv(const struct tracer_event *e, uint32_t i, const struct attr_ctx *ctx,
		     struct attr_iv *iv);

/*
 * attr_delivery_beyond - of @own ns of interrupt @e's delivery, the part beyond what every
 * delivery costs on this platform (the run's p10, in proportion): ATTR_HV_DELIVERY; the rest
 * is ATTR_HV_DELIVERY_ROUTINE.
 */
uint64_t attr_delivery_beyond(const struct tracer_event *e, const struct attr_ctx *ctx,
			      uint64_t own);

/*
 * attr_host_budgets - the VM-exit proxies (counted into @out->exits) and the steal on the
 * window's CPUs (@counts says which CPUs count) as time budgets: the exits beyond the usual
 * for a normal iteration times the measured exit cost, and the steal prorated onto the window.
 */
void attr_host_budgets(const struct spike *sp, const struct tracer_event *ev, size_t n,
		       const struct attr_ctx *ctx,
		       int (*counts)(const struct tracer_event *, void *), void *arg,
		       unsigned int ncpus, struct attr_spike *out, uint64_t *exits_ns,
		       uint64_t *steal_ns);

#endif
