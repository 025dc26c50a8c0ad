// SPDX-License-Identifier: MIT
/* report_html - the report page: inline style, fingerprint, Table 1, and each probe's section. */
#include <stdbool.h>
#include <stdio.h>

#include <json-c/json.h>

#include "analysis/model/report_model.h"
#include "analysis/report/html_escape.h"
#include "analysis/report/report_html.h"
#include "analysis/report/report_observer.h"
#include "analysis/report/report_patterns.h"
#include "analysis/report/report_spikes.h"

static const char page_style[] =
    "body{font:15px/1.45 system-ui,-apple-system,'Segoe UI',Roboto,'DejaVu Sans',sans-serif;"
    "color:#1d2330;background:#f4f6fa;margin:0}\n"
    "main{max-width:1240px;margin:0 auto;padding:24px 32px 64px}\n"
    "h1{font-size:28px;margin:8px 0 2px}h2{font-size:21px;margin:36px 0 10px;"
    "border-bottom:2px solid #2a6fdb;padding-bottom:4px}h3{font-size:16px;margin:22px 0 6px}"
    "h4{font-size:14px;margin:14px 0 4px}\n"
    ".sub{color:#5a6475;margin:0 0 18px}\n"
    "section.card{background:#fff;border-radius:10px;box-shadow:0 1px 4px rgba(20,30,60,.12);"
    "padding:14px 22px 20px;margin:20px 0}\n"
    "table{border-collapse:collapse;font-size:13.5px;margin:6px 0 12px}\n"
    "th,td{padding:4px 10px;border-bottom:1px solid #e3e7ef;text-align:right;"
    "white-space:nowrap}\n"
    "th{background:#eef2f9;color:#33415c}td.l,th.l{text-align:left}\n"
    "table.kv td:first-child{text-align:left;color:#5a6475}\n"
    "table.kv td{text-align:left;white-space:normal;word-break:break-word}\n"
    "table.kv td:first-child{white-space:nowrap;word-break:normal}\n"
    "table.kv tr.diff td{background:#fff1d6}\n"
    "table.answer th,table.answer td{padding:4px 7px}table.answer .bar{min-width:140px}\n"
    ".ci,.n{color:#5a6475;font-size:12px}\n"
    "td.zero{color:#aab1be}ul.spikes{margin:4px 0 12px;padding-left:20px}\n"
    "caption{text-align:left;font-weight:600;padding:4px 0}\n"
    "figure{margin:8px 0 18px}figcaption{color:#5a6475;font-size:13px}\n"
    "figure svg{width:100%;height:auto;display:block}\n"
    "figure svg image{image-rendering:pixelated}\n"
    "svg.timeline{width:100%;height:auto;display:block;margin:2px 0 10px}\n"
    "table.spike{width:100%}table.spike td:last-child{width:45%}\n"
    ".bar{display:flex;height:16px;min-width:260px;border-radius:3px;overflow:hidden;"
    "background:#eef0f4}\n"
    ".bar span{display:block;height:100%}\n"
    ".legend span{display:inline-block;margin-right:14px;font-size:13px}\n"
    ".legend i{display:inline-block;width:11px;height:11px;border-radius:2px;"
    "margin-right:4px;vertical-align:-1px}\n"
    ".note{color:#5a6475;font-size:13px}\n"
    ".grid2{display:grid;grid-template-columns:1fr 1fr;gap:10px}\n";

void report_html_begin(FILE *f, const char *path)
{
	fputs("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\n<title>ringscope "
	      "report: ",
	      f);
	html_escape(f, path);
	fprintf(f,
		"</title>\n<style>\n%s</style>\n</head><body><main>\n<h1>ringscope report</h1>\n"
		"<p class=\"sub\">trace file <code>",
		page_style);
	html_escape(f, path);
	fputs("</code></p>\n", f);
}

void report_html_end(FILE *f)
{
	fputs("<p class=\"note\">Made by <code>ringscope report</code>; plots drawn by gnuplot. "
	      "This page needs no network.</p>\n</main></body></html>\n",
	      f);
}

/* report_html_probe_label - "ring, 3 hops, netns, uring": a probe's name and key settings. */
void report_html_probe_label(const char *name, struct json_object *config, char *buf, size_t len)
{
	struct json_object *v;
	size_t n;

	n = (size_t)snprintf(buf, len, "%s", name);
	v = rm_find(config, RK_CONFIG_HOPS);
	if (rm_has(config, RK_CONFIG_HOPS) && n < len)
		n += (size_t)snprintf(buf + n, len - n, ", %d hop%s", json_object_get_int(v),
				      json_object_get_int(v) == 1 ? "" : "s");
	if (rm_has(config, RK_CONFIG_DOMAINS) && n < len)
		n += (size_t)snprintf(buf + n, len - n, ", %s",
				      json_object_get_string(rm_find(config, RK_CONFIG_DOMAINS)));
	if (rm_has(config, RK_CONFIG_IO) && n < len)
		snprintf(buf + n, len - n, ", %s",
			 json_object_get_string(rm_find(config, RK_CONFIG_IO)));
}

/* us_cell - a statistic in microseconds, "-" when absent. */
static void us_cell(FILE *f, struct json_object *stats, enum rm_key key)
{
	if (!rm_has(stats, key))
		fputs("<td>-</td>", f);
	else
		fprintf(f, "<td>%.3f</td>", json_object_get_double(rm_find(stats, key)) / 1000);
}

void report_html_table1(FILE *f, const char *caption, struct json_object *report, bool link)
{
	struct json_object *probes = rm_get(report, RK_REPORT_PROBES), *p, *v;
	char label[256];
	size_t i, k;

	fputs("<table class=\"t1\"><caption class=\"note\">trace ", f);
	html_escape(f, caption);
	fputs("</caption>\n<tr><th>#</th><th class=\"l\">probe</th><th>samples</th><th>mean</th>"
	      "<th>std dev</th><th>min</th><th>p50</th><th>p90</th><th>p99</th><th>p99.9</th>"
	      "<th>max</th><th>spikes</th></tr>\n",
	      f);
	for (i = 0; i < json_object_array_length(probes); i++) {
		p = json_object_array_get_idx(probes, i);
		report_html_probe_label(rm_str(p, RK_PROBE_NAME), rm_get(p, RK_PROBE_CONFIG), label,
					sizeof(label));
		fprintf(f, "<tr><td>%zu</td><td class=\"l\">", i);
		if (link)
			fprintf(f, "<a href=\"#probe-%zu\">", i);
		html_escape(f, label);
		fprintf(f, "%s</td><td>%s</td>", link ? "</a>" : "",
			rm_text(p, RK_PROBE_SAMPLES, ""));
		v = rm_get(p, RK_PROBE_STATS);
		for (k = 0; k < RM_NSTATS; k++)
			us_cell(f, v, rm_stats_keys[k]);
		fprintf(f, "<td>%s</td></tr>\n",
			rm_text_of(rm_find(p, RK_PROBE_SPIKES_FOUND), "-"));
	}
	fputs("</table>\n", f);
}

/* figure - one inlined SVG with its caption. */
static void figure(FILE *f, const char *svg, const char *caption)
{
	if (!svg)
		return;
	fprintf(f, "<figure>%s<figcaption>", svg);
	html_escape(f, caption);
	fputs("</figcaption></figure>\n", f);
}

void report_html_probe(FILE *f, size_t index, struct json_object *probe,
		       const struct report_probe_plots *pl)
{
	char label[256];

	report_html_probe_label(rm_str(probe, RK_PROBE_NAME), rm_get(probe, RK_PROBE_CONFIG), label,
				sizeof(label));
	fprintf(f, "<section class=\"card probe\" id=\"probe-%zu\"><h2>Probe %zu: ", index, index);
	html_escape(f, label);
	fputs("</h2>\n", f);
	if (!pl->heatmap)
		fputs("<p class=\"note\">No good sample: nothing to plot.</p>\n", f);
	figure(f, pl->heatmap,
	       "Mesh diagram as a heatmap: run x iteration, colour = latency (log scale).");
	figure(f, pl->mesh,
	       "Mesh diagram in 3-D (the paper's figure): latency over run x iteration, log z, "
	       "coloured by latency; a needle per point up to 4 runs, a wireframe with hidden "
	       "lines removed past that.");
	figure(f, pl->histogram, "Latency histogram (log count); dashed lines mark p50 and p99.");
	report_patterns_section(f, probe);
	report_observer_section(f, probe);
	report_spikes_section(f, probe);
	fputs("</section>\n", f);
}
