/* SPDX-License-Identifier: MIT */
/* report_compare - the report page's --compare section: both sides, the tests, the verdict. */
#ifndef RINGSCOPE_REPORT_COMPARE_H
#define RINGSCOPE_REPORT_COMPARE_H

#include <stdio.h>

struct json_object;

/*
 * report_html_compare - the side-by-side of @cmp (compare_report_build's object, compare.h):
 * per probe in both traces, both sides' figures and cause mix, the tests and the verdict.
 */
void report_html_compare(FILE *f, struct json_object *cmp);

#endif
