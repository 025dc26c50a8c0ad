/* SPDX-License-Identifier: MIT */
/*
 * report_model - the one way into the report model's json-c objects: builders set and printers
 * read keys by their report_keys.h constant, never by a string. A printer asking an object for
 * a key it does not have is a "miss": silent in the tool (the cell shows its "none" text), and
 * reported to the hook a test installs (rm_on_miss), so that a key a builder stopped making
 * fails the test instead of blanking a cell. Also the number formats the builders share.
 */
#ifndef RINGSCOPE_REPORT_MODEL_H
#define RINGSCOPE_REPORT_MODEL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "analysis/model/report_keys.h"

struct json_object;
struct stats_summary;

/* rm_key_def - one key of the schema (RM_KEYS). */
struct rm_key_def {
	const char *name;
	enum rm_kind kind;  /* the object it lives in */
	enum rm_type type;  /* its value */
	enum rm_kind child; /* the kind of its object, or of its array's objects */
	unsigned int flags; /* RM_OPT, RM_NULL */
};

/* rm_kind_def - one kind of object (RM_KINDS). */
struct rm_kind_def {
	const char *id;	   /* "PROBE", ... */
	const char *where; /* who makes it */
	enum rm_form form;
	enum rm_type value_type; /* RM_MAP: its values */
	enum rm_kind value_kind; /* RM_MAP: its values' kind */
	enum rm_kind base;	 /* a kind whose keys it has too, or RMK_NONE */
};

/* rm_key_def / rm_kind_def - the schema's entry of @key / @kind. */
const struct rm_key_def *rm_key_def(enum rm_key key);
const struct rm_kind_def *rm_kind_def(enum rm_kind kind);

/* rm_name - the JSON name of @key. */
const char *rm_name(enum rm_key key);

/* --- reading --- */

/*
 * rm_get - @key of @o; NULL when it is absent or null, or when @o is no object. An object that
 * lacks the key is a miss.
 */
struct json_object *rm_get(struct json_object *o, enum rm_key key);

/* rm_find - the same for a key the object may lack (an optional section): never a miss. */
struct json_object *rm_find(struct json_object *o, enum rm_key key);

/* rm_has - whether @o has @key, null or not (a value copied as the writer gave it). */
bool rm_has(struct json_object *o, enum rm_key key);

/* rm_int, rm_num, rm_bool, rm_str - rm_get() as json-c reads it: 0, 0, false, NULL if none. */
int64_t rm_int(struct json_object *o, enum rm_key key);
double rm_num(struct json_object *o, enum rm_key key);
bool rm_bool(struct json_object *o, enum rm_key key);
const char *rm_str(struct json_object *o, enum rm_key key);

/* rm_num_nan - rm_get() as a double, NAN when absent or null (a side the data cannot bound). */
double rm_num_nan(struct json_object *o, enum rm_key key);

/* rm_len - the length of array @key of @o, 0 when there is none. */
size_t rm_len(struct json_object *o, enum rm_key key);

/* rm_text_of - a value as text: strings bare, the rest as compact JSON, @none for NULL. */
const char *rm_text_of(struct json_object *v, const char *none);

/* rm_text - rm_text_of(rm_get(@o, @key), @none). */
const char *rm_text(struct json_object *o, enum rm_key key, const char *none);

/* rm_member - the member @name of map @o (RM_MAP kinds: a cause's entry), NULL if none. */
struct json_object *rm_member(struct json_object *o, const char *name);

/*
 * rm_on_miss - call @fn(@arg, key, why) for every miss, and for a read whose type is not the
 * key's (NULL: nothing, the tool's default). For tests; not thread-safe.
 */
void rm_on_miss(void (*fn)(void *arg, enum rm_key key, const char *why), void *arg);

/* --- building --- */

/* rm_set - add @v (taken; NULL is a JSON null) to @o as @key. */
void rm_set(struct json_object *o, enum rm_key key, struct json_object *v);
void rm_set_int(struct json_object *o, enum rm_key key, int64_t v);
void rm_set_bool(struct json_object *o, enum rm_key key, bool v);
void rm_set_str(struct json_object *o, enum rm_key key, const char *v);

/* rm_ns - a time in ns with one decimal, as interpolated percentiles and means are written. */
struct json_object *rm_ns(double ns);

/* rm_sig - @v with @digits significant digits ("%.*g"); NULL (null) when not finite. */
struct json_object *rm_sig(double v, int digits);

/* rm_fixed - @v with @decimals decimals ("%.*f"); NULL (null) when not finite. */
struct json_object *rm_fixed(double v, int decimals);

/* The statistics in Table 1's order: mean, stddev, min, p50, p90, p99, p99.9, max. */
#define RM_NSTATS 8
extern const enum rm_key rm_stats_keys[RM_NSTATS];  /* STATS: "mean_ns", ... */
extern const enum rm_key rm_ratio_keys[RM_NSTATS];  /* RATIO: "mean", ... */
extern const char *const rm_stats_heads[RM_NSTATS]; /* column heads: "mean", ..., "p99.9" */

/* rm_stats_values - the figures of @s in that order. */
void rm_stats_values(const struct stats_summary *s, double *v);

/* rm_stats_add - the STATS keys of @s into @o, each with one decimal (rm_ns). */
void rm_stats_add(struct json_object *o, const struct stats_summary *s);

#endif
