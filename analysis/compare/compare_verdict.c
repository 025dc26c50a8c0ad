// SPDX-License-Identifier: MIT
/* compare_verdict - from the three tests to same, shift, scale or shape, and their JSON form. */
#include <math.h>

#include <json-c/json.h>

#include "analysis/compare/compare.h"
#include "analysis/model/report_model.h"

static const char *const verdict_names[] = {"same", "shift", "scale", "shape"};
static const char *const verdict_meanings[] = {
    "the distributions do not differ",
    "they differ in location only (a linear shift: the same shape moved)",
    "they differ in spread (and location), the shape is the same",
    "the distribution itself changed: still different with location and spread removed",
};
static const enum rm_key level_keys[COMPARE_NLEVELS] = {
    [COMPARE_RAW] = RK_TESTS_RAW,
    [COMPARE_ALIGNED] = RK_TESTS_ALIGNED,
    [COMPARE_NORMALIZED] = RK_TESTS_NORMALIZED,
};

void compare_opts_default(struct compare_opts *o)
{
	o->alpha = COMPARE_DEFAULT_ALPHA;
	o->min_ks_d = COMPARE_DEFAULT_MIN_KS_D;
	o->min_w_rel = COMPARE_DEFAULT_MIN_W_REL;
	o->w_trim = COMPARE_DEFAULT_W_TRIM;
	o->resolution_ns = COMPARE_DEFAULT_RESOLUTION_NS;
}

const char *compare_verdict_name(enum compare_verdict v)
{
	return (unsigned int)v < 4 ? verdict_names[v] : "unknown";
}

const char *compare_verdict_meaning(enum compare_verdict v)
{
	return (unsigned int)v < 4 ? verdict_meanings[v] : "unknown";
}

enum rm_key compare_level_key(enum compare_level l)
{
	return level_keys[l];
}

/*
 * min_wasserstein - the smallest Wasserstein distance that is an effect: a share of A's median,
 * never below the timer's step (a null probe's 80 ns median would make 2% a sub-step 1.6 ns).
 */
static double min_wasserstein(const struct compare_result *r, const struct compare_opts *o)
{
	double w = o->min_w_rel * fabs(r->median_a);

	return w > o->resolution_ns ? w : o->resolution_ns;
}

/*
 * test_differs - significant (p < alpha) and large: the KS distance or the trimmed Wasserstein
 * distance passes its effect-size floor. Significance alone is no answer with 10^5 samples, and
 * the full Wasserstein distance is none either: one 10 ms outlier in 10^4 samples moves it by
 * 1 us. The trimmed one only counts once the KS test has found the difference real. And
 * whatever D says, quantiles that moved by less than one timer step on average did not move
 * measurably: a 100 ns probe on a 10 ns TSC step differs in which step its samples fall on.
 */
static bool test_differs(const struct compare_test *t, double min_w, const struct compare_opts *o)
{
	if (!(t->ks_p < o->alpha) || !(t->wasserstein_trimmed_ns >= o->resolution_ns))
		return false;
	return t->ks_d > o->min_ks_d || t->wasserstein_trimmed_ns > min_w;
}

void compare_decide(struct compare_result *r, const struct compare_opts *o)
{
	double min_w = min_wasserstein(r, o);
	int l;

	for (l = 0; l < COMPARE_NLEVELS; l++)
		r->tests[l].differs = test_differs(&r->tests[l], min_w, o);
	if (!r->tests[COMPARE_RAW].differs)
		r->verdict = COMPARE_SAME;
	else if (!r->tests[COMPARE_ALIGNED].differs)
		r->verdict = COMPARE_SHIFT;
	else if (!r->tests[COMPARE_NORMALIZED].differs)
		r->verdict = COMPARE_SCALE;
	else
		r->verdict = COMPARE_SHAPE;
}

/* test_json - {"ks_d", "ks_p", "wasserstein_ns", "wasserstein_trimmed_ns", "differs"}. */
static struct json_object *test_json(const struct compare_test *t)
{
	struct json_object *o = json_object_new_object();

	rm_set(o, RK_TEST_KS_D, rm_sig(t->ks_d, 4));
	rm_set(o, RK_TEST_KS_P, rm_sig(t->ks_p, 3));
	rm_set(o, RK_TEST_W, rm_sig(t->wasserstein_ns, 6));
	rm_set(o, RK_TEST_W_TRIMMED, rm_sig(t->wasserstein_trimmed_ns, 6));
	rm_set_bool(o, RK_TEST_DIFFERS, t->differs);
	return o;
}

void compare_result_json(const struct compare_result *r, const struct compare_opts *o,
			 struct json_object *probe)
{
	struct json_object *tests = json_object_new_object();
	int l;

	for (l = 0; l < COMPARE_NLEVELS; l++)
		rm_set(tests, level_keys[l], test_json(&r->tests[l]));
	rm_set_str(probe, RK_CMP_VERDICT, compare_verdict_name(r->verdict));
	rm_set(probe, RK_CMP_TESTS, tests);
	rm_set(probe, RK_CMP_SHIFT, rm_sig(r->median_b - r->median_a, 6));
	rm_set(probe, RK_CMP_SCALE, rm_sig(r->mad_b / r->mad_a, 4));
	rm_set(probe, RK_CMP_MIN_WASSERSTEIN, rm_sig(min_wasserstein(r, o), 6));
}
