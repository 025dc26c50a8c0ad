/* SPDX-License-Identifier: MIT */
/* report_spikes - a probe's spikes on the report page: stacked cause bars, event timelines. */
#ifndef RINGSCOPE_REPORT_SPIKES_H
#define RINGSCOPE_REPORT_SPIKES_H

#include <stdio.h>

struct json_object;

/*
 * report_spikes_section - a probe's spikes: detection line, the excess of all spikes by cause
 * as a stacked bar, then each top spike with its stacked cause bar and an SVG timeline of its
 * key events over the spike window. Nothing when the probe has no "spikes".
 */
void report_spikes_section(FILE *f, struct json_object *probe);

/*
 * report_cause_shares - "scheduling 99% network 1% ": the causes of @causes ({cause: ns}) with
 * at least 0.5% of their total, as shares of it, largest first.
 */
void report_cause_shares(FILE *f, struct json_object *causes);

/* report_attribution_bar - a stacked bar of an "attribution" object's excess per cause. */
void report_attribution_bar(FILE *f, struct json_object *attribution);

#endif
