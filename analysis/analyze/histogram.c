// SPDX-License-Identifier: MIT
/* histogram - a probe's latencies in log2 buckets, built into the report and printed as text. */
#include "analysis/analyze/histogram.h"

#include <errno.h>
#include <string.h>

#include <json-c/json.h>

#include "analysis/model/report_model.h"
#include "lib/trace/trace_reader.h"

/* The widest bar, in characters: runqlat's 40. */
#define HIST_BAR 40

unsigned int hist_log2_bucket(uint64_t ns)
{
	unsigned int k = ns ? 63 - (unsigned int)__builtin_clzll(ns) : 0;

	return k < HIST_BUCKETS ? k : HIST_BUCKETS - 1;
}

void hist_log2_count(const struct trace_sample *s, size_t n, uint64_t counts[HIST_BUCKETS])
{
	size_t i;

	for (i = 0; i < n; i++)
		if (!(s[i].flags & TRACE_SAMPLE_BAD))
			counts[hist_log2_bucket(s[i].latency_ns)]++;
}

/* bucket_json - one bucket: its inclusive bounds and count; NULL when out of memory. */
static struct json_object *bucket_json(unsigned int k, uint64_t count)
{
	struct json_object *b = json_object_new_object();
	uint64_t lo = k ? 1ULL << k : 0, hi = (2ULL << k) - 1;

	if (!b)
		return NULL;
	rm_set_int(b, RK_HIST_LO, (int64_t)lo);
	rm_set_int(b, RK_HIST_HI, (int64_t)hi);
	rm_set_int(b, RK_HIST_COUNT, (int64_t)count);
	return b;
}

struct json_object *hist_log2_json(const uint64_t counts[HIST_BUCKETS])
{
	struct json_object *arr = json_object_new_array(), *b;
	unsigned int first = 0, last = 0, k;
	bool any = false;

	if (!arr)
		return NULL;
	for (k = 0; k < HIST_BUCKETS; k++) {
		if (!counts[k])
			continue;
		first = any ? first : k;
		last = k;
		any = true;
	}
	for (k = first; any && k <= last; k++) {
		b = bucket_json(k, counts[k]);
		if (!b || json_object_array_add(arr, b)) {
			json_object_put(b);
			json_object_put(arr);
			return NULL;
		}
	}
	return arr;
}

int hist_add(const struct trace_session *s, struct json_object *probes)
{
	const struct trace_sample *samples;
	struct json_object *h;
	size_t i, n;

	for (i = 0; i < s->nprobes; i++) {
		uint64_t counts[HIST_BUCKETS] = {0};

		samples = trace_probe_stat_samples(&s->probes[i], &n);
		hist_log2_count(samples, n, counts);
		h = hist_log2_json(counts);
		if (!h)
			return -ENOMEM;
		rm_set(json_object_array_get_idx(probes, i), RK_PROBE_HISTOGRAM, h);
	}
	return 0;
}

/* print_bar - @count's share of @max as up to HIST_BAR stars between bars, as runqlat draws. */
static void print_bar(FILE *f, int64_t count, int64_t max)
{
	int stars = max ? (int)((count * HIST_BAR + max - 1) / max) : 0, i;

	fputc('|', f);
	for (i = 0; i < HIST_BAR; i++)
		fputc(i < stars ? '*' : ' ', f);
	fputs("|\n", f);
}

void hist_print(FILE *f, struct json_object *probe)
{
	struct json_object *h = rm_find(probe, RK_PROBE_HISTOGRAM), *b;
	size_t i, n = h ? json_object_array_length(h) : 0;
	int64_t max = 0;

	if (!h)
		return;
	for (i = 0; i < n; i++)
		if (rm_int(json_object_array_get_idx(h, i), RK_HIST_COUNT) > max)
			max = rm_int(json_object_array_get_idx(h, i), RK_HIST_COUNT);
	fprintf(f, "# latency histogram (log2 buckets)\n%24s : %-10s distribution\n", "nsecs",
		"count");
	for (i = 0; i < n; i++) {
		b = json_object_array_get_idx(h, i);
		fprintf(f, "%10lld -> %-10lld : %-10lld ", (long long)rm_int(b, RK_HIST_LO),
			(long long)rm_int(b, RK_HIST_HI), (long long)rm_int(b, RK_HIST_COUNT));
		print_bar(f, rm_int(b, RK_HIST_COUNT), max);
	}
}
