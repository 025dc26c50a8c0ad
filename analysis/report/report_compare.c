// SPDX-License-Identifier: MIT
/* report_compare - the --compare section: per probe both sides, the tests and the verdict. */
#include <stdio.h>
#include <string.h>

#include <json-c/json.h>

#include "analysis/compare/compare.h"
#include "analysis/model/report_model.h"
#include "analysis/report/html_escape.h"
#include "analysis/report/report_compare.h"
#include "analysis/report/report_html.h"
#include "analysis/report/report_spikes.h"

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
	enum rm_key stats, rate, attribution, file;
};
static const struct side_keys side_a = {RK_CMP_A, RK_RATE_A, RK_CMP_ATTR_A, RK_COMPARE_A};
static const struct side_keys side_b = {RK_CMP_B, RK_RATE_B, RK_CMP_ATTR_B, RK_COMPARE_B};

/*
 * side_row - one trace's line of a probe: p50, p99, max, spikes per 1000 and its cause mix
 * (zeros for statistics a side without a good sample does not have).
 */
static void side_row(FILE *f, struct json_object *cmp, struct json_object *cp,
		     const struct side_keys *k)
{
	struct json_object *st = rm_find(cp, k->stats);
	struct json_object *rate = rm_get(rm_get(cp, RK_CMP_SPIKE_RATE), k->rate);

	fputs("<tr><td class=\"l\">", f);
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

/* compare_probe - one probe present in both traces. */
static void compare_probe(FILE *f, struct json_object *cmp, struct json_object *cp)
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
	fputs("</span></h3>\n<table class=\"spike\"><tr><th class=\"l\">trace</th><th>samples</th>"
	      "<th>p50</th><th>p99</th><th>max</th><th>spikes/1000</th>"
	      "<th class=\"l\">excess by cause</th></tr>\n",
	      f);
	side_row(f, cmp, cp, &side_a);
	side_row(f, cmp, cp, &side_b);
	fputs("</table>\n", f);
	tests_line(f, cp);
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

void report_html_compare(FILE *f, struct json_object *cmp)
{
	struct json_object *probes = rm_get(cmp, RK_COMPARE_PROBES);
	size_t i;

	fputs("<section class=\"card\" id=\"compare\"><h2>Comparison: verdict per probe</h2>\n"
	      "<p class=\"note\">Two-sample Kolmogorov-Smirnov tests and Wasserstein distances on "
	      "raw, median-aligned and median/MAD-normalized samples: <b>same</b>, <b>shift</b> "
	      "(location only), <b>scale</b> (location and spread) or <b>shape</b> (the "
	      "distribution itself changed). Times in us.</p>\n",
	      f);
	for (i = 0; i < json_object_array_length(probes); i++)
		compare_probe(f, cmp, json_object_array_get_idx(probes, i));
	only_in(f, cmp, RK_COMPARE_ONLY_IN_A, "this trace");
	only_in(f, cmp, RK_COMPARE_ONLY_IN_B, "the compared trace");
	fputs("</section>\n", f);
}
