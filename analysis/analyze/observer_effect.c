// SPDX-License-Identifier: MIT
/* observer_effect - traced vs untraced runs of a probe (docs/tracer.md, "The observer effect"). */
#include "analysis/analyze/observer_effect.h"

#include <errno.h>
#include <math.h>
#include <inttypes.h>
#include <stdlib.h>

#include <json-c/json.h>

#include "analysis/model/report_model.h"
#include "analysis/patterns/patterns_confidence.h"
#include "analysis/patterns/patterns_render.h"
#include "lib/trace/trace_latencies.h"
#include "lib/trace/trace_reader.h"

/* runs_of - the distinct runs of @n samples (a run's samples are together in the file). */
static int64_t runs_of(const struct trace_sample *s, size_t n)
{
	int64_t runs = 0;

	for (size_t i = 0; i < n; i++)
		runs += !i || s[i].run != s[i - 1].run;
	return runs;
}

/* side_json - runs, samples, p50 and p99 with intervals of @n samples; *@p50, *@p99 set. */
static struct json_object *side_json(const struct trace_sample *s, size_t n, double *p50,
				     double *p99)
{
	struct json_object *o = json_object_new_object();
	struct patterns_ci c50, c99;
	size_t k;
	double *v = trace_good_latencies(s, n, &k);

	if (!o || !v) {
		free(v);
		json_object_put(o);
		return NULL;
	}
	c50 = patterns_quantile_ci(v, k, 0.5);
	c99 = patterns_quantile_ci(v, k, 0.99);
	*p50 = k ? c50.estimate : NAN;
	*p99 = k ? c99.estimate : NAN;
	rm_set_int(o, RK_OBSIDE_RUNS, runs_of(s, n));
	rm_set_int(o, RK_OBSIDE_SAMPLES, (int64_t)k);
	rm_set(o, RK_OBSIDE_P50, rm_fixed(*p50, 1));
	rm_set(o, RK_OBSIDE_P50_CI, patterns_ci_json(&c50));
	rm_set(o, RK_OBSIDE_P99, rm_fixed(*p99, 1));
	rm_set(o, RK_OBSIDE_P99_CI, patterns_ci_json(&c99));
	free(v);
	return o;
}

/* probe_json - @p's observer effect; @probe's attribution gives the tracer cause. */
static struct json_object *probe_json(const struct trace_probe *p, struct json_object *probe)
{
	struct json_object *o = json_object_new_object(), *un, *tr, *cause;
	const struct trace_sample *s;
	double u50, u99, t50, t99;
	size_t n;

	s = trace_probe_stat_samples(p, &n);
	un = side_json(s, n, &u50, &u99);
	s = trace_probe_traced_samples(p, &n);
	tr = side_json(s, n, &t50, &t99);
	if (!o || !un || !tr) {
		json_object_put(o);
		json_object_put(un);
		json_object_put(tr);
		return NULL;
	}
	rm_set(o, RK_OBSERVER_UNTRACED, un);
	rm_set(o, RK_OBSERVER_TRACED, tr);
	rm_set(o, RK_OBSERVER_P50_RATIO, rm_fixed(u50 > 0 ? t50 / u50 : NAN, 3));
	rm_set(o, RK_OBSERVER_P99_RATIO, rm_fixed(u99 > 0 ? t99 / u99 : NAN, 3));
	cause = rm_member(rm_find(probe, RK_PROBE_ATTRIBUTION), "tracer");
	rm_set(o, RK_OBSERVER_TRACER_CAUSE, cause ? json_object_get(cause) : NULL);
	return o;
}

int observer_effect_add(const struct trace_session *s, struct json_object *probes)
{
	for (size_t i = 0; i < s->nprobes; i++) {
		struct json_object *probe = json_object_array_get_idx(probes, i), *o;

		if (!s->probes[i].observed)
			continue;
		o = probe_json(&s->probes[i], probe);
		if (!o)
			return -ENOMEM;
		rm_set(probe, RK_PROBE_OBSERVER, o);
	}
	return 0;
}

/* print_side - "untraced  3 runs  6000 samples  p50 1.234 [1.230, 1.240]  p99 ..." in us. */
static void print_side(FILE *f, const char *name, struct json_object *side)
{
	struct json_object *c50 = rm_get(side, RK_OBSIDE_P50_CI);
	struct json_object *c99 = rm_get(side, RK_OBSIDE_P99_CI);

	fprintf(f,
		"#   %-8s %3" PRId64 " runs %8" PRId64
		" samples   p50 %.3f [%.3f, %.3f]   p99 %.3f "
		"[%.3f, %.3f] us\n",
		name, rm_int(side, RK_OBSIDE_RUNS), rm_int(side, RK_OBSIDE_SAMPLES),
		rm_num_nan(side, RK_OBSIDE_P50) / 1e3,
		json_object_get_double(json_object_array_get_idx(c50, 0)) / 1e3,
		json_object_get_double(json_object_array_get_idx(c50, 1)) / 1e3,
		rm_num_nan(side, RK_OBSIDE_P99) / 1e3,
		json_object_get_double(json_object_array_get_idx(c99, 0)) / 1e3,
		json_object_get_double(json_object_array_get_idx(c99, 1)) / 1e3);
}

void observer_effect_print(FILE *f, struct json_object *probe)
{
	struct json_object *o = rm_find(probe, RK_PROBE_OBSERVER), *cause;

	if (!o)
		return;
	fprintf(f, "# observer effect (the table above is the untraced runs'; spikes are the "
		   "traced runs'):\n");
	print_side(f, "untraced", rm_get(o, RK_OBSERVER_UNTRACED));
	print_side(f, "traced", rm_get(o, RK_OBSERVER_TRACED));
	fprintf(f, "#   traced/untraced: p50 x%s, p99 x%s", rm_text(o, RK_OBSERVER_P50_RATIO, "?"),
		rm_text(o, RK_OBSERVER_P99_RATIO, "?"));
	cause = rm_get(o, RK_OBSERVER_TRACER_CAUSE);
	if (cause)
		fprintf(f, "; the tracer's own cause in %" PRId64 " spikes, %.3f us excess",
			rm_int(cause, RK_CAUSE_TOTAL_SPIKES),
			(double)rm_int(cause, RK_CAUSE_TOTAL_EXCESS) / 1e3);
	fprintf(f, "\n");
}
