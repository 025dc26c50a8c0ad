/* SPDX-License-Identifier: MIT */
/*
 * render_analyze - the report of `ringscope analyze`: built once as a json-c object from the
 * loaded session, then printed by a plain-text or a JSON printer (rtla style), so that both
 * forms always say the same thing.
 */
#ifndef RINGSCOPE_RENDER_ANALYZE_H
#define RINGSCOPE_RENDER_ANALYZE_H

#include <stdio.h>

struct json_object;
struct stats_summary;
struct trace_probe;
struct trace_sample;
struct trace_session;

/*
 * analyze_probe_stats - the statistics of @p's good samples (not flagged TRACE_SAMPLE_BAD) of its
 * untraced runs when it has both kinds (trace_probe_stat_samples), else of all: the figures of
 * its "stats" object. Returns 0, -ENODATA when it has no good sample, -ENOMEM.
 */
int analyze_probe_stats(const struct trace_probe *p, struct stats_summary *out);

/*
 * analyze_report_build - the whole report: {"platform", "complete", "status", "error"?,
 * "probes": [...]}, the probes in file order (index i is s->probes[i], so a caller can add
 * per-probe sections afterwards). Returns 0 and a new object in *@out, or -ENOMEM.
 */
int analyze_report_build(const struct trace_session *s, struct json_object **out);

/*
 * analyze_print_text - the report as `#` metadata lines (platform, file state) and, per probe,
 * its configuration in one line and a table in microseconds.
 */
void analyze_print_text(FILE *f, const char *path, struct json_object *report);

#endif
