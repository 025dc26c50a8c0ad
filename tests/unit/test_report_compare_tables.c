// SPDX-License-Identifier: MIT
/*
 * test_report_compare_tables - the comparison's tables on known figures: the verdict's rule as
 * the compare model states it, escaped; the percentiles show both sides' intervals and whether they
 * are apart, and the cause shares move as the attribution says, the cause that grew most first.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include "analysis/report/report_compare_causes.h"
#include "analysis/report/report_compare_plot.h"
#include "analysis/report/report_compare_tables.h"
#include "tests/unit/check.h"

/* A compared probe: p50 moved from 10 to 12 us, p90 did not; irq grew, network shrank. */
static const char probe_json[] =
    "{\"verdict\": \"shift\", \"rule\": \"shift: p50 +2 us <moved>, widths within\","
    " \"a\": {\"p50_ns\": 10000, \"p90_ns\": 20000, \"p99_ns\": 30000, \"p999_ns\": 40000},"
    " \"b\": {\"p50_ns\": 12000, \"p90_ns\": 20500, \"p99_ns\": 33000, \"p999_ns\": 44000},"
    " \"ratio\": {\"p50\": 1.2, \"p90\": 1.025, \"p99\": 1.1, \"p999\": 1.1},"
    " \"attribution\": {\"traced_a\": true, \"traced_b\": true,"
    "  \"a\": {\"network\": {\"spikes\": 3, \"excess_ns\": 3000},"
    "         \"irq\": {\"spikes\": 1, \"excess_ns\": 1000},"
    "         \"page-fault\": {\"spikes\": 0, \"excess_ns\": 0}},"
    "  \"b\": {\"network\": {\"spikes\": 1, \"excess_ns\": 1000},"
    "         \"irq\": {\"spikes\": 3, \"excess_ns\": 3000},"
    "         \"page-fault\": {\"spikes\": 0, \"excess_ns\": 0}}}}";
/* A's and B's analyze probes: intervals of the percentiles, good samples of the spike search. */
static const char side_a_json[] =
    "{\"confidence\": {\"p50_ns\": [9900, 10100], \"p90_ns\": [19000, 21000], \"p99_ns\": "
    "[29000, 31000], \"p999_ns\": [39000, null]}, \"spike_detection\": {\"good_samples\": 1000}}";
static const char side_b_json[] =
    "{\"confidence\": {\"p50_ns\": [11900, 12100], \"p90_ns\": [20000, 21000], \"p99_ns\": "
    "[32000, 34000], \"p999_ns\": [43000, null]}, \"spike_detection\": {\"good_samples\": 2000}}";

static struct json_object *cp, *pa, *pb;

/* render - what @fn wrote for the probe, malloc'd. */
static char *render(void (*fn)(FILE *f))
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	if (!f)
		return NULL;
	fn(f);
	fclose(f);
	return buf;
}

static void rule(FILE *f)
{
	report_compare_rule(f, cp);
}

static void percentiles(FILE *f)
{
	report_compare_percentiles(f, cp, pa, pb);
}

static void causes(FILE *f)
{
	report_compare_causes(f, cp, pa, pb);
}

static int test_rule(void)
{
	char *out = render(rule);

	CHECK(out);
	EXPECT(strstr(out, "by the rule</b>: shift: p50 +2 us &lt;moved&gt;, widths within</p>"));
	free(out);
	/* a side without a good sample: no verdict and no rule */
	json_object_object_del(cp, "rule");
	out = render(rule);
	json_object_object_add(cp, "rule",
			       json_object_new_string("shift: p50 +2 us <moved>, widths within"));
	CHECK(out);
	EXPECT(strstr(out, "none: a trace has no good sample of this probe"));
	free(out);
	return 0;
}

static int test_percentiles(void)
{
	char *out = render(percentiles);

	CHECK(out);
	/* p50 moved: the intervals are apart; p90 did not: they overlap */
	EXPECT(strstr(out, "<td class=\"l\">p50</td><td>10.000</td><td class=\"ci\">[9.900, "
			   "10.100]</td><td>12.000</td><td class=\"ci\">[11.900, 12.100]</td>"
			   "<td>1.200</td><td>apart</td>"));
	EXPECT(strstr(out, "<td>1.025</td><td>overlap</td>"));
	/* an interval the samples cannot bound above, and then no telling */
	EXPECT(strstr(out, "[39.000, -]</td>") && strstr(out, "<td>1.100</td><td>-</td>"));
	free(out);
	return 0;
}

static int test_causes(void)
{
	char *out = render(causes), *irq, *net;

	CHECK(out);
	irq = strstr(out, "<td class=\"l\">irq</td>");
	net = strstr(out, "<td class=\"l\">network</td>");
	CHECK(irq && net);
	EXPECT(irq < net);		    /* grew most first */
	EXPECT(!strstr(out, "page-fault")); /* nothing in either */
	/* irq: 1 spike and 25% of A's excess, 3 and 75% of B's; 1 us per 1000 in A, 1.5 in B */
	EXPECT(strstr(irq, "<td>1</td><td>25.0%</td><td>3</td><td>75.0%</td>"
			   "<td class=\"grew\">+50.0 pp</td><td>1.000</td><td>1.500</td>"));
	EXPECT(strstr(net, "<td class=\"shrank\">-50.0 pp</td><td>3.000</td><td>0.500</td>"));
	EXPECT(strstr(out, "<b>irq</b> grew most: 25.0% to 75.0% of the spikes' excess "
			   "(+50.0 pp), 1.000 to 1.500 us of excess per 1000 iterations."));
	free(out);
	return 0;
}

/* An untraced B has no causes: said so, no table. */
static int test_causes_untraced(void)
{
	struct json_object *attr = json_object_object_get(cp, "attribution");
	char *out;

	json_object_object_add(attr, "traced_b", json_object_new_boolean(0));
	out = render(causes);
	json_object_object_add(attr, "traced_b", json_object_new_boolean(1));
	CHECK(out);
	EXPECT(strstr(out, "B was recorded without tracing") && !strstr(out, "<table"));
	free(out);
	return 0;
}

/* The histogram's bins: 8 across the body, none finer than the timer's step, 40 to 240. */
static int test_hist_bins(void)
{
	EXPECT(report_compare_hist_bins(0, 1000, 400, 500, 0, false) == 80);
	EXPECT(report_compare_hist_bins(0, 1000, 0, 1000, 0, false) == 40);
	/* every sample on one step: as many as the step allows */
	EXPECT(report_compare_hist_bins(0, 1000, 500, 500, 10, false) == 100);
	EXPECT(report_compare_hist_bins(0, 1000, 500, 500, 1, false) == 240);
	/* log: a body 3% wide under a tail 240x the fastest gets the most */
	EXPECT(report_compare_hist_bins(6000, 6000 * 240, 6100, 6283, 11.5, true) == 240);
	/* log with a body of a factor 2 over a factor 16: 8 x 4 = 32, raised to 40 */
	EXPECT(report_compare_hist_bins(1000, 16000, 2000, 4000, 10, true) == 40);
	/* a factor 2 over a factor 2^10: 80 */
	EXPECT(report_compare_hist_bins(1000, 1024000, 2000, 4000, 10, true) == 80);
	return 0;
}

/* The log axis: chosen by the range of the data, past a factor of 30. */
static int test_log_x(void)
{
	EXPECT(!report_compare_log_x(1000, 30000));
	EXPECT(report_compare_log_x(1000, 30001));
	EXPECT(!report_compare_log_x(0, 1000)); /* no log axis through 0 */
	return 0;
}

int main(void)
{
	static const struct check_case cases[] = {
	    CHECK_CASE(rule),	CHECK_CASE(percentiles),
	    CHECK_CASE(causes), CHECK_CASE(causes_untraced),
	    CHECK_CASE(log_x),	CHECK_CASE(hist_bins),
	};
	int rc;

	cp = json_tokener_parse(probe_json);
	pa = json_tokener_parse(side_a_json);
	pb = json_tokener_parse(side_b_json);
	if (!cp || !pa || !pb)
		return T_EXIT_FAIL;
	rc = CHECK_RUN(cases);
	json_object_put(cp);
	json_object_put(pa);
	json_object_put(pb);
	return rc;
}
