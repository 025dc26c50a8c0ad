/* SPDX-License-Identifier: MIT */
/*
 * lifecycle - the "lifecycle" section of an io_uring ring probe: each hop's time and its parts
 * (issue, in flight, ready but not consumed, reap) at p50 and p99 with 95% intervals, the CPUs
 * that made its data ready, and for each spike the part of a hop that grew most
 * (docs/attribution.md, "Where a hop's time goes").
 */
#ifndef RINGSCOPE_LIFECYCLE_H
#define RINGSCOPE_LIFECYCLE_H

#include <stddef.h>
#include <stdio.h>

struct json_object;
struct spikes_opts;
struct trace_session;

/* How many spikes the section lists, the largest excess first. */
#define LC_TOP_SPIKES 5

/*
 * lifecycle_report_add - the section into each probe of @probes (the analyze report's, in the
 * session's order) that is an io_uring ring with IOURING_REQ records; spikes found with @o. One
 * pass over the events, only when such a probe exists. Returns 0 or -errno with @err set.
 */
int lifecycle_report_add(const struct trace_session *s, const struct spikes_opts *o,
			 struct json_object *probes, char *err, size_t errlen);

/* lifecycle_print_text - @probe's section as a table; nothing when it has none. */
void lifecycle_print_text(FILE *f, struct json_object *probe);

#endif
