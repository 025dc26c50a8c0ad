// SPDX-License-Identifier: MIT
/* test_analyze_render - analyze's report of synthetic traces whose statistics are known. */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <json-c/json.h>

#include "analysis/analyze/render_analyze.h"
#include "lib/cli.h"
#include "lib/trace/trace_reader.h"
#include "lib/trace/trace_writer.h"
#include "tests/unit/check.h"

static char path[] = "/tmp/test_analyze_render-XXXXXX";

enum ending { END_OK, END_ERROR, END_NONE };

static struct json_object *json_parse(const char *text)
{
	return json_tokener_parse(text);
}

/* add_json - write one JSON chunk given as text. */
static int add_json(struct trace_writer *w, uint32_t type, const char *text)
{
	struct json_object *o = json_parse(text);
	int ret = o ? trace_writer_add_json(w, type, o) : -EINVAL;

	json_object_put(o);
	return ret;
}

/*
 * write_trace - probe 1 'null': latencies 1..1000 ns in 2 runs, plus 5 bad samples of 1 s
 * and 10 late ones (still good); probe 2 'ring': bad samples only. Ends as @ending says.
 */
static int write_trace(enum ending ending)
{
	struct trace_sample s = {0};
	struct trace_writer *w;
	struct json_object *end;
	int i, ret;

	ret = trace_writer_open(path, &w);
	if (ret)
		return ret;
	ret = add_json(
	    w, TRACE_CHUNK_PLATFORM,
	    "{\"hypervisor\": \"KVMKVMKVM\", \"clocksource\": "
	    "\"tsc\", \"tsc_khz\": 2419200, \"kernel\": \"6.18.0\", \"cpu_model\": \"Test CPU\"}");
	ret = ret
		  ?: add_json(w, TRACE_CHUNK_PROBE,
			      "{\"probe_id\": 1, \"probe\": \"null\", "
			      "\"config\": {\"iterations\": 500, \"cpus\": [0, 1]}}");
	for (i = 0; !ret && i < 1005; i++) {
		s.run = i < 500 ? 0 : 1;
		s.iteration = (uint32_t)i % 500;
		s.latency_ns = (uint64_t)(i < 1000 ? 1000 - i : 1000000000);
		s.flags = i >= 1000 ? TRACE_SAMPLE_BAD : i % 100 == 0 ? TRACE_SAMPLE_LATE : 0;
		s.mono_start_ns = 1000000 + (uint64_t)i * 2000;
		s.mono_end_ns = s.mono_start_ns + s.latency_ns;
		ret = trace_writer_add_sample(w, 1, &s);
	}
	ret = ret ?: add_json(w, TRACE_CHUNK_RUN, "{\"probe_id\": 1, \"run\": 0}");
	ret = ret ?: add_json(w, TRACE_CHUNK_RUN, "{\"probe_id\": 1, \"run\": 1}");
	ret = ret ?: add_json(w, TRACE_CHUNK_PROBE_END, "{\"probe_id\": 1, \"lost\": 3}");
	ret = ret ?: add_json(w, TRACE_CHUNK_PROBE, "{\"probe_id\": 2, \"probe\": \"ring\"}");
	s.flags = TRACE_SAMPLE_BAD;
	ret = ret ?: trace_writer_add_sample(w, 2, &s);
	if (ret || ending == END_NONE) {
		trace_writer_abandon(w);
		return ret;
	}
	end =
	    json_parse(ending == END_OK ? "{\"status\": \"ok\"}"
					: "{\"status\": \"error\", \"error\": \"member 2 died\"}");
	ret = trace_writer_close(w, end);
	json_object_put(end);
	return ret;
}

/* report_of - write a trace ending as @ending and build its report. */
static struct json_object *report_of(enum ending ending)
{
	struct json_object *r = NULL;
	struct trace_session *s;
	char err[256];

	if (write_trace(ending) || trace_session_load(path, &s, err, sizeof(err)))
		return NULL;
	if (analyze_report_build(s, &r))
		r = NULL;
	trace_session_free(s);
	return r;
}

static struct json_object *at(struct json_object *o, const char *key)
{
	struct json_object *v = NULL;

	json_object_object_get_ex(o, key, &v);
	return v;
}

static double num(struct json_object *o, const char *key)
{
	return json_object_get_double(at(o, key));
}

static int test_known_stats(void)
{
	struct json_object *r = report_of(END_OK), *p, *st;

	CHECK(r != NULL);
	CHECK(json_object_get_boolean(at(r, "complete")));
	CHECK(!strcmp(json_object_get_string(at(r, "status")), "ok"));
	CHECK(at(r, "error") == NULL);
	CHECK(!strcmp(json_object_get_string(at(at(r, "platform"), "hypervisor")), "KVMKVMKVM"));
	CHECK(json_object_array_length(at(r, "probes")) == 2);
	p = json_object_array_get_idx(at(r, "probes"), 0);
	CHECK(!strcmp(json_object_get_string(at(p, "probe")), "null"));
	CHECK(num(at(p, "config"), "iterations") == 500);
	CHECK(num(p, "samples") == 1000 && num(p, "bad_messages") == 5);
	CHECK(num(p, "late") == 10 && num(p, "lost") == 3 && num(p, "runs") == 2);
	st = at(p, "stats");
	CHECK(num(st, "mean_ns") == 500.5 && num(st, "min_ns") == 1 && num(st, "max_ns") == 1000);
	CHECK(fabs(num(st, "stddev_ns") - sqrt(1000.0 * 1001.0 / 12.0)) < 1e-9);
	CHECK(num(st, "p50_ns") == 500.5);
	CHECK(fabs(num(st, "p90_ns") - 900.1) < 1e-9);	  /* h = 999 * 0.9 = 899.1 */
	CHECK(fabs(num(st, "p99_ns") - 990.01) < 1e-9);	  /* h = 989.01 */
	CHECK(fabs(num(st, "p999_ns") - 999.001) < 1e-9); /* h = 998.001 */
	/* 1000 samples hold no p99.99: the key is there, null */
	CHECK(json_object_object_get_ex(st, "p9999_ns", NULL) && at(st, "p9999_ns") == NULL);
	CHECK(json_object_object_get_ex(st, "p99999_ns", NULL) && at(st, "p99999_ns") == NULL);
	p = json_object_array_get_idx(at(r, "probes"), 1);
	CHECK(num(p, "samples") == 0 && num(p, "bad_messages") == 1 && num(p, "runs") == 0);
	CHECK(at(p, "stats") == NULL && json_object_is_type(at(p, "config"), json_type_object));
	json_object_put(r);
	return 0;
}

static int test_error_end(void)
{
	struct json_object *r = report_of(END_ERROR);

	CHECK(r != NULL);
	CHECK(json_object_get_boolean(at(r, "complete")));
	CHECK(!strcmp(json_object_get_string(at(r, "status")), "error"));
	CHECK(!strcmp(json_object_get_string(at(r, "error")), "member 2 died"));
	json_object_put(r);
	return 0;
}

static int test_incomplete(void)
{
	struct json_object *r = report_of(END_NONE), *p;

	CHECK(r != NULL);
	CHECK(!json_object_get_boolean(at(r, "complete")));
	CHECK(json_object_object_get_ex(r, "status", NULL) && at(r, "status") == NULL);
	p = json_object_array_get_idx(at(r, "probes"), 0);
	CHECK(num(p, "samples") == 1000 && num(at(p, "stats"), "max_ns") == 1000);
	json_object_put(r);
	return 0;
}

/* printed - what a printer wrote, as a malloc'd string. */
static char *printed(struct json_object *r, int json)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	if (!f)
		return NULL;
	if (json)
		cli_print_json(f, r);
	else
		analyze_print_text(f, "t.rst", r);
	fclose(f);
	return buf;
}

static int test_text(void)
{
	struct json_object *r = report_of(END_ERROR);
	char *t = r ? printed(r, 0) : NULL;
	int ok;

	CHECK(t != NULL);
	ok = strstr(t, "# platform: hypervisor KVMKVMKVM, clocksource tsc, tsc_khz 2419200") &&
	     strstr(t, "# file: complete, status error: member 2 died") &&
	     strstr(t, "# probe 1 'null': iterations=500 cpus=[0,1]") &&
	     strstr(t, "# samples 1000, bad messages 5, lost 3, late 10, runs 2") &&
	     strstr(t, "p99.9        max  (us)") && strstr(t, "      0.001") &&
	     strstr(t, "      1.000\n") && strstr(t, "no good samples");
	if (!ok)
		fprintf(stderr, "unexpected text:\n%s", t);
	free(t);
	json_object_put(r);
	CHECK(ok);
	return 0;
}

static int test_json_print(void)
{
	struct json_object *r = report_of(END_OK), *back, *st;
	char *t = r ? printed(r, 1) : NULL;

	CHECK(t != NULL);
	back = json_tokener_parse(t);
	free(t);
	json_object_put(r);
	CHECK(back != NULL);
	st = at(json_object_array_get_idx(at(back, "probes"), 0), "stats");
	CHECK(num(st, "p99_ns") == 990.0 && num(st, "mean_ns") == 500.5); /* one decimal */
	json_object_put(back);
	return 0;
}

int main(void)
{
	static const struct check_case cases[] = {
	    CHECK_CASE(known_stats), CHECK_CASE(error_end),  CHECK_CASE(incomplete),
	    CHECK_CASE(text),	     CHECK_CASE(json_print),
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
