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

/* A column of a pattern's table: its head, its key, the scale and decimals of its figures. */
struct column {
	const char *head;
	enum rm_key key;
	double scale;
	int decimals;
};

/*
 * pattern_table - one kind of pattern as a table of class @cls, a row per object of @arr with
 * @cols, then a text column @last_head written by @last when it is not NULL.
 */
static void pattern_table(FILE *f, const char *cls, struct json_object *arr,
			  const struct column *cols, size_t ncols, const char *last_head,
			  void (*last)(FILE *f, struct json_object *o))
{
	struct json_object *o;
	size_t i, c;

	fprintf(f, "<table class=\"patterns %s\"><tr>", cls);
	for (c = 0; c < ncols; c++)
		fprintf(f, "<th>%s</th>", cols[c].head);
	fprintf(f, last ? "<th class=\"l\">%s</th></tr>\n" : "</tr>\n", last_head);
	for (i = 0; i < json_object_array_length(arr); i++) {
		o = json_object_array_get_idx(arr, i);
		fputs("<tr>", f);
		for (c = 0; c < ncols; c++)
			cell(f, o, cols[c].key, cols[c].scale, cols[c].decimals);
		if (last) {
			fputs("<td class=\"l\">", f);
			last(f, o);
			fputs("</td>", f);
		}
		fputs("</tr>\n", f);
	}
	fputs("</table>\n", f);
}

static const struct column periodic_cols[] = {
    {"every (iterations)", RK_LINE_PERIOD, 1, 2},
    {"spikes on it", RK_LINE_SUPPORT, 1, 0},
    {"share of the spikes (%)", RK_LINE_SHARE, 100, 0},
    {"positions with a spike (%)", RK_LINE_HIT_RATE, 100, 0},
    {"height (x the median)", RK_LINE_MAGNITUDE, 1, 1},
};

static const struct column drift_cols[] = {
    {"iterations per run", RK_DRIFT_SLOPE, 1, 2},
    {"from iteration", RK_DRIFT_INTERCEPT, 1, 0},
    {"spikes", RK_DRIFT_SUPPORT, 1, 0},
    {"runs", RK_DRIFT_RUNS, 1, 0},
    {"height (x the median)", RK_DRIFT_MAGNITUDE, 1, 1},
};

static const struct column mode_cols[] = {
    {"latency (us)", RK_MODE_LOCATION, 1e-3, 3},
    {"share of the samples (%)", RK_MODE_WEIGHT, 100, 1},
};

#define NCOLS(cols) (sizeof(cols) / sizeof(cols[0]))

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
	if (heading(f, "Periodic lines (spikes every so many iterations)",
		    rm_get(pat, RK_PATTERNS_PERIODIC)))
		pattern_table(f, "periodic", rm_get(pat, RK_PATTERNS_PERIODIC), periodic_cols,
			      NCOLS(periodic_cols), "phase", phases);
	if (heading(f, "Drifts (spikes moving from run to run)", rm_get(pat, RK_PATTERNS_DRIFT)))
		pattern_table(f, "drift", rm_get(pat, RK_PATTERNS_DRIFT), drift_cols,
			      NCOLS(drift_cols), NULL, NULL);
	if (heading(f, "Modes of the latency distribution", rm_get(pat, RK_PATTERNS_MODES)))
		pattern_table(f, "modes", rm_get(pat, RK_PATTERNS_MODES), mode_cols,
			      NCOLS(mode_cols), NULL, NULL);
	confidence_line(f, rm_get(probe, RK_PROBE_CONFIDENCE));
	fputs("</div>\n", f);
}
