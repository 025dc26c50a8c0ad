/* SPDX-License-Identifier: MIT */
/*
 * report_compare_tables - the figures of one compared probe on the report page: the verdict and
 * the rule it followed, and both traces' percentiles with their intervals.
 */
#ifndef RINGSCOPE_REPORT_COMPARE_TABLES_H
#define RINGSCOPE_REPORT_COMPARE_TABLES_H

#include <stdio.h>

struct json_object;

/*
 * report_compare_rule - "<p class="cmp-rule">": the verdict of @cp (a probe of the compare
 * report) and the rule that gave it, as the compare model states it ("rule": which run-level
 * effects stayed within the run-to-run spread and which did not).
 */
void report_compare_rule(FILE *f, struct json_object *cp);

/*
 * report_compare_percentiles - "<table class="cmp-pct">": p50, p90, p99 and p99.9 of A and B
 * (the "a" and "b" statistics of @cp) in us, each with its 95% interval from the "confidence"
 * of @pa and @pb (A's and B's probe in their analyze reports; NULL: no interval), B/A, and
 * whether the two intervals are apart (the percentile moved for sure) or overlap.
 */
void report_compare_percentiles(FILE *f, struct json_object *cp, struct json_object *pa,
				struct json_object *pb);

#endif
