/* SPDX-License-Identifier: MIT */
/*
 * patterns_render - the patterns and confidence sections of the analyze report: what
 * patterns_find() says of each probe, as json-c objects and as text.
 */
#ifndef RINGSCOPE_PATTERNS_RENDER_H
#define RINGSCOPE_PATTERNS_RENDER_H

#include <stddef.h>
#include <stdio.h>

#include "analysis/patterns/patterns.h"

struct json_object;
struct trace_session;

/* patterns_ci_json - [lo, hi] of @ci in ns (null for a side the samples cannot bound). */
struct json_object *patterns_ci_json(const struct patterns_ci *ci);

/*
 * patterns_json - patterns_find() then patterns_to_json(): the patterns of one probe as new
 * json-c objects (the caller puts them). Returns 0, -EINVAL, -ENOMEM.
 */
int patterns_json(const struct trace_sample *s, size_t n, const struct patterns_opts *o,
		  struct json_object **patterns, struct json_object **confidence);

/*
 * patterns_report_opts - the defaults with @spikes, the modes at the resolution of @s's
 * calibration (its measured tsc_step_ns) when the file has one.
 */
void patterns_report_opts(const struct trace_session *s, const struct spikes_opts *spikes,
			  struct patterns_opts *o);

/*
 * patterns_report_add - "patterns" and "confidence" (patterns_to_json) for every probe of @s
 * into its object in @probes (index i is s->probes[i]), the spikes found with @spikes and the
 * modes at the resolution of the file's calibration (tsc_step_ns). Returns 0 or -ENOMEM.
 */
int patterns_report_add(const struct trace_session *s, const struct spikes_opts *spikes,
			struct json_object *probes);

/* patterns_print_text - the "patterns" and "confidence" a probe object carries, if any. */
void patterns_print_text(FILE *f, struct json_object *probe);

#endif
