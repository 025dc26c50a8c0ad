// SPDX-License-Identifier: MIT
/*
 * compare_report - the compare report as one json-c object: probes of two sessions matched by
 * name and measuring configuration, their statistics, spike rates and attribution mix side by
 * side, the tests and the verdict (compare_render prints it).
 */
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include "analysis/attribution/attribution_report.h"
#include "analysis/compare/compare.h"
#include "analysis/compare/compare_mechanisms.h"
#include "analysis/compare/compare_project.h"
#include "analysis/lifecycle/lifecycle.h"
#include "analysis/lifecycle/lifecycle_path.h"
#include "analysis/model/report_model.h"
#include "analysis/patterns/patterns_render.h"
#include "lib/stats.h"
#include "lib/trace/trace_reader.h"

/*
 * The configuration keys that change what a probe measures: the ring's and http's, and what the
 * syscall probe writes, where and through which buffer (its flush period). The rest (runs,
 * iterations, cpus) change how much or where is measured, not what. @missing: what a trace
 * written before the key existed did, so an older file matches a newer one that says so.
 */
static const struct {
	enum rm_key key;
	const char *missing;
} match_keys[] = {
    {RK_CONFIG_HOPS, NULL},
    {RK_CONFIG_IO, NULL},
    {RK_CONFIG_CONNECT, NULL},
    {RK_CONFIG_DOMAINS, NULL},
    {RK_CONFIG_MSG_SIZE, NULL},
    {RK_CONFIG_TEXT, NULL},
    {RK_CONFIG_STDIO_BUFFER, NULL},
    {RK_CONFIG_SINK, NULL},
    {RK_CONFIG_REPLY, "next-connection"}, /* the ring's; older rings all replied that way */
};
#define NMATCH_KEYS (sizeof(match_keys) / sizeof(match_keys[0]))

/* compare_side - one trace file: its session, its probes' spikes and how to find patterns. */
struct compare_side {
	const char *path;
	const struct trace_session *s;
	struct attr_report attr;   /* index i: s->probes[i], as analyze --spikes finds them */
	struct patterns_opts pat;  /* as analyze finds the patterns of this file */
	struct mech_session *mech; /* each iteration's mechanism times, from the same pass */
	struct lc_events *lc;	   /* its rings' hops, for A's projection (NULL: not kept) */
};

/* key_matches - @a and @b have the same value of match key @k, a missing one as its default. */
static bool key_matches(const struct trace_probe *a, const struct trace_probe *b, size_t k)
{
	struct json_object *va = rm_find(a->config, match_keys[k].key);
	struct json_object *vb = rm_find(b->config, match_keys[k].key);
	struct json_object *given = va ? va : vb;

	if (!va == !vb || !match_keys[k].missing)
		return json_object_equal(va, vb);
	return json_object_is_type(given, json_type_string) &&
	       !strcmp(json_object_get_string(given), match_keys[k].missing);
}

/* compare_probes_match - same probe name and the same value (or absence) of every measuring key. */
static bool compare_probes_match(const struct trace_probe *a, const struct trace_probe *b)
{
	size_t k;

	if (strcmp(a->name ? a->name : "", b->name ? b->name : ""))
		return false;
	for (k = 0; k < NMATCH_KEYS; k++) {
		if (!key_matches(a, b, k))
			return false;
	}
	return true;
}

/* compare_match_config - the measuring keys @p has, as a new object. */
static struct json_object *compare_match_config(const struct trace_probe *p)
{
	struct json_object *o = json_object_new_object(), *v;
	size_t k;

	for (k = 0; k < NMATCH_KEYS; k++) {
		v = rm_find(p->config, match_keys[k].key);
		if (v)
			rm_set(o, match_keys[k].key, json_object_get(v));
	}
	return o;
}

/* compare_probe_ref - {"probe", "probe_id", "config"}: a probe named in only_in_a / only_in_b. */
static struct json_object *compare_probe_ref(const struct trace_probe *p)
{
	struct json_object *o = json_object_new_object();

	rm_set_str(o, RK_REF_NAME, p->name ? p->name : "unknown");
	rm_set_int(o, RK_REF_ID, p->probe_id);
	rm_set(o, RK_REF_CONFIG, compare_match_config(p));
	return o;
}

/* A probe's good samples: latencies (ns) and the run of each, the clusters of the verdict. */
struct good_samples {
	double *lat;
	uint32_t *run;
	size_t n;
};

/*
 * good_samples_of - the samples of @p not flagged bad, of the runs its statistics read (an
 * observed probe's untraced runs). Returns 0 or -ENOMEM.
 */
static int good_samples_of(const struct trace_probe *p, struct good_samples *g)
{
	size_t i, ns;
	const struct trace_sample *s = trace_probe_stat_samples(p, &ns);

	g->n = 0;
	g->lat = malloc((ns ? ns : 1) * sizeof(*g->lat));
	g->run = malloc((ns ? ns : 1) * sizeof(*g->run));
	if (!g->lat || !g->run)
		return -ENOMEM;
	for (i = 0; i < ns; i++) {
		if (s[i].flags & TRACE_SAMPLE_BAD)
			continue;
		g->lat[g->n] = (double)s[i].latency_ns;
		g->run[g->n++] = s[i].run;
	}
	return 0;
}

static void good_samples_free(struct good_samples *g)
{
	free(g->lat);
	free(g->run);
}

/* side_stats - {"probe_id", "samples", "mean_ns", ...} of one side. */
static struct json_object *side_stats(const struct trace_probe *p, const struct stats_summary *s)
{
	struct json_object *o = json_object_new_object();

	rm_set_int(o, RK_SIDE_ID, p->probe_id);
	rm_set_int(o, RK_SIDE_SAMPLES, (int64_t)s->n);
	/* an observed probe's figures are its untraced runs' (trace_probe_stat_samples) */
	rm_set_str(o, RK_SIDE_RUNS_USED, p->observed ? "untraced" : "all");
	rm_stats_add(o, s);
	return o;
}

/* ratio_stats - {"mean": b/a, ...}: how many times A's figure B's is. */
static struct json_object *ratio_stats(const struct stats_summary *a, const struct stats_summary *b)
{
	struct json_object *o = json_object_new_object();
	double va[RM_NSTATS], vb[RM_NSTATS];
	size_t k;

	rm_stats_values(a, va);
	rm_stats_values(b, vb);
	for (k = 0; k < RM_NSTATS; k++)
		rm_set(o, rm_ratio_keys[k], rm_sig(va[k] ? vb[k] / va[k] : NAN, 4));
	return o;
}

/* spike_rate_side - {"spikes", "per_1000"}: spikes per 1000 good iterations. */
static struct json_object *spike_rate_side(const struct attr_report_probe *rp, double *rate)
{
	struct json_object *o = json_object_new_object();
	size_t n = rp->base.ngood;

	*rate = n ? 1000.0 * (double)rp->nspikes / (double)n : NAN;
	rm_set_int(o, RK_RATE_SPIKES, (int64_t)rp->nspikes);
	rm_set(o, RK_RATE_PER_1000, rm_sig(*rate, 4));
	return o;
}

/*
 * add_spikes - "spike_rate" {a, b, ratio}, "attribution" {a, b, traced_a, traced_b} and
 * "patterns" {a, b} of probe @ia of A matched with @ib of B. Returns 0 or -ENOMEM.
 */
static int add_spikes(struct json_object *probe, const struct compare_side *a, size_t ia,
		      const struct compare_side *b, size_t ib)
{
	struct json_object *rate = json_object_new_object(), *attr = json_object_new_object();
	struct json_object *pat = json_object_new_object(), *pa = NULL, *pb = NULL;
	const struct trace_probe *ta = &a->s->probes[ia], *tb = &b->s->probes[ib];
	const struct trace_sample *sa, *sb;
	size_t na, nb;
	double ra, rb;
	int rc;

	rm_set(rate, RK_RATE_A, spike_rate_side(&a->attr.probes[ia], &ra));
	rm_set(rate, RK_RATE_B, spike_rate_side(&b->attr.probes[ib], &rb));
	rm_set(rate, RK_RATE_RATIO, rm_sig(ra ? rb / ra : NAN, 4));
	rm_set(probe, RK_CMP_SPIKE_RATE, rate);
	rm_set(attr, RK_CMP_ATTR_A, attr_causes_json(&a->attr.probes[ia].out));
	rm_set(attr, RK_CMP_ATTR_B, attr_causes_json(&b->attr.probes[ib].out));
	rm_set_bool(attr, RK_CMP_ATTR_TRACED_A, a->attr.traced);
	rm_set_bool(attr, RK_CMP_ATTR_TRACED_B, b->attr.traced);
	rm_set(probe, RK_CMP_ATTRIBUTION, attr);
	sa = trace_probe_stat_samples(ta, &na);
	sb = trace_probe_stat_samples(tb, &nb);
	rc = patterns_json(sa, na, &a->pat, &pa, NULL);
	if (!rc)
		rc = patterns_json(sb, nb, &b->pat, &pb, NULL);
	rm_set(pat, RK_CMP_PATTERNS_A, pa);
	rm_set(pat, RK_CMP_PATTERNS_B, pb);
	rm_set(probe, RK_CMP_PATTERNS, pat);
	return rc;
}

/*
 * add_distributions - "a", "b", "ratio" and the tests of two probes' good latencies. Sides
 * without a good sample get null statistics and no verdict. Returns 0 or -ENOMEM.
 */
static int add_distributions(struct json_object *probe, const struct trace_probe *pa,
			     const struct trace_probe *pb, const struct compare_opts *o)
{
	struct good_samples ga = {0}, gb = {0};
	struct stats_summary sa, sb;
	struct compare_result r;
	int rc = good_samples_of(pa, &ga);

	if (!rc)
		rc = good_samples_of(pb, &gb);
	if (rc)
		goto cleanup;
	if (!ga.n || !gb.n || stats_summarize(ga.lat, ga.n, &sa) ||
	    stats_summarize(gb.lat, gb.n, &sb)) {
		rm_set(probe, RK_CMP_VERDICT, NULL);
		goto cleanup;
	}
	rc = compare_samples(ga.lat, ga.run, ga.n, gb.lat, gb.run, gb.n, o, &r);
	if (rc)
		goto cleanup;
	rm_set(probe, RK_CMP_A, side_stats(pa, &sa));
	rm_set(probe, RK_CMP_B, side_stats(pb, &sb));
	rm_set(probe, RK_CMP_RATIO, ratio_stats(&sa, &sb));
	compare_result_json(&r, o, probe);
cleanup:
	good_samples_free(&ga);
	good_samples_free(&gb);
	return rc;
}

/* project_pair - A's probe @ia projected with its critical path, tested against B's @ib. */
static int project_pair(struct json_object *probe, const struct compare_side *a, size_t ia,
			const struct compare_side *b, size_t ib, const struct compare_opts *o)
{
	struct lc_path_hook ph = {.s = a->s, .mech = a->mech, .lc = a->lc};
	struct proj_path path;
	int rc = lifecycle_path_hook(&ph, ia, &path);

	if (!rc)
		rc = compare_project_add(
		    probe,
		    &(struct cmp_proj_side){a->s, &a->attr, mech_session_windows(a->mech), &path},
		    ia,
		    &(struct cmp_proj_side){b->s, &b->attr, mech_session_windows(b->mech), NULL},
		    ib, o);
	lifecycle_path_hook_free(&ph);
	return rc;
}

/* compare_pair - the report entry of probe @ia of A matched with @ib of B. */
static int compare_pair(const struct compare_side *a, size_t ia, const struct compare_side *b,
			size_t ib, const struct compare_opts *o, struct json_object *probes)
{
	const struct trace_probe *pa = &a->s->probes[ia], *pb = &b->s->probes[ib];
	struct json_object *probe = json_object_new_object();
	int rc;

	if (!probe)
		return -ENOMEM;
	json_object_array_add(probes, probe);
	rm_set_str(probe, RK_CMP_NAME, pa->name ? pa->name : "unknown");
	rm_set(probe, RK_CMP_CONFIG, compare_match_config(pa));
	rc = add_distributions(probe, pa, pb, o);
	if (!rc)
		rc = add_spikes(probe, a, ia, b, ib);
	if (!rc && rm_find(probe, RK_CMP_A))
		rc = compare_mechanisms_add(probe, a->s, mech_session_windows(a->mech), ia, b->s,
					    mech_session_windows(b->mech), ib);
	if (!rc && o->project && rm_find(probe, RK_CMP_A))
		rc = project_pair(probe, a, ia, b, ib, o);
	return rc;
}

/*
 * side_events - a batch of @ctx's (a compare_side) events into its mechanism session and, when
 * it keeps them, its rings' lifecycles.
 */
static int side_events(void *ctx, const struct tracer_event *ev, size_t n)
{
	struct compare_side *side = ctx;
	int rc = mech_session_add(side->mech, ev, n);

	return !rc && side->lc ? lifecycle_collect(side->lc, ev, n) : rc;
}

/*
 * side_attr - the spikes and attribution of every probe of @side as analyze --spikes finds
 * them with its defaults, the patterns' options analyze uses for the file, and in the same pass
 * over its events each iteration's mechanism times and, with @hops (the side to project), its
 * rings' hops. Returns 0 or -errno with @err set.
 */
static int side_attr(struct compare_side *side, bool hops, char *err, size_t errlen)
{
	struct attr_report_opts ao = {.top = 0, .on_events = side_events, .ctx = side};
	struct mech_table unused;
	int rc = mech_session_new(side->s, true, &side->mech);

	if (!rc && hops)
		rc = lifecycle_collector(side->s, &side->lc);
	spikes_opts_default(&ao.spikes);
	patterns_report_opts(side->s, &ao.spikes, &side->pat);
	if (!rc)
		rc = attr_report_run(side->path, side->s, &ao, &side->attr, err, errlen);
	return rc ? rc : mech_session_finish(side->mech, &unused);
}

/* compare_file_json - {"path", "platform", "complete"} of one file. */
static struct json_object *compare_file_json(const char *path, const struct trace_session *s)
{
	struct json_object *o = json_object_new_object();

	rm_set_str(o, RK_FILE_PATH, path);
	rm_set(o, RK_FILE_PLATFORM, json_object_get(s->platform));
	rm_set_bool(o, RK_FILE_COMPLETE, s->status.complete);
	return o;
}

/* thresholds_json - the decision thresholds the verdicts used. */
static struct json_object *thresholds_json(const struct compare_opts *o)
{
	struct json_object *t = json_object_new_object();

	rm_set(t, RK_THRESHOLD_ALPHA, rm_sig(o->alpha, 6));
	rm_set(t, RK_THRESHOLD_MIN_KS_D, rm_sig(o->min_ks_d, 6));
	rm_set(t, RK_THRESHOLD_MIN_W_REL, rm_sig(o->min_w_rel, 6));
	rm_set(t, RK_THRESHOLD_W_TRIM, rm_sig(o->w_trim, 6));
	rm_set(t, RK_THRESHOLD_RESOLUTION, rm_sig(o->resolution_ns, 6));
	rm_set(t, RK_THRESHOLD_MIN_EFFECT_REL, rm_sig(o->min_effect_rel, 6));
	rm_set_int(t, RK_THRESHOLD_MIN_RUNS, COMPARE_MIN_RUNS);
	return t;
}

/* match_all - every probe of A with the first unused matching probe of B, in A's order. */
static int match_all(const struct compare_side *a, const struct compare_side *b,
		     const struct compare_opts *o, struct json_object *r)
{
	struct json_object *probes = json_object_new_array(), *only_a = json_object_new_array();
	struct json_object *only_b = json_object_new_array();
	bool *used = calloc(b->s->nprobes + 1, sizeof(*used));
	size_t i, j;
	int rc = 0;

	rm_set(r, RK_COMPARE_PROBES, probes);
	rm_set(r, RK_COMPARE_ONLY_IN_A, only_a);
	rm_set(r, RK_COMPARE_ONLY_IN_B, only_b);
	if (!used || !probes || !only_a || !only_b)
		rc = -ENOMEM;
	for (i = 0; !rc && i < a->s->nprobes; i++) {
		for (j = 0; j < b->s->nprobes; j++) {
			if (!used[j] && compare_probes_match(&a->s->probes[i], &b->s->probes[j]))
				break;
		}
		if (j == b->s->nprobes) {
			json_object_array_add(only_a, compare_probe_ref(&a->s->probes[i]));
			continue;
		}
		used[j] = true;
		rc = compare_pair(a, i, b, j, o, probes);
	}
	for (j = 0; !rc && j < b->s->nprobes; j++) {
		if (!used[j])
			json_object_array_add(only_b, compare_probe_ref(&b->s->probes[j]));
	}
	free(used);
	return rc;
}

/* tsc_step - the measured TSC step of a platform in ns, 0 when unknown. */
static double tsc_step(struct json_object *platform)
{
	struct json_object *cal = rm_find(platform, RK_PLATFORM_CALIBRATION);

	return json_object_get_double(rm_find(cal, RK_CALIBRATION_TSC_STEP_NS));
}

int compare_report_build(const char *path_a, const struct trace_session *a, const char *path_b,
			 const struct trace_session *b, const struct compare_opts *o,
			 struct json_object **out, char *err, size_t errlen)
{
	struct compare_side sa = {.path = path_a, .s = a}, sb = {.path = path_b, .s = b};
	struct json_object *r = json_object_new_object();
	struct compare_opts oo = *o;
	int rc = -ENOMEM;

	/* no finer difference than the coarser timer of the two files can show */
	if (tsc_step(a->platform) > oo.resolution_ns)
		oo.resolution_ns = tsc_step(a->platform);
	if (tsc_step(b->platform) > oo.resolution_ns)
		oo.resolution_ns = tsc_step(b->platform);
	o = &oo;
	snprintf(err, errlen, "out of memory comparing '%s' with '%s'", path_a, path_b);
	if (!r)
		goto cleanup;
	rc = side_attr(&sa, o->project, err, errlen);
	if (!rc)
		rc = side_attr(&sb, false, err, errlen);
	if (rc)
		goto cleanup;
	rm_set(r, RK_COMPARE_A, compare_file_json(sa.path, sa.s));
	rm_set(r, RK_COMPARE_B, compare_file_json(sb.path, sb.s));
	rm_set(r, RK_COMPARE_THRESHOLDS, thresholds_json(o));
	rc = match_all(&sa, &sb, o, r);
	if (rc)
		snprintf(err, errlen, "out of memory comparing '%s' with '%s'", path_a, path_b);
cleanup:
	attr_report_free(&sa.attr);
	attr_report_free(&sb.attr);
	mech_session_free(sa.mech);
	mech_session_free(sb.mech);
	lifecycle_discard(sa.lc);
	if (rc) {
		json_object_put(r);
		r = NULL;
	}
	*out = r;
	return rc;
}
