// SPDX-License-Identifier: MIT
/*
 * test_compare - the comparison statistics against known answers: KS distance and p-value of
 * hand-computed samples (the reference values come from the alternating series summed to
 * 10,000 terms in python3), Wasserstein distances of small discrete sets, and the verdicts on
 * synthetic latencies whose difference is known: none, a shift, a scale, a change of shape;
 * and the report's matching of probes on two sessions built in memory.
 */
#include <errno.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include "analysis/compare/compare.h"
#include "lib/trace/trace_reader.h"
#include "tests/unit/check.h"

#define N 5000

/* xorshift64* - a small deterministic generator, so that every run sees the same samples. */
static double uniform(uint64_t *s)
{
	*s ^= *s >> 12;
	*s ^= *s << 25;
	*s ^= *s >> 27;
	return ((*s * 2685821657736338717ULL) >> 11) * (1.0 / 9007199254740992.0) + 1e-17;
}

/* normal - Box-Muller: one standard normal draw. */
static double normal(uint64_t *s)
{
	double u = uniform(s), v = uniform(s);

	return sqrt(-2.0 * log(u)) * cos(2.0 * M_PI * v);
}

/* latencies - @n draws of mean @mean_ns and sd @sd_ns, a ring's round trip in shape. */
static void latencies(double *v, size_t n, uint64_t seed, double mean_ns, double sd_ns)
{
	size_t i;

	for (i = 0; i < n; i++)
		v[i] = mean_ns + sd_ns * normal(&seed);
}

static enum compare_verdict verdict_of(const double *a, size_t na, const double *b, size_t nb,
				       struct compare_result *r)
{
	struct compare_opts o;
	int rc;

	compare_opts_default(&o);
	rc = compare_samples(a, NULL, na, b, NULL, nb, &o, r); /* one run: blocks stand in */
	EXPECTF(rc == 0, "compare_samples returned %d", rc);
	return r->verdict;
}

static int test_ks_hand(void)
{
	const double a[] = {1, 2, 3, 4, 5}, b[] = {3.5, 6, 7, 8};
	double d = compare_ks_d(a, 5, b, 4);

	/* F_A - F_B at 1..8: .2 .4 .6 .35 .55 .75 .5 .25 0 */
	EXPECT_NEAR(d, 0.75, 1e-12);
	/* effective n = 20 / 9, lambda = sqrt(20/9) 0.75 = 1.1180 */
	EXPECT_NEAR(compare_ks_p(d, 5, 4), 0.1640791977266521, 1e-9);
	return T_EXIT_PASS;
}

static int test_ks_ties(void)
{
	const double a[] = {1, 2, 2, 3}, b[] = {2, 2, 2, 4};

	/* both step past 2 together: .25 at 1, 0 at 2, .25 at 3 */
	EXPECT_NEAR(compare_ks_d(a, 4, b, 4), 0.25, 1e-12);
	EXPECT_NEAR(compare_ks_d(a, 4, a, 4), 0.0, 0.0);
	EXPECTF(isnan(compare_ks_d(a, 0, b, 4)), "an empty sample has no distance");
	return T_EXIT_PASS;
}

static int test_kolmogorov_sf(void)
{
	/* both branches (lambda < 1.18 and above) against the long alternating series */
	EXPECT_NEAR(compare_kolmogorov_sf(0.3), 0.9999906941986655, 1e-9);
	EXPECT_NEAR(compare_kolmogorov_sf(0.5), 0.9639452436648751, 1e-9);
	EXPECT_NEAR(compare_kolmogorov_sf(1.0), 0.26999967167735456, 1e-9);
	EXPECT_NEAR(compare_kolmogorov_sf(1.3581), 0.0499996304316674, 1e-9);	/* the 5% point */
	EXPECT_NEAR(compare_kolmogorov_sf(1.6276), 0.010001537333060776, 1e-9); /* the 1% point */
	EXPECT_NEAR(compare_kolmogorov_sf(2.0), 0.0006709252557796953, 1e-12);
	EXPECT_NEAR(compare_kolmogorov_sf(0.0), 1.0, 0.0);
	EXPECT_NEAR(compare_kolmogorov_sf(40.0), 0.0, 0.0);
	return T_EXIT_PASS;
}

static int test_wasserstein(void)
{
	const double a[] = {0, 1, 3}, b[] = {5, 6, 8}, c[] = {0, 0, 1}, d[] = {0, 1, 1};
	const double e[] = {1, 2, 3, 4, 5}, f[] = {3.5, 6, 7, 8};

	EXPECT_NEAR(compare_wasserstein(a, 3, b, 3), 5.0, 1e-12); /* the same set moved by 5 */
	EXPECT_NEAR(compare_wasserstein(c, 3, d, 3), 1.0 / 3.0,
		    1e-12);					    /* one third of the mass by 1 */
	EXPECT_NEAR(compare_wasserstein(e, 5, f, 4), 3.125, 1e-12); /* the KS example, by hand */
	EXPECT_NEAR(compare_wasserstein(e, 5, e, 5), 0.0, 0.0);
	return T_EXIT_PASS;
}

static int test_wasserstein_trimmed(void)
{
	static double a[100], b[100], c[100];
	const double e[] = {1, 2, 3, 4, 5}, f[] = {3.5, 6, 7, 8};
	size_t i;

	for (i = 0; i < 100; i++) {
		a[i] = (double)i;
		b[i] = (double)i + 5;
		c[i] = i < 99 ? (double)i : 1e6; /* one outlier */
	}
	EXPECT_NEAR(compare_wasserstein_trimmed(a, 100, b, 100, 0.01), 5.0, 1e-9);
	EXPECT_NEAR(compare_wasserstein(a, 100, c, 100), (1e6 - 99) / 100, 1e-6);
	EXPECT_NEAR(compare_wasserstein_trimmed(a, 100, c, 100, 0.01), 0.0, 1e-12);
	/* untrimmed, the quantile form is the area between the distribution functions */
	EXPECT_NEAR(compare_wasserstein_trimmed(e, 5, f, 4, 0.0), 3.125, 1e-12);
	/* trimmed 10%: quantiles .1-.2 |1-3.5|, .2-.25 |2-3.5|, .25-.4 |2-6|, .4-.5 |3-6|,
	 * .5-.6 |3-7|, .6-.75 |4-7|, .75-.8 |4-8|, .8-.9 |5-8|: 2.575 over 0.8 */
	EXPECT_NEAR(compare_wasserstein_trimmed(e, 5, f, 4, 0.1), 2.575 / 0.8, 1e-12);
	EXPECTF(isnan(compare_wasserstein_trimmed(e, 5, f, 4, 0.5)), "trim 0.5 accepted");
	return T_EXIT_PASS;
}

static int test_same(void)
{
	static double a[N], b[N];
	struct compare_result r;

	latencies(a, N, 1, 20000, 1000);
	latencies(b, N, 2, 20000, 1000);
	EXPECTF(verdict_of(a, N, b, N, &r) == COMPARE_SAME, "verdict %s, want same (D %g p %g)",
		compare_verdict_name(r.verdict), r.tests[0].ks_d, r.tests[0].ks_p);
	EXPECTF(r.tests[COMPARE_RAW].ks_p > 0.01, "raw p %g", r.tests[COMPARE_RAW].ks_p);
	return T_EXIT_PASS;
}

static int test_shift(void)
{
	static double a[N], b[N];
	struct compare_result r;

	latencies(a, N, 1, 20000, 1000);
	latencies(b, N, 2, 40000, 1000); /* +20 us */
	EXPECTF(verdict_of(a, N, b, N, &r) == COMPARE_SHIFT, "verdict %s, want shift",
		compare_verdict_name(r.verdict));
	EXPECT_NEAR(r.tests[COMPARE_RAW].ks_d, 1.0, 0.0);
	EXPECT_NEAR(r.tests[COMPARE_RAW].wasserstein_ns, 20000, 100);
	EXPECT_NEAR(r.median_b - r.median_a, 20000, 100);
	return T_EXIT_PASS;
}

static int test_scale(void)
{
	static double a[N], b[N];
	struct compare_result r;
	size_t i;

	latencies(a, N, 1, 20000, 1000);
	latencies(b, N, 2, 20000, 1000);
	for (i = 0; i < N; i++)
		b[i] *= 1.5; /* every quantile x1.5: median +10 us, spread x1.5 */
	EXPECTF(verdict_of(a, N, b, N, &r) == COMPARE_SCALE, "verdict %s, want scale",
		compare_verdict_name(r.verdict));
	EXPECT_NEAR(r.mad_b / r.mad_a, 1.5, 0.1);
	return T_EXIT_PASS;
}

static int test_shape(void)
{
	static double a[N], b[N];
	struct compare_result r;
	size_t i;

	latencies(a, N, 1, 20000, 1000);
	latencies(b, N, 2, 20000, 1000);
	for (i = 1; i < N; i += 2)
		b[i] +=
		    6000; /* every other sample in a second mode at 26 us, all through the run */
	EXPECTF(verdict_of(a, N, b, N, &r) == COMPARE_SHAPE, "verdict %s, want shape",
		compare_verdict_name(r.verdict));
	EXPECTF(r.tests[COMPARE_NORMALIZED].differs, "normalized test does not differ");
	EXPECTF(r.run.blocks && r.run.clusters_a == COMPARE_BLOCKS_PER_SIDE,
		"one run gave %zu clusters (blocks %d), want %d blocks", r.run.clusters_a,
		r.run.blocks, COMPARE_BLOCKS_PER_SIDE);
	return T_EXIT_PASS;
}

/* A tiny difference is significant with 2 x 10^5 samples, but no effect: still the same. */
static int test_big_sample_small_effect(void)
{
	const size_t n = 200000;
	double *a = malloc(n * sizeof(*a)), *b = malloc(n * sizeof(*b));
	struct compare_result r;

	EXPECTF(a && b, "out of memory");
	if (!a || !b)
		goto out;
	latencies(a, n, 1, 20000, 1000);
	latencies(b, n, 2, 20020, 1000); /* 20 ns: 0.1% of the median, 0.02 sd */
	EXPECTF(verdict_of(a, n, b, n, &r) == COMPARE_SAME, "verdict %s, want same (D %g p %g)",
		compare_verdict_name(r.verdict), r.tests[0].ks_d, r.tests[0].ks_p);
	EXPECTF(r.tests[COMPARE_RAW].ks_p < 0.01, "raw p %g, expected significant",
		r.tests[COMPARE_RAW].ks_p);
out:
	free(a);
	free(b);
	return T_EXIT_PASS;
}

/*
 * A small real shift (100 ns, 0.5% of the median: significant at n = 5000, no effect) and 20
 * spikes of 10 ms in B: the full Wasserstein distance is 40 us, the trimmed one is not moved.
 * The verdict sees them: 0.4% of B's samples 10 ms late put its p99.9 there, a tail that
 * neither a constant nor a factor makes of A's (shape).
 */
static int test_outliers(void)
{
	static double a[N], b[N];
	struct compare_result r;
	size_t i;

	latencies(a, N, 1, 20000, 1000);
	latencies(b, N, 2, 20100, 1000);
	for (i = 0; i < 20; i++)
		b[i * 250] = 10e6;
	EXPECTF(verdict_of(a, N, b, N, &r) == COMPARE_SHAPE, "verdict %s, want shape",
		compare_verdict_name(r.verdict));
	EXPECTF(r.run.effects[COMPARE_TAIL999].differs && !r.run.effects[COMPARE_P50].differs,
		"p99.9-p50 differs %d, p50 differs %d", r.run.effects[COMPARE_TAIL999].differs,
		r.run.effects[COMPARE_P50].differs);
	EXPECTF(r.tests[COMPARE_RAW].wasserstein_ns > 30000, "full W %g",
		r.tests[COMPARE_RAW].wasserstein_ns);
	EXPECTF(r.tests[COMPARE_RAW].wasserstein_trimmed_ns < 400, "trimmed W %g",
		r.tests[COMPARE_RAW].wasserstein_trimmed_ns);
	return T_EXIT_PASS;
}

/*
 * Samples on a 10 ns timer step (a null probe): MAD 0 is floored; 10% vs 30% of the samples one
 * step up is a KS distance of 0.2, but the quantiles moved by 2 ns on average: the same.
 */
static int test_discrete(void)
{
	static double a[N], b[N];
	struct compare_result r;
	size_t i;

	for (i = 0; i < N; i++) {
		a[i] = i % 10 ? 80 : 90;
		b[i] = i % 10 < 7 ? 80 : 90;
	}
	EXPECTF(verdict_of(a, N, b, N, &r) == COMPARE_SAME, "verdict %s, want same",
		compare_verdict_name(r.verdict));
	EXPECT_NEAR(r.mad_a, 10.0, 0.0);
	EXPECT_NEAR(r.tests[COMPARE_RAW].ks_d, 0.2, 1e-12);
	EXPECTF(r.tests[COMPARE_RAW].ks_p < 1e-6, "raw p %g", r.tests[COMPARE_RAW].ks_p);
	return T_EXIT_PASS;
}

static int test_errors(void)
{
	const double a[] = {1};
	struct compare_opts o;
	struct compare_result r;

	compare_opts_default(&o);
	EXPECTF(compare_samples(a, NULL, 0, a, NULL, 1, &o, &r) == -EINVAL, "empty A accepted");
	EXPECTF(compare_samples(a, NULL, 1, NULL, NULL, 1, &o, &r) == -EINVAL, "NULL B accepted");
	return T_EXIT_PASS;
}

/* add_probe - a probe of @s named @name with @config (JSON text), @n samples around @ns. */
static void add_probe(struct trace_session *s, const char *name, const char *config, double ns,
		      size_t n)
{
	struct trace_probe *p = &s->probes[s->nprobes];
	uint64_t seed = s->nprobes + 7;
	size_t i;

	p->probe_id = (uint32_t)s->nprobes++;
	p->name = strdup(name);
	p->config = json_tokener_parse(config);
	p->samples = calloc(n, sizeof(*p->samples));
	p->nsamples = p->cap = n;
	for (i = 0; i < n; i++) {
		p->samples[i].latency_ns = (uint64_t)(ns + (ns > 2000 ? 1000 : 5) * normal(&seed));
		p->samples[i].iteration = (uint32_t)i;
		p->samples[i].mono_start_ns = 1000000 * i;
		p->samples[i].mono_end_ns = p->samples[i].mono_start_ns + p->samples[i].latency_ns;
	}
}

/* probe_names - "name:io" of each entry of a report array, comma-separated. */
static void probe_names(struct json_object *arr, char *buf, size_t len)
{
	struct json_object *p, *cfg, *io;
	size_t i;

	buf[0] = 0;
	for (i = 0; i < json_object_array_length(arr); i++) {
		p = json_object_array_get_idx(arr, i);
		cfg = json_object_object_get(p, "config");
		io = json_object_object_get(cfg, "io");
		snprintf(buf + strlen(buf), len - strlen(buf), "%s%s:%s", i ? "," : "",
			 json_object_get_string(json_object_object_get(p, "probe")),
			 io ? json_object_get_string(io) : "-");
	}
}

/*
 * Probes pair by name and measuring keys in A's order, whatever B's order and however many runs
 * or CPUs each had; the rest is listed as only in A or B.
 */
static int test_report_match(void)
{
	struct trace_session *a = calloc(1, sizeof(*a)), *b = calloc(1, sizeof(*b));
	struct json_object *r = NULL, *p0;
	struct compare_opts o;
	char err[256], names[256];
	int rc;

	a->probes = calloc(3, sizeof(*a->probes));
	b->probes = calloc(3, sizeof(*b->probes));
	add_probe(a, "ring", "{\"runs\": 5, \"hops\": 2, \"io\": \"uring\"}", 20000, 2000);
	add_probe(a, "null", "{\"runs\": 5}", 80, 2000);
	add_probe(a, "ring", "{\"runs\": 5, \"hops\": 3, \"io\": \"uring\"}", 60000, 2000);
	add_probe(b, "null", "{\"runs\": 1, \"cpus\": [0]}", 80, 1000);
	add_probe(b, "ring", "{\"runs\": 1, \"hops\": 2, \"io\": \"blocking\"}", 20000, 1000);
	add_probe(b, "ring", "{\"runs\": 1, \"hops\": 2, \"io\": \"uring\"}", 40000, 1000);
	compare_opts_default(&o);
	rc = compare_report_build("a.rst", a, "b.rst", b, &o, &r, err, sizeof(err));
	EXPECTF(rc == 0, "compare_report_build returned %d: %s", rc, err);
	if (rc)
		goto out;
	probe_names(json_object_object_get(r, "probes"), names, sizeof(names));
	EXPECTF(!strcmp(names, "ring:uring,null:-"), "pairs %s", names);
	probe_names(json_object_object_get(r, "only_in_a"), names, sizeof(names));
	EXPECTF(!strcmp(names, "ring:uring"), "only in A %s", names);
	probe_names(json_object_object_get(r, "only_in_b"), names, sizeof(names));
	EXPECTF(!strcmp(names, "ring:blocking"), "only in B %s", names);
	p0 = json_object_array_get_idx(json_object_object_get(r, "probes"), 0);
	EXPECTF(!strcmp(json_object_get_string(json_object_object_get(p0, "verdict")), "shift"),
		"20 us vs 40 us (sd 1 us each) is %s, want shift",
		json_object_get_string(json_object_object_get(p0, "verdict")));
	EXPECTF(json_object_get_int64(
		    json_object_object_get(json_object_object_get(p0, "b"), "probe_id")) == 2,
		"ring paired with the wrong probe of B");
out:
	json_object_put(r);
	trace_session_free(a);
	trace_session_free(b);
	return T_EXIT_PASS;
}

/*
 * A same-connection ring is another probe than the default ring; a ring of a trace written
 * before "reply" existed replied on the next connection, so it pairs with that one.
 */
static int test_report_reply(void)
{
	struct trace_session *a = calloc(1, sizeof(*a)), *b = calloc(1, sizeof(*b));
	struct json_object *r = NULL, *p0, *reply;
	struct compare_opts o;
	char err[256];
	int rc;

	a->probes = calloc(1, sizeof(*a->probes));
	b->probes = calloc(2, sizeof(*b->probes));
	add_probe(a, "ring", "{\"hops\": 2, \"io\": \"uring\"}", 20000, 1000);
	add_probe(b, "ring", "{\"hops\": 2, \"io\": \"uring\", \"reply\": \"same-connection\"}",
		  20000, 1000);
	add_probe(b, "ring", "{\"hops\": 2, \"io\": \"uring\", \"reply\": \"next-connection\"}",
		  20000, 1000);
	compare_opts_default(&o);
	rc = compare_report_build("a.rst", a, "b.rst", b, &o, &r, err, sizeof(err));
	EXPECTF(rc == 0, "compare_report_build returned %d: %s", rc, err);
	if (rc)
		goto out;
	EXPECTF(json_object_array_length(json_object_object_get(r, "probes")) == 1,
		"%zu pairs, want 1", json_object_array_length(json_object_object_get(r, "probes")));
	p0 = json_object_array_get_idx(json_object_object_get(r, "probes"), 0);
	EXPECTF(json_object_get_int64(
		    json_object_object_get(json_object_object_get(p0, "b"), "probe_id")) == 1,
		"the ring without reply paired with B's same-connection ring");
	p0 = json_object_array_get_idx(json_object_object_get(r, "only_in_b"), 0);
	reply = json_object_object_get(json_object_object_get(p0, "config"), "reply");
	EXPECTF(reply && !strcmp(json_object_get_string(reply), "same-connection"),
		"B's same-connection ring is not listed as only in B");
out:
	json_object_put(r);
	trace_session_free(a);
	trace_session_free(b);
	return T_EXIT_PASS;
}

int main(void)
{
	static const struct check_case cases[] = {
	    CHECK_CASE(ks_hand),
	    CHECK_CASE(ks_ties),
	    CHECK_CASE(kolmogorov_sf),
	    CHECK_CASE(wasserstein),
	    CHECK_CASE(wasserstein_trimmed),
	    CHECK_CASE(same),
	    CHECK_CASE(shift),
	    CHECK_CASE(scale),
	    CHECK_CASE(shape),
	    CHECK_CASE(big_sample_small_effect),
	    CHECK_CASE(outliers),
	    CHECK_CASE(discrete),
	    CHECK_CASE(errors),
	    CHECK_CASE(report_match),
	    CHECK_CASE(report_reply),
	};

	return CHECK_RUN(cases);
}
