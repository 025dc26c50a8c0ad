/* SPDX-License-Identifier: MIT */
/*
 * synth_trace - pieces of the synthetic trace files unit tests write with the real writer: one
 * probe whose samples are 10 us, but for a single 100 us spike, one every 100 us.
 */
#ifndef RS_TEST_SYNTH_TRACE_H
#define RS_TEST_SYNTH_TRACE_H

#include <stdint.h>

#include <json-c/json.h>

#include "lib/trace/trace_writer.h"

#define SYNTH_SAMPLES  200
#define SYNTH_SPIKE_AT 50      /* the one iteration of 100 us among 10 us ones */
#define SYNTH_T0       1000000 /* CLOCK_MONOTONIC of the first sample, ns */
#define SYNTH_PERIOD   100000  /* ns from one sample's start to the next */

/* synth_json_add - add @key: @v to @o, returning @o (chunks built in one expression). */
struct json_object *synth_json_add(struct json_object *o, const char *key, struct json_object *v);

/* synth_samples - the SYNTH_SAMPLES samples of run 0 of probe @probe_id. 0 or -errno. */
int synth_samples(struct trace_writer *w, uint32_t probe_id);

#endif
