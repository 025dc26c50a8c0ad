/* SPDX-License-Identifier: MIT */
/*
 * compare_match - which probes of two trace files are the same measurement, and how the compare
 * reports name files and probes (compare_report.c); compare --project uses them too.
 */
#ifndef RINGSCOPE_COMPARE_MATCH_H
#define RINGSCOPE_COMPARE_MATCH_H

#include <stdbool.h>

struct json_object;
struct trace_probe;
struct trace_session;

/* compare_probes_match - same probe name and the same value (or absence) of every measuring key. */
bool compare_probes_match(const struct trace_probe *a, const struct trace_probe *b);

/* compare_match_config - the measuring keys @p has, as a new object. */
struct json_object *compare_match_config(const struct trace_probe *p);

/* compare_probe_ref - {"probe", "probe_id", "config"}: a probe only one file has. */
struct json_object *compare_probe_ref(const struct trace_probe *p);

/* compare_file_json - {"path", "platform", "complete"} of one file. */
struct json_object *compare_file_json(const char *path, const struct trace_session *s);

#endif
