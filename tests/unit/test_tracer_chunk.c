// SPDX-License-Identifier: MIT
/*
 * test_tracer_chunk - the TRACER chunk the runner writes from the tracer's status keeps the
 * layout of docs/trace-format.md, key for key, so that traces written before the tracer
 * returned a struct read the same.
 */
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include "bpf/tracer_loader.h"
#include "runner/recording.h"
#include "tests/unit/check.h"

static const struct tracer_prog_status progs[] = {
    {"raw_syscalls", "sys_enter", ""},
    {"sched", "sched_wakeup", "not needed: sched_waking gives the wakeup time"},
    {"net", "net_dev_queue", "not wanted"},
};
static const uint64_t lost[] = {1, 0, 2};
static const int cpus[] = {0, 2};

/* chunk_text - the chunk of @st as the file holds it (JSON_C_TO_STRING_PLAIN), or NULL. */
static char *chunk_text(const struct tracer_status *st)
{
	struct json_object *o = recording_tracer_json(st, true);
	char *text = o ? strdup(json_object_to_json_string_ext(o, JSON_C_TO_STRING_PLAIN)) : NULL;

	json_object_put(o);
	return text;
}

/* test_lean - every key, the CPUs listed, the counters of lean detail by their event names. */
static int test_lean(void)
{
	struct tracer_status st = {.progs = progs,
				   .nprogs = 3,
				   .events = 82464,
				   .lost = 3,
				   .lost_per_cpu = lost,
				   .nlost_per_cpu = 3,
				   .dropped = 5,
				   .ringbuf_bytes = 16777216,
				   .cpus = cpus,
				   .ncpus = 2,
				   .detail = TRACER_DETAIL_LEAN,
				   .naggregated = TRACER_CNT_AGGREGATED,
				   .absent_threshold_ns = 6000000,
				   .steal_readable = true,
				   .consumer_boosts = 2};
	char *text;
	int i;

	for (i = 0; i < TRACER_CNT_AGGREGATED; i++)
		st.aggregated[i] = 10 * (uint64_t)i;
	text = chunk_text(&st);
	CHECK(text);
	EXPECTF(
	    !strcmp(text,
		    "{\"attached\":[\"raw_syscalls:sys_enter\"],\"skipped\":[{\"name\":\"sched:"
		    "sched_wakeup\",\"why\":\"not needed: sched_waking gives the wakeup time\"},"
		    "{\"name\":\"net:net_dev_queue\",\"why\":\"not wanted\"}],\"events\":82464,"
		    "\"lost_events\":3,\"lost_per_cpu\":[1,0,2],\"dropped_events\":5,"
		    "\"ringbuf_bytes\":16777216,\"cpus\":[0,2],\"detail\":\"lean\","
		    "\"absent_threshold_ns\":6000000,\"steal_readable\":true,\"waker_cpu\":true,"
		    "\"consumer_boosts\":2,"
		    "\"aggregated\":{"
		    "\"msr:write_msr ICR\":0,\"msr:write_msr TSC_DEADLINE\":10,"
		    "\"msr:write_msr FS_BASE\":20},\"final\":true}"),
	    "got %s", text);
	free(text);
	return T_EXIT_PASS;
}

/*
 * test_full_unread - full detail has no "aggregated"; all CPUs are "all"; counters the tracer
 * could not read are empty, as before.
 */
static int test_full_unread(void)
{
	struct tracer_status st = {
	    .progs = progs, .nprogs = 1, .ringbuf_bytes = 4096, .detail = TRACER_DETAIL_FULL};
	char *text = chunk_text(&st);

	CHECK(text);
	EXPECTF(!strcmp(text,
			"{\"attached\":[\"raw_syscalls:sys_enter\"],\"skipped\":[],"
			"\"events\":0,\"lost_events\":0,\"lost_per_cpu\":[],\"dropped_events\":0,"
			"\"ringbuf_bytes\":4096,\"cpus\":\"all\",\"detail\":\"full\","
			"\"absent_threshold_ns\":0,\"steal_readable\":false,\"waker_cpu\":true,"
			"\"consumer_boosts\":0,"
			"\"final\":true}"),
		"got %s", text);
	free(text);
	st.detail = TRACER_DETAIL_LEAN;
	text = chunk_text(&st);
	CHECK(text);
	EXPECTF(strstr(text, "\"consumer_boosts\":0,\"aggregated\":{},\"final\":true}"), "got %s",
		text);
	free(text);
	return T_EXIT_PASS;
}

int main(void)
{
	static const struct check_case cases[] = {
	    CHECK_CASE(lean),
	    CHECK_CASE(full_unread),
	};

	return CHECK_RUN(cases);
}
