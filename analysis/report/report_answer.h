/* SPDX-License-Identifier: MIT */
/* report_answer - the report's first section: what the trace says, before how it was measured. */
#ifndef RINGSCOPE_REPORT_ANSWER_H
#define RINGSCOPE_REPORT_ANSWER_H

#include <stdio.h>

struct json_object;

/*
 * report_html_answer - the opening section of the page (id "answer"): per probe of @report its
 * p50, p99 and p99.9 with their 95% intervals and its spike count, and the verdict of @cmp
 * (compare_report_build's object; NULL without --compare) for it; then per probe the share of
 * each cause in its spikes' excess with the number of spikes each dominates; then its largest
 * spikes, one line each.
 */
void report_html_answer(FILE *f, struct json_object *report, struct json_object *cmp);

#endif
