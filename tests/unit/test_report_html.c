// SPDX-License-Identifier: MIT
/* test_report_html - the report page's pieces escape what the trace holds and show its numbers. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include "analysis/report/html_escape.h"
#include "analysis/report/report_html.h"
#include "analysis/report/report_spikes.h"
#include "tests/unit/check.h"

/* render - what @fn wrote for @o, malloc'd. */
static char *render(void (*fn)(FILE *f, struct json_object *o), struct json_object *o)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	if (!f)
		return NULL;
	fn(f, o);
	fclose(f);
	return buf;
}

static void table1(FILE *f, struct json_object *o)
{
	report_html_table1(f, "trace <x>.rst", o, true);
}

static void escape(FILE *f, struct json_object *o)
{
	html_escape(f, json_object_get_string(o));
}

static int test_escape(void)
{
	struct json_object *s = json_object_new_string("<script>a&b\"c'd</script>");
	char *out = render(escape, s);

	CHECK(out);
	CHECK(!strcmp(out, "&lt;script&gt;a&amp;b&quot;c&#39;d&lt;/script&gt;"));
	free(out);
	json_object_put(s);
	return 0;
}

/* A probe named with markup: the table shows its numbers and none of its markup. */
static int test_table1(void)
{
	struct json_object *r = json_tokener_parse(
	    "{\"probes\": [{\"probe\": \"<img src=x>\", \"config\": {\"hops\": 3, \"domains\": "
	    "\"netns\", \"io\": \"uring\"}, \"samples\": 2000, \"stats\": {\"mean_ns\": 1500.0, "
	    "\"p50_ns\": 1234.0, \"max_ns\": 99000.0}, \"spikes_found\": 7}, {\"probe\": \"null\", "
	    "\"config\": {}, \"samples\": 0, \"stats\": null}]}");
	char *out = render(table1, r);

	CHECK(out);
	CHECK(!strstr(out, "<img"));
	CHECK(strstr(out, "&lt;img src=x&gt;, 3 hops, netns, uring"));
	CHECK(strstr(out, "trace &lt;x&gt;.rst"));
	CHECK(strstr(out, "<td>1.500</td>"));  /* mean in us */
	CHECK(strstr(out, "<td>1.234</td>"));  /* p50 */
	CHECK(strstr(out, "<td>99.000</td>")); /* max */
	CHECK(strstr(out, "<td>7</td>"));      /* spikes */
	CHECK(strstr(out, "href=\"#probe-1\""));
	CHECK(strstr(out, "<td>-</td>")); /* a missing statistic */
	free(out);
	json_object_put(r);
	return 0;
}

/* The spike section: shares of the excess in the bar, the event's text escaped. */
static int test_spikes(void)
{
	struct json_object *p = json_tokener_parse(
	    "{\"probe\": \"ring\", \"spikes_found\": 1, \"traced\": true, \"spike_detection\": "
	    "{\"median_ns\": 1000, \"mad_ns\": 10, \"threshold_ns\": 2000, \"k\": 6}, "
	    "\"attribution\": {\"network\": {\"spikes\": 1, \"excess_ns\": 3000}, \"scheduling\": "
	    "{\"spikes\": 0, \"excess_ns\": 1000}}, \"spikes\": [{\"run\": 1, \"iteration\": 42, "
	    "\"start_ns\": 100000, \"latency_ns\": 5000, \"excess_ns\": 4000, \"dominant\": "
	    "\"network\", \"causes\": {\"network\": 3000, \"scheduling\": 1000}, \"events\": "
	    "[{\"what\": \"write <fd> 3\", \"cpu\": 1, \"tid\": 7, \"start_ns\": 101000, "
	    "\"dur_ns\": 2000, \"own_ns\": 2000, \"cause\": \"network\"}]}]}");
	char *out = render(report_spikes_section, p);

	CHECK(out);
	CHECK(strstr(out, "width:75.00%;background:#1f77b4")); /* network: 3000 of 4000 */
	CHECK(strstr(out, "width:25.00%;background:#ff7f0e"));
	CHECK(strstr(out, "run 1, iteration 42, 5.0 us"));
	CHECK(strstr(out, "write &lt;fd&gt; 3 (cpu 1, tid 7)"));
	CHECK(strstr(out, "class=\"timeline\""));
	CHECK(!strstr(out, "<fd>"));
	free(out);
	json_object_put(p);
	return 0;
}

int main(void)
{
	static const struct check_case cases[] = {
	    CHECK_CASE(escape),
	    CHECK_CASE(table1),
	    CHECK_CASE(spikes),
	};

	return CHECK_RUN(cases);
}
