// SPDX-License-Identifier: MIT
/* synth_trace - the synthetic probe unit tests write into trace files (synth_trace.h). */
#include <string.h>

#include "tests/unit/synth_trace.h"

struct json_object *synth_json_add(struct json_object *o, const char *key, struct json_object *v)
{
	json_object_object_add(o, key, v);
	return o;
}

int synth_samples(struct trace_writer *w, uint32_t probe_id)
{
	struct trace_sample s;
	int i, rc = 0;

	for (i = 0; !rc && i < SYNTH_SAMPLES; i++) {
		memset(&s, 0, sizeof(s));
		s.latency_ns = i == SYNTH_SPIKE_AT ? 100000 : 10000 + (uint64_t)(i % 3);
		s.mono_start_ns = SYNTH_T0 + (uint64_t)SYNTH_PERIOD * (uint64_t)i;
		s.mono_end_ns = s.mono_start_ns + s.latency_ns;
		s.iteration = (uint32_t)i;
		rc = trace_writer_add_sample(w, probe_id, &s);
	}
	return rc;
}
