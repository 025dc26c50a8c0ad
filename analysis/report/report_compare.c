// SPDX-License-Identifier: MIT
/*
 * report_compare - the --compare section: per probe both traces side by side (overlaid plots,
 * percentiles with intervals, cause shares), the tests and the verdict with its rule.
 */
#include <stdio.h>
#include <string.h>

#include <json-c/json.h>

#include "analysis/compare/compare.h"
#include "analysis/model/report_model.h"
#include "analysis/report/html_escape.h"
#include "analysis/report/report_compare.h"
#include "analysis/report/report_compare_causes.h"
#include "analysis/report/report_compare_plot.h"
#include "analysis/report/report_compare_tables.h"
#include "analysis/report/report_projection.h"
#include "analysis/report/report_html.h"
#include "analysis/report/report_spikes.h"
#include "lib/trace/trace_reader.h"

/* verdict_colour - a background per verdict: green same, blue shift, amber scale, red shape. */
static const char *verdict_colour(const char *v)
{
	static const char *const colours[] = {
	    [COMPARE_SAME] = "#d8f0dc",
	    [COMPARE_SHIFT] = "#dbe8fb",
	    [COMPARE_SCALE] = "#fdebd3",
	    [COMPARE_SHAPE] = "#f9d6d5",
	};
	enum compare_verdict k;

	if (!v)
		return "#eef0f4";
	for (k = COMPARE_SAME; k < COMPARE_SHAPE; k++) {
		if (!strcmp(v, compare_verdict_name(k)))
			return colours[k];
	}
	return colours[COMPARE_SHAPE];
}

/* The keys of one side (A or B) in a compared probe and in the compare report. */
struct side_keys {
	const char *name; /* as the plots' legends and the tables' columns call it */
	enum rm_key stats, rate, attribution, file;
};
static const struct side_keys side_a = {"A", RK_CMP_A, RK_RATE_A, RK_CMP_ATTR_A, RK_COMPARE_A};
static const struct side_keys side_b = {"B", RK_CMP_B, RK_RATE_B, RK_CMP_ATTR_B, RK_COMPARE_B};

/*
 * side_row - one trace's line of a probe: p50, p99, max, spikes per 1000 and its cause mix
 * (zeros for statistics a side without a good sample does not have).
 */
static void side_row(FILE *f, struct json_object *cmp, struct json_object *cp,
		     const struct side_keys *k)
{
	struct json_object *st = rm_find(cp, k->stats);
	struct json_object *rate = rm_get(rm_get(cp, RK_CMP_SPIKE_RATE), k->rate);

	fprintf(f, "<tr><td class=\"l\"><b>%s</b> ", k->name);
	html_escape(f, rm_str(rm_get(cmp, k->file), RK_FILE_PATH));
	fprintf(f,
		"</td><td>%.0f</td><td>%.3f</td><td>%.3f</td><td>%.3f</td><td>%.1f</td>"
		"<td class=\"l\">",
		rm_num(st, RK_SIDE_SAMPLES), rm_num(st, RK_STATS_P50) / 1000,
		rm_num(st, RK_STATS_P99) / 1000, rm_num(st, RK_STATS_MAX) / 1000,
		rm_num(rate, RK_RATE_PER_1000));
	report_attribution_bar(f, rm_get(rm_get(cp, RK_CMP_ATTRIBUTION), k->attribution));
	fputs("</td></tr>\n", f);
}

/* tests_line - the three tests' figures in one sentence. */
static void tests_line(FILE *f, struct json_object *cp)
{
	struct json_object *tests = rm_find(cp, RK_CMP_TESTS), *t;
	enum compare_level l;

	fputs("<p class=\"note\">", f);
	for (l = COMPARE_RAW; l < COMPARE_NLEVELS; l++) {
		t = rm_get(tests, compare_level_key(l));
		fprintf(f, "%s: KS D %.3f (p %.2g), Wasserstein %.1f us%s; ",
			rm_name(compare_level_key(l)), rm_num(t, RK_TEST_KS_D),
			rm_num(t, RK_TEST_KS_P), rm_num(t, RK_TEST_W) / 1000,
			rm_bool(t, RK_TEST_DIFFERS) ? ", differs" : "");
	}
	fprintf(f, "shift %.1f us, scale x%.2f.</p>\n",
		json_object_get_double(rm_find(cp, RK_CMP_SHIFT)) / 1000,
		json_object_get_double(rm_find(cp, RK_CMP_SCALE)));
}

/* probe_of - the probe of @s with @id, NULL if none. */
static const struct trace_probe *probe_of(const struct trace_session *s, int64_t id)
{
	size_t i;

	for (i = 0; i < s->nprobes; i++) {
		if (s->probes[i].probe_id == id)
			return &s->probes[i];
	}
	return NULL;
}

/* report_probe_of - the object of the probe with @id in an analyze report, NULL if none. */
static struct json_object *report_probe_of(struct json_object *report, int64_t id)
{
	struct json_object *probes = rm_get(report, RK_REPORT_PROBES), *p;
	size_t i;

	for (i = 0; i < json_object_array_length(probes); i++) {
		p = json_object_array_get_idx(probes, i);
		if (rm_int(p, RK_PROBE_ID) == id)
			return p;
	}
	return NULL;
}

/* plots - the overlaid CDF and histogram of the probe's two sides, when both have samples. */
static int plots(FILE *f, struct report_plot *rp, const struct trace_probe *a,
		 const struct trace_probe *b, double step_ns, char *err, size_t errlen)
{
	struct report_compare_plots pl;
	const char *scale;
	int ret;

	if (!rp || !a || !b)
		return 0;
	ret = report_compare_draw(rp, a, b, step_ns, &pl, err, errlen);
	if (ret || !pl.cdf)
		return ret;
	scale = pl.log_x ? "on a log latency axis (the slowest sample is over 30 times the fastest)"
			 : "on a linear latency axis";
	fprintf(f,
		"<div class=\"grid2\"><figure class=\"cmp-cdf\">%s<figcaption>Cumulative "
		"distribution of A (solid) and B (dashed) %s%s.</figcaption></figure>\n"
		"<figure class=\"cmp-hist\">%s<figcaption>Histogram of A and B on the same %d bins "
		"%s, each as a share of its own iterations (log).</figcaption></figure></div>\n",
		pl.cdf, scale,
		pl.log_x ? ", its height in nines (a tic per 9: 50%, 90%, 99%, ...), so that the "
			   "tail is drawn as tall as the body"
			 : "",
		pl.histogram, pl.bins, scale);
	report_compare_plots_free(&pl);
	return 0;
}

/* heading - the probe's label, its verdict as a coloured tag, A's and B's figures and cause mix. */
static void heading(FILE *f, struct json_object *cmp, struct json_object *cp)
{
	const char *verdict = rm_str(cp, RK_CMP_VERDICT);
	char label[256];

	report_html_probe_label(rm_str(cp, RK_CMP_NAME), rm_get(cp, RK_CMP_CONFIG), label,
				sizeof(label));
	fputs("<h3>", f);
	html_escape(f, label);
	fprintf(f, " <span style=\"background:%s;padding:1px 8px;border-radius:4px\">",
		verdict_colour(verdict));
	html_escape(f, verdict ? verdict : "no verdict");
	fputs("</span></h3>\n", f);
	report_compare_rule(f, cp);
	fputs("<table class=\"spike\"><tr><th class=\"l\">trace</th><th>samples</th>"
	      "<th>p50</th><th>p99</th><th>max</th><th>spikes/1000</th>"
	      "<th class=\"l\">excess by cause</th></tr>\n",
	      f);
	side_row(f, cmp, cp, &side_a);
	side_row(f, cmp, cp, &side_b);
	fputs("</table>\n", f);
}

/*
 * compare_probe - one probe present in both traces; a side without a good sample has no
 * statistics ("a" or "b"), so no probe to find by id and nothing to plot.
 */
static int compare_probe(FILE *f, struct report_plot *rp, struct json_object *cmp,
			 struct json_object *cp, const struct report_compare_sides *sides,
			 char *err, size_t errlen)
{
	struct json_object *a = rm_find(cp, RK_CMP_A), *b = rm_find(cp, RK_CMP_B);
	struct json_object *pa = a ? report_probe_of(sides->report_a, rm_int(a, RK_SIDE_ID)) : NULL;
	struct json_object *pb = b ? report_probe_of(sides->report_b, rm_int(b, RK_SIDE_ID)) : NULL;
	int ret;

	heading(f, cmp, cp);
	report_compare_percentiles(f, cp, pa, pb);
	/* the coarser timer step of the two files, as compare's resolution is */
	ret =
	    plots(f, rp, a ? probe_of(sides->a, rm_int(a, RK_SIDE_ID)) : NULL,
		  b ? probe_of(sides->b, rm_int(b, RK_SIDE_ID)) : NULL,
		  rm_num(rm_get(cmp, RK_COMPARE_THRESHOLDS), RK_THRESHOLD_RESOLUTION), err, errlen);
	if (ret)
		return ret;
	report_compare_causes(f, cp, pa, pb);
	report_compare_projection(f, cp);
	tests_line(f, cp);
	return 0;
}

/* only_in - the probes one trace has and the other lacks. */
static void only_in(FILE *f, struct json_object *cmp, enum rm_key key, const char *side)
{
	struct json_object *arr = rm_get(cmp, key), *ref;
	char label[256];
	size_t i;

	if (!json_object_array_length(arr))
		return;
	fprintf(f, "<p class=\"note\">Only in %s: ", side);
	for (i = 0; i < json_object_array_length(arr); i++) {
		ref = json_object_array_get_idx(arr, i);
		report_html_probe_label(rm_str(ref, RK_REF_NAME), rm_get(ref, RK_REF_CONFIG), label,
					sizeof(label));
		html_escape(f, label);
		fputs(i + 1 < json_object_array_length(arr) ? "; " : ".</p>\n", f);
	}
}

/* Only for this section: interval cells, and a cause's change of share coloured by its sign. */
static const char compare_style[] =
    "<style>td.ci{color:#5a6475}td.grew{color:#b42318;font-weight:600}"
    "td.shrank{color:#1f7a3a}p.cmp-rule{margin:4px 0 8px}</style>\n";

int report_html_compare(FILE *f, struct report_plot *rp, struct json_object *cmp,
			const struct report_compare_sides *sides, char *err, size_t errlen)
{
	struct json_object *probes = rm_get(cmp, RK_COMPARE_PROBES);
	size_t i;
	int ret = 0;

	fputs(compare_style, f);
	fputs(
	    "<section class=\"card\" id=\"compare\"><h2>Comparison: A and B per probe</h2>\n"
	    "<p class=\"note\">A is this trace, B the compared one. Per probe: the verdict and the "
	    "rule it followed, both traces' percentiles with their 95% intervals, their "
	    "distributions overlaid, and how the causes of their spikes moved. The verdict is "
	    "run-level, as 'ringscope compare' gives it: each run is one observation of p50, p90, "
	    "p99 and p99.9, and a figure moved only when B - A of their means lies beyond the "
	    "run-to-run spread: <b>same</b> (nothing moved), <b>shift</b> (one constant), "
	    "<b>scale</b> (one factor) or <b>shape</b> (the distribution itself changed). The "
	    "Kolmogorov-Smirnov and Wasserstein figures of the pooled iterations are descriptive. "
	    "Times in us.</p>\n",
	    f);
	for (i = 0; !ret && i < json_object_array_length(probes); i++)
		ret = compare_probe(f, rp, cmp, json_object_array_get_idx(probes, i), sides, err,
				    errlen);
	only_in(f, cmp, RK_COMPARE_ONLY_IN_A, "this trace");
	only_in(f, cmp, RK_COMPARE_ONLY_IN_B, "the compared trace");
	fputs("</section>\n", f);
	return ret;
}
