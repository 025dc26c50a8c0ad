/* SPDX-License-Identifier: MIT */
/*
 * trace_latencies - the latencies the statistics read: a probe's good samples (not
 * TRACE_SAMPLE_BAD), sorted, in an array of their own that the caller may reorder.
 */
#ifndef RINGSCOPE_TRACE_LATENCIES_H
#define RINGSCOPE_TRACE_LATENCIES_H

#include <stddef.h>

#include "lib/trace/trace_format.h"

/*
 * trace_good_latencies - the latencies (ns) of the good samples of @s[0..@n), ascending, in a new
 * array (huge pages asked for: a paper-sized probe has millions); *@ngood of them, 0 when none.
 * Returns NULL only when out of memory; the caller frees it.
 */
double *trace_good_latencies(const struct trace_sample *s, size_t n, size_t *ngood);

#endif
