/* SPDX-License-Identifier: MIT */
/*
 * report_mechanisms - the report page's mechanism section: each trace's mechanism cost table
 * (the analyze report's "mechanisms"), side by side with --compare, and each compared probe's
 * difference by mechanism (docs/attribution.md, section 10).
 */
#ifndef RINGSCOPE_REPORT_MECHANISMS_H
#define RINGSCOPE_REPORT_MECHANISMS_H

#include <stdio.h>

struct json_object;

/*
 * report_mechanisms_section - the section for @a's report, @b's beside it (NULL: none), and the
 * compare report @cmp's decompositions (NULL: none). Nothing when @a has no table.
 */
void report_mechanisms_section(FILE *f, struct json_object *a, struct json_object *b,
			       struct json_object *cmp);

#endif
