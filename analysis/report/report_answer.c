// SPDX-License-Identifier: MIT
/* report_answer - the report's first section: the figures, the causes and the largest spikes. */
#include "analysis/report/report_answer.h"

#include <inttypes.h>
#include <stdbool.h>
#include <stdint.h>

#include <json-c/json.h>

#include "analysis/attribution/attribution.h"
#include "analysis/model/report_model.h"
#include "analysis/report/html_escape.h"
#include "analysis/report/report_html.h"
#include "analysis/report/report_spikes.h"

#define ANSWER_TOP_SPIKES 3 /* the largest spikes of each probe, one line each */

/* The percentiles the answer shows: Table 1's figure, the patterns' 95% interval around it. */
static const struct {
	const char *head;
	enum rm_key stat, interval;
} answer_percentiles[] = {
    {"p50", RK_STATS_P50, RK_CONFIDENCE_P50},
    {"p99", RK_STATS_P99, RK_CONFIDENCE_P99},
    {"p99.9", RK_STATS_P999, RK_CONFIDENCE_P999},
};
#define ANSWER_NPERCENTILES (sizeof(answer_percentiles) / sizeof(answer_percentiles[0]))

/* bound - one end of an interval in us, "-" where the samples cannot bound it (null). */
static void bound(FILE *f, struct json_object *interval, size_t end)
{
	struct json_object *v = json_object_array_get_idx(interval, end);

	if (v)
		fprintf(f, "%.3f", json_object_get_double(v) / 1000);
	else
		fputs("-", f);
}

/* percentile_cell - "60.289 [59.728, 60.757]" in us; "-" when the probe has no good sample. */
static void percentile_cell(FILE *f, struct json_object *probe, size_t k)
{
	struct json_object *stats = rm_get(probe, RK_PROBE_STATS);
	struct json_object *conf = rm_find(probe, RK_PROBE_CONFIDENCE);
	struct json_object *interval;

	if (!stats) {
		fputs("<td>-</td>", f);
		return;
	}
	fprintf(f, "<td>%.3f", rm_num(stats, answer_percentiles[k].stat) / 1000);
	interval = conf ? rm_get(conf, answer_percentiles[k].interval) : NULL;
	if (interval) {
		fputs(" <span class=\"ci\">[", f);
		bound(f, interval, 0);
		fputs(", ", f);
		bound(f, interval, 1);
		fputs("]</span>", f);
	}
	fputs("</td>", f);
}

/* compared - the compared probe of @cmp that is A's probe @id, NULL if B has no such probe. */
static struct json_object *compared(struct json_object *cmp, int64_t id)
{
	struct json_object *probes = rm_get(cmp, RK_COMPARE_PROBES), *cp;
	size_t i;

	for (i = 0; i < json_object_array_length(probes); i++) {
		cp = json_object_array_get_idx(probes, i);
		if (rm_has(cp, RK_CMP_A) && rm_int(rm_get(cp, RK_CMP_A), RK_SIDE_ID) == id)
			return cp;
	}
	return NULL;
}

/* verdict_cell - the comparison's verdict for @probe, as compare_report_build gave it. */
static void verdict_cell(FILE *f, struct json_object *cmp, struct json_object *probe)
{
	struct json_object *cp = compared(cmp, rm_int(probe, RK_PROBE_ID));

	if (!cp) {
		fputs("<td class=\"l verdict\">not in the compared trace</td>", f);
		return;
	}
	fputs("<td class=\"l verdict\"><a href=\"#compare\">", f);
	html_escape(f, rm_text(cp, RK_CMP_VERDICT, "no verdict"));
	fputs("</a></td>", f);
}

/* probe_link - the probe's label linked to its section. */
static void probe_link(FILE *f, size_t index, struct json_object *probe)
{
	char label[256];

	report_html_probe_label(rm_str(probe, RK_PROBE_NAME), rm_get(probe, RK_PROBE_CONFIG), label,
				sizeof(label));
	fprintf(f, "<a href=\"#probe-%zu\">", index);
	html_escape(f, label);
	fputs("</a>", f);
}

/* figures_table - per probe: samples, p50, p99, p99.9 with intervals, spikes, the verdict. */
static void figures_table(FILE *f, struct json_object *probes, struct json_object *cmp)
{
	struct json_object *p;
	size_t i, k;

	fputs("<table class=\"answer\" id=\"answer-figures\"><tr><th class=\"l\">probe</th>"
	      "<th>samples</th>",
	      f);
	for (k = 0; k < ANSWER_NPERCENTILES; k++)
		fprintf(f, "<th>%s (us) [95%%]</th>", answer_percentiles[k].head);
	fprintf(f, "<th>spikes</th>%s</tr>\n",
		cmp ? "<th class=\"l\">compared trace: verdict</th>" : "");
	for (i = 0; i < json_object_array_length(probes); i++) {
		p = json_object_array_get_idx(probes, i);
		fputs("<tr><td class=\"l\">", f);
		probe_link(f, i, p);
		fprintf(f, "</td><td>%s</td>", rm_text(p, RK_PROBE_SAMPLES, "-"));
		for (k = 0; k < ANSWER_NPERCENTILES; k++)
			percentile_cell(f, p, k);
		fprintf(f, "<td>%s</td>", rm_text_of(rm_find(p, RK_PROBE_SPIKES_FOUND), "-"));
		if (cmp)
			verdict_cell(f, cmp, p);
		fputs("</tr>\n", f);
	}
	fputs("</table>\n", f);
}

/* total_excess - the excess of all spikes of an "attribution" object, in ns. */
static double total_excess(struct json_object *attribution)
{
	double total = 0;
	unsigned int c;

	for (c = 0; c < ATTR_NCAUSES; c++)
		total += rm_num(rm_member(attribution, attr_cause_name(c)), RK_CAUSE_TOTAL_EXCESS);
	return total;
}

/* cause_cell - one cause's share of the excess and the spikes it dominates: "70.2% (394)". */
static void cause_cell(FILE *f, struct json_object *entry, double total)
{
	double share = total > 0 ? 100 * rm_num(entry, RK_CAUSE_TOTAL_EXCESS) / total : 0;
	int64_t spikes = rm_int(entry, RK_CAUSE_TOTAL_SPIKES);

	fprintf(f, "<td%s>%.1f%% <span class=\"n\">(%" PRId64 ")</span></td>",
		share > 0 || spikes ? "" : " class=\"zero\"", share, spikes);
}

/* causes_row - one probe's row of the causes table. */
static void causes_row(FILE *f, size_t index, struct json_object *probe)
{
	struct json_object *attr = rm_find(probe, RK_PROBE_ATTRIBUTION);
	double total = total_excess(attr);
	unsigned int c;

	fputs("<tr><td class=\"l\">", f);
	probe_link(f, index, probe);
	fprintf(f, "</td><td>%s</td>", rm_text_of(rm_find(probe, RK_PROBE_SPIKES_FOUND), "0"));
	if (total <= 0) {
		fprintf(f, "<td class=\"l zero\" colspan=\"%d\">no spike</td></tr>\n",
			ATTR_NCAUSES + 1);
		return;
	}
	for (c = 0; c < ATTR_NCAUSES; c++)
		cause_cell(f, rm_member(attr, attr_cause_name(c)), total);
	fputs("<td class=\"l\">", f);
	report_attribution_bar(f, attr);
	fputs("</td></tr>\n", f);
}

/* causes_table - per probe with spikes found, the share of each cause in their excess. */
static void causes_table(FILE *f, struct json_object *probes)
{
	struct json_object *p;
	unsigned int c;
	size_t i;

	fputs("<h3>What the spikes' excess went to</h3>\n<p class=\"note\">Per cause: its share of "
	      "the excess of all spikes over the baseline, and in brackets the spikes it dominates "
	      "(the cause with the largest part of a spike). The spikes are the traced runs'.</p>\n"
	      "<table class=\"answer\" id=\"answer-causes\"><tr><th class=\"l\">probe</th>"
	      "<th>spikes</th>",
	      f);
	for (c = 0; c < ATTR_NCAUSES; c++)
		fprintf(f, "<th>%s</th>", attr_cause_name(c));
	fputs("<th class=\"l\">excess by cause</th></tr>\n", f);
	for (i = 0; i < json_object_array_length(probes); i++) {
		p = json_object_array_get_idx(probes, i);
		if (rm_has(p, RK_PROBE_ATTRIBUTION))
			causes_row(f, i, p);
	}
	fputs("</table>\n", f);
}

/* spike_line - one spike in one line: where, how long, over the baseline by, its causes. */
static void spike_line(FILE *f, size_t index, struct json_object *probe, struct json_object *sp)
{
	fputs("<li>", f);
	probe_link(f, index, probe);
	fprintf(f,
		": run %" PRId64 ", iteration %" PRId64 ", <b>%.1f us</b> (%.1f us over the "
		"baseline): ",
		rm_int(sp, RK_SPIKE_RUN), rm_int(sp, RK_SPIKE_ITERATION),
		(double)rm_int(sp, RK_SPIKE_LATENCY) / 1000,
		(double)rm_int(sp, RK_SPIKE_EXCESS) / 1000);
	report_cause_shares(f, rm_get(sp, RK_SPIKE_CAUSES));
	fputs("</li>\n", f);
}

/* biggest_spikes - each probe's largest spikes (the list is largest excess first). */
static void biggest_spikes(FILE *f, struct json_object *probes)
{
	struct json_object *p, *spikes;
	size_t i, k, len, n = 0;

	fprintf(f,
		"<h3>The largest spikes</h3>\n<p class=\"note\">Up to %d per probe, largest "
		"excess first; each probe's section draws their kernel events.</p>\n"
		"<ul class=\"spikes\" id=\"answer-spikes\">\n",
		ANSWER_TOP_SPIKES);
	for (i = 0; i < json_object_array_length(probes); i++) {
		p = json_object_array_get_idx(probes, i);
		spikes = rm_find(p, RK_PROBE_SPIKES);
		len = json_object_is_type(spikes, json_type_array)
			  ? json_object_array_length(spikes)
			  : 0;
		for (k = 0; k < len && k < ANSWER_TOP_SPIKES; k++, n++)
			spike_line(f, i, p, json_object_array_get_idx(spikes, k));
	}
	if (!n)
		fputs("<li>no spike in any probe</li>\n", f);
	fputs("</ul>\n", f);
}

void report_html_answer(FILE *f, struct json_object *report, struct json_object *cmp)
{
	struct json_object *probes = rm_get(report, RK_REPORT_PROBES);

	fputs("<section class=\"card\" id=\"answer\"><h2>At a glance</h2>\n<p class=\"note\">"
	      "Latency per probe in us, from the untraced runs where the probe alternated them "
	      "with traced ones; in brackets the 95% interval of each percentile (order "
	      "statistics; '-' where the samples cannot bound it).</p>\n",
	      f);
	figures_table(f, probes, cmp);
	causes_table(f, probes);
	biggest_spikes(f, probes);
	fputs("</section>\n", f);
}
