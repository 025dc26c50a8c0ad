/* SPDX-License-Identifier: MIT */
/*
 * report_projection - on the report page, under a compared probe: A projected without the host
 * time its spikes' attribution proved, against B (compare --project's "projection_test").
 */
#ifndef RINGSCOPE_REPORT_PROJECTION_H
#define RINGSCOPE_REPORT_PROJECTION_H

#include <stdio.h>

struct json_object;

/*
 * report_compare_projection - "<table class="cmp-proj">" of @cp (a probe of the compare report):
 * per p50, p99, p99.9 A as measured, A projected with its 95% interval, B's figure, the
 * projection less B with its 99% interval, whether it matches, and for a quantile that does not
 * the mechanism that makes most of the difference; nothing when @cp has no projection.
 */
void report_compare_projection(FILE *f, struct json_object *cp);

#endif
