/* SPDX-License-Identifier: MIT */
/* report_observer - a probe's observer effect on the report page (traced vs untraced runs). */
#ifndef RINGSCOPE_REPORT_OBSERVER_H
#define RINGSCOPE_REPORT_OBSERVER_H

#include <stdio.h>

struct json_object;

/*
 * report_observer_section - the "observer_effect" of @probe (observer_effect_add) as a small
 * table: per kind of run, runs, samples, p50 and p99 with their 95% intervals; then the ratios
 * and the tracer's own cause. Nothing when the probe has no untraced run beside traced ones.
 */
void report_observer_section(FILE *f, struct json_object *probe);

#endif
