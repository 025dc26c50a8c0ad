// SPDX-License-Identifier: MIT
/* report_mechanisms - the mechanism costs and a comparison's differences by mechanism, as HTML. */
#include "analysis/report/report_mechanisms.h"

#include <inttypes.h>

#include <json-c/json.h>

#include "analysis/compare/compare_mechanisms.h"
#include "analysis/model/report_model.h"
#include "analysis/report/html_escape.h"

/* cost_cells - "<td>n</td><td>p50 [lo, hi]</td>" in us, or why the row is unknown. */
static void cost_cells(FILE *f, struct json_object *row)
{
	if (!row || !rm_int(row, RK_MECH_ROW_N)) {
		fputs("<td>-</td><td class=\"note\">", f);
		html_escape(f, row ? rm_str(row, RK_MECH_ROW_UNKNOWN) : "not in this trace");
		fputs("</td>", f);
		return;
	}
	fprintf(f, "<td>%" PRId64 "</td><td>%.3f [%.3f, %.3f]</td>", rm_int(row, RK_MECH_ROW_N),
		rm_num(row, RK_MECH_ROW_P50) / 1e3, rm_num(row, RK_MECH_ROW_P50_LO) / 1e3,
		rm_num(row, RK_MECH_ROW_P50_HI) / 1e3);
}

/* cost_table - a row per mechanism of @ma, with @mb's figures beside when given. */
static void cost_table(FILE *f, struct json_object *ma, struct json_object *mb)
{
	struct json_object *rb = rm_get(mb, RK_MECH_ROWS_OF);

	fputs("<table><tr><th>mechanism</th><th>n</th><th>p50 [95% interval] (us)</th>", f);
	if (mb)
		fputs("<th>n (B)</th><th>p50 [95% interval] (us) (B)</th>", f);
	fputs("<th>measured as</th></tr>\n", f);
	json_object_object_foreach(rm_get(ma, RK_MECH_ROWS_OF), key, row)
	{
		fputs("<tr><th>", f);
		html_escape(f, rm_str(row, RK_MECH_ROW_NAME));
		fputs("</th>", f);
		cost_cells(f, row);
		if (mb)
			cost_cells(f, rm_member(rb, key));
		fputs("<td class=\"note\">", f);
		html_escape(f, rm_str(row, RK_MECH_ROW_SOURCE));
		fputs("</td></tr>\n", f);
	}
	fputs("</table>\n", f);
}

/* absences - the rate of vCPU absences of one trace. */
static void absences(FILE *f, const char *which, struct json_object *m)
{
	struct json_object *abs = rm_get(m, RK_MECH_ABSENCES_OF);

	if (!rm_get(abs, RK_MECH_ABS_PER_S))
		return;
	fprintf(f,
		"<p class=\"note\">%s: %" PRId64 " vCPU absences in %.3f s of traced runs, "
		"%.3g/s [%.3g, %.3g]</p>\n",
		which, rm_int(abs, RK_MECH_ABS_COUNT), rm_num(abs, RK_MECH_ABS_TRACED_S),
		rm_num(abs, RK_MECH_ABS_PER_S), rm_num(abs, RK_MECH_ABS_PER_S_LO),
		rm_num(abs, RK_MECH_ABS_PER_S_HI));
}

/* part_cell - "+Y [lo, hi]" in us. */
static void part_cell(FILE *f, struct json_object *p)
{
	fprintf(f, "<td>%+.1f [%+.1f, %+.1f]</td>", rm_num(p, RK_CMP_MECH_NS) / 1e3,
		rm_num(p, RK_CMP_MECH_LO) / 1e3, rm_num(p, RK_CMP_MECH_HI) / 1e3);
}

/* decomposition - one compared probe's p50 and p99 differences by mechanism. */
static void decomposition(FILE *f, struct json_object *probe)
{
	struct json_object *m = rm_find(probe, RK_CMP_MECHANISMS), *q50, *q99;
	unsigned int k;

	if (!m)
		return;
	q50 = rm_get(m, RK_CMP_MECH_P50);
	q99 = rm_get(m, RK_CMP_MECH_P99);
	fputs("<h3>", f);
	html_escape(f, rm_str(probe, RK_CMP_NAME));
	fprintf(f,
		": B less A by mechanism (verdict %s)</h3>\n<table><tr><th></th><th>p50 (us)"
		"</th><th>p99 (us)</th></tr>\n<tr><th>difference</th>",
		rm_text(probe, RK_CMP_VERDICT, "none"));
	part_cell(f, rm_get(q50, RK_CMP_MECH_TOTAL));
	part_cell(f, rm_get(q99, RK_CMP_MECH_TOTAL));
	fputs("</tr>\n", f);
	for (k = 0; k < MECH_NIV; k++) {
		fprintf(f, "<tr><th>%s</th>", mech_name(k));
		part_cell(f, rm_member(rm_get(q50, RK_CMP_MECH_PARTS_OF), mech_key(k)));
		part_cell(f, rm_member(rm_get(q99, RK_CMP_MECH_PARTS_OF), mech_key(k)));
		fputs("</tr>\n", f);
	}
	fputs("<tr><th>unexplained</th>", f);
	part_cell(f, rm_get(q50, RK_CMP_MECH_UNEXPLAINED));
	part_cell(f, rm_get(q99, RK_CMP_MECH_UNEXPLAINED));
	fputs("</tr></table>\n", f);
}

void report_mechanisms_section(FILE *f, struct json_object *a, struct json_object *b,
			       struct json_object *cmp)
{
	struct json_object *ma = rm_find(a, RK_REPORT_MECHANISMS);
	struct json_object *mb = b ? rm_find(b, RK_REPORT_MECHANISMS) : NULL;
	struct json_object *probes = cmp ? rm_get(cmp, RK_COMPARE_PROBES) : NULL;
	size_t i;

	if (!ma)
		return;
	fputs("<section class=\"card\" id=\"mechanisms\"><h2>Mechanism costs</h2>\n<p "
	      "class=\"note\">What each mechanism cost in this session: medians with their 95% "
	      "intervals (docs/attribution.md, section 10).</p>\n",
	      f);
	cost_table(f, ma, mb);
	absences(f, mb ? "A" : "this trace", ma);
	if (mb)
		absences(f, "B", mb);
	for (i = 0; probes && i < json_object_array_length(probes); i++)
		decomposition(f, json_object_array_get_idx(probes, i));
	fputs("</section>\n", f);
}
