// SPDX-License-Identifier: MIT
/*
 * test_observer - a probe with traced and untraced runs (RUN "traced"): the model splits its
 * samples, analyze's table reads the untraced runs, and its observer effect has the known
 * traced/untraced ratios; a file without the field reads as before.
 */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <json-c/json.h>

#include "analysis/analyze/analyze.h"
#include "lib/trace/trace_reader.h"
#include "lib/trace/trace_writer.h"
#include "tests/unit/check.h"

#define RUNS	   4
#define ITERATIONS 1000

static char path[] = "/tmp/test_observer-XXXXXX";

/* add_json - write one JSON chunk given as text. */
static int add_json(struct trace_writer *w, uint32_t type, const char *text)
{
	struct json_object *o = json_tokener_parse(text);
	int ret = o ? trace_writer_add_json(w, type, o) : -EINVAL;

	json_object_put(o);
	return ret;
}

/*
 * write_trace - probe 0 'null', 4 runs of 1000: the even runs traced at 2000 + i % 10 ns, the
 * odd ones untraced at 1000 + i % 10 ns (@flag false: no RUN says "traced", an older file).
 */
static int write_trace(bool flag)
{
	struct trace_sample s = {0};
	struct trace_writer *w;
	char run[96];
	int ret = trace_writer_open(path, &w);

	ret = ret ?: add_json(w, TRACE_CHUNK_PROBE, "{\"probe_id\": 0, \"probe\": \"null\"}");
	for (uint32_t r = 0; !ret && r < RUNS; r++) {
		for (uint32_t i = 0; !ret && i < ITERATIONS; i++) {
			s.run = r;
			s.iteration = i;
			s.latency_ns = (r % 2 ? 1000 : 2000) + i % 10;
			s.mono_start_ns = 1000000 + (uint64_t)(r * ITERATIONS + i) * 5000;
			s.mono_end_ns = s.mono_start_ns + s.latency_ns;
			ret = trace_writer_add_sample(w, 0, &s);
		}
		snprintf(run, sizeof(run), "{\"probe_id\": 0, \"run\": %u%s}", r,
			 !flag	 ? ""
			 : r % 2 ? ", \"traced\": false"
				 : ", \"traced\": true");
		ret = ret ?: add_json(w, TRACE_CHUNK_RUN, run);
	}
	ret = ret ?: add_json(w, TRACE_CHUNK_PROBE_END, "{\"probe_id\": 0}");
	if (ret) {
		trace_writer_abandon(w);
		return ret;
	}
	return trace_writer_close(w, NULL);
}

/* test_split - the untraced runs' samples first, each side whole and in order. */
static int test_split(void)
{
	struct trace_session *s = NULL;
	const struct trace_sample *v;
	char err[256];
	size_t n;

	CHECK(write_trace(true) == 0);
	CHECK(trace_session_load(path, &s, err, sizeof(err)) == 0);
	CHECK(s->nprobes == 1 && s->probes[0].observed);
	v = trace_probe_stat_samples(&s->probes[0], &n);
	EXPECT(n == 2 * ITERATIONS && v[0].run == 1 && v[n - 1].run == 3);
	for (size_t i = 0; i < n; i++)
		EXPECT(v[i].latency_ns < 2000);
	v = trace_probe_traced_samples(&s->probes[0], &n);
	EXPECT(n == 2 * ITERATIONS && v[0].run == 0 && v[n - 1].run == 2);
	EXPECT(v[1].iteration == 1 && v[ITERATIONS].run == 2);
	trace_session_free(s);
	return 0;
}

/* test_old_file - without "traced" every sample is the statistics' and the spikes'. */
static int test_old_file(void)
{
	struct trace_session *s = NULL;
	char err[256];
	size_t n, m;

	CHECK(write_trace(false) == 0);
	CHECK(trace_session_load(path, &s, err, sizeof(err)) == 0);
	EXPECT(!s->probes[0].observed);
	trace_probe_stat_samples(&s->probes[0], &n);
	trace_probe_traced_samples(&s->probes[0], &m);
	EXPECT(n == RUNS * ITERATIONS && m == RUNS * ITERATIONS);
	trace_session_free(s);
	return 0;
}

/* analyze_json - analyze --json of the file, parsed. */
static struct json_object *analyze_json(void)
{
	struct analyze_opts o;
	char err[256], *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	struct json_object *r = NULL;

	analyze_opts_default(&o);
	o.json = true;
	if (f && analyze_file(path, &o, f, err, sizeof(err)) == 0) {
		fclose(f);
		r = json_tokener_parse(buf);
	} else if (f) {
		fclose(f);
	}
	free(buf);
	return r;
}

static double num(struct json_object *o, const char *a, const char *b)
{
	struct json_object *v = json_object_object_get(o, a);

	return json_object_get_double(b ? json_object_object_get(v, b) : v);
}

/* test_analyze - Table 1 is the untraced runs'; traced p50 2004-2005 over untraced 1004-1005. */
static int test_analyze(void)
{
	struct json_object *r, *p, *oe;

	CHECK(write_trace(true) == 0);
	r = analyze_json();
	CHECK(r);
	p = json_object_array_get_idx(json_object_object_get(r, "probes"), 0);
	oe = json_object_object_get(p, "observer_effect");
	EXPECT(json_object_get_int(json_object_object_get(p, "samples")) == 2 * ITERATIONS);
	EXPECT(num(p, "stats", "p50_ns") >= 1004 && num(p, "stats", "p50_ns") <= 1005);
	EXPECT(num(p, "stats", "max_ns") == 1009);
	CHECK(oe);
	EXPECT(num(oe, "untraced", "runs") == 2 && num(oe, "traced", "runs") == 2);
	EXPECT(num(oe, "untraced", "p50_ns") == num(p, "stats", "p50_ns"));
	EXPECT(num(oe, "traced", "p99_ns") == 2009);
	EXPECT_NEAR(num(oe, "p50_ratio", NULL), 2004.0 / 1004.0, 0.002);
	EXPECT_NEAR(num(oe, "p99_ratio", NULL), 2009.0 / 1009.0, 0.002);
	EXPECT(json_object_array_length(json_object_object_get(
		   json_object_object_get(oe, "untraced"), "p50_ci_ns")) == 2);
	json_object_put(r);
	CHECK(write_trace(false) == 0);
	r = analyze_json();
	CHECK(r);
	p = json_object_array_get_idx(json_object_object_get(r, "probes"), 0);
	EXPECT(!json_object_object_get(p, "observer_effect"));
	EXPECT(json_object_get_int(json_object_object_get(p, "samples")) == RUNS * ITERATIONS);
	json_object_put(r);
	return 0;
}

int main(void)
{
	static const struct check_case cases[] = {
	    CHECK_CASE(split),
	    CHECK_CASE(old_file),
	    CHECK_CASE(analyze),
	};
	int fd = mkstemp(path), rc;

	if (fd < 0) {
		perror("mkstemp");
		return T_EXIT_FAIL;
	}
	close(fd);
	rc = CHECK_RUN(cases);
	unlink(path);
	return rc;
}
