// SPDX-License-Identifier: MIT
/* analyze - load a trace file, build its report with every section, print it as text or JSON. */
#include "analysis/analyze/analyze.h"

#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include "analysis/analyze/histogram.h"
#include "analysis/analyze/observer_effect.h"
#include "analysis/analyze/render_analyze.h"
#include "analysis/attribution/projection_render.h"
#include "analysis/attribution/mechanisms.h"
#include "analysis/lifecycle/lifecycle.h"
#include "analysis/lifecycle/lifecycle_path.h"
#include "analysis/model/report_model.h"
#include "analysis/patterns/patterns_render.h"
#include "lib/cli.h"
#include "lib/trace/trace_reader.h"

/* Per-probe kernel event counts: events whose start falls in the probe's sample span. */
struct event_count {
	const struct trace_session *s;
	uint64_t *first, *last; /* per probe: first sample start, last sample end (mono ns) */
	int64_t *counts;
	struct mech_session *mech; /* the mechanism costs learn from the same pass */
	struct lc_events *lc;	   /* and the hops' lifecycles (NULL: no traced ring) */
};

static int count_events(void *ctx, const struct tracer_event *ev, size_t n)
{
	struct event_count *ec = ctx;
	size_t i, p;
	int rc = ec->mech ? mech_session_add(ec->mech, ev, n) : 0;

	if (!rc && ec->lc)
		rc = lifecycle_collect(ec->lc, ev, n);

	for (i = 0; i < n; i++) {
		for (p = 0; p < ec->s->nprobes; p++)
			ec->counts[p] += ev[i].ts_ns >= ec->first[p] && ev[i].ts_ns <= ec->last[p];
	}
	return rc;
}

/* probe_span - the CLOCK_MONOTONIC span of @p's samples; [UINT64_MAX, 0] when it has none. */
static void probe_span(const struct trace_probe *p, uint64_t *first, uint64_t *last)
{
	size_t i;

	*first = UINT64_MAX;
	*last = 0;
	for (i = 0; i < p->nsamples; i++) {
		if (p->samples[i].mono_start_ns < *first)
			*first = p->samples[i].mono_start_ns;
		if (p->samples[i].mono_end_ns > *last)
			*last = p->samples[i].mono_end_ns;
	}
}

/* event_count_init - each probe's span and zero counts. Returns 0 or -ENOMEM. */
static int event_count_init(const struct trace_session *s, struct event_count *ec)
{
	size_t p;

	*ec = (struct event_count){.s = s};
	ec->first = calloc(s->nprobes, sizeof(*ec->first));
	ec->last = calloc(s->nprobes, sizeof(*ec->last));
	ec->counts = calloc(s->nprobes, sizeof(*ec->counts));
	if (!ec->first || !ec->last || !ec->counts)
		return -ENOMEM;
	for (p = 0; p < s->nprobes; p++)
		probe_span(&s->probes[p], &ec->first[p], &ec->last[p]);
	return 0;
}

static void event_count_free(struct event_count *ec)
{
	free(ec->first);
	free(ec->last);
	free(ec->counts);
}

/*
 * events_per_probe - stream the session's events (the model's load skipped them) and count,
 * per probe, the kernel events inside its span. Returns 0 or -errno, @err set.
 */
static int events_per_probe(struct event_count *ec, char *err, size_t errlen)
{
	return trace_session_read_events(ec->s, count_events, ec, err, errlen);
}

/* tracer_lost - the events the tracer lost (ringbuf full), from the TRACER chunk. */
static int64_t tracer_lost(struct json_object *tracer)
{
	struct json_object *v;

	if (!json_object_object_get_ex(tracer, "lost_events", &v))
		return 0;
	if (json_object_is_type(v, json_type_object) && json_object_object_get_ex(v, "total", &v))
		return json_object_get_int64(v);
	return json_object_get_int64(v);
}

/*
 * add_probe_sections - the per-probe sections beyond the statistics. The kernel's view goes
 * first: "events" (recorded inside the probe's span) and "lost_events" (lost by the tracer in
 * the session) when the file has a TRACER chunk; then, with --spikes, the spike attribution,
 * whose pass over the file's events counts them too (the counts are filled in after it).
 * Returns 0 or -errno with @err set.
 */
static int add_probe_sections(const char *path, struct attr_report_opts *attr,
			      const struct trace_session *s, struct mech_session *mech,
			      struct lc_events *lc, struct json_object *probes, char *err,
			      size_t errlen)
{
	bool counted = s->tracer && s->nprobes;
	struct event_count ec = {0};
	struct json_object *probe;
	size_t i;
	int ret = counted ? event_count_init(s, &ec) : 0;

	ec.mech = mech;
	ec.lc = lc;

	if (ret)
		snprintf(err, errlen, "out of memory counting the events of '%s'", path);
	else if (counted && !attr->top)
		ret = events_per_probe(&ec, err, errlen);
	for (i = 0; !ret && counted && i < s->nprobes; i++) {
		probe = json_object_array_get_idx(probes, i);
		json_object_object_add(probe, "events", json_object_new_int64(ec.counts[i]));
		json_object_object_add(probe, "lost_events",
				       json_object_new_int64(tracer_lost(s->tracer)));
	}
	attr->on_events = counted ? count_events : NULL;
	attr->ctx = &ec;
	if (!ret && attr->top)
		ret = attr_report_add(path, s, attr, probes, err, errlen);
	for (i = 0; !ret && counted && attr->top && i < s->nprobes; i++)
		json_object_set_int64(
		    json_object_object_get(json_object_array_get_idx(probes, i), "events"),
		    ec.counts[i]);
	attr->on_events = NULL; /* ec is this function's: no pass after it may call into it */
	attr->ctx = NULL;
	event_count_free(&ec);
	return ret;
}

/*
 * tracer_unfinished - a line for @note when the file's last TRACER chunk is the one written as
 * the tracer started ("final": false): the run ended before the tracer's last report.
 */
static void tracer_unfinished(const char *path, const struct trace_session *s,
			      void (*note)(const char *line))
{
	struct json_object *final;
	char line[1024];

	if (!s->tracer || !json_object_object_get_ex(s->tracer, "final", &final) ||
	    json_object_get_boolean(final))
		return;
	snprintf(
	    line, sizeof(line),
	    "'%s' lacks the tracer's last report: kernel events are counted from what the file "
	    "holds, and lost events are those of its first report (more may have been lost)",
	    path);
	note(line);
}

/* file_state - lines about a cut-short file or a failed run for @note; nothing for neither. */
static void file_state(const char *path, const struct trace_session *s, struct json_object *report,
		       void (*note)(const char *line))
{
	struct json_object *err;
	char line[1024];

	if (!note)
		return;
	tracer_unfinished(path, s, note);
	if (!s->status.complete)
		snprintf(line, sizeof(line),
			 "'%s' has no END chunk (the run was killed?): analysed up to its last "
			 "whole chunk",
			 path);
	else if (json_object_object_get_ex(report, "error", &err))
		snprintf(line, sizeof(line), "the run recorded in '%s' ended with an error: %s",
			 path, json_object_get_string(err));
	else
		return;
	note(line);
}

/* print_text - the report, then the spike and pattern sections of every probe that has them. */
static void print_text(FILE *f, const char *path, struct json_object *report)
{
	struct json_object *probes = json_object_object_get(report, "probes");
	size_t i;

	analyze_print_text(f, path, report);
	for (i = 0; i < json_object_array_length(probes); i++) {
		attr_print_text(f, json_object_array_get_idx(probes, i));
		lifecycle_print_text(f, json_object_array_get_idx(probes, i));
		projection_print_text(f, json_object_array_get_idx(probes, i));
		patterns_print_text(f, json_object_array_get_idx(probes, i));
	}
	mech_print_text(f, rm_find(report, RK_REPORT_MECHANISMS));
}

/* add_mechanisms - the session's mechanism costs, after the events pass, into @report. */
static int add_mechanisms(struct mech_session *mech, struct json_object *report)
{
	struct json_object *o;
	struct mech_table t;
	int ret = mech_session_finish(mech, &t);

	o = ret ? NULL : mech_table_json(&t);
	if (!o)
		return ret ? ret : -ENOMEM;
	rm_set(report, RK_REPORT_MECHANISMS, o);
	return 0;
}

/*
 * build - load @path and build its report with every section. 0, or -errno with @err set; the
 * session and the report are the caller's to free either way.
 */
static int build(const char *path, struct attr_report_opts *attr, struct trace_session **s,
		 struct json_object **report, char *err, size_t errlen)
{
	struct mech_session *mech = NULL;
	struct lc_events *lc = NULL;
	int ret;

	ret = trace_session_load(path, s, err, errlen);
	if (ret)
		return ret;
	ret = analyze_report_build(*s, report);
	if (ret) {
		snprintf(err, errlen, "out of memory analysing '%s'", path);
		return ret;
	}
	snprintf(err, errlen, "out of memory measuring the mechanisms of '%s'", path);
	ret = mech_session_new(*s, false, &mech);
	if (!ret)
		ret = lifecycle_collector(*s, &lc);
	if (!ret) {
		struct lc_path_hook ph = {.s = *s, .mech = mech, .lc = lc};

		attr->path_of = lifecycle_path_hook;
		attr->path_ctx = &ph;
		ret = add_probe_sections(path, attr, *s, mech, lc,
					 json_object_object_get(*report, "probes"), err, errlen);
		attr->path_of = NULL; /* ph is this block's */
		attr->path_ctx = NULL;
		lifecycle_path_hook_free(&ph);
	}
	if (!ret && add_mechanisms(mech, *report)) {
		snprintf(err, errlen, "out of memory measuring the mechanisms of '%s'", path);
		ret = -ENOMEM;
	}
	mech_session_free(mech);
	if (ret) {
		lifecycle_discard(lc);
		return ret;
	}
	ret = lifecycle_report_add(*s, lc, &attr->spikes, json_object_object_get(*report, "probes"),
				   err, errlen);
	if (ret)
		return ret;
	if (patterns_report_add(*s, &attr->spikes, json_object_object_get(*report, "probes"))) {
		snprintf(err, errlen, "out of memory finding the patterns of '%s'", path);
		return -ENOMEM;
	}
	if (observer_effect_add(*s, json_object_object_get(*report, "probes"))) {
		snprintf(err, errlen,
			 "out of memory comparing the traced and untraced runs of '%s'", path);
		return -ENOMEM;
	}
	return 0;
}

void analyze_opts_default(struct analyze_opts *o)
{
	memset(o, 0, sizeof(*o));
	spikes_opts_default(&o->attr.spikes);
}

int analyze_file(const char *path, const struct analyze_opts *o, FILE *out, char *err,
		 size_t errlen)
{
	struct attr_report_opts attr = o->attr;
	struct trace_session *s = NULL;
	struct json_object *report = NULL;
	int ret;

	ret = build(path, &attr, &s, &report, err, errlen);
	if (!ret && o->hist && hist_add(s, json_object_object_get(report, "probes"))) {
		snprintf(err, errlen, "out of memory drawing the histograms of '%s'", path);
		ret = -ENOMEM;
	}
	if (!ret && o->json)
		cli_print_json(out, report);
	else if (!ret) {
		file_state(path, s, report, o->note);
		print_text(out, path, report);
	}
	json_object_put(report);
	trace_session_free(s);
	return ret;
}
