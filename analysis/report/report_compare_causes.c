// SPDX-License-Identifier: MIT
/* report_compare_causes - how the causes of a compared probe's spikes moved from A to B. */
#include <math.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>

#include <json-c/json.h>

#include "analysis/attribution/attribution.h"
#include "analysis/model/report_model.h"
#include "analysis/report/report_compare_causes.h"

/* cause_row - one cause in both traces: [0] is A, [1] is B. */
struct cause_row {
	const char *name;
	double spikes[2], excess_ns[2], share[2]; /* share: of that trace's total excess */
};

/* cause_table - the causes either trace has, their totals and the good samples per side. */
struct cause_table {
	struct cause_row row[ATTR_NCAUSES];
	size_t n;
	double total_ns[2];
	double samples[2]; /* the good samples the spikes were found in; NAN when unknown */
};

/* by_growth - the largest gain of share first, the largest loss last. */
static int by_growth(const void *x, const void *y)
{
	const struct cause_row *a = x, *b = y;
	double ga = a->share[1] - a->share[0], gb = b->share[1] - b->share[0];

	return (gb > ga) - (gb < ga);
}

/* table_fill - the rows of the causes with a spike or excess in A or B, grown most first. */
static void table_fill(struct cause_table *t, struct json_object *attr[2],
		       struct json_object *probe[2])
{
	struct json_object *c;
	unsigned int k;
	size_t i, s;

	t->n = 0;
	for (s = 0; s < 2; s++) {
		t->total_ns[s] = 0;
		t->samples[s] = rm_num_nan(rm_find(probe[s], RK_PROBE_SPIKE_DETECTION),
					   RK_DETECTION_GOOD_SAMPLES);
	}
	for (k = 0; k < ATTR_NCAUSES; k++) {
		struct cause_row *r = &t->row[t->n];

		r->name = attr_cause_name(k);
		for (s = 0; s < 2; s++) {
			c = rm_member(attr[s], r->name);
			r->spikes[s] = (double)rm_int(c, RK_CAUSE_TOTAL_SPIKES);
			r->excess_ns[s] = (double)rm_int(c, RK_CAUSE_TOTAL_EXCESS);
			t->total_ns[s] += r->excess_ns[s];
		}
		if (r->spikes[0] || r->spikes[1] || r->excess_ns[0] || r->excess_ns[1])
			t->n++;
	}
	for (i = 0; i < t->n; i++) {
		for (s = 0; s < 2; s++)
			t->row[i].share[s] =
			    t->total_ns[s] > 0 ? t->row[i].excess_ns[s] / t->total_ns[s] : 0;
	}
	qsort(t->row, t->n, sizeof(t->row[0]), by_growth);
}

/*
 * per_1000 - @ns of excess per 1000 good iterations of side @s, in us (ns per iteration is us
 * per 1000 of them): traces of different lengths compare. NAN when unknown.
 */
static double per_1000(const struct cause_table *t, size_t s, double ns)
{
	return t->samples[s] > 0 ? ns / t->samples[s] : NAN;
}

/* table_row - one cause: spikes and share of each side, the change, excess per 1000 each. */
static void table_row(FILE *f, const struct cause_table *t, const struct cause_row *r)
{
	double change = 100 * (r->share[1] - r->share[0]);
	size_t s;

	fprintf(f, "<tr><td class=\"l\">%s</td>", r->name);
	for (s = 0; s < 2; s++)
		fprintf(f, "<td>%.0f</td><td>%.1f%%</td>", r->spikes[s], 100 * r->share[s]);
	fprintf(f, "<td class=\"%s\">%+.1f pp</td>",
		change > 0.05	 ? "grew"
		: change < -0.05 ? "shrank"
				 : "held",
		change);
	for (s = 0; s < 2; s++)
		fprintf(f, isnan(per_1000(t, s, 1)) ? "<td>-</td>" : "<td>%.3f</td>",
			per_1000(t, s, r->excess_ns[s]));
	fputs("</tr>\n", f);
}

/* summary - one sentence: which cause's share grew most from A to B, and by how much. */
static void summary(FILE *f, const struct cause_table *t)
{
	const struct cause_row *r = &t->row[0];
	double change = 100 * (r->share[1] - r->share[0]);

	fputs("<p class=\"cmp-grew\">", f);
	if (!t->n || change <= 0.05) {
		fputs("No cause's share of the excess grew from A to B.</p>\n", f);
		return;
	}
	fprintf(f,
		"From A to B, <b>%s</b> grew most: %.1f%% to %.1f%% of the spikes' excess "
		"(%+.1f pp)",
		r->name, 100 * r->share[0], 100 * r->share[1], change);
	if (!isnan(per_1000(t, 0, 1)) && !isnan(per_1000(t, 1, 1)))
		fprintf(f, ", %.3f to %.3f us of excess per 1000 iterations",
			per_1000(t, 0, r->excess_ns[0]), per_1000(t, 1, r->excess_ns[1]));
	fputs(".</p>\n", f);
}

/* untraced - the sentence for a side whose spikes have no causes; true when one was written. */
static bool untraced(FILE *f, struct json_object *attrs, struct json_object *attr[2])
{
	bool traced[2] = {rm_bool(attrs, RK_CMP_ATTR_TRACED_A),
			  rm_bool(attrs, RK_CMP_ATTR_TRACED_B)};
	size_t s;

	for (s = 0; s < 2; s++) {
		if (attr[s] && traced[s])
			continue;
		fprintf(f,
			"<p class=\"cmp-grew\">No cause shares to compare: %s was recorded "
			"without tracing, so its spikes have no causes.</p>\n",
			s ? "B" : "A");
		return true;
	}
	return false;
}

void report_compare_causes(FILE *f, struct json_object *cp, struct json_object *pa,
			   struct json_object *pb)
{
	struct json_object *attrs = rm_get(cp, RK_CMP_ATTRIBUTION);
	struct json_object *attr[2] = {rm_get(attrs, RK_CMP_ATTR_A), rm_get(attrs, RK_CMP_ATTR_B)};
	struct json_object *probe[2] = {pa, pb};
	struct cause_table t;
	size_t i;

	if (untraced(f, attrs, attr))
		return;
	table_fill(&t, attr, probe);
	if (!t.n) {
		fputs("<p class=\"cmp-grew\">Neither trace has a spike of this probe: no causes "
		      "to compare.</p>\n",
		      f);
		return;
	}
	fputs("<table class=\"cmp-causes\"><tr><th class=\"l\">cause</th><th>A spikes led</th>"
	      "<th>A share</th><th>B spikes led</th><th>B share</th><th>share change</th>"
	      "<th>A excess (us / 1000 it.)</th><th>B excess (us / 1000 it.)</th></tr>\n",
	      f);
	for (i = 0; i < t.n; i++)
		table_row(f, &t, &t.row[i]);
	fputs("</table>\n", f);
	summary(f, &t);
}
