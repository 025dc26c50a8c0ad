// SPDX-License-Identifier: MIT
/* patterns_render - the patterns and confidence sections of a probe: json-c objects and text. */
#include <errno.h>
#include <math.h>
#include <stdlib.h>

#include <json-c/json.h>

#include "analysis/model/report_model.h"
#include "analysis/patterns/patterns_render.h"
#include "lib/trace/trace_reader.h"

static void pr_add(struct json_object *o, enum rm_key key, double v, int decimals)
{
	rm_set(o, key, rm_fixed(v, decimals));
}

static struct json_object *pr_line(const struct patterns_line *l)
{
	struct json_object *o = json_object_new_object();
	struct json_object *phases = json_object_new_array();
	size_t i;

	pr_add(o, RK_LINE_PERIOD, l->period, 2);
	pr_add(o, RK_LINE_PHASE, l->phase, 2);
	for (i = 0; i < l->nphases; i++)
		json_object_array_add(phases, rm_fixed(l->phases[i], 2));
	rm_set(o, RK_LINE_PHASES, phases);
	rm_set_bool(o, RK_LINE_SAME_PHASE, l->same_phase);
	pr_add(o, RK_LINE_MAGNITUDE, l->magnitude, 2);
	pr_add(o, RK_LINE_SHARE, l->share, 3);
	rm_set_int(o, RK_LINE_SUPPORT, (int64_t)l->support);
	pr_add(o, RK_LINE_HIT_RATE, l->hit_rate, 3);
	return o;
}

static struct json_object *pr_drift(const struct patterns_drift *d)
{
	struct json_object *o = json_object_new_object();

	pr_add(o, RK_DRIFT_SLOPE, d->slope, 2);
	pr_add(o, RK_DRIFT_INTERCEPT, d->intercept, 1);
	rm_set_int(o, RK_DRIFT_SUPPORT, (int64_t)d->support);
	rm_set_int(o, RK_DRIFT_RUNS, (int64_t)d->runs);
	pr_add(o, RK_DRIFT_MAGNITUDE, d->magnitude, 2);
	return o;
}

static struct json_object *pr_mode(const struct patterns_mode *m)
{
	struct json_object *o = json_object_new_object();

	pr_add(o, RK_MODE_LOCATION, m->location_ns, 1);
	pr_add(o, RK_MODE_WEIGHT, m->weight, 3);
	return o;
}

struct json_object *patterns_ci_json(const struct patterns_ci *ci)
{
	struct json_object *a = json_object_new_array();

	json_object_array_add(a, rm_fixed(ci->lo, 1));
	json_object_array_add(a, rm_fixed(ci->hi, 1));
	return a;
}

static struct json_object *pr_confidence(const struct patterns_confidence *c)
{
	struct json_object *o = json_object_new_object();

	rm_set_int(o, RK_CONFIDENCE_SAMPLES, (int64_t)c->n);
	rm_set(o, RK_CONFIDENCE_P50, patterns_ci_json(&c->p50));
	rm_set(o, RK_CONFIDENCE_P90, patterns_ci_json(&c->p90));
	rm_set(o, RK_CONFIDENCE_P99, patterns_ci_json(&c->p99));
	rm_set(o, RK_CONFIDENCE_P999, patterns_ci_json(&c->p999));
	pr_add(o, RK_CONFIDENCE_LAG1, c->lag1, 3);
	rm_set_bool(o, RK_CONFIDENCE_AUTOCORRELATED, c->autocorrelated);
	return o;
}

/*
 * patterns_to_json - @p as the analyze sections: *@patterns = {"spikes", "periodic": [{"period",
 * "phase", "magnitude", "share", "support", "hit_rate"}], "drift": [{"slope_iterations_per_run",
 * "intercept", "support", "runs", "magnitude"}], "modes": [{"location_ns", "weight"}]} and
 * *@confidence = {"samples", "p50_ns": [lo, hi], ... "p999_ns", "lag1_autocorrelation",
 * "strongly_autocorrelated"} (@confidence may be NULL). Returns 0 or -ENOMEM.
 */
static int patterns_to_json(const struct patterns *p, struct json_object **patterns,
			    struct json_object **confidence)
{
	struct json_object *o, *a;
	size_t i;

	if (!p || !patterns)
		return -EINVAL;
	o = json_object_new_object();
	if (!o)
		return -ENOMEM;
	rm_set_int(o, RK_PATTERNS_SPIKES, (int64_t)p->nspikes);
	a = json_object_new_array();
	for (i = 0; i < p->nlines; i++)
		json_object_array_add(a, pr_line(&p->lines[i]));
	rm_set(o, RK_PATTERNS_PERIODIC, a);
	a = json_object_new_array();
	for (i = 0; i < p->ndrifts; i++)
		json_object_array_add(a, pr_drift(&p->drifts[i]));
	rm_set(o, RK_PATTERNS_DRIFT, a);
	a = json_object_new_array();
	for (i = 0; i < p->nmodes; i++)
		json_object_array_add(a, pr_mode(&p->modes[i]));
	rm_set(o, RK_PATTERNS_MODES, a);
	*patterns = o;
	if (confidence)
		*confidence = pr_confidence(&p->conf);
	return 0;
}

int patterns_json(const struct trace_sample *s, size_t n, const struct patterns_opts *o,
		  struct json_object **patterns, struct json_object **confidence)
{
	struct patterns *p = malloc(sizeof(*p));
	int rc;

	if (!p)
		return -ENOMEM;
	rc = patterns_find(s, n, o, p);
	if (!rc)
		rc = patterns_to_json(p, patterns, confidence);
	free(p);
	return rc;
}

void patterns_report_opts(const struct trace_session *s, const struct spikes_opts *spikes,
			  struct patterns_opts *o)
{
	struct json_object *step;

	patterns_opts_default(o);
	o->spikes = *spikes;
	step = rm_find(rm_find(s->platform, RK_PLATFORM_CALIBRATION), RK_CALIBRATION_TSC_STEP_NS);
	if (step)
		o->resolution_ns = json_object_get_double(step);
}

int patterns_report_add(const struct trace_session *s, const struct spikes_opts *spikes,
			struct json_object *probes)
{
	struct json_object *probe, *pat, *conf;
	const struct trace_sample *ts;
	struct patterns_opts o;
	size_t i, n;
	int rc;

	patterns_report_opts(s, spikes, &o);
	for (i = 0; i < s->nprobes; i++) {
		probe = json_object_array_get_idx(probes, i);
		ts = trace_probe_stat_samples(&s->probes[i], &n); /* untraced runs when there are */
		rc = patterns_json(ts, n, &o, &pat, &conf);
		if (rc)
			return rc;
		rm_set(probe, RK_PROBE_PATTERNS, pat);
		rm_set(probe, RK_PROBE_CONFIDENCE, conf);
	}
	return 0;
}

/* pr_get_idx - element @i of array @a as a double (NAN when null). */
static double pr_get_idx(struct json_object *a, size_t i)
{
	struct json_object *v = json_object_array_get_idx(a, i);

	return v ? json_object_get_double(v) : NAN;
}

/* pr_print_phases - "from X in every run", or each run's phase (first ones, "-": none). */
static void pr_print_phases(FILE *f, struct json_object *l)
{
	struct json_object *phases = rm_get(l, RK_LINE_PHASES);
	size_t i;

	if (rm_bool(l, RK_LINE_SAME_PHASE)) {
		fprintf(f, "from iteration %.2f in every run\n", rm_num_nan(l, RK_LINE_PHASE));
		return;
	}
	fputs("phase by run:", f);
	for (i = 0; i < json_object_array_length(phases) && i < 8; i++) {
		if (json_object_array_get_idx(phases, i))
			fprintf(f, " %.2f", pr_get_idx(phases, i));
		else
			fputs(" -", f);
	}
	fputs(i < json_object_array_length(phases) ? " ...\n" : "\n", f);
}

/* pr_times - "12.3x the median", or a phrase when the median was 0 (no ratio). */
static const char *pr_times(struct json_object *l, enum rm_key magnitude, char *buf, size_t len)
{
	double m = rm_num_nan(l, magnitude);

	if (isnan(m))
		return "no ratio to the median (it is 0)";
	snprintf(buf, len, "%.1fx the median", m);
	return buf;
}

static void pr_print_lines(FILE *f, struct json_object *pat)
{
	struct json_object *a = rm_get(pat, RK_PATTERNS_PERIODIC), *l;
	char b[64];
	size_t i;

	for (i = 0; i < json_object_array_length(a); i++) {
		l = json_object_array_get_idx(a, i);
		fprintf(
		    f,
		    "    periodic: every %.2f iterations, %.0f spikes (%.0f%% of them, %.0f%% of "
		    "the positions), %s, ",
		    rm_num_nan(l, RK_LINE_PERIOD), rm_num_nan(l, RK_LINE_SUPPORT),
		    100 * rm_num_nan(l, RK_LINE_SHARE), 100 * rm_num_nan(l, RK_LINE_HIT_RATE),
		    pr_times(l, RK_LINE_MAGNITUDE, b, sizeof(b)));
		pr_print_phases(f, l);
	}
	a = rm_get(pat, RK_PATTERNS_DRIFT);
	for (i = 0; i < json_object_array_length(a); i++) {
		l = json_object_array_get_idx(a, i);
		fprintf(
		    f,
		    "    drift: %+.2f iterations per run from iteration %.0f: %.0f spikes in %.0f "
		    "runs, %s\n",
		    rm_num_nan(l, RK_DRIFT_SLOPE), rm_num_nan(l, RK_DRIFT_INTERCEPT),
		    rm_num_nan(l, RK_DRIFT_SUPPORT), rm_num_nan(l, RK_DRIFT_RUNS),
		    pr_times(l, RK_DRIFT_MAGNITUDE, b, sizeof(b)));
	}
}

static void pr_print_modes(FILE *f, struct json_object *pat)
{
	struct json_object *a = rm_get(pat, RK_PATTERNS_MODES), *m;
	size_t i;

	if (!json_object_array_length(a)) {
		fputs("    modes: none (too few good samples)\n", f);
		return;
	}
	fprintf(f, "    modes: %zu:", json_object_array_length(a));
	for (i = 0; i < json_object_array_length(a); i++) {
		m = json_object_array_get_idx(a, i);
		fprintf(f, "%s %.3f us (%.0f%%)", i ? "," : "",
			rm_num_nan(m, RK_MODE_LOCATION) / 1000,
			100 * rm_num_nan(m, RK_MODE_WEIGHT));
	}
	fputc('\n', f);
}

/* pr_print_num - " " and @v with 3 decimals ("-" when unknown, never "-0.000"). */
static void pr_print_num(FILE *f, const char *before, double v)
{
	if (isnan(v))
		fprintf(f, "%s-", before);
	else
		fprintf(f, "%s%.3f", before, fabs(v) < 5e-4 ? 0.0 : v);
}

static void pr_print_confidence(FILE *f, struct json_object *c)
{
	static const enum rm_key keys[] = {RK_CONFIDENCE_P50, RK_CONFIDENCE_P90, RK_CONFIDENCE_P99,
					   RK_CONFIDENCE_P999};
	static const char *const names[] = {"p50", "p90", "p99", "p99.9"};
	struct json_object *ci;
	size_t i;

	fputs("    95% intervals (us):", f);
	for (i = 0; i < 4; i++) {
		ci = rm_get(c, keys[i]);
		fprintf(f, "%s %s", i ? "," : "", names[i]);
		pr_print_num(f, " [", pr_get_idx(ci, 0) / 1000);
		pr_print_num(f, ", ", pr_get_idx(ci, 1) / 1000);
		fputc(']', f);
	}
	if (isnan(rm_num_nan(c, RK_CONFIDENCE_LAG1))) {
		fputs("\n    lag-1 autocorrelation within runs: none (too few consecutive good "
		      "samples)\n",
		      f);
		return;
	}
	pr_print_num(f, "\n    lag-1 autocorrelation within runs ",
		     rm_num_nan(c, RK_CONFIDENCE_LAG1));
	fputs(rm_bool(c, RK_CONFIDENCE_AUTOCORRELATED)
		  ? ": strongly autocorrelated, the intervals are too narrow\n"
		  : "\n",
	      f);
}

void patterns_print_text(FILE *f, struct json_object *probe)
{
	struct json_object *pat = rm_find(probe, RK_PROBE_PATTERNS);
	struct json_object *conf = rm_find(probe, RK_PROBE_CONFIDENCE);

	if (!rm_has(probe, RK_PROBE_PATTERNS))
		return;
	if (rm_has(probe, RK_PROBE_CONFIDENCE) && !rm_num_nan(conf, RK_CONFIDENCE_SAMPLES)) {
		fprintf(f, "\npatterns of '%s' (probe %.0f): no good samples, so no patterns\n",
			rm_str(probe, RK_PROBE_NAME), rm_num_nan(probe, RK_PROBE_ID));
		return;
	}
	/* the summary's samples: the untraced runs' when there are, whose spikes are not the
	 * spike section's (those are the traced runs') */
	fprintf(f, "\npatterns of '%s' (probe %.0f), from %s %.0f spikes%s:\n",
		rm_str(probe, RK_PROBE_NAME), rm_num_nan(probe, RK_PROBE_ID),
		rm_find(probe, RK_PROBE_OBSERVER) ? "the" : "its",
		rm_num_nan(pat, RK_PATTERNS_SPIKES),
		rm_find(probe, RK_PROBE_OBSERVER) ? " of its untraced runs" : "");
	pr_print_lines(f, pat);
	if (!rm_len(pat, RK_PATTERNS_PERIODIC) && !rm_len(pat, RK_PATTERNS_DRIFT))
		fputs("    no periodic line, no drift\n", f);
	pr_print_modes(f, pat);
	if (rm_has(probe, RK_PROBE_CONFIDENCE))
		pr_print_confidence(f, conf);
}
