/* SPDX-License-Identifier: MIT */
/*
 * analyze_path - the critical path of each probe's iterations for its projection, from what the
 * analysis's one pass over the events kept: the ring's hops (the lifecycle collector) or a
 * single-thread probe's windows, and the session's absences and deliveries (the mechanism
 * session). docs/attribution.md, "A host-free projection".
 */
#ifndef RINGSCOPE_ANALYZE_PATH_H
#define RINGSCOPE_ANALYZE_PATH_H

#include <stddef.h>

#include "analysis/attribution/projection_path.h"

struct lc_events;
struct mech_session;
struct trace_session;

/* analyze_path - what the hook reads, and the waits it made last. */
struct analyze_path {
	const struct trace_session *s;
	const struct mech_session *mech;
	struct lc_events *lc; /* NULL: no traced ring */
	struct proj_wait *waits;
};

/*
 * analyze_path_of - attr_report_opts.path_of for @ctx (a struct analyze_path): probe @k's waits
 * (a ring's hops, a single-thread probe's windows; none for the others) and the host intervals
 * into @path. 0 or -ENOMEM.
 */
int analyze_path_of(void *ctx, size_t k, struct proj_path *path);

/* analyze_path_free - release the waits @ap made last. */
void analyze_path_free(struct analyze_path *ap);

#endif
