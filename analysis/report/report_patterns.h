/* SPDX-License-Identifier: MIT */
/* report_patterns - a probe's patterns on the report page, in labelled tables (us). */
#ifndef RINGSCOPE_REPORT_PATTERNS_H
#define RINGSCOPE_REPORT_PATTERNS_H

#include <stdio.h>

struct json_object;

/*
 * report_patterns_section - the "patterns" of @probe (patterns_report_add) as tables whose
 * columns say what they hold: periodic lines, drifts, modes (us), then the 95% intervals of the
 * percentiles and the lag-1 autocorrelation. Nothing when the probe has no patterns.
 */
void report_patterns_section(FILE *f, struct json_object *probe);

#endif
