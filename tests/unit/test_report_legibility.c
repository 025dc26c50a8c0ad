// SPDX-License-Identifier: MIT
/*
 * test_report_legibility - plots with unique ids and no temporary paths, patterns in words, the
 * spikes the guest saw nothing of said.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include "analysis/report/report_bins.h"
#include "analysis/report/report_patterns.h"
#include "analysis/report/report_spike_causes.h"
#include "analysis/report/report_spikes.h"
#include "analysis/report/svg_clean.h"
#include "tests/unit/check.h"

/* What gnuplot's svg terminal writes, cut down: its title, canvas, a marker, a filter, a plot. */
static const char gnuplot_svg[] =
    "<svg><title>Gnuplot</title>\n<g id=\"gnuplot_canvas\">\n"
    "<defs><circle id='gpDot' r='0.5'/><use xlink:href='#gpDot' id='gpPt6'/>"
    "<filter id='textbox'/></defs>\n"
    "<g filter=\"url(#textbox)\"><g id=\"gnuplot_plot_1\" ><title>gnuplot_plot_1</title>"
    "</g><g id=\"gnuplot_plot_2\" ><title>'/tmp/ringscope-report-AbC123/hist.dat' using "
    "1:2</title></g><g><title>latency (us)</title></g></g></svg>";

static int test_svg_ids(void)
{
	char *out = svg_clean(gnuplot_svg, "plot7", "/tmp/ringscope-report-AbC123");

	CHECK(out);
	EXPECT(strstr(out, "<g id=\"plot7-gnuplot_canvas\">"));
	EXPECT(strstr(out, "<circle id='plot7-gpDot'"));
	EXPECT(strstr(out, "<use xlink:href='#plot7-gpDot' id='plot7-gpPt6'/>"));
	EXPECT(strstr(out, "<filter id='plot7-textbox'/>"));
	EXPECT(strstr(out, "filter=\"url(#plot7-textbox)\""));
	EXPECT(strstr(out, "<g id=\"plot7-gnuplot_plot_2\" >"));
	EXPECT(!strstr(out, "id=\"gnuplot") && !strstr(out, "id='gp"));
	free(out);
	return 0;
}

/* gnuplot's own tooltips and any naming the private folder go; a title of the script stays. */
static int test_svg_titles(void)
{
	char *out = svg_clean(gnuplot_svg, "p", "/tmp/ringscope-report-AbC123");

	CHECK(out);
	EXPECT(!strstr(out, "<title>Gnuplot</title>"));
	EXPECT(!strstr(out, "<title>gnuplot_plot_1</title>"));
	EXPECT(!strstr(out, "ringscope-report-") && !strstr(out, "hist.dat"));
	EXPECT(strstr(out, "<g><title>latency (us)</title></g>"));
	EXPECT(strstr(out, "</svg>"));
	free(out);
	return 0;
}

/* render - what @fn wrote for the object of @json, malloc'd. */
static char *render(void (*fn)(FILE *f, struct json_object *o), const char *json)
{
	struct json_object *p = json_tokener_parse(json);
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	if (!f || !p) {
		json_object_put(p);
		return NULL;
	}
	fn(f, p);
	fclose(f);
	json_object_put(p);
	return buf;
}

/* The syscall probe's flush line and its modes: labelled columns, latencies in us. */
static int test_patterns(void)
{
	char *out = render(
	    report_patterns_section,
	    "{\"patterns\": {\"spikes\": 66, \"periodic\": [{\"period\": 170.67, \"phase\": 12.5, "
	    "\"phases\": [12.5, 12.5], \"same_phase\": true, \"magnitude\": 3.2, \"share\": 0.879, "
	    "\"support\": 58, \"hit_rate\": 0.95}], \"drift\": [{\"slope_iterations_per_run\": "
	    "-3.5, \"intercept\": 400, \"support\": 9, \"runs\": 5, \"magnitude\": null}], "
	    "\"modes\": [{\"location_ns\": 38532.4, \"weight\": 0.09}, {\"location_ns\": 78866.0, "
	    "\"weight\": 0.91}]}, \"confidence\": {\"samples\": 10, \"p50_ns\": [1000, 2000], "
	    "\"p90_ns\": [2000, 3000], \"p99_ns\": [3000, null], \"p999_ns\": [null, null], "
	    "\"lag1_autocorrelation\": 0.5, \"strongly_autocorrelated\": true}}");

	CHECK(out);
	EXPECT(strstr(
	    out,
	    "<th>every (iterations)</th><th>spikes on it</th><th>share of the spikes (%)</th>"));
	EXPECT(strstr(out, "<td>170.67</td><td>58</td><td>88</td><td>95</td><td>3.2</td>"));
	EXPECT(strstr(out, "from iteration 12.50 in every run"));
	EXPECT(strstr(out, "<td>-3.50</td><td>400</td><td>9</td><td>5</td><td>-</td>"));
	EXPECT(strstr(out, "<th>latency (us)</th>"));
	EXPECT(strstr(out, "<td>38.532</td><td>9.0</td>"));
	EXPECT(strstr(out, "<td>78.866</td><td>91.0</td>"));
	EXPECT(strstr(out, "p99 [3.000, -]; p99.9 [-, -];"));
	EXPECT(strstr(out, "(strong: the intervals are too narrow)"));
	/* no JSON key as a heading */
	EXPECT(!strstr(out, "location_ns") && !strstr(out, "hit_rate") && !strstr(out, "weight") &&
	       !strstr(out, "slope_iterations_per_run") && !strstr(out, "<h3>periodic</h3>"));
	free(out);
	return 0;
}

/* A run whose line has its own phase per run: each shown, a run without one as '-'. */
static int test_patterns_phases(void)
{
	char *out = render(
	    report_patterns_section,
	    "{\"patterns\": {\"spikes\": 9, \"periodic\": [{\"period\": 64, \"phase\": null, "
	    "\"phases\": [3, null, 40.25], \"same_phase\": false, \"magnitude\": 2, \"share\": 1, "
	    "\"support\": 9, \"hit_rate\": 1}], \"drift\": [], \"modes\": []}}");

	CHECK(out);
	EXPECT(strstr(out, "by run: 3.00 - 40.25"));
	EXPECT(strstr(out, "<h4>Drifts (spikes moving from run to run)</h4>\n<p class=\"note\">"
			   "none found</p>"));
	free(out);
	return 0;
}

/* The syscall probe of issue 12: most spikes are flushes, most excess is unexplained. */
static int test_spike_counts(void)
{
	char *out =
	    render(report_spike_causes,
		   "{\"buffer-flush\": {\"spikes\": 58, \"excess_ns\": 20000}, \"network\": "
		   "{\"spikes\": 0, \"excess_ns\": 0}, \"unexplained\": {\"spikes\": 8, "
		   "\"excess_ns\": 80000}}");

	CHECK(out);
	EXPECT(strstr(out, "<th>spikes it dominates</th>"));
	EXPECT(strstr(out, "<td class=\"l\">buffer-flush</td><td>58</td><td>87.9%</td>"
			   "<td>20.000</td><td>20.0%</td>"));
	EXPECT(strstr(out, "<td class=\"l\">unexplained</td><td>8</td><td>12.1%</td>"
			   "<td>80.000</td><td>80.0%</td>"));
	EXPECT(!strstr(out, ">network<")); /* a cause with nothing: no row */
	EXPECT(strstr(out, "Most spikes are <b>buffer-flush</b> (58 of 66), most excess is "
			   "<b>unexplained</b> (80%)"));
	free(out);
	return 0;
}

/* One cause leads both: no sentence; no spike at all: no table. */
static int test_spike_counts_one_leader(void)
{
	char *out = render(report_spike_causes, "{\"irq\": {\"spikes\": 3, \"excess_ns\": 9000}}");
	char *none = render(report_spike_causes, "{\"irq\": {\"spikes\": 0, \"excess_ns\": 0}}");

	CHECK(out && none);
	EXPECT(strstr(out, "<td>3</td><td>100.0%</td><td>9.000</td><td>100.0%</td>"));
	EXPECT(!strstr(out, "Most spikes"));
	EXPECT(!strcmp(none, ""));
	free(none);
	free(out);
	return 0;
}

/* bins - report_bins_choose's answer as "bin/shown". */
static const char *bins(unsigned int iters, unsigned int cols, double period)
{
	static char buf[32];
	struct report_bins b;

	report_bins_choose(iters, cols, 2, period, &b);
	snprintf(buf, sizeof(buf), "%u/%u", b.bin, b.shown);
	return buf;
}

/* Bins that cannot hide a line: the mesh of issue 12 binned 167 iterations for a 170.67 line. */
static int test_mesh_bins(void)
{
	EXPECT(!strcmp(bins(1000, 1500, 170.67), "1/1000"));   /* every iteration fits */
	EXPECT(!strcmp(bins(10000, 60, 0), "167/10000"));      /* no line: the budget */
	EXPECT(!strcmp(bins(10000, 600, 170.67), "17/10000")); /* fits, under a third */
	EXPECT(!strcmp(bins(10000, 120, 170.67), "42/10000")); /* 84 > 56.9: stretched */
	EXPECT(!strcmp(bins(10000, 600, 64), "17/10000"));     /* no divisor of 64 in 17..21 */
	EXPECT(!strcmp(bins(10000, 400, 96), "32/10000"));     /* 25 fits, 32 divides 96 */
	EXPECT(!strcmp(bins(10000, 400, 96.3), "25/10000"));   /* not a whole period */
	EXPECT(!strcmp(bins(100000, 100, 30), "10/2000"));     /* too coarse even stretched */
	return 0;
}

/* A long event description is cut to the label column, whole in its tooltip. */
static int test_timeline_label(void)
{
	char *out = render(
	    report_spikes_section,
	    "{\"probe\": \"ring\", \"spikes_found\": 1, \"traced\": true, \"spike_detection\": "
	    "{\"median_ns\": 1000, \"mad_ns\": 10, \"threshold_ns\": 2000, \"k\": 6}, "
	    "\"attribution\": {\"irq\": {\"spikes\": 1, \"excess_ns\": 4000}}, \"spikes\": "
	    "[{\"run\": 0, \"iteration\": 1, \"start_ns\": 100000, \"latency_ns\": 5000, "
	    "\"excess_ns\": 4000, \"dominant\": \"irq\", \"causes\": {\"irq\": 4000}, "
	    "\"events\": [{\"what\": \"timer interrupt 21.2 us after its expiry\", \"cpu\": 0, "
	    "\"tid\": 17163, \"start_ns\": 101000, \"dur_ns\": 2000, \"own_ns\": 2000, "
	    "\"cause\": \"irq\"}]}]}");

	CHECK(out);
	EXPECT(strstr(out,
		      "<title>timer interrupt 21.2 us after its expiry (cpu 0, tid "
		      "17163)</title>timer interrupt 21.2 us after its expiry (cpu 0, ...</text>"));
	free(out);
	return 0;
}

/*
 * The spikes that held no event at all are said under the causes, with their share of the
 * unexplained excess; with none, nothing is said.
 */
static int test_eventless_note(void)
{
	static const char fmt[] =
	    "{\"probe\": \"null\", \"spikes_found\": 4, \"traced\": true, \"spike_detection\": "
	    "{\"median_ns\": 80, \"mad_ns\": 0, \"threshold_ns\": 1080, \"k\": 6}, "
	    "\"attribution\": {\"unexplained\": {\"spikes\": 4, \"excess_ns\": 8000}}, "
	    "\"evidence\": {\"hypervisor\": true, \"eventless_spikes\": %d, "
	    "\"eventless_unexplained_ns\": %d, \"eventless_period_ns\": %s, "
	    "\"eventless_gaps_on_grid\": 2, \"eventless_gaps\": 2}, \"spikes\": [{\"run\": 0, "
	    "\"iteration\": 1, "
	    "\"start_ns\": 100000, \"latency_ns\": 2080, \"excess_ns\": 2000, "
	    "\"dominant\": \"unexplained\", \"causes\": {\"unexplained\": 2000}, "
	    "\"events\": []}]}";
	char json[1024], *out;

	snprintf(json, sizeof(json), fmt, 3, 6000, "1000012.5");
	out = render(report_spikes_section, json);
	CHECK(out);
	EXPECT(strstr(out, "<p class=\"note eventless\">3 spikes held no event at all: 6.0 us, 75% "
			   "of the unexplained excess, is time the guest saw nothing of (the "
			   "host's or the firmware's by elimination"));
	EXPECT(strstr(out, "2 of the 2 gaps between them are whole multiples of 1.0000 ms of wall "
			   "time: a source the guest does not see, 1000 times a second."));
	free(out);
	snprintf(json, sizeof(json), fmt, 0, 0, "null");
	out = render(report_spikes_section, json);
	CHECK(out);
	EXPECT(!strstr(out, "eventless"));
	free(out);
	return 0;
}

int main(void)
{
	static const struct check_case cases[] = {
	    CHECK_CASE(svg_ids),	CHECK_CASE(svg_titles),
	    CHECK_CASE(patterns),	CHECK_CASE(patterns_phases),
	    CHECK_CASE(spike_counts),	CHECK_CASE(spike_counts_one_leader),
	    CHECK_CASE(mesh_bins),	CHECK_CASE(timeline_label),
	    CHECK_CASE(eventless_note),
	};

	return CHECK_RUN(cases);
}
