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
struct mech_session;
struct trace_probe;
struct trace_session;

/*
 * lifecycle_path_of - the waits of splits @sp (@n of them): each hop's ready part on its
 * receiver's CPU, deliveries to that CPU counted when the receiver slept (@asleep), not when
 * it spun. Hops without a ready part or a known CPU give none. *@out malloc'd (NULL when none).
 * 0 or -ENOMEM.
 */
int lifecycle_path_of(const struct lc_split *sp, size_t n, bool asleep, struct proj_wait **out,
		      size_t *nout);

/*
 * lifecycle_path_waits - the waits of probe @p's traced iterations: a single-thread probe's
 * windows (projection_path_windows()), a ring's hops split from what the collector @ev (NULL:
 * none) kept (lifecycle_path_of()); none for the others. 0, -EINVAL or -ENOMEM.
 */
int lifecycle_path_waits(const struct trace_probe *p, struct lc_events *ev, struct proj_wait **out,
			 size_t *nout);

/*
 * lc_path_hook - what attr_report_opts.path_of reads after the events pass of session @s: the
 * lifecycle collector @lc (NULL: no traced ring) and the mechanism session @mech (its absences
 * and deliveries); and the waits it made last.
 */
struct lc_path_hook {
	const struct trace_session *s;
	const struct mech_session *mech;
	struct lc_events *lc;
	struct proj_wait *waits;
};

/*
 * lifecycle_path_hook - attr_report_opts.path_of for @ctx (a struct lc_path_hook): probe @k's
 * waits (lifecycle_path_waits()) and the session's host intervals into @path. 0, -EINVAL or
 * -ENOMEM.
 */
int lifecycle_path_hook(void *ctx, size_t k, struct proj_path *path);

/* lifecycle_path_hook_free - release the waits @h made last. */
void lifecycle_path_hook_free(struct lc_path_hook *h);

#endif
