// SPDX-License-Identifier: MIT
/* test_histogram - analyze --hist's log2 buckets on samples with known answers. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include "analysis/analyze/histogram.h"
#include "analysis/model/report_model.h"
#include "lib/trace/trace_format.h"
#include "tests/unit/check.h"

/* test_buckets - the edges: 0 and 1 share bucket 0, 2^k starts bucket k, 2^k - 1 ends k - 1. */
static int test_buckets(void)
{
	CHECK(hist_log2_bucket(0) == 0 && hist_log2_bucket(1) == 0);
	CHECK(hist_log2_bucket(2) == 1 && hist_log2_bucket(3) == 1);
	CHECK(hist_log2_bucket(1023) == 9 && hist_log2_bucket(1024) == 10);
	CHECK(hist_log2_bucket(UINT64_MAX) == HIST_BUCKETS - 1);
	return 0;
}

/* test_counts_json - bad samples left out; the array spans the first to the last full bucket. */
static int test_counts_json(void)
{
	static const uint64_t lat[] = {40, 50, 63, 64, 300, 300, 5000};
	struct trace_sample s[8] = {0};
	uint64_t counts[HIST_BUCKETS] = {0};
	struct json_object *h, *b;
	size_t i;

	for (i = 0; i < 7; i++)
		s[i].latency_ns = lat[i];
	s[7].latency_ns = 1000000;
	s[7].flags = TRACE_SAMPLE_BAD; /* a bad message is no good time: not drawn */
	hist_log2_count(s, 8, counts);
	CHECK(counts[5] == 3 && counts[6] == 1 && counts[8] == 2 && counts[12] == 1);
	CHECK(counts[19] == 0);
	h = hist_log2_json(counts);
	CHECK(h && json_object_array_length(h) == 8); /* buckets 5..12 */
	b = json_object_array_get_idx(h, 0);
	EXPECT(rm_int(b, RK_HIST_LO) == 32 && rm_int(b, RK_HIST_HI) == 63);
	EXPECT(rm_int(b, RK_HIST_COUNT) == 3);
	b = json_object_array_get_idx(h, 2);
	EXPECT(rm_int(b, RK_HIST_LO) == 128 && rm_int(b, RK_HIST_COUNT) == 0);
	b = json_object_array_get_idx(h, 7);
	EXPECT(rm_int(b, RK_HIST_LO) == 4096 && rm_int(b, RK_HIST_COUNT) == 1);
	json_object_put(h);
	return 0;
}

/* test_print - runqlat's layout: the fullest bucket gets the whole bar, a single sample a star. */
static int test_print(void)
{
	uint64_t counts[HIST_BUCKETS] = {0};
	struct json_object *probe = json_object_new_object();
	char *text = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&text, &len);

	CHECK(probe && f);
	counts[5] = 400;
	counts[7] = 1;
	rm_set(probe, RK_PROBE_HISTOGRAM, hist_log2_json(counts));
	hist_print(f, probe);
	fclose(f);
	EXPECT(strstr(text,
		      "32 -> 63         : 400        |****************************************|"));
	EXPECT(strstr(text,
		      "64 -> 127        : 0          |                                        |"));
	EXPECT(strstr(text, "128 -> 255        : 1          |*      "));
	free(text);
	json_object_put(probe);
	return 0;
}

int main(void)
{
	static const struct check_case cases[] = {
	    CHECK_CASE(buckets),
	    CHECK_CASE(counts_json),
	    CHECK_CASE(print),
	};

	return CHECK_RUN(cases);
}
