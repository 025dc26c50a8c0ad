// SPDX-License-Identifier: MIT
/*
 * test_report_model - every builder of the report model, run on two synthetic traces
 * (model_trace.h), checked against the schema (analysis/model/report_keys.h), and every
 * printer run on what they built: a key a printer asks for that no builder made fails (the
 * accessor's miss hook), so does a key a builder made that the schema does not know, a key the
 * schema requires that a builder left out, and a key of the schema that nothing makes.
 */
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <json-c/json.h>

#include "analysis/analyze/analyze.h"
#include "analysis/analyze/histogram.h"
#include "analysis/analyze/render_analyze.h"
#include "analysis/attribution/attribution_report.h"
#include "analysis/attribution/mechanisms.h"
#include "analysis/compare/compare.h"
#include "analysis/compare/compare_project.h"
#include "analysis/export/export_perfetto.h"
#include "analysis/model/report_model.h"
#include "analysis/patterns/patterns_render.h"
#include "analysis/report/report_compare.h"
#include "analysis/report/report_html.h"
#include "analysis/report/report_mechanisms.h"
#include "lib/cli.h"
#include "lib/trace/trace_reader.h"
#include "tests/unit/check.h"
#include "tests/unit/model_trace.h"

/* the top spikes shown: past the drift's 8, into the line's (preempted and flushing ones) */
#define TOP_SPIKES "12"

static char path_a[] = "/tmp/test_report_model-a-XXXXXX";
static char path_b[] = "/tmp/test_report_model-b-XXXXXX";

static bool seen[RK_NKEYS]; /* the keys some builder made, over every case */
static int misses;	    /* keys printers asked for and did not find */
static bool quiet;	    /* a case that breaks the model on purpose: count, do not say */

static void on_miss(void *arg, enum rm_key key, const char *why)
{
	if (!quiet)
		fprintf(stderr, "  miss: %s \"%s\": %s\n", rm_kind_def(rm_key_def(key)->kind)->id,
			rm_name(key), why);
	misses++;
}

/* problem - one way a built object is not what the schema says; returns 1 (to count). */
static int problem(const char *path, const char *why)
{
	if (!quiet)
		fprintf(stderr, "  %s: %s\n", path, why);
	return 1;
}

static bool type_ok(struct json_object *v, enum rm_type type)
{
	switch (type) {
	case RM_T_INT:
		return json_object_is_type(v, json_type_int);
	case RM_T_NUM:
		return json_object_is_type(v, json_type_int) ||
		       json_object_is_type(v, json_type_double);
	case RM_T_STR:
		return json_object_is_type(v, json_type_string);
	case RM_T_BOOL:
		return json_object_is_type(v, json_type_boolean);
	case RM_T_OBJ:
		return json_object_is_type(v, json_type_object);
	case RM_T_ARR:
		return json_object_is_type(v, json_type_array);
	default:
		return true;
	}
}

/* belongs - whether @key is one of @kind's keys (its own or its base kind's). */
static bool belongs(enum rm_key key, enum rm_kind kind)
{
	enum rm_kind owner = rm_key_def(key)->kind;

	return owner == kind || owner == rm_kind_def(kind)->base;
}

/* key_of - @kind's key called @name, RK_NKEYS when the schema has none. */
static enum rm_key key_of(enum rm_kind kind, const char *name)
{
	int k;

	for (k = 0; k < RK_NKEYS; k++) {
		if (belongs((enum rm_key)k, kind) && !strcmp(rm_name((enum rm_key)k), name))
			return (enum rm_key)k;
	}
	return RK_NKEYS;
}

static int check_object(struct json_object *o, enum rm_kind kind, const char *path);

/* check_value - a value of @type (objects of @child): problems, 0 when there is none. */
static int check_value(struct json_object *v, enum rm_type type, enum rm_kind child,
		       unsigned int flags, const char *path)
{
	char sub[512];
	size_t i;
	int n = 0;

	if (!v)
		return flags & RM_NULL ? 0 : problem(path, "null, which the schema does not allow");
	if (!type_ok(v, type))
		return problem(path, "not of the schema's type");
	if (child == RMK_NONE)
		return 0;
	if (type == RM_T_OBJ)
		return check_object(v, child, path);
	for (i = 0; i < json_object_array_length(v); i++) {
		snprintf(sub, sizeof(sub), "%s[%zu]", path, i);
		n += check_value(json_object_array_get_idx(v, i), RM_T_OBJ, child, 0, sub);
	}
	return n;
}

/*
 * check_object - @o as an object of @kind: every key declared (closed kinds), of its type, the
 * required ones there; marks the keys seen. Returns the problems found.
 */
static int check_object(struct json_object *o, enum rm_kind kind, const char *path)
{
	const struct rm_kind_def *kd = rm_kind_def(kind);
	const struct rm_key_def *def;
	char sub[512];
	enum rm_key k;
	int n = 0;

	json_object_object_foreach(o, name, v)
	{
		snprintf(sub, sizeof(sub), "%s.%s", path, name);
		if (kd->form == RM_MAP) {
			n += check_value(v, kd->value_type, kd->value_kind, 0, sub);
			continue;
		}
		k = key_of(kind, name);
		if (k == RK_NKEYS) {
			n +=
			    kd->form == RM_CLOSED ? problem(sub, "made, but not in the schema") : 0;
			continue;
		}
		seen[k] = true;
		def = rm_key_def(k);
		n += check_value(v, def->type, def->child, def->flags, sub);
	}
	for (k = 0; k < RK_NKEYS; k++) {
		snprintf(sub, sizeof(sub), "%s.%s", path, rm_name(k));
		if (belongs(k, kind) && !(rm_key_def(k)->flags & RM_OPT) && !rm_has(o, k))
			n += problem(sub, "required by the schema, not made");
	}
	return n;
}

/* printed - what @print wrote for @o; the misses it had are counted. Freed by the caller. */
static char *printed(void (*print)(FILE *f, struct json_object *o), struct json_object *o)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	if (!f)
		return NULL;
	print(f, o);
	fclose(f);
	return buf;
}

/* analyze_output - what `ringscope analyze PATH [--spikes TOP_SPIKES --hist] [--json]` prints. */
static char *analyze_output(const char *path, bool spikes, bool json)
{
	struct analyze_opts o;
	char *text = NULL, err[512];
	size_t len = 0;
	FILE *f = open_memstream(&text, &len);
	int rc;

	if (!f)
		return NULL;
	analyze_opts_default(&o);
	o.attr.top = spikes ? strtoul(TOP_SPIKES, NULL, 10) : 0;
	o.hist = spikes; /* every section: the histogram too, the projection's baseline */
	if (spikes)
		o.attr.baseline =
		    (struct projection_baseline){.exit_cost_ns = 1500, .ipi_normal_ns = 2000};
	o.json = json;
	rc = analyze_file(path, &o, f, err, sizeof(err));
	fclose(f);
	if (!rc)
		return text;
	fprintf(stderr, "  analyze_file('%s'): %s\n", path, err);
	free(text);
	return NULL;
}

/* report_of - the analyze report with the spike and pattern sections, as `report` builds it. */
static struct json_object *report_of(const char *path, struct trace_session **s)
{
	struct attr_report_opts ao = {.top = strtoul(TOP_SPIKES, NULL, 10)};
	struct json_object *r = NULL;
	char err[512];

	spikes_opts_default(&ao.spikes);
	if (trace_session_load(path, s, err, sizeof(err)) || analyze_report_build(*s, &r) ||
	    attr_report_add(path, *s, &ao, rm_get(r, RK_REPORT_PROBES), err, sizeof(err)) ||
	    patterns_report_add(*s, &ao.spikes, rm_get(r, RK_REPORT_PROBES)) ||
	    hist_add(*s, rm_get(r, RK_REPORT_PROBES))) {
		fprintf(stderr, "  building the report of '%s' failed: %s\n", path, err);
		json_object_put(r);
		return NULL;
	}
	return r;
}

/* test_schema - the table itself: kinds that exist, no name twice in an object, maps keyless. */
static int test_schema(void)
{
	const struct rm_key_def *d;
	int k, j;

	for (k = 0; k < RK_NKEYS; k++) {
		d = rm_key_def((enum rm_key)k);
		EXPECTF(d->kind > RMK_NONE && d->kind < RMK_NKINDS, "%s: no kind", d->name);
		EXPECTF(rm_kind_def(d->kind)->form != RM_MAP, "%s: a key of a map kind", d->name);
		EXPECTF(d->child == RMK_NONE || d->type == RM_T_OBJ || d->type == RM_T_ARR,
			"%s: a child kind for a scalar", d->name);
		for (j = 0; j < k; j++)
			EXPECTF(!belongs((enum rm_key)j, d->kind) ||
				    strcmp(rm_name((enum rm_key)j), d->name),
				"%s: twice in %s", d->name, rm_kind_def(d->kind)->id);
	}
	return T_EXIT_PASS;
}

/* check_chunks - the chunk objects of @path the analysis reads, against the chunk kinds. */
static int check_chunks(const char *path)
{
	struct trace_session *s;
	char err[512];
	size_t i;
	int n;

	CHECK(trace_session_load(path, &s, err, sizeof(err)) == 0);
	n = check_object(s->session, RMK_SESSION_CHUNK, "SESSION");
	n += check_object(s->platform, RMK_PLATFORM, "PLATFORM");
	n += check_object(s->end, RMK_END_CHUNK, "END");
	n += s->tracer ? check_object(s->tracer, RMK_TRACER_CHUNK, "TRACER") : 0;
	for (i = 0; i < s->nprobes; i++) {
		n += check_object(s->probes[i].begin, RMK_PROBE_CHUNK, "PROBE");
		n += check_object(s->probes[i].config, RMK_CONFIG, "PROBE.config");
		n += check_object(s->probes[i].end, RMK_PROBE_END_CHUNK, "PROBE_END");
	}
	trace_session_free(s);
	EXPECT(n == 0);
	return T_EXIT_PASS;
}

/* test_chunks - as the runner's writers make them (platform, TRACER) and the fixture does. */
static int test_chunks(void)
{
	return check_chunks(path_a) == T_EXIT_PASS ? check_chunks(path_b) : T_EXIT_FAIL;
}

/* check_analyze - analyze's JSON against the schema; its text asks for nothing missing. */
static int check_analyze(const char *path, bool spikes)
{
	char *json = analyze_output(path, spikes, true), *text;
	struct json_object *r = json ? json_tokener_parse(json) : NULL;
	int before = misses;

	CHECK(r);
	EXPECT(check_object(r, RMK_REPORT, "analyze") == 0);
	text = analyze_output(path, spikes, false);
	CHECK(text && strstr(text, "# probe 0 'ring'"));
	EXPECT(!spikes ||
	       (strstr(text, "top " TOP_SPIKES " spikes") && strstr(text, "periodic: every") &&
		strstr(text, "drift: ") && strstr(text, "lag-1 autocorrelation")));
	EXPECT(misses == before);
	free(text);
	free(json);
	json_object_put(r);
	return T_EXIT_PASS;
}

/* test_analyze - `analyze` and `analyze --spikes TOP_SPIKES` of both traces, JSON and text. */
static int test_analyze(void)
{
	char *text = analyze_output(path_a, false, false);

	CHECK(text);
	EXPECT(strstr(text, "# per hop") && strstr(text, "# kernel events") &&
	       strstr(text, "# restarts 1") && strstr(text, "# error: ") &&
	       strstr(text, "status error: "));
	free(text);
	CHECK(check_analyze(path_a, true) == T_EXIT_PASS);
	CHECK(check_analyze(path_a, false) == T_EXIT_PASS);
	CHECK(check_analyze(path_b, true) == T_EXIT_PASS);
	return T_EXIT_PASS;
}

static struct report_compare_sides sides; /* the traces and reports a compare report is of */

/* html_compare - the report page's comparison of @cmp, without its plots (no gnuplot here). */
static void html_compare(FILE *f, struct json_object *cmp)
{
	char err[512];

	report_html_compare(f, NULL, cmp, &sides, err, sizeof(err));
}

/* check_compare - the compare report of @pa with @pb, and its printers. */
static int check_compare(const char *pa, const char *pb)
{
	struct trace_session *a = NULL, *b = NULL;
	struct json_object *r = NULL, *ra = report_of(pa, &a), *rb = report_of(pb, &b);
	struct compare_opts o;
	char err[512], *text;
	int before = misses;

	compare_opts_default(&o);
	o.project = true; /* A projected against B: its test and its missing mechanism */
	CHECK(ra && rb);
	CHECK(compare_report_build(pa, a, pb, b, &o, &r, err, sizeof(err)) == 0);
	EXPECT(check_object(r, RMK_COMPARE, "compare") == 0);
	text = printed(compare_print_text, r);
	EXPECT(text && strstr(text, "verdict: ") && strstr(text, "# patterns A: 3 modes") &&
	       strstr(text, "# no good samples on one side") && strstr(text, "# only in A: ") &&
	       strstr(text, "# only in B: "));
	/* B has no traced run: nothing of it to project */
	EXPECT(text &&
	       (pa != path_b || strstr(text, "projection of A: none (A has no traced run")));
	free(text);
	free(printed(cli_print_json, r));
	sides = (struct report_compare_sides){a, b, ra, rb};
	text = printed(html_compare, r);
	EXPECT(text && strstr(text, "class=\"cmp-rule\"") && strstr(text, "class=\"cmp-pct\"") &&
	       strstr(text, "class=\"cmp-grew\""));
	/* only A is traced: B has nothing to project */
	EXPECT(text && (pa != path_a || strstr(text, "class=\"cmp-proj\"")));
	free(text);
	EXPECT(misses == before);
	json_object_put(ra);
	json_object_put(rb);
	json_object_put(r);
	trace_session_free(a);
	trace_session_free(b);
	return T_EXIT_PASS;
}

static struct json_object *mech_report; /* the analyze report beside a compare report */

/* html_mechanisms - the report page's mechanism section of @mech_report, with compare @cmp. */
static void html_mechanisms(FILE *f, struct json_object *cmp)
{
	report_mechanisms_section(f, mech_report, mech_report, cmp);
}

/*
 * check_compare_traced - A with itself: both sides traced, so every probe with good samples is
 * also split by mechanism (compare_mechanisms.h), which the text and the page show; with
 * --project and a baseline, A's projection is tested against A (it lost its spikes' host time).
 */
static int check_compare_traced(void)
{
	struct trace_session *a = NULL, *s = NULL;
	struct json_object *r = NULL;
	struct compare_opts o;
	char err[512], *text;
	int before = misses;

	compare_opts_default(&o);
	o.project = true;
	o.baseline.ipi_normal_ns = 500;
	CHECK(trace_session_load(path_a, &a, err, sizeof(err)) == 0);
	CHECK(compare_report_build(path_a, a, path_a, a, &o, &r, err, sizeof(err)) == 0);
	EXPECT(check_object(r, RMK_COMPARE, "compare") == 0);
	text = printed(compare_print_text, r);
	EXPECT(text && strstr(text, "by mechanism (traced runs: ") && strstr(text, "B's p99 is "));
	EXPECT(text && strstr(text, "projection of A without the host's time, against B"));
	free(text);
	mech_report = report_of(path_a, &s);
	CHECK(mech_report && mech_report_add(s, mech_report, err, sizeof(err)) == 0);
	text = printed(html_mechanisms, r);
	EXPECT(text && strstr(text, "B less A by mechanism"));
	free(text);
	EXPECT(misses == before);
	json_object_put(mech_report);
	json_object_put(r);
	trace_session_free(s);
	trace_session_free(a);
	return T_EXIT_PASS;
}

/*
 * test_compare - A with B and B with A: probes in both, only in one, without a good sample;
 * A with itself: the split by mechanism.
 */
static int test_compare(void)
{
	CHECK(check_compare(path_a, path_b) == T_EXIT_PASS);
	CHECK(check_compare_traced() == T_EXIT_PASS);
	return check_compare(path_b, path_a);
}

static struct json_object *other; /* the report set beside the one printed */

static void html_platform(FILE *f, struct json_object *r)
{
	report_html_platform(f, r, other);
}

static void html_table1(FILE *f, struct json_object *r)
{
	report_html_table1(f, "trace", r, true);
}

static void html_probes(FILE *f, struct json_object *r)
{
	struct report_probe_plots none = {0};
	size_t i;

	for (i = 0; i < rm_len(r, RK_REPORT_PROBES); i++)
		report_html_probe(f, i, json_object_array_get_idx(rm_get(r, RK_REPORT_PROBES), i),
				  &none);
}

/*
 * test_projection_test - compare --project's entry on sides whose projection misses B: 3 runs
 * of 100 iterations, A's each 8 us of cross-vCPU wakeup longer than B's (no spike to take host
 * time out of), so every quantile differs and names the wakeup; printed under a probe.
 */
static int test_projection_test(void)
{
	static struct trace_sample sa[300], sb[300];
	static struct mech_window wa[300], wb[300];
	struct projection_in in = {.samples = sa, .win = wa, .n = 300};
	struct cmp_mech_side b = {sb, wb, 300};
	struct json_object *probe = json_object_new_object(), *t;
	struct cmp_proj_result r;
	struct compare_opts o;
	int before = misses;
	char *text;
	size_t i;

	for (i = 0; i < 300; i++) {
		sb[i] = (struct trace_sample){.latency_ns = 20000 + (i % 7) * 10 + i / 100,
					      .run = (uint32_t)(i / 100)};
		sa[i] = sb[i];
		sa[i].latency_ns += 8000;
		wa[i].ns[MECH_WAKEUP_CROSS] = 8000;
	}
	compare_opts_default(&o);
	CHECK(cmp_project(&in, NULL, &b, &o, 20, &r) == 0);
	t = cmp_proj_json(&r, "none", "traced");
	CHECK(t && probe);
	EXPECT(check_object(t, RMK_CMP_PROJ, "projection_test") == 0);
	rm_set(probe, RK_CMP_PROJECTION, t);
	text = printed(compare_project_print, probe);
	EXPECT(text && strstr(text, "still above B") && strstr(text, "cross-vCPU wakeup +8.0"));
	EXPECT(misses == before);
	free(text);
	json_object_put(probe);
	return T_EXIT_PASS;
}

/* test_report - the HTML page's pieces of A beside B (the plots need gnuplot: none here). */
static int test_report(void)
{
	struct trace_session *sa = NULL, *sb = NULL;
	struct json_object *a = report_of(path_a, &sa), *b = report_of(path_b, &sb);
	int before = misses;
	char *html;

	CHECK(a && b);
	EXPECT(check_object(a, RMK_REPORT, "report") == 0);
	other = b;
	free(printed(html_platform, a));
	free(printed(html_table1, a));
	html = printed(html_probes, a);
	EXPECT(html && strstr(html, "class=\"timeline\""));
	free(html);
	EXPECT(misses == before);
	json_object_put(a);
	json_object_put(b);
	trace_session_free(sa);
	trace_session_free(sb);
	return T_EXIT_PASS;
}

/* test_export - Perfetto JSON reads the session's pid and the probes' settings. */
static int test_export(void)
{
	const struct export_perfetto_opts o = {.causes = true};
	struct export_perfetto_stats stats;
	struct export_perfetto_opts oo = o;
	struct trace_read_status st;
	int before = misses;
	FILE *f = fopen("/dev/null", "we");

	CHECK(f);
	spikes_opts_default(&oo.spikes);
	EXPECT(export_perfetto(path_a, f, &oo, &stats, &st) == 0 && stats.spikes > 0);
	fclose(f);
	EXPECT(misses == before);
	return T_EXIT_PASS;
}

/* test_renamed_key - a probe's "samples" renamed: the printers miss it, the check flags it. */
static int test_renamed_key(void)
{
	struct trace_session *s = NULL;
	struct json_object *r = report_of(path_a, &s), *probe;
	int before = misses, found;

	CHECK(r);
	probe = json_object_array_get_idx(rm_get(r, RK_REPORT_PROBES), 0);
	json_object_object_add(probe, "good_samples",
			       json_object_get(rm_get(probe, RK_PROBE_SAMPLES)));
	json_object_object_del(probe, rm_name(RK_PROBE_SAMPLES));
	quiet = true;
	found = check_object(r, RMK_REPORT, "report");
	free(printed(html_table1, r));
	quiet = false;
	EXPECT(found == 2); /* "good_samples" unknown, "samples" missing */
	EXPECT(misses > before);
	misses = before;
	json_object_put(r);
	trace_session_free(s);
	return T_EXIT_PASS;
}

/* test_every_key_made - after the cases above: each key of the schema was made by something. */
static int test_every_key_made(void)
{
	int k;

	for (k = 0; k < RK_NKEYS; k++)
		EXPECTF(seen[k], "%s \"%s\": in the schema, made by no builder",
			rm_kind_def(rm_key_def((enum rm_key)k)->kind)->id, rm_name((enum rm_key)k));
	return T_EXIT_PASS;
}

int main(void)
{
	static const struct check_case cases[] = {
	    CHECK_CASE(schema),	 CHECK_CASE(chunks),	      CHECK_CASE(analyze),
	    CHECK_CASE(compare), CHECK_CASE(projection_test), CHECK_CASE(report),
	    CHECK_CASE(export),	 CHECK_CASE(renamed_key),     CHECK_CASE(every_key_made),
	};
	int fa = mkstemp(path_a), fb = mkstemp(path_b), rc = T_EXIT_FAIL;

	if (fa < 0 || fb < 0)
		return T_EXIT_FAIL;
	close(fa);
	close(fb);
	if (model_trace_write(path_a, false) || model_trace_write(path_b, true)) {
		fprintf(stderr, "test_report_model: writing the synthetic traces failed\n");
		goto cleanup;
	}
	rm_on_miss(on_miss, NULL);
	rc = CHECK_RUN(cases);
cleanup:
	unlink(path_a);
	unlink(path_b);
	return rc;
}
