// SPDX-License-Identifier: MIT
/* report_compare - the --compare section: per probe both sides, the tests and the verdict. */
#include <stdio.h>
#include <string.h>

#include <json-c/json.h>

#include "analysis/report/html_escape.h"
#include "analysis/report/report_compare.h"
#include "analysis/report/report_html.h"
#include "analysis/report/report_spikes.h"

/* verdict_colour - a background per verdict: green same, blue shift, amber scale, red shape. */
static const char *verdict_colour(const char *v)
{
	if (!v)
		return "#eef0f4";
	if (!strcmp(v, "same"))
		return "#d8f0dc";
	if (!strcmp(v, "shift"))
		return "#dbe8fb";
	if (!strcmp(v, "scale"))
		return "#fdebd3";
	return "#f9d6d5";
}

static double num(struct json_object *o, const char *a, const char *b)
{
	struct json_object *v = json_object_object_get(o, a);

	if (b)
		v = json_object_object_get(v, b);
	return json_object_get_double(v);
}

/* side_row - one trace's line of a probe: p50, p99, max, spikes per 1000 and its cause mix. */
static void side_row(FILE *f, struct json_object *cp, const char *side, const char *path)
{
	struct json_object *st = json_object_object_get(cp, side);
	struct json_object *rate =
	    json_object_object_get(json_object_object_get(cp, "spike_rate"), side);
	struct json_object *attr =
	    json_object_object_get(json_object_object_get(cp, "attribution"), side);

	fputs("<tr><td class=\"l\">", f);
	html_escape(f, path);
	fprintf(f,
		"</td><td>%.0f</td><td>%.3f</td><td>%.3f</td><td>%.3f</td><td>%.1f</td>"
		"<td class=\"l\">",
		num(st, "samples", NULL), num(st, "p50_ns", NULL) / 1000,
		num(st, "p99_ns", NULL) / 1000, num(st, "max_ns", NULL) / 1000,
		num(rate, "per_1000", NULL));
	report_attribution_bar(f, attr);
	fputs("</td></tr>\n", f);
}

/* tests_line - the three tests' figures in one sentence. */
static void tests_line(FILE *f, struct json_object *cp)
{
	static const char *const levels[] = {"raw", "aligned", "normalized"};
	struct json_object *tests = json_object_object_get(cp, "tests"), *t;
	size_t i;

	fputs("<p class=\"note\">", f);
	for (i = 0; i < 3; i++) {
		t = json_object_object_get(tests, levels[i]);
		fprintf(f, "%s: KS D %.3f (p %.2g), Wasserstein %.1f us%s; ", levels[i],
			num(t, "ks_d", NULL), num(t, "ks_p", NULL),
			num(t, "wasserstein_ns", NULL) / 1000,
			json_object_get_boolean(json_object_object_get(t, "differs")) ? ", differs"
										      : "");
	}
	fprintf(f, "shift %.1f us, scale x%.2f.</p>\n", num(cp, "shift_ns", NULL) / 1000,
		num(cp, "scale", NULL));
}

/* compare_probe - one probe present in both traces. */
static void compare_probe(FILE *f, struct json_object *cmp, struct json_object *cp)
{
	const char *verdict = json_object_get_string(json_object_object_get(cp, "verdict"));
	char label[256];

	report_html_probe_label(cp, label, sizeof(label));
	fputs("<h3>", f);
	html_escape(f, label);
	fprintf(f, " <span style=\"background:%s;padding:1px 8px;border-radius:4px\">",
		verdict_colour(verdict));
	html_escape(f, verdict ? verdict : "no verdict");
	fputs("</span></h3>\n<table class=\"spike\"><tr><th class=\"l\">trace</th><th>samples</th>"
	      "<th>p50</th><th>p99</th><th>max</th><th>spikes/1000</th>"
	      "<th class=\"l\">excess by cause</th></tr>\n",
	      f);
	side_row(f, cp, "a",
		 json_object_get_string(
		     json_object_object_get(json_object_object_get(cmp, "a"), "path")));
	side_row(f, cp, "b",
		 json_object_get_string(
		     json_object_object_get(json_object_object_get(cmp, "b"), "path")));
	fputs("</table>\n", f);
	tests_line(f, cp);
}

/* only_in - the probes one trace has and the other lacks. */
static void only_in(FILE *f, struct json_object *cmp, const char *key, const char *side)
{
	struct json_object *arr = json_object_object_get(cmp, key);
	char label[256];
	size_t i;

	if (!json_object_array_length(arr))
		return;
	fprintf(f, "<p class=\"note\">Only in %s: ", side);
	for (i = 0; i < json_object_array_length(arr); i++) {
		report_html_probe_label(json_object_array_get_idx(arr, i), label, sizeof(label));
		html_escape(f, label);
		fputs(i + 1 < json_object_array_length(arr) ? "; " : ".</p>\n", f);
	}
}

void report_html_compare(FILE *f, struct json_object *cmp)
{
	struct json_object *probes = json_object_object_get(cmp, "probes");
	size_t i;

	fputs("<section class=\"card\" id=\"compare\"><h2>Comparison: verdict per probe</h2>\n"
	      "<p class=\"note\">Two-sample Kolmogorov-Smirnov tests and Wasserstein distances on "
	      "raw, median-aligned and median/MAD-normalized samples: <b>same</b>, <b>shift</b> "
	      "(location only), <b>scale</b> (location and spread) or <b>shape</b> (the "
	      "distribution itself changed). Times in us.</p>\n",
	      f);
	for (i = 0; i < json_object_array_length(probes); i++)
		compare_probe(f, cmp, json_object_array_get_idx(probes, i));
	only_in(f, cmp, "only_in_a", "this trace");
	only_in(f, cmp, "only_in_b", "the compared trace");
	fputs("</section>\n", f);
}
