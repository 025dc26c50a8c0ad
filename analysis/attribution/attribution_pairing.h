/* SPDX-License-Identifier: MIT */
/*
 * attribution_pairing - whether an IPI record's pairing with its send can be true (private to
 * analysis/attribution/). The tracer pairs a send with the target CPU's next handler of its kind
 * (docs/tracer.md, "IPI delivery"); a send that was never delivered as that interrupt left a
 * stamp that a much later handler took: a reschedule "delivered" 39.4 ms after it was sent, ~300
 * idle periods of the target later, counted as 4.8 ms of hypervisor time in a spike. A pairing
 * is refused when, since the send, the target CPU
 * - handled another interrupt of the same kind (it would have taken the send),
 * - went idle and came back (a pending interrupt wakes a sleeping CPU, its handler runs before
 *   the idle exit), or
 * - began two local timer interrupts (an IPI's vector outranks the timer's: pending, it runs
 *   first; one timer may still have raced the send, whose tracepoint fires before the APIC
 *   write).
 * The record then keeps its handler and loses its delivery (flag, latency and sender cleared).
 * The check needs each CPU's records in the order the CPU emitted them, as the ringbuf and the
 * trace file keep them; a record that comes after later ones of its CPU finds no evidence and
 * keeps its pairing (out of order, the check can only refuse less).
 */
#ifndef RINGSCOPE_ATTRIBUTION_PAIRING_H
#define RINGSCOPE_ATTRIBUTION_PAIRING_H

#include "lib/trace/trace_event.h"

struct attr_pairing;

/* attr_pairing_new - no CPU seen yet. NULL: out of memory. */
struct attr_pairing *attr_pairing_new(void);

/*
 * attr_pairing_check - @e as analysis should see it: its pairing removed when it cannot be true
 * (then 1, else 0); @e then counts in its CPU's state.
 */
int attr_pairing_check(struct attr_pairing *p, struct tracer_event *e);

/* attr_pairing_free - release @p (NULL is fine). */
void attr_pairing_free(struct attr_pairing *p);

#endif
