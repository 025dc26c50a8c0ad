// SPDX-License-Identifier: MIT
/* report_model - the schema's table, the key accessors with their miss hook, the number formats. */
#include "analysis/model/report_model.h"

#include <math.h>
#include <stdio.h>

#include <json-c/json.h>

#include "lib/stats.h"

#define RM_KEY_DEF(id, kind, name, type, child, flags)                                             \
	[RK_##id] = {name, RMK_##kind, RM_T_##type, RMK_##child, flags},
static const struct rm_key_def rm_keys[RK_NKEYS] = {RM_KEYS(RM_KEY_DEF)};
#undef RM_KEY_DEF

#define RM_KIND_DEF(id, form, vtype, vkind, base, where)                                           \
	[RMK_##id] = {#id, where, form, RM_T_##vtype, RMK_##vkind, RMK_##base},
static const struct rm_kind_def rm_kinds[RMK_NKINDS] = {RM_KINDS(RM_KIND_DEF)};
#undef RM_KIND_DEF

static void (*rm_miss_fn)(void *arg, enum rm_key key, const char *why);
static void *rm_miss_arg;

const struct rm_key_def *rm_key_def(enum rm_key key)
{
	return &rm_keys[key];
}

const struct rm_kind_def *rm_kind_def(enum rm_kind kind)
{
	return &rm_kinds[kind];
}

const char *rm_name(enum rm_key key)
{
	return rm_keys[key].name;
}

void rm_on_miss(void (*fn)(void *arg, enum rm_key key, const char *why), void *arg)
{
	rm_miss_fn = fn;
	rm_miss_arg = arg;
}

/* rm_lookup - @key of object @o into *@v; false when @o is no object or lacks the key. */
static bool rm_lookup(struct json_object *o, enum rm_key key, struct json_object **v)
{
	*v = NULL;
	return o && json_object_is_type(o, json_type_object) &&
	       json_object_object_get_ex(o, rm_keys[key].name, v);
}

struct json_object *rm_get(struct json_object *o, enum rm_key key)
{
	struct json_object *v;

	if (!rm_lookup(o, key, &v) && rm_miss_fn && o && json_object_is_type(o, json_type_object))
		rm_miss_fn(rm_miss_arg, key, "asked for, not there");
	return v;
}

struct json_object *rm_find(struct json_object *o, enum rm_key key)
{
	struct json_object *v;

	rm_lookup(o, key, &v);
	return v;
}

bool rm_has(struct json_object *o, enum rm_key key)
{
	struct json_object *v;

	return rm_lookup(o, key, &v);
}

/* rm_read - rm_get() for a reader of @want: a key of another type is a miss too. */
static struct json_object *rm_read(struct json_object *o, enum rm_key key, enum rm_type want)
{
	enum rm_type type = rm_keys[key].type;

	if (rm_miss_fn && type != want && type != RM_T_ANY &&
	    !(want == RM_T_NUM && type == RM_T_INT))
		rm_miss_fn(rm_miss_arg, key, "read as another type than the schema's");
	return rm_get(o, key);
}

int64_t rm_int(struct json_object *o, enum rm_key key)
{
	return json_object_get_int64(rm_read(o, key, RM_T_INT));
}

double rm_num(struct json_object *o, enum rm_key key)
{
	return json_object_get_double(rm_read(o, key, RM_T_NUM));
}

double rm_num_nan(struct json_object *o, enum rm_key key)
{
	struct json_object *v = rm_read(o, key, RM_T_NUM);

	return v ? json_object_get_double(v) : NAN;
}

bool rm_bool(struct json_object *o, enum rm_key key)
{
	return json_object_get_boolean(rm_read(o, key, RM_T_BOOL));
}

const char *rm_str(struct json_object *o, enum rm_key key)
{
	return json_object_get_string(rm_read(o, key, RM_T_STR));
}

size_t rm_len(struct json_object *o, enum rm_key key)
{
	struct json_object *v = rm_read(o, key, RM_T_ARR);

	return json_object_is_type(v, json_type_array) ? json_object_array_length(v) : 0;
}

const char *rm_text_of(struct json_object *v, const char *none)
{
	if (!v)
		return none;
	if (json_object_is_type(v, json_type_string))
		return json_object_get_string(v);
	return json_object_to_json_string_ext(v, JSON_C_TO_STRING_PLAIN);
}

const char *rm_text(struct json_object *o, enum rm_key key, const char *none)
{
	return rm_text_of(rm_get(o, key), none);
}

struct json_object *rm_member(struct json_object *o, const char *name)
{
	struct json_object *v = NULL;

	if (o && json_object_is_type(o, json_type_object))
		json_object_object_get_ex(o, name, &v);
	return v;
}

void rm_set(struct json_object *o, enum rm_key key, struct json_object *v)
{
	json_object_object_add(o, rm_keys[key].name, v);
}

void rm_set_int(struct json_object *o, enum rm_key key, int64_t v)
{
	rm_set(o, key, json_object_new_int64(v));
}

void rm_set_bool(struct json_object *o, enum rm_key key, bool v)
{
	rm_set(o, key, json_object_new_boolean(v));
}

void rm_set_str(struct json_object *o, enum rm_key key, const char *v)
{
	rm_set(o, key, json_object_new_string(v));
}

struct json_object *rm_ns(double ns)
{
	char text[64];

	snprintf(text, sizeof(text), "%.1f", ns);
	return json_object_new_double_s(ns, text);
}

/* rm_finite - @v with @n significant digits (@sig) or decimals; NULL when it is not finite. */
static struct json_object *rm_finite(double v, int n, bool sig)
{
	char text[64];

	if (!isfinite(v))
		return NULL;
	snprintf(text, sizeof(text), sig ? "%.*g" : "%.*f", n, v);
	return json_object_new_double_s(v, text);
}

struct json_object *rm_sig(double v, int digits)
{
	return rm_finite(v, digits, true);
}

struct json_object *rm_fixed(double v, int decimals)
{
	return rm_finite(v, decimals, false);
}

const enum rm_key rm_stats_keys[RM_NSTATS] = {RK_STATS_MEAN, RK_STATS_STDDEV, RK_STATS_MIN,
					      RK_STATS_P50,  RK_STATS_P90,    RK_STATS_P99,
					      RK_STATS_P999, RK_STATS_MAX};
const enum rm_key rm_ratio_keys[RM_NSTATS] = {RK_RATIO_MEAN, RK_RATIO_STDDEV, RK_RATIO_MIN,
					      RK_RATIO_P50,  RK_RATIO_P90,    RK_RATIO_P99,
					      RK_RATIO_P999, RK_RATIO_MAX};
const char *const rm_stats_heads[RM_NSTATS] = {"mean", "stddev", "min",	  "p50",
					       "p90",  "p99",	 "p99.9", "max"};

void rm_stats_values(const struct stats_summary *s, double *v)
{
	const double vals[RM_NSTATS] = {s->mean, s->stddev, s->min,  s->p50,
					s->p90,	 s->p99,    s->p999, s->max};
	size_t i;

	for (i = 0; i < RM_NSTATS; i++)
		v[i] = vals[i];
}

void rm_stats_add(struct json_object *o, const struct stats_summary *s)
{
	double v[RM_NSTATS];
	size_t i;

	rm_stats_values(s, v);
	for (i = 0; i < RM_NSTATS; i++)
		rm_set(o, rm_stats_keys[i], rm_ns(v[i]));
	/* the deep tail only where enough samples hold it (stats_tail_min_samples), else null */
	rm_set(o, RK_STATS_P9999, isfinite(s->p9999) ? rm_ns(s->p9999) : NULL);
	rm_set(o, RK_STATS_P99999, isfinite(s->p99999) ? rm_ns(s->p99999) : NULL);
}
