/* SPDX-License-Identifier: MIT */
/*
 * lifecycle_path - a ring's critical path for the host-free projection: each hop's "ready, not
 * consumed" part is the wait for its receiver to run, on the receiver's CPU
 * (docs/attribution.md, "A host-free projection").
 */
#ifndef RINGSCOPE_LIFECYCLE_PATH_H
#define RINGSCOPE_LIFECYCLE_PATH_H

#include <stdbool.h>
#include <stddef.h>

#include "analysis/attribution/projection_path.h"

struct lc_events;
struct lc_split;
struct trace_probe;

/*
 * lifecycle_path_of - the waits of splits @sp (@n of them): each hop's ready part on its
 * receiver's CPU, deliveries to that CPU counted when the receiver slept (@asleep), not when
 * it spun. Hops without a ready part or a known CPU give none. *@out malloc'd (NULL when none).
 * 0 or -ENOMEM.
 */
int lifecycle_path_of(const struct lc_split *sp, size_t n, bool asleep, struct proj_wait **out,
		      size_t *nout);

/*
 * lifecycle_path_waits - lifecycle_path_of() of ring probe @p's hops split from what the
 * collector @ev kept (none when @p is no ring). 0, -EINVAL or -ENOMEM.
 */
int lifecycle_path_waits(const struct trace_probe *p, struct lc_events *ev, struct proj_wait **out,
			 size_t *nout);

#endif
