/* SPDX-License-Identifier: MIT */
/*
 * histogram - `analyze --hist`: a probe's latencies in log2 buckets, as runqlat and rtla hist
 * print them, so the shape of the tail shows at a glance in a terminal.
 */
#ifndef RINGSCOPE_HISTOGRAM_H
#define RINGSCOPE_HISTOGRAM_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

struct json_object;
struct trace_sample;
struct trace_session;

/* HIST_BUCKETS - bucket k holds [2^k, 2^(k+1)) ns, bucket 0 also 0 ns: up to ~18 hours. */
#define HIST_BUCKETS 47

/* hist_log2_bucket - the bucket of a latency of @ns nanoseconds. */
unsigned int hist_log2_bucket(uint64_t ns);

/* hist_log2_count - add the good samples (not bad messages) of @s[0..n) into @counts. */
void hist_log2_count(const struct trace_sample *s, size_t n, uint64_t counts[HIST_BUCKETS]);

/*
 * hist_log2_json - the buckets from the first to the last that holds a sample, each
 * {"lo_ns", "hi_ns", "count"} (hi inclusive); an empty array when none does. NULL: no memory.
 */
struct json_object *hist_log2_json(const uint64_t counts[HIST_BUCKETS]);

/*
 * hist_add - the "histogram_log2" of every probe of @s (the i-th of @probes is probe i), of the
 * good samples its statistics read. Returns 0 or -ENOMEM.
 */
int hist_add(const struct trace_session *s, struct json_object *probes);

/* hist_print - the histogram lines in the analyze text, none when @probe has none. */
void hist_print(FILE *f, struct json_object *probe);

#endif
