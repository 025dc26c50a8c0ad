/* SPDX-License-Identifier: MIT */
/* report_spike_causes - a probe's spikes by cause: how many each dominates and how much excess. */
#ifndef RINGSCOPE_REPORT_SPIKE_CAUSES_H
#define RINGSCOPE_REPORT_SPIKE_CAUSES_H

#include <stdio.h>

struct json_object;

/*
 * report_spike_causes - a table of the causes of @attribution (attr_causes_json: per cause the
 * spikes it dominates and its excess over all spikes) with a share of each, then a sentence
 * when the cause of most spikes is not the cause of most excess (a few long spikes of one
 * cause outweigh many short ones of another: both are true and both are said).
 */
void report_spike_causes(FILE *f, struct json_object *attribution);

#endif
