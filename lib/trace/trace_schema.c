// SPDX-License-Identifier: MIT
/* trace_schema - every key a writer puts in a JSON chunk, with the types the format allows. */
#include "lib/trace/trace_schema.h"

#include <errno.h>
#include <json-c/json.h>
#include <stdio.h>
#include <string.h>

#include "lib/trace/trace_format.h"

enum {
	T_NULL = 1 << 0,
	T_BOOL = 1 << 1,
	T_INT = 1 << 2,
	T_DOUBLE = 1 << 3,
	T_STRING = 1 << 4,
	T_ARRAY = 1 << 5,
	T_OBJECT = 1 << 6,
	T_NUMBER = T_INT | T_DOUBLE, /* a double written as "2419200000" reads back as an int */
};

struct schema_obj;

/* One key: the types its value may have; an object's keys; an array's item types and keys. */
struct schema_key {
	const char *name;
	unsigned int types;
	const struct schema_obj *obj; /* keys of an object value, or of each object item */
	unsigned int items;	      /* types of an array value's items */
};

struct schema_obj {
	const struct schema_key *keys;
	size_t n;
};

#define OBJ(keys)                                                                                  \
	{                                                                                          \
		keys, sizeof(keys) / sizeof(keys[0])                                               \
	}
#define K(n, t)                                                                                    \
	{                                                                                          \
		.name = (n), .types = (t)                                                          \
	}
#define KO(n, t, o)                                                                                \
	{                                                                                          \
		.name = (n), .types = (t), .obj = (o)                                              \
	} /* an object's keys */
#define KA(n, t, i, o)                                                                             \
	{                                                                                          \
		.name = (n), .types = (t), .obj = (o), .items = (i)                                \
	} /* an array's items */

static const struct schema_key session_keys[] = {
    K("tool", T_STRING),       K("command", T_STRING),	  KA("argv", T_ARRAY, T_STRING, NULL),
    K("start_time", T_STRING), K("start_mono_ns", T_INT), K("host", T_STRING),
    K("pid", T_INT),
};

static const struct schema_key tsc_flags_keys[] = {
    K("constant", T_BOOL), K("nonstop", T_BOOL),	 K("known_freq", T_BOOL),
    K("reliable", T_BOOL), K("cpuid_invariant", T_BOOL), K("cpuid_rdtscp", T_BOOL),
};
static const struct schema_obj tsc_flags = OBJ(tsc_flags_keys);

static const struct schema_key skew_keys[] = {
    K("cpu_a", T_INT),	     K("cpu_b", T_INT),		K("skew_ns", T_NUMBER),
    K("bound_ns", T_NUMBER), K("rtt_min_ns", T_NUMBER), K("rtt_median_ns", T_NUMBER),
};
static const struct schema_obj skew = OBJ(skew_keys);

static const struct schema_key calibration_keys[] = {
    K("tsc_hz", T_NUMBER),	   K("tsc_hz_err", T_NUMBER),
    K("tsc_step_ticks", T_NUMBER), K("tsc_step_ns", T_NUMBER),
    K("stamp_cost_ns", T_NUMBER),  K("kernel_tsc_khz", T_NUMBER | T_NULL),
};
static const struct schema_obj calibration = OBJ(calibration_keys);

/* doctor's "platform": a fact it could not read is null, and "<key>_error" says why */
static const struct schema_key platform_keys[] = {
    K("hypervisor", T_STRING | T_NULL),
    K("hypervisor_max_leaf", T_STRING),
    K("clocksource", T_STRING | T_NULL),
    K("clocksource_error", T_STRING),
    KA("clocksources_available", T_ARRAY, T_STRING, NULL),
    KO("tsc_flags", T_OBJECT | T_NULL, &tsc_flags),
    K("tsc_flags_error", T_STRING),
    K("tsc_khz", T_NUMBER | T_NULL),
    K("tsc_skew_ns", T_NUMBER | T_NULL),
    K("tsc_skew_ns_error", T_STRING),
    K("tsc_skew_bound_ns", T_NUMBER | T_NULL),
    KA("tsc_skew", T_ARRAY, T_OBJECT, &skew),
    K("kernel", T_STRING | T_NULL),
    K("kernel_error", T_STRING),
    K("arch", T_STRING),
    K("cpu_model", T_STRING | T_NULL),
    K("cpus", T_INT),
    K("numa_nodes", T_INT),
    KO("calibration", T_OBJECT | T_NULL, &calibration),
};

static const struct schema_key member_keys[] = {
    K("member", T_INT), K("addr", T_STRING),  K("port", T_INT),
    K("cpu", T_INT),	K("netns", T_STRING), K("prefix", T_STRING),
};
static const struct schema_obj member = OBJ(member_keys);

static const struct schema_key config_keys[] = {
    K("runs", T_INT),
    K("iterations", T_INT),
    K("warmup", T_INT),
    K("interval_ns", T_INT),
    K("keep_ring", T_BOOL),
    KA("cpus", T_ARRAY, T_INT, NULL),
    K("text", T_STRING),
    K("sink", T_STRING),
    K("stdio_buffer", T_INT),
    K("hops", T_INT),
    K("msg_size", T_INT),
    K("io", T_STRING),
    K("connect", T_STRING),
    K("reply", T_STRING),
    K("domains", T_STRING),
    K("timeout_ms", T_INT),
    K("max_restarts", T_INT),
    K("url", T_STRING),
    KA("topology", T_ARRAY, T_OBJECT, &member),
};
static const struct schema_obj config = OBJ(config_keys);

static const struct schema_key probe_keys[] = {
    K("probe_id", T_INT),
    K("probe", T_STRING),
    KO("config", T_OBJECT, &config),
    K("timed_tid", T_INT),
};

static const struct schema_key placement_keys[] = {
    K("cpu_a", T_INT),
    K("cpu_b", T_INT),
    K("rtt_ns", T_NUMBER | T_NULL),
};
static const struct schema_obj placement = OBJ(placement_keys);

static const struct schema_key lost_keys[] = {
    K("run", T_INT),
    K("iteration", T_INT),
    K("warmup", T_BOOL),
};
static const struct schema_obj lost = OBJ(lost_keys);

static const struct schema_key hop_keys[] = {
    K("from", T_INT),
    K("to", T_INT),
    K("wire_p50_ns", T_NUMBER | T_NULL),
    K("wire_p99_ns", T_NUMBER | T_NULL),
    K("residence_p50_ns", T_NUMBER | T_NULL),
    K("residence_p99_ns", T_NUMBER | T_NULL),
};
static const struct schema_obj hop = OBJ(hop_keys);

/* RUN and PROBE_END: the counts of a run or of the whole probe */
static const struct schema_key run_keys[] = {
    K("probe_id", T_INT),
    K("run", T_INT),
    K("runs", T_INT),
    K("status", T_STRING),
    K("samples", T_INT),
    K("bad_messages", T_INT),
    K("late", T_INT),
    K("lost", T_INT),
    K("start_mono_ns", T_INT),
    K("end_mono_ns", T_INT),
    K("p50_ns", T_NUMBER | T_NULL),
    K("p99_ns", T_NUMBER | T_NULL),
    K("max_ns", T_NUMBER | T_NULL),
    KO("placement", T_OBJECT, &placement),
    K("error", T_STRING),
    K("restarts", T_INT),
    KA("lost_iterations", T_ARRAY, T_OBJECT, &lost),
    KA("hops", T_ARRAY, T_OBJECT, &hop),
};

static const struct schema_key skipped_keys[] = {
    K("name", T_STRING),
    K("why", T_STRING),
};
static const struct schema_obj skipped = OBJ(skipped_keys);

static const struct schema_key lost_events_keys[] = {
    K("total", T_INT), /* an object in traces from before the count was one number */
};
static const struct schema_obj lost_events = OBJ(lost_events_keys);

static const struct schema_key tracer_keys[] = {
    KA("attached", T_ARRAY, T_STRING, NULL),
    KA("skipped", T_ARRAY, T_OBJECT, &skipped),
    K("events", T_INT),
    KO("lost_events", T_INT | T_OBJECT, &lost_events),
    KA("lost_per_cpu", T_ARRAY, T_INT, NULL),
    K("dropped_events", T_INT),
    K("ringbuf_bytes", T_INT),
    KA("cpus", T_ARRAY | T_STRING, T_INT, NULL), /* the CPUs, or "all" */
    K("detail", T_STRING),
    K("absent_threshold_ns", T_INT),
    K("steal_readable", T_BOOL),
    K("consumer_boosts", T_INT),
    K("aggregated", T_OBJECT),
    K("final", T_BOOL),
};

static const struct schema_key end_keys[] = {
    K("status", T_STRING),
    K("error", T_STRING),
    K("signal", T_STRING),
    K("end_mono_ns", T_INT),
};

static const struct schema_obj chunks[] = {
    [TRACE_CHUNK_SESSION] = OBJ(session_keys), [TRACE_CHUNK_PLATFORM] = OBJ(platform_keys),
    [TRACE_CHUNK_PROBE] = OBJ(probe_keys),     [TRACE_CHUNK_RUN] = OBJ(run_keys),
    [TRACE_CHUNK_PROBE_END] = OBJ(run_keys),   [TRACE_CHUNK_TRACER] = OBJ(tracer_keys),
    [TRACE_CHUNK_END] = OBJ(end_keys),
};

/* type_bit - the T_* of @v. */
static unsigned int type_bit(struct json_object *v)
{
	switch (json_object_get_type(v)) {
	case json_type_null:
		return T_NULL;
	case json_type_boolean:
		return T_BOOL;
	case json_type_int:
		return T_INT;
	case json_type_double:
		return T_DOUBLE;
	case json_type_string:
		return T_STRING;
	case json_type_array:
		return T_ARRAY;
	default:
		return T_OBJECT;
	}
}

/* types_text - "an integer or null" for the T_* bits of @types. */
static const char *types_text(unsigned int types, char *buf, size_t len)
{
	static const char *const names[] = {"null",	"a boolean", "an integer", "a number",
					    "a string", "an array",  "an object"};
	size_t at = 0;

	buf[0] = '\0';
	if ((types & T_NUMBER) == T_NUMBER)
		types &= ~T_INT; /* "a number" says it */
	for (unsigned int i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		if (!(types & (1u << i)) || at >= len)
			continue;
		at += (size_t)snprintf(buf + at, len - at, "%s%s", at ? " or " : "", names[i]);
	}
	return buf;
}

static int check_object(struct json_object *obj, const struct schema_obj *s, const char *path,
			char *why, size_t len);

/* check_value - @v, found at @path, against @k. */
static int check_value(struct json_object *v, const struct schema_key *k, const char *path,
		       char *why, size_t len)
{
	char want[64], got[64], item[160];
	size_t i, n;

	if (!(type_bit(v) & k->types)) {
		snprintf(why, len, "\"%s\" is %s, not %s", path, types_text(type_bit(v), got, 64),
			 types_text(k->types, want, sizeof(want)));
		return -EBADMSG;
	}
	if (json_object_is_type(v, json_type_object) && k->obj)
		return check_object(v, k->obj, path, why, len);
	if (!json_object_is_type(v, json_type_array) || !k->items)
		return 0;
	n = json_object_array_length(v);
	for (i = 0; i < n; i++) {
		const struct schema_key each = {.types = k->items, .obj = k->obj};

		snprintf(item, sizeof(item), "%s[%zu]", path, i);
		if (check_value(json_object_array_get_idx(v, i), &each, item, why, len))
			return -EBADMSG;
	}
	return 0;
}

/* check_object - the keys of @s that @obj (found at @path, "" at the top) has. */
static int check_object(struct json_object *obj, const struct schema_obj *s, const char *path,
			char *why, size_t len)
{
	struct json_object *v;
	char at[160];

	for (size_t i = 0; i < s->n; i++) {
		if (!json_object_object_get_ex(obj, s->keys[i].name, &v))
			continue;
		snprintf(at, sizeof(at), "%s%s%s", path, *path ? "." : "", s->keys[i].name);
		if (check_value(v, &s->keys[i], at, why, len))
			return -EBADMSG;
	}
	return 0;
}

int trace_schema_check(uint32_t type, struct json_object *obj, char *why, size_t len)
{
	if (!trace_chunk_is_json(type))
		return 0;
	return check_object(obj, &chunks[type], "", why, len);
}
