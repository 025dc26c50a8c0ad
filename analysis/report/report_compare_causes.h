/* SPDX-License-Identifier: MIT */
/* report_compare_causes - how the causes of a compared probe's spikes moved from A to B. */
#ifndef RINGSCOPE_REPORT_COMPARE_CAUSES_H
#define RINGSCOPE_REPORT_COMPARE_CAUSES_H

#include <stdio.h>

struct json_object;

/*
 * report_compare_causes - "<table class="cmp-causes">": per cause the spikes and share of the
 * spikes' excess in A and in B (the "attribution" of @cp), the change of share in percentage
 * points and the excess per 1000 iterations of each (their good samples: the spike detection of
 * @pa and @pb), the cause that grew most first; then one sentence naming it. A side without
 * attribution (an untraced trace) or without spikes is said so instead.
 */
void report_compare_causes(FILE *f, struct json_object *cp, struct json_object *pa,
			   struct json_object *pb);

#endif
