// SPDX-License-Identifier: MIT
/* report_projection - compare --project's test of A's projection against B, as a table. */
#include <math.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include <json-c/json.h>

#include "analysis/attribution/mechanisms.h"
#include "analysis/model/report_model.h"
#include "analysis/report/html_escape.h"
#include "analysis/report/report_projection.h"

/* bound - @v in us, signed when @sign, "-" when NAN. */
static void bound(FILE *f, double v, bool sign)
{
	if (isnan(v))
		fputs("-", f);
	else
		fprintf(f, sign ? "%+.3f" : "%.3f", v / 1e3);
}

/* us_cell - "<td>value</td>" of @key of @o in us (signed when @sign), "-" when null. */
static void us_cell(FILE *f, struct json_object *o, enum rm_key key, bool sign)
{
	fputs("<td>", f);
	bound(f, rm_num_nan(o, key), sign);
	fputs("</td>", f);
}

/* interval_cell - "<td class="ci">[lo, hi]</td>" in us (signed when @sign; NAN: "-"). */
static void interval_cell(FILE *f, double lo, double hi, bool sign)
{
	fputs("<td class=\"ci\">[", f);
	bound(f, lo, sign);
	fputs(", ", f);
	bound(f, hi, sign);
	fputs("]</td>", f);
}

/* ci_of - bound @i of a [lo, hi] array, NAN for null. */
static double ci_of(struct json_object *ci, size_t i)
{
	struct json_object *v = json_object_array_get_idx(ci, i);

	return v ? json_object_get_double(v) : NAN;
}

/* mechanism_name - the row name of mechanism @key, or @key itself. */
static const char *mechanism_name(const char *key)
{
	unsigned int k;

	for (k = 0; k < MECH_NIV; k++)
		if (!strcmp(key, mech_key(k)))
			return mech_name(k);
	return key;
}

/* why_cell - what a quantile that does not match is made of: its largest mechanism, and what. */
static void why_cell(FILE *f, struct json_object *q)
{
	struct json_object *miss = rm_find(q, RK_CPQ_MISSING), *m = rm_find(q, RK_CPQ_BY_MECH);
	bool matches = json_object_get_boolean(rm_find(q, RK_CPQ_MATCHES));

	fputs("<td class=\"l\">", f);
	if (!rm_find(q, RK_CPQ_MATCHES))
		fputs("no verdict", f);
	else if (matches)
		fputs("matches B", f);
	else if (!m)
		fputs("differs (no mechanism times on a side)", f);
	else if (!miss)
		fputs("differs: no mechanism goes its way (unexplained)", f);
	else {
		fputs("differs: ", f);
		html_escape(f, mechanism_name(json_object_get_string(miss)));
		fprintf(
		    f, " %+.1f us, %s",
		    rm_num(rm_member(rm_get(m, RK_CMP_MECH_PARTS_OF), json_object_get_string(miss)),
			   RK_CMP_MECH_NS) /
			1e3,
		    rm_num(q, RK_CPQ_EFFECT) < 0 ? "which B holds more of"
		    : json_object_get_boolean(rm_get(q, RK_CPQ_MISSING_HOST))
			? "host time left in (neither on a critical path nor in a spike's "
			  "attribution)"
			: "not host time the projection knows");
	}
	fputs("</td>", f);
}

void report_compare_projection(FILE *f, struct json_object *cp)
{
	struct json_object *t = rm_find(cp, RK_CMP_PROJECTION), *p, *pq, *q;
	size_t k;

	if (!t)
		return;
	p = rm_get(t, RK_CPJ_PROJECTION);
	fputs("<p class=\"note\"><b>A without the host's time, against B</b> (", f);
	html_escape(f, !strcmp(rm_str(t, RK_CPJ_BASELINE_FROM), "b") ? "B's costs as bare metal's"
		       : !strcmp(rm_str(t, RK_CPJ_BASELINE_FROM), "given")
			   ? "the given baseline"
			   : "no baseline: B names a hypervisor");
	fprintf(f,
		"): A's traced runs less %.3f us of host time, from %lld spikes' attribution and "
		"%lld iterations' critical path (%.3f us); verdict of the projection against B by "
		"the same rule: ",
		(double)rm_int(p, RK_PROJ_REMOVED) / 1e3, (long long)rm_int(p, RK_PROJ_SPIKES),
		(long long)rm_int(p, RK_PROJ_PATH_ITERATIONS),
		(double)(rm_int(p, RK_PROJ_PATH_ABSENT) + rm_int(p, RK_PROJ_PATH_DELIVERY)) / 1e3);
	html_escape(f, rm_text(t, RK_CPJ_VERDICT, "none"));
	fputs(".</p>\n<table class=\"cmp-proj\"><tr><th class=\"l\">percentile</th><th>A (us)</th>"
	      "<th>projected</th><th>95% interval</th><th>B</th><th>projected - B</th>"
	      "<th>99% interval</th><th class=\"l\">what differs</th></tr>\n",
	      f);
	for (k = 0; k < json_object_array_length(rm_get(t, RK_CPJ_QUANTILES)); k++) {
		q = json_object_array_get_idx(rm_get(t, RK_CPJ_QUANTILES), k);
		pq = json_object_array_get_idx(rm_get(p, RK_PROJ_QUANTILES), k);
		fprintf(f, "<tr><td class=\"l\">p%g</td>", 100 * rm_num(q, RK_CPQ_Q));
		us_cell(f, pq, RK_PQ_GUEST, false);
		us_cell(f, pq, RK_PQ_PROJ, false);
		interval_cell(f, ci_of(rm_get(pq, RK_PQ_PROJ_CI), 0),
			      ci_of(rm_get(pq, RK_PQ_PROJ_CI), 1), false);
		us_cell(f, q, RK_CPQ_B, false);
		us_cell(f, q, RK_CPQ_EFFECT, true);
		interval_cell(f, rm_num_nan(q, RK_CPQ_LOW), rm_num_nan(q, RK_CPQ_HIGH), true);
		why_cell(f, q);
		fputs("</tr>\n", f);
	}
	fputs("</table>\n", f);
}
