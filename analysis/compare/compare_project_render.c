// SPDX-License-Identifier: MIT
/*
 * compare_project_render - compare --project's entry "projection_test": which baseline, A's
 * projection, the run-level test against B per quantile and what a quantile that differs is
 * made of; and its lines under the verdict.
 */
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include "analysis/attribution/projection_render.h"
#include "analysis/compare/compare_project.h"
#include "analysis/model/report_model.h"
#include "lib/trace/trace_reader.h"

/* The run-level figure of each of proj_quantiles. */
static const enum compare_figure cpj_figure[PROJ_NQ] = {COMPARE_P50, COMPARE_P99, COMPARE_P999};

/* cpj_ns - @v in ns with one decimal, null when not finite. */
static struct json_object *cpj_ns(double v)
{
	return isfinite(v) ? rm_ns(v) : NULL;
}

/* cpj_quantile_json - quantile @k of @r: B's figure, the effect, whether it matches, why not. */
static struct json_object *cpj_quantile_json(const struct cmp_proj_result *r, size_t k)
{
	const struct compare_effect *e = &r->test.run.effects[cpj_figure[k]];
	struct json_object *o = json_object_new_object();
	bool decided = r->test.run.decided;
	unsigned int miss = r->missing[k];

	rm_set(o, RK_CPQ_Q, rm_sig(proj_quantiles[k], 4));
	rm_set(o, RK_CPQ_B, decided ? cpj_ns(e->a) : NULL);
	rm_set(o, RK_CPQ_EFFECT, decided ? cpj_ns(e->effect) : NULL);
	rm_set(o, RK_CPQ_LOW, decided ? cpj_ns(e->low) : NULL);
	rm_set(o, RK_CPQ_HIGH, decided ? cpj_ns(e->high) : NULL);
	rm_set(o, RK_CPQ_MARGIN, decided ? cpj_ns(e->margin) : NULL);
	rm_set(o, RK_CPQ_MATCHES, decided ? json_object_new_boolean(!e->differs) : NULL);
	if (!r->decomposed)
		return o;
	rm_set(o, RK_CPQ_BY_MECH, cmp_mech_result_json(&r->mech[k]));
	if (!decided || !e->differs)
		return o;
	rm_set(o, RK_CPQ_MISSING, miss < MECH_NIV ? json_object_new_string(mech_key(miss)) : NULL);
	rm_set_bool(o, RK_CPQ_MISSING_HOST, miss < MECH_NIV && cmp_proj_host(miss));
	return o;
}

struct json_object *cmp_proj_json(const struct cmp_proj_result *r, const char *from,
				  const char *b_runs)
{
	struct json_object *o = json_object_new_object(), *qs = json_object_new_array();
	struct json_object *proj = projection_json(&r->proj);
	size_t k;

	if (!o || !qs || !proj) {
		json_object_put(o);
		json_object_put(qs);
		json_object_put(proj);
		return NULL;
	}
	rm_set_str(o, RK_CPJ_BASELINE_FROM, from);
	rm_set_str(o, RK_CPJ_B_RUNS_USED, b_runs);
	rm_set(o, RK_CPJ_PROJECTION, proj);
	rm_set_str(o, RK_CPJ_VERDICT,
		   r->test.run.decided ? compare_verdict_name(r->test.verdict) : NULL);
	rm_set_str(o, RK_CPJ_CLUSTERS, r->test.run.blocks ? "blocks" : "runs");
	rm_set_int(o, RK_CPJ_CLUSTERS_B, (int64_t)r->test.run.clusters_a);
	rm_set_int(o, RK_CPJ_CLUSTERS_P, (int64_t)r->test.run.clusters_b);
	for (k = 0; k < PROJ_NQ; k++)
		json_object_array_add(qs, cpj_quantile_json(r, k));
	rm_set(o, RK_CPJ_QUANTILES, qs);
	return o;
}

/*
 * cpj_baseline - the baseline of the projection: --baseline when given, else B's costs when B
 * names no hypervisor (its exit cost and routine IPI delivery), else none. Returns its source.
 */
static const char *cpj_baseline(const struct cmp_proj_side *b, const struct compare_opts *o,
				struct projection_baseline *bl)
{
	*bl = o->baseline;
	if (bl->exit_cost_ns || bl->ipi_normal_ns)
		return "given";
	if (b->attr->pf.hypervisor)
		return "none";
	bl->exit_cost_ns = b->attr->pf.exit_cost_ns;
	bl->ipi_normal_ns = b->attr->ev.ipi_normal_ns;
	return "b";
}

/*
 * cpj_b_side - B's samples to test against: its traced runs' with their windows when it has
 * them (the projection's footing: both carry the tracer's cost), else those its statistics
 * read, without windows. Returns which runs ("traced", "untraced", "all").
 */
static const char *cpj_b_side(const struct cmp_proj_side *b, size_t ib, struct cmp_mech_side *bs)
{
	const struct trace_probe *p = &b->s->probes[ib];
	size_t nw = 0;

	bs->samples = trace_probe_traced_samples(p, &bs->n);
	bs->win = b->win && b->s->tracer ? mech_windows_of(b->win, ib, &nw) : NULL;
	if (bs->n && bs->win && nw == bs->n)
		return "traced";
	bs->win = NULL;
	bs->samples = trace_probe_stat_samples(p, &bs->n);
	return p->observed ? "untraced" : "all";
}

int compare_project_add(struct json_object *probe, const struct cmp_proj_side *a, size_t ia,
			const struct cmp_proj_side *b, size_t ib, const struct compare_opts *o)
{
	struct projection_baseline bl;
	struct cmp_proj_result *r;
	struct projection_in in;
	struct cmp_mech_side bs;
	const char *from = cpj_baseline(b, o, &bl), *b_runs = cpj_b_side(b, ib, &bs);
	struct json_object *j = NULL;
	size_t nw = 0;
	int rc;

	projection_in_of(a->attr, ia, a->s, &in);
	in.path = a->path;
	in.win = a->win && a->s->tracer ? mech_windows_of(a->win, ia, &nw) : NULL;
	if (nw != in.n)
		in.win = NULL;
	if (!a->attr->traced || !in.n) {
		rm_set(probe, RK_CMP_PROJECTION, NULL); /* nothing attribution explained */
		return 0;
	}
	r = malloc(sizeof(*r));
	rc = r ? cmp_project(&in, &bl, &bs, o, CMP_MECH_REPS, r) : -ENOMEM;
	if (!rc && !(j = cmp_proj_json(r, from, b_runs)))
		rc = -ENOMEM;
	free(r);
	rm_set(probe, RK_CMP_PROJECTION, j);
	return rc == -EINVAL ? 0 : rc; /* -EINVAL: a side without a good sample, null */
}

/* cpj_print_baseline - the title: what the projection used as bare metal, and why. */
static void cpj_print_baseline(FILE *f, struct json_object *t)
{
	const char *from = rm_str(t, RK_CPJ_BASELINE_FROM);

	fprintf(f, "projection of A without the host's time, against B (%s):\n",
		!strcmp(from, "given") ? "baseline: --baseline"
		: !strcmp(from, "b")   ? "baseline: B's costs, B names no hypervisor"
				       : "no baseline: B names a hypervisor, so its costs are no "
					 "bare metal's");
}

/* The parts a line names in the difference's direction: at most this many, each at least 1%. */
#define CPJ_SHOWN 3

/* cpj_why - what mechanism @k making a difference of sign @effect means for the projection. */
static const char *cpj_why(unsigned int k, double effect)
{
	if (effect < 0)
		return "B's iterations hold more of it";
	return cmp_proj_host(k) ? "host time the projection left in (neither on a critical path "
				  "nor in a spike's attribution)"
				: "not host time the projection knows";
}

/* cpj_toward - the mechanisms of @parts in the direction of @total, largest first; how many. */
static unsigned int cpj_toward(struct json_object *parts, double total, unsigned int *pick)
{
	double v[MECH_NIV], sign = total > 0 ? 1 : -1;
	unsigned int k, j, n = 0;

	for (k = 0; k < MECH_NIV; k++) {
		v[k] = sign * rm_num(rm_member(parts, mech_key(k)), RK_CMP_MECH_NS);
		if (!(v[k] > 0.01 * fabs(total)))
			continue;
		for (j = n++; j > 0 && v[pick[j - 1]] < v[k]; j--)
			pick[j] = pick[j - 1];
		pick[j] = k;
	}
	return n < CPJ_SHOWN ? n : CPJ_SHOWN;
}

/*
 * cpj_print_why - "; by mechanism +X us [lo, hi], of which NAME +Y [lo, hi]: what it means, ...,
 * unexplained +W [lo, hi]": the parts in the direction of the difference, the largest first
 * (the first is "missing" in JSON).
 */
static void cpj_print_why(FILE *f, struct json_object *q, double effect)
{
	struct json_object *by = rm_get(q, RK_CPQ_BY_MECH), *total = rm_get(by, RK_CMP_MECH_TOTAL);
	struct json_object *parts = rm_get(by, RK_CMP_MECH_PARTS_OF);
	unsigned int pick[MECH_NIV], n, i;

	fprintf(f, "; by mechanism %+.1f us [%+.1f, %+.1f]", rm_num(total, RK_CMP_MECH_NS) / 1e3,
		rm_num(total, RK_CMP_MECH_LO) / 1e3, rm_num(total, RK_CMP_MECH_HI) / 1e3);
	n = cpj_toward(parts, rm_num(total, RK_CMP_MECH_NS), pick);
	for (i = 0; i < n; i++) {
		cmp_mech_print_part(f, mech_name(pick[i]), rm_member(parts, mech_key(pick[i])), !i);
		fprintf(f, ": %s", cpj_why(pick[i], effect));
	}
	cmp_mech_print_part(f, "unexplained", rm_get(by, RK_CMP_MECH_UNEXPLAINED), !n);
}

/* cpj_print_quantile - "  p50    matches B: ..." or "... still above B, of which ...". */
static void cpj_print_quantile(FILE *f, struct json_object *q)
{
	double effect = rm_num_nan(q, RK_CPQ_EFFECT);

	fprintf(f, "  p%-6g", 100 * rm_num(q, RK_CPQ_Q));
	if (isnan(effect)) {
		fprintf(f, "no verdict (too few samples for two clusters a side)\n");
		return;
	}
	fprintf(f, "B %.3f us, projection %+.1f us [%+.1f, %+.1f]", rm_num(q, RK_CPQ_B) / 1e3,
		effect / 1e3, rm_num(q, RK_CPQ_LOW) / 1e3, rm_num(q, RK_CPQ_HIGH) / 1e3);
	if (json_object_get_boolean(rm_get(q, RK_CPQ_MATCHES))) {
		fprintf(f, ": matches B (the interval reaches within %.3f us of 0)\n",
			rm_num(q, RK_CPQ_MARGIN) / 1e3);
		return;
	}
	fprintf(f, ": %s B", effect > 0 ? "still above" : "below");
	if (rm_find(q, RK_CPQ_BY_MECH))
		cpj_print_why(f, q, effect);
	fputc('\n', f);
}

/* cpj_b_runs_text - which of B's runs the test read, for the text. */
static const char *cpj_b_runs_text(const char *used)
{
	if (!strcmp(used, "traced"))
		return "its traced runs";
	/* A's projection is of traced runs: it carries the tracer's cost, which B's do not */
	return !strcmp(used, "untraced")
		   ? "its untraced runs (no mechanism times, and not the "
		     "tracer's cost the projection carries)"
		   : "all its runs (untraced: no mechanism times, and not the "
		     "tracer's cost the projection carries)";
}

void compare_project_print(FILE *f, struct json_object *probe)
{
	struct json_object *t = rm_find(probe, RK_CMP_PROJECTION), *p, *qs;
	size_t k;

	if (!rm_has(probe, RK_CMP_PROJECTION))
		return;
	if (!t) {
		fprintf(f,
			"projection of A: none (A has no traced run with a good sample to project: "
			"record it with --trace)\n");
		return;
	}
	p = rm_get(t, RK_CPJ_PROJECTION);
	cpj_print_baseline(f, t);
	fprintf(f,
		"  A: %lld samples of %lld traced runs, %lld spikes and %lld iterations' critical "
		"path less %.3f us; B: %s; "
		"verdict of the projection against B: %s (run-level: %lld %s of B and %lld of the "
		"projection, 99%% intervals; by mechanism: pooled quantiles, 95%% intervals; us)\n",
		(long long)rm_int(p, RK_PROJ_SAMPLES), (long long)rm_int(p, RK_PROJ_RUNS),
		(long long)rm_int(p, RK_PROJ_SPIKES), (long long)rm_int(p, RK_PROJ_PATH_ITERATIONS),
		(double)rm_int(p, RK_PROJ_REMOVED) / 1e3,
		cpj_b_runs_text(rm_str(t, RK_CPJ_B_RUNS_USED)), rm_text(t, RK_CPJ_VERDICT, "none"),
		(long long)rm_int(t, RK_CPJ_CLUSTERS_B), rm_str(t, RK_CPJ_CLUSTERS),
		(long long)rm_int(t, RK_CPJ_CLUSTERS_P));
	projection_baseline_text(f, p);
	qs = rm_get(t, RK_CPJ_QUANTILES);
	for (k = 0; k < json_object_array_length(qs); k++)
		cpj_print_quantile(f, json_object_array_get_idx(qs, k));
}
