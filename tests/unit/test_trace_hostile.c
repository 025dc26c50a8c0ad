// SPDX-License-Identifier: MIT
/*
 * test_trace_hostile - traces whose CRCs are right but whose content lies: a JSON key of the
 * wrong type, a run or iteration beyond what the probe declares. The model and the streaming
 * reader refuse each with a message that names it. The same cases are committed as files in
 * tests/data/trace-corpus (the fuzzer's seeds): `test_trace_hostile --write-corpus DIR` writes
 * them, and this test checks that the committed ones still fail as they should.
 */
#include "lib/trace/trace_reader.h"
#include "lib/trace/trace_writer.h"
#include "tests/unit/trace_fixture.h"

#include <errno.h>
#include <json-c/json.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <zlib.h>

/* A hostile trace: the base session with one JSON chunk replaced and/or one sample changed. */
struct hostile {
	const char *name; /* its corpus file is hostile-NAME.rst */
	uint32_t type;	  /* the JSON chunk replaced (0: none) */
	unsigned int nth; /* which chunk of that type, 0 the first */
	const char *json; /* its text instead */
	int sample;	  /* the sample changed (-1: none) */
	uint32_t run, iteration;
	const char *want; /* in the error message */
};

#define PROBE_JSON                                                                                 \
	"{\"probe_id\": 0, \"probe\": \"null\", \"timed_tid\": 4242, \"config\": {\"runs\": 2, "   \
	"\"iterations\": 5, \"warmup\": 0, \"cpus\": [0]}}"
#define NO_SAMPLE -1, 0, 0

static const struct hostile cases[] = {
    /* issue 13.4: export crashed on this one and left OUT.tmp */
    {"type-probe-null", TRACE_CHUNK_PROBE, 0, "{\"probe_id\": 0, \"probe\": null}", NO_SAMPLE,
     "PROBE chunk: \"probe\" is null, not a string"},
    {"type-probe-id", TRACE_CHUNK_PROBE, 0, "{\"probe_id\": \"0\", \"probe\": \"null\"}", NO_SAMPLE,
     "PROBE chunk: \"probe_id\" is a string, not an integer"},
    {"type-config", TRACE_CHUNK_PROBE, 0, "{\"probe_id\": 0, \"probe\": \"null\", \"config\": []}",
     NO_SAMPLE, "PROBE chunk: \"config\" is an array, not an object"},
    {"type-config-runs", TRACE_CHUNK_PROBE, 0,
     "{\"probe_id\": 0, \"probe\": \"null\", \"config\": {\"runs\": \"2\"}}", NO_SAMPLE,
     "PROBE chunk: \"config.runs\" is a string, not an integer"},
    {"type-config-cpus", TRACE_CHUNK_PROBE, 0,
     "{\"probe_id\": 0, \"probe\": \"null\", \"config\": {\"cpus\": [0, true]}}", NO_SAMPLE,
     "PROBE chunk: \"config.cpus[1]\" is a boolean, not an integer"},
    {"type-session-pid", TRACE_CHUNK_SESSION, 0, "{\"tool\": \"ringscope\", \"pid\": \"4242\"}",
     NO_SAMPLE, "SESSION chunk: \"pid\" is a string, not an integer"},
    {"type-calibration", TRACE_CHUNK_PLATFORM, 0, "{\"calibration\": {\"tsc_step_ns\": \"10\"}}",
     NO_SAMPLE, "PLATFORM chunk: \"calibration.tsc_step_ns\" is a string, not a number"},
    {"type-run", TRACE_CHUNK_RUN, 1, "{\"probe_id\": 0, \"run\": 1.5}", NO_SAMPLE,
     "RUN chunk: \"run\" is a number, not an integer"},
    {"type-lost-iterations", TRACE_CHUNK_RUN, 0,
     "{\"probe_id\": 0, \"run\": 0, \"lost_iterations\": [{\"run\": 0, \"iteration\": null}]}",
     NO_SAMPLE, "RUN chunk: \"lost_iterations[0].iteration\" is null, not an integer"},
    {"type-probe-end", TRACE_CHUNK_PROBE_END, 0, "{\"probe_id\": 0, \"samples\": {}}", NO_SAMPLE,
     "PROBE_END chunk: \"samples\" is an object, not an integer"},
    {"type-tracer-lost", TRACE_CHUNK_TRACER, 0, "{\"lost_events\": \"none\"}", NO_SAMPLE,
     "TRACER chunk: \"lost_events\" is a string, not an integer or an object"},
    {"type-end-status", TRACE_CHUNK_END, 0, "{\"status\": 0}", NO_SAMPLE,
     "END chunk: \"status\" is an integer, not a string"},
    /* issue 13.5: one flipped bit in a run number made analyze take 32 s and 2.1 GB */
    {"bound-sample-run", 0, 0, NULL, 7, 20000000, 2,
     "sample 7 of probe 0 claims run 20000000, but the probe declares 2 runs"},
    {"bound-sample-iteration", 0, 0, NULL, 3, 0, 1u << 30,
     "sample 3 of probe 0 claims iteration 1073741824, but the probe declares 5 iterations"},
    {"bound-run-chunk", TRACE_CHUNK_RUN, 1, "{\"probe_id\": 0, \"run\": 7}", NO_SAMPLE,
     "RUN chunk of probe 0 names run 7, but the probe declares 2 runs"},
    {"bound-runs-zero", TRACE_CHUNK_PROBE, 0,
     "{\"probe_id\": 0, \"probe\": \"null\", \"config\": {\"runs\": 0}}", NO_SAMPLE,
     "PROBE chunk of probe 0 declares 0 runs, not 1 to 4294967295"},
    {"bound-undeclared", TRACE_CHUNK_PROBE, 0, "{\"probe_id\": 0, \"probe\": \"null\"}", 4, 500, 0,
     "sample 4 of probe 0 claims run 500, iteration 0, but the probe declares no such bound "
     "and the file holds only 10 samples"},
};

static char dir[] = "/tmp/test_trace_hostile.XXXXXX";
static char path[256];

/* put_json - the JSON chunk @type number @nth: @text, or the case's text when it replaces it. */
static int put_json(struct trace_writer *w, const struct hostile *h, uint32_t type,
		    unsigned int nth, const char *text)
{
	struct json_object *o =
	    json_tokener_parse(h->type == type && h->nth == nth ? h->json : text);
	int ret = o ? trace_writer_add_json(w, type, o) : -EINVAL;

	json_object_put(o);
	return ret;
}

/* put_run - the 5 samples of @run, each as the case says, then 3 kernel events. */
static int put_run(struct trace_writer *w, const struct hostile *h, uint32_t run)
{
	struct tracer_event ev = {.tid = 4242, .tgid = 4242, .type = TRACER_EV_SYSCALL};
	int ret = 0;

	for (uint32_t i = 0; i < 5 && !ret; i++) {
		int k = (int)(run * 5 + i);
		struct trace_sample s = {
		    .mono_start_ns = 1000000 + 10000 * (uint64_t)k,
		    .mono_end_ns = 1005000 + 10000 * (uint64_t)k,
		    .latency_ns = 5000,
		    .run = h->sample == k ? h->run : run,
		    .iteration = h->sample == k ? h->iteration : i,
		};

		ret = trace_writer_add_sample(w, 0, &s);
	}
	for (uint32_t i = 0; i < 3 && !ret; i++) {
		ev.ts_ns = 1000500 + 50000 * (uint64_t)run + 1000 * i;
		ev.dur_ns = 200;
		ret = trace_writer_add_events(w, &ev, 1);
	}
	return ret;
}

/* write_case - the base session (2 runs x 5 samples of one probe, 6 events), as @h changes it. */
static int write_case(const char *file, const struct hostile *h)
{
	static const char *const run_json[] = {"{\"probe_id\": 0, \"run\": 0, \"status\": \"ok\"}",
					       "{\"probe_id\": 0, \"run\": 1, \"status\": \"ok\"}"};
	const char *end_text = h->type == TRACE_CHUNK_END ? h->json : "{\"status\": \"ok\"}";
	struct json_object *end = json_tokener_parse(end_text);
	struct trace_writer *w;
	int ret = end ? trace_writer_open(file, &w) : -EINVAL;

	if (ret) {
		json_object_put(end);
		return ret;
	}
	ret = put_json(w, h, TRACE_CHUNK_SESSION, 0, "{\"tool\": \"ringscope\", \"pid\": 4242}");
	ret = ret
		  ?: put_json(w, h, TRACE_CHUNK_PLATFORM, 0,
			      "{\"calibration\": {\"tsc_step_ns\": 10}}");
	ret = ret ?: put_json(w, h, TRACE_CHUNK_PROBE, 0, PROBE_JSON);
	for (uint32_t run = 0; run < 2 && !ret; run++) {
		ret = put_run(w, h, run);
		ret = ret ?: put_json(w, h, TRACE_CHUNK_RUN, run, run_json[run]);
	}
	ret = ret ?: put_json(w, h, TRACE_CHUNK_PROBE_END, 0, "{\"probe_id\": 0, \"samples\": 10}");
	ret = ret ?: put_json(w, h, TRACE_CHUNK_TRACER, 0, "{\"events\": 6, \"lost_events\": 0}");
	ret = trace_writer_close(w, end) ?: ret;
	json_object_put(end);
	return ret;
}

/* expect_refused - loading @file fails with -EBADMSG and a message containing @want. */
static int expect_refused(const char *file, const char *want)
{
	struct trace_session *s = NULL;
	char err[512] = "";
	int ret = trace_session_load(file, &s, err, sizeof(err));

	if (ret != -EBADMSG || !strstr(err, want)) {
		fprintf(stderr, "%s: expected '%s', got %d '%s'\n", file, want, ret, err);
		trace_session_free(s);
		return 1;
	}
	return 0;
}

/* streamed_refused - a type case fails the streaming read too (CSV export reads that way). */
static int streamed_refused(const char *file, const char *want)
{
	struct trace_read_status st;

	CHECK(trace_reader_read(file, NULL, NULL, &st) == -EBADMSG && strstr(st.err, want));
	return 0;
}

static int test_cases_refused(void)
{
	int bad = 0;

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		const struct hostile *h = &cases[i];

		if (write_case(path, h)) {
			fprintf(stderr, "%s: cannot write the case\n", h->name);
			return 1;
		}
		bad |= expect_refused(path, h->want);
		if (!strncmp(h->name, "type-", 5)) /* a model rule is no streaming reader's */
			bad |= streamed_refused(path, h->want);
	}
	return bad;
}

/* test_base_is_valid - the session the cases change loads, events and all. */
static int test_base_is_valid(void)
{
	const struct hostile none = {.sample = -1};
	struct trace_session *s;
	char err[512];

	CHECK(write_case(path, &none) == 0);
	CHECK(trace_session_load(path, &s, err, sizeof(err)) == 0);
	CHECK(s->nprobes == 1 && s->probes[0].nsamples == 10 && s->nevents == 6);
	CHECK(s->probes[0].declared_runs == 2 && s->probes[0].declared_iterations == 5);
	trace_session_free(s);
	return 0;
}

/* corpus_path - tests/data/trace-corpus/NAME into @buf. */
static const char *corpus_path(char *buf, size_t len, const char *prefix, const char *name)
{
	snprintf(buf, len, "%s/%s%s.rst", RS_CORPUS_DIR, prefix, name);
	return buf;
}

/*
 * v1_bad_run - a version-1 trace (the committed valid one) whose first sample claims run
 * 20,000,000, with its chunk's CRC made right: the flipped bit of issue 13.5, in the old format.
 */
static int v1_bad_run(const char *out)
{
	size_t len, off = sizeof(struct trace_file_header);
	char in[512];
	unsigned char *buf = read_file(corpus_path(in, sizeof(in), "valid-", "v1-null"), &len);
	struct trace_chunk_header h;
	uint32_t run = 20000000;
	int ok = 0;

	while (buf && off + sizeof(h) <= len && !ok) {
		memcpy(&h, buf + off, sizeof(h));
		ok = h.type == TRACE_CHUNK_SAMPLES;
		off += ok ? 0 : sizeof(h) + h.length;
	}
	if (ok) {
		memcpy(buf + off + sizeof(h) + sizeof(struct trace_samples_header) +
			   offsetof(struct trace_sample, run),
		       &run, sizeof(run));
		h.crc32 = (uint32_t)crc32(0L, buf + off + sizeof(h), h.length);
		memcpy(buf + off, &h, sizeof(h));
		ok = rewrite(out, buf, len) == 0;
	}
	free(buf);
	return ok ? 0 : -1;
}

#define V1_WANT "sample 0 of probe 0 claims run 20000000, but the probe declares 2 runs"

static int test_version1_bound(void)
{
	CHECK(v1_bad_run(path) == 0);
	return expect_refused(path, V1_WANT);
}

/* test_corpus - the committed hostile files fail as their cases say; the valid ones read. */
static int test_corpus(void)
{
	static const char *const valid[] = {"v1-null", "v1-ring", "v2-null", "v2-ring"};
	struct trace_session *s;
	char file[512], err[512];
	int bad = 0;

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		bad |= expect_refused(corpus_path(file, sizeof(file), "hostile-", cases[i].name),
				      cases[i].want);
	bad |= expect_refused(corpus_path(file, sizeof(file), "hostile-", "v1-bound-sample-run"),
			      V1_WANT);
	for (size_t i = 0; i < sizeof(valid) / sizeof(valid[0]); i++) {
		CHECK(trace_session_load(corpus_path(file, sizeof(file), "valid-", valid[i]), &s,
					 err, sizeof(err)) == 0);
		CHECK(s->status.complete && s->nprobes == 1 && s->nevents > 0);
		CHECK(s->status.version == (valid[i][1] == '1' ? 1 : 2));
		trace_session_free(s);
	}
	return bad;
}

/* write_corpus - every case as DIR/hostile-NAME.rst. */
static int write_corpus(const char *to)
{
	char file[512];

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		snprintf(file, sizeof(file), "%s/hostile-%s.rst", to, cases[i].name);
		if (write_case(file, &cases[i]))
			return 1;
	}
	snprintf(file, sizeof(file), "%s/hostile-v1-bound-sample-run.rst", to);
	return v1_bad_run(file) ? 1 : 0;
}

int main(int argc, char **argv)
{
	static const struct check_case tests[] = {
	    CHECK_CASE(base_is_valid),
	    CHECK_CASE(cases_refused),
	    CHECK_CASE(version1_bound),
	    CHECK_CASE(corpus),
	};
	int rc;

	if (argc == 3 && !strcmp(argv[1], "--write-corpus"))
		return write_corpus(argv[2]);
	if (!mkdtemp(dir))
		return T_EXIT_FAIL;
	snprintf(path, sizeof(path), "%s/t.rst", dir);
	rc = CHECK_RUN(tests);
	unlink(path);
	rmdir(dir);
	return rc;
}
