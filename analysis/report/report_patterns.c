// SPDX-License-Identifier: MIT
/* report_patterns - a probe's periodic lines, drifts, modes and intervals as labelled tables. */
#include "analysis/report/report_patterns.h"

#include <math.h>
#include <stddef.h>

#include <json-c/json.h>

#include "analysis/model/report_model.h"

/* num - @v with @decimals decimals, "-" when unknown (null). */
static void num(FILE *f, double v, int decimals)
{
	if (isnan(v))
		fputs("-", f);
	else
		fprintf(f, "%.*f", decimals, v);
}

/* cell - one cell: a number of @o scaled by @scale, with @decimals decimals. */
static void cell(FILE *f, struct json_object *o, enum rm_key key, double scale, int decimals)
{
	fputs("<td>", f);
	num(f, rm_num_nan(o, key) * scale, decimals);
	fputs("</td>", f);
}

/* heading - the title of one kind of pattern; false (and "none found") when there is none. */
static int heading(FILE *f, const char *title, struct json_object *arr)
{
	fprintf(f, "<h4>%s</h4>\n", title);
	if (json_object_is_type(arr, json_type_array) && json_object_array_length(arr))
		return 1;
	fputs("<p class=\"note\">none found</p>\n", f);
	return 0;
}

/* phases - "from iteration 12.00 in every run", or each run's phase ("-": the run has none). */
static void phases(FILE *f, struct json_object *line)
{
	struct json_object *ph = rm_get(line, RK_LINE_PHASES), *v;
	size_t i, n = json_object_is_type(ph, json_type_array) ? json_object_array_length(ph) : 0;

	if (rm_bool(line, RK_LINE_SAME_PHASE)) {
		fputs("from iteration ", f);
		num(f, rm_num_nan(line, RK_LINE_PHASE), 2);
		fputs(" in every run", f);
		return;
	}
	fputs("by run:", f);
	for (i = 0; i < n && i < 8; i++) {
		v = json_object_array_get_idx(ph, i);
		fputc(' ', f);
		num(f, v ? json_object_get_double(v) : NAN, 2);
	}
	if (i < n)
		fputs(" ...", f);
}

static void periodic_table(FILE *f, struct json_object *arr)
{
	struct json_object *l;
	size_t i;

	if (!heading(f, "Periodic lines (spikes every so many iterations)", arr))
		return;
	fputs("<table class=\"patterns periodic\"><tr><th>every (iterations)</th><th>spikes on "
	      "it</th><th>share of the spikes</th><th>positions with a spike</th><th>height (x "
	      "the median)</th><th class=\"l\">phase</th></tr>\n",
	      f);
	for (i = 0; i < json_object_array_length(arr); i++) {
		l = json_object_array_get_idx(arr, i);
		fputs("<tr>", f);
		cell(f, l, RK_LINE_PERIOD, 1, 2);
		cell(f, l, RK_LINE_SUPPORT, 1, 0);
		cell(f, l, RK_LINE_SHARE, 100, 0);
		cell(f, l, RK_LINE_HIT_RATE, 100, 0);
		cell(f, l, RK_LINE_MAGNITUDE, 1, 1);
		fputs("<td class=\"l\">", f);
		phases(f, l);
		fputs("</td></tr>\n", f);
	}
	fputs("</table>\n<p class=\"note\">Shares and positions in %.</p>\n", f);
}

static void drift_table(FILE *f, struct json_object *arr)
{
	struct json_object *d;
	size_t i;

	if (!heading(f, "Drifts (spikes moving from run to run)", arr))
		return;
	fputs("<table class=\"patterns drift\"><tr><th>iterations per run</th><th>from "
	      "iteration</th><th>spikes</th><th>runs</th><th>height (x the median)</th></tr>\n",
	      f);
	for (i = 0; i < json_object_array_length(arr); i++) {
		d = json_object_array_get_idx(arr, i);
		fputs("<tr>", f);
		cell(f, d, RK_DRIFT_SLOPE, 1, 2);
		cell(f, d, RK_DRIFT_INTERCEPT, 1, 0);
		cell(f, d, RK_DRIFT_SUPPORT, 1, 0);
		cell(f, d, RK_DRIFT_RUNS, 1, 0);
		cell(f, d, RK_DRIFT_MAGNITUDE, 1, 1);
		fputs("</tr>\n", f);
	}
	fputs("</table>\n", f);
}

static void modes_table(FILE *f, struct json_object *arr)
{
	struct json_object *m;
	size_t i;

	if (!heading(f, "Modes of the latency distribution", arr))
		return;
	fputs("<table class=\"patterns modes\"><tr><th>latency (us)</th><th>share of the samples "
	      "(%)</th></tr>\n",
	      f);
	for (i = 0; i < json_object_array_length(arr); i++) {
		m = json_object_array_get_idx(arr, i);
		fputs("<tr>", f);
		cell(f, m, RK_MODE_LOCATION, 1e-3, 3);
		cell(f, m, RK_MODE_WEIGHT, 100, 1);
		fputs("</tr>\n", f);
	}
	fputs("</table>\n", f);
}

/* confidence_line - the 95% intervals of the percentiles and the lag-1 autocorrelation. */
static void confidence_line(FILE *f, struct json_object *conf)
{
	static const struct {
		const char *name;
		enum rm_key key;
	} pcts[] = {{"p50", RK_CONFIDENCE_P50},
		    {"p90", RK_CONFIDENCE_P90},
		    {"p99", RK_CONFIDENCE_P99},
		    {"p99.9", RK_CONFIDENCE_P999}};
	struct json_object *v, *end;
	size_t i, k;

	if (!conf)
		return;
	fputs("<p class=\"note\">95% intervals (order statistics, us):", f);
	for (i = 0; i < sizeof(pcts) / sizeof(pcts[0]); i++) {
		v = rm_get(conf, pcts[i].key);
		fprintf(f, " %s [", pcts[i].name);
		for (k = 0; k < 2; k++) {
			end = json_object_array_get_idx(v, k);
			fputs(k ? ", " : "", f);
			num(f, end ? json_object_get_double(end) / 1000 : NAN, 3);
		}
		fputs("];", f);
	}
	fputs(" lag-1 autocorrelation ", f);
	num(f, rm_num_nan(conf, RK_CONFIDENCE_LAG1), 3);
	fprintf(f, "%s.</p>\n",
		rm_bool(conf, RK_CONFIDENCE_AUTOCORRELATED)
		    ? " (strong: the intervals are too narrow)"
		    : "");
}

void report_patterns_section(FILE *f, struct json_object *probe)
{
	struct json_object *pat = rm_find(probe, RK_PROBE_PATTERNS);

	if (!json_object_is_type(pat, json_type_object))
		return;
	fputs("<div class=\"patterns\"><h3>Patterns found</h3>\n", f);
	periodic_table(f, rm_get(pat, RK_PATTERNS_PERIODIC));
	drift_table(f, rm_get(pat, RK_PATTERNS_DRIFT));
	modes_table(f, rm_get(pat, RK_PATTERNS_MODES));
	confidence_line(f, rm_get(probe, RK_PROBE_CONFIDENCE));
	fputs("</div>\n", f);
}
