/* SPDX-License-Identifier: MIT */
/*
 * lifecycle - the "lifecycle" section of an io_uring ring probe: each hop's time and its parts
 * (issue, in flight, ready but not consumed, reap) at p50 and p99 with 95% intervals, the CPUs
 * that made its data ready, and for each spike the part of a hop that grew most
 * (docs/attribution.md, "Where a hop's time goes").
 */
#ifndef RINGSCOPE_LIFECYCLE_H
#define RINGSCOPE_LIFECYCLE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

struct json_object;
struct lc_split;
struct spikes_opts;
struct trace_probe;
struct trace_session;

/* How many spikes the section lists, the largest excess first. */
#define LC_TOP_SPIKES 5

struct lc_events;
struct tracer_event;

/*
 * lifecycle_collector - what the analysis's one pass over the events must keep for the
 * sections of @s, into *@out (NULL when no probe of @s is a traced ring). 0 or -ENOMEM.
 */
int lifecycle_collector(const struct trace_session *s, struct lc_events **out);

/* lifecycle_collect - an on_events callback that keeps what @ctx (a collector) needs. */
int lifecycle_collect(void *ctx, const struct tracer_event *ev, size_t n);

/*
 * lifecycle_report_add - the section into each probe of @probes (the analyze report's, in the
 * session's order) that is a ring the collector @ev kept requests or syscalls of; spikes found
 * with @o. Frees @ev (NULL: nothing to do). Returns 0 or -errno with @err set.
 */
int lifecycle_report_add(const struct trace_session *s, struct lc_events *ev,
			 const struct spikes_opts *o, struct json_object *probes, char *err,
			 size_t errlen);

/*
 * lifecycle_probe_split - the hops of ring probe @p split from what the collector @ev kept (the
 * section's splits), into *@sp (malloc'd; NULL and *@n 0 when @p is no ring or @ev kept nothing
 * of it); *@asleep: whether its receivers sleep until their data comes (not busy polling).
 * 0, -EINVAL or -ENOMEM.
 */
int lifecycle_probe_split(const struct trace_probe *p, struct lc_events *ev, struct lc_split **sp,
			  size_t *n, bool *asleep);

/* lifecycle_discard - free a collector whose pass failed (NULL is fine). */
void lifecycle_discard(struct lc_events *ev);

/* lifecycle_print_text - @probe's section as a table; nothing when it has none. */
void lifecycle_print_text(FILE *f, struct json_object *probe);

#endif
