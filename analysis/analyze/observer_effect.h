/* SPDX-License-Identifier: MIT */
/*
 * observer_effect - what tracing costs each probe measured with traced and untraced runs: the
 * p50 and p99 of both kinds with their 95% intervals, their ratios, and the attribution's
 * "tracer" cause (the consumer's own time in the traced runs' spikes).
 */
#ifndef RINGSCOPE_OBSERVER_EFFECT_H
#define RINGSCOPE_OBSERVER_EFFECT_H

#include <stdio.h>

struct json_object;
struct trace_session;

/*
 * observer_effect_add - the "observer_effect" object of every observed probe of @s (the i-th of
 * @probes is probe i), after the attribution when there is one. Returns 0 or -ENOMEM.
 */
int observer_effect_add(const struct trace_session *s, struct json_object *probes);

/* observer_effect_print - its lines in the analyze text, none when @probe has none. */
void observer_effect_print(FILE *f, struct json_object *probe);

#endif
