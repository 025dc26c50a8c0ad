// SPDX-License-Identifier: MIT
/* report_compare_tables - a compared probe's verdict rule, percentiles and cause shares. */
#include <math.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include <json-c/json.h>

#include "analysis/model/report_model.h"
#include "analysis/report/html_escape.h"
#include "analysis/report/report_compare_tables.h"

void report_compare_rule(FILE *f, struct json_object *cp)
{
	const char *rule = json_object_get_string(rm_find(cp, RK_CMP_RULE));

	/* the verdict is the heading's tag; the rule says it again with what it read */
	fputs("<p class=\"cmp-rule\"><b>verdict by the rule</b>: ", f);
	if (rule)
		html_escape(f, rule);
	else
		fputs("none: a trace has no good sample of this probe", f);
	fputs("</p>\n", f);
}

/* The rows of the percentile table: the statistic, its interval, B/A. */
static const struct {
	const char *head;
	enum rm_key stat, ci, ratio;
} pct_rows[] = {
    {"p50", RK_STATS_P50, RK_CONFIDENCE_P50, RK_RATIO_P50},
    {"p90", RK_STATS_P90, RK_CONFIDENCE_P90, RK_RATIO_P90},
    {"p99", RK_STATS_P99, RK_CONFIDENCE_P99, RK_RATIO_P99},
    {"p99.9", RK_STATS_P999, RK_CONFIDENCE_P999, RK_RATIO_P999},
};

/* ci_bound - bound @i (0 low, 1 high) of interval @ci in ns; NAN where the data cannot bound. */
static double ci_bound(struct json_object *ci, size_t i)
{
	struct json_object *v = json_object_array_get_idx(ci, i);

	return v ? json_object_get_double(v) : NAN;
}

/* pct_cells - one side's "<td>value</td><td>[lo, hi]</td>" in us, '-' for what is missing. */
static void pct_cells(FILE *f, struct json_object *side, enum rm_key stat, const double ci[2])
{
	double v = rm_num_nan(side, stat);

	fprintf(f, isnan(v) ? "<td>-</td>" : "<td>%.3f</td>", v / 1000);
	fputs("<td class=\"ci\">[", f);
	fprintf(f, isnan(ci[0]) ? "-" : "%.3f", ci[0] / 1000);
	fputs(", ", f);
	fprintf(f, isnan(ci[1]) ? "-" : "%.3f", ci[1] / 1000);
	fputs("]</td>", f);
}

/* apart - "apart" when one interval lies wholly above the other, "overlap", "-" unknown. */
static const char *apart(const double a[2], const double b[2])
{
	if (isnan(a[0]) || isnan(a[1]) || isnan(b[0]) || isnan(b[1]))
		return "-";
	return a[1] < b[0] || b[1] < a[0] ? "apart" : "overlap";
}

void report_compare_percentiles(FILE *f, struct json_object *cp, struct json_object *pa,
				struct json_object *pb)
{
	struct json_object *a = rm_find(cp, RK_CMP_A), *b = rm_find(cp, RK_CMP_B);
	struct json_object *ca = rm_find(pa, RK_PROBE_CONFIDENCE);
	struct json_object *cb = rm_find(pb, RK_PROBE_CONFIDENCE);
	double ia[2], ib[2], ratio;
	size_t r;

	if (!a || !b)
		return;
	fputs("<table class=\"cmp-pct\"><tr><th class=\"l\">percentile</th><th>A (us)</th>"
	      "<th>A 95% interval</th><th>B (us)</th><th>B 95% interval</th><th>B/A</th>"
	      "<th>intervals</th></tr>\n",
	      f);
	for (r = 0; r < sizeof(pct_rows) / sizeof(pct_rows[0]); r++) {
		ia[0] = ci_bound(rm_get(ca, pct_rows[r].ci), 0);
		ia[1] = ci_bound(rm_get(ca, pct_rows[r].ci), 1);
		ib[0] = ci_bound(rm_get(cb, pct_rows[r].ci), 0);
		ib[1] = ci_bound(rm_get(cb, pct_rows[r].ci), 1);
		ratio = rm_num_nan(rm_find(cp, RK_CMP_RATIO), pct_rows[r].ratio);
		fprintf(f, "<tr><td class=\"l\">%s</td>", pct_rows[r].head);
		pct_cells(f, a, pct_rows[r].stat, ia);
		pct_cells(f, b, pct_rows[r].stat, ib);
		fprintf(f, isnan(ratio) ? "<td>-</td>" : "<td>%.3f</td>", ratio);
		fprintf(f, "<td>%s</td></tr>\n", apart(ia, ib));
	}
	fputs("</table>\n", f);
}
