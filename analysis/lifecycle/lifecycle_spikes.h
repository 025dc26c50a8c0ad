/* SPDX-License-Identifier: MIT */
/*
 * lifecycle_spikes - for each spike of a ring probe, the part of a hop that grew most over its
 * median: the section's "spikes" (the largest excess first) and "grew_most" (how often each
 * part of each hop was the one).
 */
#ifndef RINGSCOPE_LIFECYCLE_SPIKES_H
#define RINGSCOPE_LIFECYCLE_SPIKES_H

#include <stddef.h>

#include "analysis/lifecycle/lifecycle_split.h"
#include "lib/uring_tag.h"

struct json_object;
struct spikes_opts;

/* Per hop, the medians of its parts, then of its time (index LC_NPARTS). */
typedef double lc_medians[URING_TAG_HOPS][LC_NPARTS + 1];

/*
 * lc_spikes_add - the spikes of @in's samples (found with @so) and the part that grew in each,
 * from the @n splits @sp and the medians @median, into the section @o. Returns 0 or -ENOMEM.
 */
int lc_spikes_add(struct json_object *o, const struct lc_input *in, const struct lc_split *sp,
		  size_t n, const lc_medians median, const struct spikes_opts *so);

#endif
