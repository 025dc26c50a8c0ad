// SPDX-License-Identifier: MIT
/* patterns_render - the patterns and confidence sections of a probe: json-c objects and text. */
#include <errno.h>
#include <math.h>
#include <stdlib.h>

#include <json-c/json.h>

#include "analysis/patterns/patterns_render.h"
#include "lib/trace/trace_reader.h"

/* pr_num - @v as a JSON number printed with @decimals, or null when it is not finite. */
static struct json_object *pr_num(double v, int decimals)
{
	char text[64];

	if (!isfinite(v))
		return NULL;
	snprintf(text, sizeof(text), "%.*f", decimals, v);
	return json_object_new_double_s(v, text);
}

static void pr_add(struct json_object *o, const char *key, double v, int decimals)
{
	json_object_object_add(o, key, pr_num(v, decimals));
}

static void pr_add_int(struct json_object *o, const char *key, size_t v)
{
	json_object_object_add(o, key, json_object_new_int64((int64_t)v));
}

static struct json_object *pr_line(const struct patterns_line *l)
{
	struct json_object *o = json_object_new_object();

	pr_add(o, "period", l->period, 2);
	struct json_object *phases = json_object_new_array();
	size_t i;

	pr_add(o, "phase", l->phase, 2);
	for (i = 0; i < l->nphases; i++)
		json_object_array_add(phases, pr_num(l->phases[i], 2));
	json_object_object_add(o, "phases", phases);
	json_object_object_add(o, "same_phase", json_object_new_boolean(l->same_phase));
	pr_add(o, "magnitude", l->magnitude, 2);
	pr_add(o, "share", l->share, 3);
	pr_add_int(o, "support", l->support);
	pr_add(o, "hit_rate", l->hit_rate, 3);
	return o;
}

static struct json_object *pr_drift(const struct patterns_drift *d)
{
	struct json_object *o = json_object_new_object();

	pr_add(o, "slope_iterations_per_run", d->slope, 2);
	pr_add(o, "intercept", d->intercept, 1);
	pr_add_int(o, "support", d->support);
	pr_add_int(o, "runs", d->runs);
	pr_add(o, "magnitude", d->magnitude, 2);
	return o;
}

static struct json_object *pr_mode(const struct patterns_mode *m)
{
	struct json_object *o = json_object_new_object();

	pr_add(o, "location_ns", m->location_ns, 1);
	pr_add(o, "weight", m->weight, 3);
	return o;
}

/* pr_ci - [lo, hi] in ns (null for a side the samples cannot bound). */
static struct json_object *pr_ci(const struct patterns_ci *ci)
{
	struct json_object *a = json_object_new_array();

	json_object_array_add(a, pr_num(ci->lo, 1));
	json_object_array_add(a, pr_num(ci->hi, 1));
	return a;
}

static struct json_object *pr_confidence(const struct patterns_confidence *c)
{
	struct json_object *o = json_object_new_object();

	pr_add_int(o, "samples", c->n);
	json_object_object_add(o, "p50_ns", pr_ci(&c->p50));
	json_object_object_add(o, "p90_ns", pr_ci(&c->p90));
	json_object_object_add(o, "p99_ns", pr_ci(&c->p99));
	json_object_object_add(o, "p999_ns", pr_ci(&c->p999));
	pr_add(o, "lag1_autocorrelation", c->lag1, 3);
	json_object_object_add(o, "strongly_autocorrelated",
			       json_object_new_boolean(c->autocorrelated));
	return o;
}

int patterns_to_json(const struct patterns *p, struct json_object **patterns,
		     struct json_object **confidence)
{
	struct json_object *o, *a;
	size_t i;

	if (!p || !patterns)
		return -EINVAL;
	o = json_object_new_object();
	if (!o)
		return -ENOMEM;
	pr_add_int(o, "spikes", p->nspikes);
	a = json_object_new_array();
	for (i = 0; i < p->nlines; i++)
		json_object_array_add(a, pr_line(&p->lines[i]));
	json_object_object_add(o, "periodic", a);
	a = json_object_new_array();
	for (i = 0; i < p->ndrifts; i++)
		json_object_array_add(a, pr_drift(&p->drifts[i]));
	json_object_object_add(o, "drift", a);
	a = json_object_new_array();
	for (i = 0; i < p->nmodes; i++)
		json_object_array_add(a, pr_mode(&p->modes[i]));
	json_object_object_add(o, "modes", a);
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

/* pr_resolution - the file's timer step (platform.calibration.tsc_step_ns), else @fallback. */
static double pr_resolution(const struct trace_session *s, double fallback)
{
	struct json_object *cal, *step;

	if (s->platform && json_object_object_get_ex(s->platform, "calibration", &cal) &&
	    json_object_object_get_ex(cal, "tsc_step_ns", &step) && step)
		return json_object_get_double(step);
	return fallback;
}

int patterns_report_add(const struct trace_session *s, const struct spikes_opts *spikes,
			struct json_object *probes)
{
	struct json_object *probe, *pat, *conf;
	struct patterns_opts o;
	size_t i;
	int rc;

	patterns_opts_default(&o);
	o.spikes = *spikes;
	o.resolution_ns = pr_resolution(s, o.resolution_ns);
	for (i = 0; i < s->nprobes; i++) {
		probe = json_object_array_get_idx(probes, i);
		rc = patterns_json(s->probes[i].samples, s->probes[i].nsamples, &o, &pat, &conf);
		if (rc)
			return rc;
		json_object_object_add(probe, "patterns", pat);
		json_object_object_add(probe, "confidence", conf);
	}
	return 0;
}

/* pr_get - member @key of @o as a double (NAN when absent or null). */
static double pr_get(struct json_object *o, const char *key)
{
	struct json_object *v;

	if (!json_object_object_get_ex(o, key, &v) || !v)
		return NAN;
	return json_object_get_double(v);
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
	struct json_object *phases = json_object_object_get(l, "phases");
	size_t i;

	if (json_object_get_boolean(json_object_object_get(l, "same_phase"))) {
		fprintf(f, "from iteration %.2f in every run\n", pr_get(l, "phase"));
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
static const char *pr_times(struct json_object *l, char *buf, size_t len)
{
	double m = pr_get(l, "magnitude");

	if (isnan(m))
		return "no ratio to the median (it is 0)";
	snprintf(buf, len, "%.1fx the median", m);
	return buf;
}

static void pr_print_lines(FILE *f, struct json_object *pat)
{
	struct json_object *a = json_object_object_get(pat, "periodic"), *l;
	char b[64];
	size_t i;

	for (i = 0; i < json_object_array_length(a); i++) {
		l = json_object_array_get_idx(a, i);
		fprintf(
		    f,
		    "    periodic: every %.2f iterations, %.0f spikes (%.0f%% of them, %.0f%% of "
		    "the positions), %s, ",
		    pr_get(l, "period"), pr_get(l, "support"), 100 * pr_get(l, "share"),
		    100 * pr_get(l, "hit_rate"), pr_times(l, b, sizeof(b)));
		pr_print_phases(f, l);
	}
	a = json_object_object_get(pat, "drift");
	for (i = 0; i < json_object_array_length(a); i++) {
		l = json_object_array_get_idx(a, i);
		fprintf(
		    f,
		    "    drift: %+.2f iterations per run from iteration %.0f: %.0f spikes in %.0f "
		    "runs, %s\n",
		    pr_get(l, "slope_iterations_per_run"), pr_get(l, "intercept"),
		    pr_get(l, "support"), pr_get(l, "runs"), pr_times(l, b, sizeof(b)));
	}
}

static void pr_print_modes(FILE *f, struct json_object *pat)
{
	struct json_object *a = json_object_object_get(pat, "modes"), *m;
	size_t i;

	if (!json_object_array_length(a)) {
		fputs("    modes: none (too few good samples)\n", f);
		return;
	}
	fprintf(f, "    modes: %zu:", json_object_array_length(a));
	for (i = 0; i < json_object_array_length(a); i++) {
		m = json_object_array_get_idx(a, i);
		fprintf(f, "%s %.3f us (%.0f%%)", i ? "," : "", pr_get(m, "location_ns") / 1000,
			100 * pr_get(m, "weight"));
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
	static const char *const keys[] = {"p50_ns", "p90_ns", "p99_ns", "p999_ns"};
	static const char *const names[] = {"p50", "p90", "p99", "p99.9"};
	struct json_object *ci;
	size_t i;

	fputs("    95% intervals (us):", f);
	for (i = 0; i < 4; i++) {
		ci = json_object_object_get(c, keys[i]);
		fprintf(f, "%s %s", i ? "," : "", names[i]);
		pr_print_num(f, " [", pr_get_idx(ci, 0) / 1000);
		pr_print_num(f, ", ", pr_get_idx(ci, 1) / 1000);
		fputc(']', f);
	}
	if (isnan(pr_get(c, "lag1_autocorrelation"))) {
		fputs("\n    lag-1 autocorrelation within runs: none (too few consecutive good "
		      "samples)\n",
		      f);
		return;
	}
	pr_print_num(f, "\n    lag-1 autocorrelation within runs ",
		     pr_get(c, "lag1_autocorrelation"));
	fputs(json_object_get_boolean(json_object_object_get(c, "strongly_autocorrelated"))
		  ? ": strongly autocorrelated, the intervals are too narrow\n"
		  : "\n",
	      f);
}

void patterns_print_text(FILE *f, struct json_object *probe)
{
	struct json_object *pat, *conf;

	if (!json_object_object_get_ex(probe, "patterns", &pat))
		return;
	if (json_object_object_get_ex(probe, "confidence", &conf) && !pr_get(conf, "samples")) {
		fprintf(f, "\npatterns of '%s' (probe %.0f): no good samples, so no patterns\n",
			json_object_get_string(json_object_object_get(probe, "probe")),
			pr_get(probe, "probe_id"));
		return;
	}
	fprintf(f, "\npatterns of '%s' (probe %.0f), from its %.0f spikes:\n",
		json_object_get_string(json_object_object_get(probe, "probe")),
		pr_get(probe, "probe_id"), pr_get(pat, "spikes"));
	pr_print_lines(f, pat);
	if (!json_object_array_length(json_object_object_get(pat, "periodic")) &&
	    !json_object_array_length(json_object_object_get(pat, "drift")))
		fputs("    no periodic line, no drift\n", f);
	pr_print_modes(f, pat);
	if (json_object_object_get_ex(probe, "confidence", &conf))
		pr_print_confidence(f, conf);
}
