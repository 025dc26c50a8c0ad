// SPDX-License-Identifier: MIT
/* test_report_answer - the page opens on the answer; the fingerprint says facts, not keys. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include "analysis/model/report_model.h"
#include "analysis/report/report_answer.h"
#include "analysis/report/report_html.h"
#include "tests/unit/check.h"

/* Two probes: a ring whose spikes are mostly hypervisor, a null probe without a spike. */
static const char report_json[] =
    "{\"probes\": [{\"probe\": \"ring\", \"probe_id\": 5, \"config\": {\"hops\": 3, "
    "\"domains\": \"netns\", \"io\": \"uring\"}, \"samples\": 20000, \"stats\": {\"p50_ns\": "
    "60289.0, \"p99_ns\": 140264.0, \"p999_ns\": 401735.0}, \"confidence\": {\"p50_ns\": "
    "[59728.0, 60757.0], \"p99_ns\": [128271.0, 269580.0], \"p999_ns\": [383040.0, null]}, "
    "\"spikes_found\": 439, \"attribution\": {\"buffer-flush\": {\"spikes\": 0, \"excess_ns\": "
    "0}, \"network\": {\"spikes\": 15, \"excess_ns\": 20000}, \"hypervisor\": {\"spikes\": "
    "394, \"excess_ns\": 70000}, \"unexplained\": {\"spikes\": 30, \"excess_ns\": 10000}}, "
    "\"spikes\": ["
    "{\"run\": 4, \"iteration\": 5065, \"latency_ns\": 3383456, \"excess_ns\": 3315574, "
    "\"causes\": {\"network\": 2652459, \"hypervisor\": 629959, \"irq\": 33156}},"
    "{\"run\": 1, \"iteration\": 7, \"latency_ns\": 300000, \"excess_ns\": 230000, "
    "\"causes\": {\"hypervisor\": 230000}},"
    "{\"run\": 2, \"iteration\": 8, \"latency_ns\": 290000, \"excess_ns\": 220000, "
    "\"causes\": {\"hypervisor\": 220000}},"
    "{\"run\": 3, \"iteration\": 9, \"latency_ns\": 280000, \"excess_ns\": 210000, "
    "\"causes\": {\"hypervisor\": 210000}}]},"
    "{\"probe\": \"null\", \"probe_id\": 0, \"config\": {}, \"samples\": 100, \"stats\": "
    "{\"p50_ns\": 45.0, \"p99_ns\": 46.0, \"p999_ns\": 47.0}, \"spikes_found\": 0, "
    "\"attribution\": {\"unexplained\": {\"spikes\": 0, \"excess_ns\": 0}}, \"spikes\": []}]}";

/* The comparison: the ring is in both traces with a verdict, the null probe only in A. */
static const char compare_json[] = "{\"probes\": [{\"probe\": \"ring\", \"a\": {\"probe_id\": 5}, "
				   "\"b\": {\"probe_id\": 2}, \"verdict\": \"shape\"}]}";

/* render - what @fn wrote for @a and @b, malloc'd. */
static char *render(void (*fn)(FILE *f, struct json_object *a, struct json_object *b),
		    struct json_object *a, struct json_object *b)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	if (!f)
		return NULL;
	fn(f, a, b);
	fclose(f);
	return buf;
}

/* count_of - how many times @needle occurs in @s. */
static int count_of(const char *s, const char *needle)
{
	int n = 0;

	while ((s = strstr(s, needle))) {
		n++;
		s += strlen(needle);
	}
	return n;
}

/* The figures: Table 1's percentiles with their intervals, an unbounded end as '-'. */
static int test_figures(void)
{
	struct json_object *r = json_tokener_parse(report_json);
	char *out = render(report_html_answer, r, NULL);

	CHECK(r && out);
	CHECK(!strncmp(out, "<section class=\"card\" id=\"answer\">", 34));
	EXPECT(strstr(out, "ring, 3 hops, netns, uring"));
	EXPECT(strstr(out, "60.289 <span class=\"ci\">[59.728, 60.757]</span>"));
	EXPECT(strstr(out, "140.264 <span class=\"ci\">[128.271, 269.580]</span>"));
	EXPECT(strstr(out, "401.735 <span class=\"ci\">[383.040, -]</span>"));
	EXPECT(strstr(out, "<td>439</td>"));
	EXPECT(strstr(out, "<td>0.045</td>")); /* no interval: the figure alone */
	EXPECT(!strstr(out, "verdict"));       /* no --compare, no verdict column */
	free(out);
	json_object_put(r);
	return 0;
}

/* The causes: each cause's share of the excess with the spikes it dominates, hypervisor too. */
static int test_causes(void)
{
	struct json_object *r = json_tokener_parse(report_json);
	char *out = render(report_html_answer, r, NULL);

	CHECK(r && out);
	EXPECT(strstr(out, "<th>hypervisor</th>"));
	EXPECT(strstr(out, "70.0% <span class=\"n\">(394)</span>"));
	EXPECT(strstr(out, "20.0% <span class=\"n\">(15)</span>"));
	EXPECT(strstr(out, "10.0% <span class=\"n\">(30)</span>"));
	EXPECT(strstr(out, "no spike")); /* the null probe */
	free(out);
	json_object_put(r);
	return 0;
}

/* The largest spikes: three of the ring's four, one line each, causes largest first. */
static int test_biggest(void)
{
	struct json_object *r = json_tokener_parse(report_json);
	char *out = render(report_html_answer, r, NULL);
	const char *list;

	CHECK(r && out);
	list = strstr(out, "id=\"answer-spikes\"");
	CHECK(list);
	EXPECT(count_of(list, "<li>") == 3);
	EXPECT(strstr(list,
		      "run 4, iteration 5065, <b>3383.5 us</b> (3315.6 us over the baseline): "
		      "network 80% hypervisor 19% irq 1% </li>"));
	EXPECT(!strstr(list, "iteration 9,")); /* the fourth */
	free(out);
	json_object_put(r);
	return 0;
}

/* With --compare: the verdict the compare model gave, and a probe B lacks said so. */
static int test_verdict(void)
{
	struct json_object *r = json_tokener_parse(report_json);
	struct json_object *c = json_tokener_parse(compare_json);
	char *out = render(report_html_answer, r, c);

	CHECK(r && c && out);
	EXPECT(strstr(out, "<a href=\"#compare\">shape</a>"));
	EXPECT(strstr(out, "not in the compared trace"));
	free(out);
	json_object_put(c);
	json_object_put(r);
	return 0;
}

static const char platform_json[] =
    "{\"platform\": {\"hypervisor\": \"KVMKVMKVM\", \"clocksource\": \"tsc\", \"tsc_flags\": "
    "{\"constant\": true, \"nonstop\": true, \"reliable\": false, \"cpuid_rdtscp\": true}, "
    "\"tsc_khz\": 2599998.144, \"kernel_platform\": {\"hz\": 250, \"nohz\": \"idle\", "
    "\"mitigations\": {\"retbleed\": \"Vulnerable\", \"mds\": \"Not affected\"}, "
    "\"new_fact\": \"<b>x</b>\"}, \"calibration\": {\"tsc_hz_err\": 23.4, \"tsc_step_ticks\": "
    "30, \"tsc_step_ns\": 11.54, \"kernel_tsc_khz\": null}}, \"probes\": []}";

/* The fingerprint: labelled lines in words, no raw key; a fact no line knows said humanely. */
static int test_fingerprint(void)
{
	struct json_object *r = json_tokener_parse(platform_json);
	char *out = render(report_html_platform, r, NULL);

	CHECK(r && out);
	EXPECT(strstr(out, "<td>TSC</td><td>constant rate, runs in deep idle (nonstop), RDTSCP; "
			   "not trusted without a watchdog</td>"));
	EXPECT(strstr(out, "<td>TSC rate</td><td>2599998.144 kHz +- 23.4 Hz"));
	EXPECT(strstr(out, "announced by CPUID or the hypervisor: none"));
	EXPECT(strstr(out, "<td>TSC step</td><td>30 ticks = 11.54 ns"));
	EXPECT(strstr(out, "<td>Scheduler tick</td><td>HZ 250, NO_HZ idle</td>"));
	EXPECT(strstr(out, "vulnerable to retbleed (1 of 2 listed vulnerabilities)"));
	EXPECT(strstr(out, "<td>Kernel platform: new fact</td><td>&lt;b&gt;x&lt;/b&gt;</td>"));
	EXPECT(!strstr(out, "tsc_flags") && !strstr(out, "cpuid_rdtscp") &&
	       !strstr(out, "kernel_platform") && !strstr(out, "tsc_step_ns"));
	EXPECT(!strstr(out, "Steal time")); /* a fact the trace does not have: no line */
	free(out);
	json_object_put(r);
	return 0;
}

/* Two fingerprints: the compared trace's beside, a line that differs shaded. */
static int test_fingerprint_compare(void)
{
	struct json_object *a = json_tokener_parse(platform_json);
	struct json_object *b = json_tokener_parse(platform_json);
	char *out;

	CHECK(a && b);
	json_object_object_add(json_object_object_get(b, "platform"), "clocksource",
			       json_object_new_string("kvm-clock"));
	out = render(report_html_platform, a, b);
	CHECK(out);
	EXPECT(strstr(out, "<tr class=\"diff\"><td>Clock source</td><td>tsc</td><td>kvm-clock"));
	EXPECT(strstr(out, "<tr><td>TSC step</td>"));
	free(out);
	json_object_put(b);
	json_object_put(a);
	return 0;
}

/* miss - a key the printers asked for that the fixture lacks fails the case. */
static void miss(void *arg, enum rm_key key, const char *why)
{
	(void)arg;
	(void)why;
	/* the fixtures leave out keys no answer line reads; those the answer reads must be there */
	if (key != RK_REPORT_PLATFORM)
		EXPECTF(0, "key '%s' missed: %s", rm_name(key), why);
}

int main(void)
{
	static const struct check_case cases[] = {
	    CHECK_CASE(figures), CHECK_CASE(causes),	  CHECK_CASE(biggest),
	    CHECK_CASE(verdict), CHECK_CASE(fingerprint), CHECK_CASE(fingerprint_compare),
	};

	rm_on_miss(miss, NULL);
	return CHECK_RUN(cases);
}
