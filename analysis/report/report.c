// SPDX-License-Identifier: MIT
/* report - load the trace(s), build the analyze report with its spikes, write the HTML page. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <json-c/json.h>

#include "analysis/compare/compare.h"
#include "analysis/patterns/patterns_render.h"
#include "analysis/analyze/observer_effect.h"
#include "analysis/analyze/render_analyze.h"
#include "analysis/attribution/mechanisms.h"
#include "analysis/model/report_model.h"
#include "analysis/report/report.h"
#include "analysis/report/report_answer.h"
#include "analysis/report/report_compare.h"
#include "analysis/report/report_html.h"
#include "analysis/report/report_mechanisms.h"
#include "lib/outfile.h"
#include "lib/trace/trace_reader.h"

/* One trace and its analyze report (the same object `ringscope analyze --json` prints). */
struct report_trace {
	struct trace_session *s;
	struct json_object *report;
};

/* trace_load - load @path and build its report with the spike attribution; 0 or -errno. */
static int trace_load(const char *path, const struct attr_report_opts *attr, struct report_trace *t,
		      char *err, size_t errlen)
{
	int ret;

	ret = trace_session_load(path, &t->s, err, errlen);
	if (ret)
		return ret;
	ret = analyze_report_build(t->s, &t->report);
	if (ret) {
		snprintf(err, errlen, "out of memory analysing '%s'", path);
		return ret;
	}
	ret = attr_report_add(path, t->s, attr, rm_get(t->report, RK_REPORT_PROBES), err, errlen);
	if (!ret && patterns_report_add(t->s, &attr->spikes, rm_get(t->report, RK_REPORT_PROBES))) {
		snprintf(err, errlen, "out of memory finding the patterns of '%s'", path);
		ret = -ENOMEM;
	}
	if (!ret && observer_effect_add(t->s, rm_get(t->report, RK_REPORT_PROBES))) {
		snprintf(err, errlen,
			 "out of memory comparing the traced and untraced runs of '%s'", path);
		ret = -ENOMEM;
	}
	if (!ret)
		ret = mech_report_add(t->s, t->report, err, errlen);
	return ret;
}

/*
 * compare_build - the comparison of @a with @b (compare.h, its default thresholds), with A's
 * projection tested against B (compare --project): the page is the whole answer.
 */
static int compare_build(const struct report_opts *o, const struct report_trace *a,
			 const struct report_trace *b, struct json_object **cmp, char *err,
			 size_t errlen)
{
	struct compare_opts co;

	compare_opts_default(&co);
	co.project = true;
	return compare_report_build(o->path, a->s, o->compare_path, b->s, &co, cmp, err, errlen);
}

static void trace_free(struct report_trace *t)
{
	json_object_put(t->report);
	trace_session_free(t->s);
}

/* write_probes - every probe's section: its plots drawn now, freed once written. */
static int write_probes(FILE *f, struct report_plot *rp, const struct report_trace *t, char *err,
			size_t errlen)
{
	struct json_object *probes = rm_get(t->report, RK_REPORT_PROBES);
	struct report_probe_plots pl;
	size_t i;
	int ret;

	for (i = 0; i < t->s->nprobes; i++) {
		ret = report_probe_draw(rp, &t->s->probes[i], json_object_array_get_idx(probes, i),
					&pl, err, errlen);
		if (ret)
			return ret;
		report_html_probe(f, i, json_object_array_get_idx(probes, i), &pl);
		report_probe_plots_free(&pl);
	}
	return 0;
}

/* write_page - the whole page to @f. */
static int write_page(FILE *f, const struct report_opts *o, const struct report_trace *a,
		      const struct report_trace *b, char *err, size_t errlen)
{
	struct report_compare_sides sides = {a->s, b ? b->s : NULL, a->report,
					     b ? b->report : NULL};
	struct json_object *cmp = NULL;
	struct report_plot *rp;
	int ret;

	if (b) {
		ret = compare_build(o, a, b, &cmp, err, errlen);
		if (ret)
			return ret;
	}
	ret = report_plot__new(&rp, o->plot_timeout_ms, err, errlen);
	if (ret) {
		json_object_put(cmp);
		return ret;
	}
	report_html_begin(f, o->path);
	report_html_answer(f, a->report, cmp);
	fputs("<section class=\"card\" id=\"table1\"><h2>Table 1: latency per probe (us)</h2>\n",
	      f);
	report_html_table1(f, o->path, a->report, true);
	if (b)
		report_html_table1(f, o->compare_path, b->report, false);
	fputs("</section>\n", f);
	ret = cmp ? report_html_compare(f, rp, cmp, &sides, err, errlen) : 0;
	if (!ret)
		report_mechanisms_section(f, a->report, b ? b->report : NULL, cmp);
	json_object_put(cmp);
	if (!ret) {
		report_html_platform(f, a->report, b ? b->report : NULL);
		ret = write_probes(f, rp, a, err, errlen);
	}
	if (!ret)
		report_html_end(f);
	report_plot__free(rp);
	return ret;
}

/*
 * write_file - write the page under a temporary name in the folder of o->out and rename it into
 * place when whole (lib/outfile.h): a failed or interrupted report leaves nothing.
 */
static int write_file(const struct report_opts *o, const struct report_trace *a,
		      const struct report_trace *b, char *err, size_t errlen)
{
	struct outfile of;
	FILE *f;
	int ret;

	ret = outfile_open(&of, o->out, 0, err, errlen);
	if (ret)
		return ret;
	f = outfile_stream(&of);
	if (!f) {
		ret = -errno;
		snprintf(err, errlen, "failed to write '%s': %s", o->out, strerror(-ret));
		outfile_discard(&of);
		return ret;
	}
	ret = write_page(f, o, a, b, err, errlen);
	if (ret) {
		outfile_discard(&of);
		return ret;
	}
	return outfile_commit(&of, err, errlen);
}

int report_write(const struct report_opts *o, char *err, size_t errlen)
{
	struct report_trace a = {0}, b = {0};
	int ret;

	ret = trace_load(o->path, &o->attr, &a, err, errlen);
	if (!ret && o->compare_path)
		ret = trace_load(o->compare_path, &o->attr, &b, err, errlen);
	if (!ret)
		ret = write_file(o, &a, o->compare_path ? &b : NULL, err, errlen);
	trace_free(&b);
	trace_free(&a);
	return ret;
}
