// SPDX-License-Identifier: MIT
/*
 * compare_verdict - from the run-level effects to same, shift, scale or shape, the tests'
 * "differs", and their JSON form.
 */
#include <math.h>

#include <json-c/json.h>

#include "analysis/compare/compare.h"
#include "analysis/model/report_model.h"

static const enum rm_key effect_keys[COMPARE_NFIGURES] = {
    [COMPARE_P50] = RK_EFFECTS_P50,
    [COMPARE_P90] = RK_EFFECTS_P90,
    [COMPARE_P99] = RK_EFFECTS_P99,
    [COMPARE_P999] = RK_EFFECTS_P999,
    [COMPARE_TAIL90] = RK_EFFECTS_TAIL90,
    [COMPARE_TAIL99] = RK_EFFECTS_TAIL99,
    [COMPARE_TAIL999] = RK_EFFECTS_TAIL999,
    [COMPARE_TAIL90_LOG] = RK_EFFECTS_TAIL90_RATIO,
    [COMPARE_TAIL99_LOG] = RK_EFFECTS_TAIL99_RATIO,
    [COMPARE_TAIL999_LOG] = RK_EFFECTS_TAIL999_RATIO,
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
	o->min_effect_rel = COMPARE_DEFAULT_MIN_EFFECT_REL;
	o->project = false;
	o->baseline = (struct projection_baseline){0};
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
 * These tests take every iteration as an independent sample, which the iterations of a run are
 * not: they describe the pooled samples, the verdict is the run-level effects'.
 */
static bool test_differs(const struct compare_test *t, double min_w, const struct compare_opts *o)
{
	if (!(t->ks_p < o->alpha) || !(t->wasserstein_trimmed_ns >= o->resolution_ns))
		return false;
	return t->ks_d > o->min_ks_d || t->wasserstein_trimmed_ns > min_w;
}

/* any_differs - whether the run-level effect on any of @n figures from @f differs. */
static bool any_differs(const struct compare_runlevel *rl, enum compare_figure f, int n)
{
	int i;

	for (i = 0; i < n; i++) {
		if (rl->effects[f + i].differs)
			return true;
	}
	return false;
}

void compare_decide(struct compare_result *r, const struct compare_opts *o)
{
	const struct compare_runlevel *rl = &r->run;
	double min_w = min_wasserstein(r, o);
	int l;

	for (l = 0; l < COMPARE_NLEVELS; l++)
		r->tests[l].differs = test_differs(&r->tests[l], min_w, o);
	if (!rl->decided)
		r->verdict = COMPARE_NONE;
	else if (!any_differs(rl, COMPARE_P50, 1 + COMPARE_NUPPER))
		r->verdict = COMPARE_SAME;
	else if (!any_differs(rl, COMPARE_TAIL90, COMPARE_NUPPER))
		r->verdict = COMPARE_SHIFT;
	else if (!any_differs(rl, COMPARE_TAIL90_LOG, COMPARE_NUPPER))
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

enum rm_key compare_effect_key(enum compare_figure f)
{
	return effect_keys[f];
}

/* shown - a figure's value as JSON and the text give it: a log ratio as its factor. */
static double shown(double v, bool log_figure)
{
	return log_figure ? exp(v) : v;
}

/*
 * effect_json - {"a", "effect", "low", "high", "margin", "df", "differs"}: in ns, or for a log
 * figure as factors (A's p99/p50, B's over A's, the interval's ends, the margin's factor).
 */
static struct json_object *effect_json(const struct compare_effect *e, bool log_figure)
{
	struct json_object *o = json_object_new_object();

	rm_set(o, RK_EFFECT_A, rm_sig(shown(e->a, log_figure), 6));
	rm_set(o, RK_EFFECT_EFFECT, rm_sig(shown(e->effect, log_figure), 6));
	rm_set(o, RK_EFFECT_LOW, rm_sig(shown(e->low, log_figure), 6));
	rm_set(o, RK_EFFECT_HIGH, rm_sig(shown(e->high, log_figure), 6));
	rm_set(o, RK_EFFECT_MARGIN, rm_sig(shown(e->margin, log_figure), 6));
	rm_set_int(o, RK_EFFECT_DF, e->df);
	rm_set_bool(o, RK_EFFECT_DIFFERS, e->differs);
	return o;
}

/* run_side_json - {"runs", "clusters"}. */
static struct json_object *run_side_json(size_t runs, size_t clusters)
{
	struct json_object *o = json_object_new_object();

	rm_set_int(o, RK_RUNSIDE_RUNS, (int64_t)runs);
	rm_set_int(o, RK_RUNSIDE_CLUSTERS, (int64_t)clusters);
	return o;
}

/* run_level_json - {"clusters", "confidence", "a", "b", "effects"}; effects null if undecided. */
static struct json_object *run_level_json(const struct compare_runlevel *rl, double alpha)
{
	struct json_object *o = json_object_new_object(), *effects = NULL;
	int f;

	rm_set_str(o, RK_RUNLEVEL_CLUSTERS, rl->blocks ? "blocks" : "runs");
	rm_set(o, RK_RUNLEVEL_CONFIDENCE, rm_sig(1.0 - alpha, 6));
	rm_set(o, RK_RUNLEVEL_A, run_side_json(rl->runs_a, rl->clusters_a));
	rm_set(o, RK_RUNLEVEL_B, run_side_json(rl->runs_b, rl->clusters_b));
	if (rl->decided) {
		effects = json_object_new_object();
		for (f = 0; f < COMPARE_NFIGURES; f++)
			rm_set(effects, effect_keys[f],
			       effect_json(&rl->effects[f], compare_figure_is_log(f)));
	}
	rm_set(o, RK_RUNLEVEL_EFFECTS, effects);
	return o;
}

void compare_result_json(const struct compare_result *r, const struct compare_opts *o,
			 struct json_object *probe)
{
	struct json_object *tests = json_object_new_object();
	char rule[1024];
	int l;

	for (l = 0; l < COMPARE_NLEVELS; l++)
		rm_set(tests, level_keys[l], test_json(&r->tests[l]));
	compare_rule(r, o->alpha, rule, sizeof(rule));
	if (r->verdict == COMPARE_NONE)
		rm_set(probe, RK_CMP_VERDICT, NULL);
	else
		rm_set_str(probe, RK_CMP_VERDICT, compare_verdict_name(r->verdict));
	rm_set_str(probe, RK_CMP_RULE, rule);
	rm_set(probe, RK_CMP_RUN_LEVEL, run_level_json(&r->run, o->alpha));
	rm_set(probe, RK_CMP_TESTS, tests);
	rm_set(probe, RK_CMP_SHIFT, rm_sig(r->median_b - r->median_a, 6));
	rm_set(probe, RK_CMP_SCALE, rm_sig(r->mad_b / r->mad_a, 4));
	rm_set(probe, RK_CMP_MIN_WASSERSTEIN, rm_sig(min_wasserstein(r, o), 6));
}
