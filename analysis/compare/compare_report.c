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
	const char *name, *missing;
} match_keys[] = {
    {"hops", NULL},
    {"io", NULL},
    {"connect", NULL},
    {"domains", NULL},
    {"msg_size", NULL},
    {"text", NULL},
    {"stdio_buffer", NULL},
    {"sink", NULL},
    {"reply", "next-connection"}, /* the ring's; older rings all replied that way */
};
#define NMATCH_KEYS (sizeof(match_keys) / sizeof(match_keys[0]))

static const char *const stat_keys[] = {"mean", "stddev", "min",  "p50",
					"p90",	"p99",	  "p999", "max"};
#define NSTATS (sizeof(stat_keys) / sizeof(stat_keys[0]))

/* compare_side - one trace file: its session and the spike sections of each of its probes. */
struct compare_side {
	const char *path;
	const struct trace_session *s;
	struct json_object *attr; /* array, index i: s->probes[i]'s spike sections */
};

/* json_num - @v as a JSON number with @digits significant digits; null when not finite. */
static struct json_object *json_num(double v, int digits)
{
	char text[64];

	if (!isfinite(v))
		return NULL;
	snprintf(text, sizeof(text), "%.*g", digits, v);
	return json_object_new_double_s(v, text);
}

/* json_ns - a time in ns with one decimal, as analyze prints it (interpolated percentiles). */
static struct json_object *json_ns(double ns)
{
	char text[64];

	snprintf(text, sizeof(text), "%.1f", ns);
	return json_object_new_double_s(ns, text);
}

/* config_key - @key of @p's config, NULL when absent. */
static struct json_object *config_key(const struct trace_probe *p, const char *key)
{
	struct json_object *v = NULL;

	if (p->config)
		json_object_object_get_ex(p->config, key, &v);
	return v;
}

/* key_matches - @a and @b have the same value of match key @k, a missing one as its default. */
static bool key_matches(const struct trace_probe *a, const struct trace_probe *b, size_t k)
{
	struct json_object *va = config_key(a, match_keys[k].name);
	struct json_object *vb = config_key(b, match_keys[k].name);
	struct json_object *given = va ? va : vb;

	if (!va == !vb || !match_keys[k].missing)
		return json_object_equal(va, vb);
	return json_object_is_type(given, json_type_string) &&
	       !strcmp(json_object_get_string(given), match_keys[k].missing);
}

/* probes_match - same probe name and the same value (or absence) of every measuring key. */
static bool probes_match(const struct trace_probe *a, const struct trace_probe *b)
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

/* match_config - the measuring keys @p has, as a new object. */
static struct json_object *match_config(const struct trace_probe *p)
{
	struct json_object *o = json_object_new_object(), *v;
	size_t k;

	for (k = 0; k < NMATCH_KEYS; k++) {
		v = config_key(p, match_keys[k].name);
		if (v)
			json_object_object_add(o, match_keys[k].name, json_object_get(v));
	}
	return o;
}

/* probe_ref - {"probe", "probe_id", "config"}: a probe named in only_in_a / only_in_b. */
static struct json_object *probe_ref(const struct trace_probe *p)
{
	struct json_object *o = json_object_new_object();

	json_object_object_add(o, "probe", json_object_new_string(p->name ? p->name : "unknown"));
	json_object_object_add(o, "probe_id", json_object_new_int64(p->probe_id));
	json_object_object_add(o, "config", match_config(p));
	return o;
}

/* good_latencies - the latencies (ns) of @p's samples not flagged bad; NULL on no memory. */
static double *good_latencies(const struct trace_probe *p, size_t *n)
{
	double *v = malloc((p->nsamples ? p->nsamples : 1) * sizeof(*v));
	size_t i;

	*n = 0;
	for (i = 0; v && i < p->nsamples; i++) {
		if (!(p->samples[i].flags & TRACE_SAMPLE_BAD))
			v[(*n)++] = (double)p->samples[i].latency_ns;
	}
	return v;
}

/* stat_values - the summary in stat_keys order. */
static void stat_values(const struct stats_summary *s, double *v)
{
	const double vals[NSTATS] = {s->mean, s->stddev, s->min,  s->p50,
				     s->p90,  s->p99,	 s->p999, s->max};

	memcpy(v, vals, sizeof(vals));
}

/* side_stats - {"probe_id", "samples", "mean_ns", ...} of one side. */
static struct json_object *side_stats(const struct trace_probe *p, const struct stats_summary *s)
{
	struct json_object *o = json_object_new_object();
	double v[NSTATS];
	char key[32];
	size_t k;

	stat_values(s, v);
	json_object_object_add(o, "probe_id", json_object_new_int64(p->probe_id));
	json_object_object_add(o, "samples", json_object_new_int64((int64_t)s->n));
	for (k = 0; k < NSTATS; k++) {
		snprintf(key, sizeof(key), "%s_ns", stat_keys[k]);
		json_object_object_add(o, key, json_ns(v[k]));
	}
	return o;
}

/* ratio_stats - {"mean": b/a, ...}: how many times A's figure B's is. */
static struct json_object *ratio_stats(const struct stats_summary *a, const struct stats_summary *b)
{
	struct json_object *o = json_object_new_object();
	double va[NSTATS], vb[NSTATS];
	size_t k;

	stat_values(a, va);
	stat_values(b, vb);
	for (k = 0; k < NSTATS; k++)
		json_object_object_add(o, stat_keys[k], json_num(va[k] ? vb[k] / va[k] : NAN, 4));
	return o;
}

/* attr_of - the spike sections analyze would show for probe @i of @side (never NULL). */
static struct json_object *attr_of(const struct compare_side *side, size_t i)
{
	return json_object_array_get_idx(side->attr, i);
}

/* spike_rate_side - {"spikes", "per_1000"}: spikes per 1000 good iterations. */
static struct json_object *spike_rate_side(struct json_object *attr, double *rate)
{
	struct json_object *o = json_object_new_object(), *det = NULL, *good = NULL, *found;
	int64_t n = 0, spikes;

	if (json_object_object_get_ex(attr, "spike_detection", &det))
		json_object_object_get_ex(det, "good_samples", &good);
	n = json_object_get_int64(good);
	spikes = json_object_object_get_ex(attr, "spikes_found", &found)
		     ? json_object_get_int64(found)
		     : 0;
	*rate = n ? 1000.0 * (double)spikes / (double)n : NAN;
	json_object_object_add(o, "spikes", json_object_new_int64(spikes));
	json_object_object_add(o, "per_1000", json_num(*rate, 4));
	return o;
}

/* pair_of - {"a": @aa's @key, "b": @ab's @key} (null where a side has none). */
static struct json_object *pair_of(struct json_object *aa, struct json_object *ab, const char *key)
{
	struct json_object *o = json_object_new_object(), *v;

	json_object_object_add(o, "a",
			       json_object_object_get_ex(aa, key, &v) ? json_object_get(v) : NULL);
	json_object_object_add(o, "b",
			       json_object_object_get_ex(ab, key, &v) ? json_object_get(v) : NULL);
	return o;
}

/* traced - whether analyze would call the file traced (its "traced" section). */
static struct json_object *traced(struct json_object *attr)
{
	struct json_object *v;

	return json_object_new_boolean(json_object_object_get_ex(attr, "traced", &v) &&
				       json_object_get_boolean(v));
}

/* add_spikes - "spike_rate" {a, b, ratio}, "attribution" and "patterns" {a, b} of a pair. */
static void add_spikes(struct json_object *probe, struct json_object *aa, struct json_object *ab)
{
	struct json_object *rate = json_object_new_object(), *attr;
	double ra, rb;

	json_object_object_add(rate, "a", spike_rate_side(aa, &ra));
	json_object_object_add(rate, "b", spike_rate_side(ab, &rb));
	json_object_object_add(rate, "ratio", json_num(ra ? rb / ra : NAN, 4));
	json_object_object_add(probe, "spike_rate", rate);
	attr = pair_of(aa, ab, "attribution");
	json_object_object_add(attr, "traced_a", traced(aa));
	json_object_object_add(attr, "traced_b", traced(ab));
	json_object_object_add(probe, "attribution", attr);
	json_object_object_add(probe, "patterns", pair_of(aa, ab, "patterns"));
}

/*
 * add_distributions - "a", "b", "ratio" and the tests of two probes' good latencies. Sides
 * without a good sample get null statistics and no verdict. Returns 0 or -ENOMEM.
 */
static int add_distributions(struct json_object *probe, const struct trace_probe *pa,
			     const struct trace_probe *pb, const struct compare_opts *o)
{
	struct stats_summary sa, sb;
	struct compare_result r;
	size_t na, nb;
	double *la = good_latencies(pa, &na), *lb = good_latencies(pb, &nb);
	int rc = -ENOMEM;

	if (!la || !lb)
		goto cleanup;
	rc = 0;
	if (!na || !nb || stats_summarize(la, na, &sa) || stats_summarize(lb, nb, &sb)) {
		json_object_object_add(probe, "verdict", NULL);
		goto cleanup;
	}
	rc = compare_samples(la, na, lb, nb, o, &r);
	if (rc)
		goto cleanup;
	json_object_object_add(probe, "a", side_stats(pa, &sa));
	json_object_object_add(probe, "b", side_stats(pb, &sb));
	json_object_object_add(probe, "ratio", ratio_stats(&sa, &sb));
	compare_result_json(&r, o, probe);
cleanup:
	free(la);
	free(lb);
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
	json_object_object_add(probe, "probe",
			       json_object_new_string(pa->name ? pa->name : "unknown"));
	json_object_object_add(probe, "config", match_config(pa));
	rc = add_distributions(probe, pa, pb, o);
	if (!rc)
		add_spikes(probe, attr_of(a, ia), attr_of(b, ib));
	return rc;
}

/*
 * side_attr - the spike sections and patterns of every probe of @side, as analyze --spikes
 * finds them with its defaults. Returns 0 or -errno with @err set.
 */
static int side_attr(struct compare_side *side, char *err, size_t errlen)
{
	struct attr_report_opts ao = {.top = 0};
	size_t i;
	int rc;

	spikes_opts_default(&ao.spikes);
	side->attr = json_object_new_array();
	if (!side->attr)
		return -ENOMEM;
	for (i = 0; i < side->s->nprobes; i++)
		json_object_array_add(side->attr, json_object_new_object());
	rc = attr_report_add(side->path, side->s, &ao, side->attr, err, errlen);
	if (!rc && patterns_report_add(side->s, &ao.spikes, side->attr)) {
		snprintf(err, errlen, "out of memory finding the patterns of '%s'", side->path);
		rc = -ENOMEM;
	}
	return rc;
}

/* side_json - {"path", "platform"} of one file. */
static struct json_object *side_json(const struct compare_side *side)
{
	struct json_object *o = json_object_new_object();

	json_object_object_add(o, "path", json_object_new_string(side->path));
	json_object_object_add(o, "platform", json_object_get(side->s->platform));
	json_object_object_add(o, "complete", json_object_new_boolean(side->s->status.complete));
	return o;
}

/* thresholds_json - the decision thresholds the verdicts used. */
static struct json_object *thresholds_json(const struct compare_opts *o)
{
	struct json_object *t = json_object_new_object();

	json_object_object_add(t, "alpha", json_num(o->alpha, 6));
	json_object_object_add(t, "min_ks_d", json_num(o->min_ks_d, 6));
	json_object_object_add(t, "min_wasserstein_rel", json_num(o->min_w_rel, 6));
	json_object_object_add(t, "wasserstein_trim", json_num(o->w_trim, 6));
	json_object_object_add(t, "resolution_ns", json_num(o->resolution_ns, 6));
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

	json_object_object_add(r, "probes", probes);
	json_object_object_add(r, "only_in_a", only_a);
	json_object_object_add(r, "only_in_b", only_b);
	if (!used || !probes || !only_a || !only_b)
		rc = -ENOMEM;
	for (i = 0; !rc && i < a->s->nprobes; i++) {
		for (j = 0; j < b->s->nprobes; j++) {
			if (!used[j] && probes_match(&a->s->probes[i], &b->s->probes[j]))
				break;
		}
		if (j == b->s->nprobes) {
			json_object_array_add(only_a, probe_ref(&a->s->probes[i]));
			continue;
		}
		used[j] = true;
		rc = compare_pair(a, i, b, j, o, probes);
	}
	for (j = 0; !rc && j < b->s->nprobes; j++) {
		if (!used[j])
			json_object_array_add(only_b, probe_ref(&b->s->probes[j]));
	}
	free(used);
	return rc;
}

/* tsc_step - the measured TSC step of a platform in ns, 0 when unknown. */
static double tsc_step(struct json_object *platform)
{
	struct json_object *cal, *v;

	if (!platform || !json_object_object_get_ex(platform, "calibration", &cal) ||
	    !json_object_object_get_ex(cal, "tsc_step_ns", &v))
		return 0;
	return json_object_get_double(v);
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
	rc = side_attr(&sa, err, errlen);
	if (!rc)
		rc = side_attr(&sb, err, errlen);
	if (rc)
		goto cleanup;
	json_object_object_add(r, "a", side_json(&sa));
	json_object_object_add(r, "b", side_json(&sb));
	json_object_object_add(r, "thresholds", thresholds_json(o));
	rc = match_all(&sa, &sb, o, r);
	if (rc)
		snprintf(err, errlen, "out of memory comparing '%s' with '%s'", path_a, path_b);
cleanup:
	json_object_put(sa.attr);
	json_object_put(sb.attr);
	if (rc) {
		json_object_put(r);
		r = NULL;
	}
	*out = r;
	return rc;
}
