// SPDX-License-Identifier: MIT
/* compare_render - print the compare report as text (side-by-side tables) or as JSON. */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include <json-c/json.h>

#include "analysis/compare/compare.h"

static const char *const stat_keys[] = {"mean", "stddev", "min",  "p50",
					"p90",	"p99",	  "p999", "max"};
#define NSTATS (sizeof(stat_keys) / sizeof(stat_keys[0]))

/* get - @key of @o; NULL when absent or @o is no object. */
static struct json_object *get(struct json_object *o, const char *key)
{
	struct json_object *v = NULL;

	if (o && json_object_is_type(o, json_type_object))
		json_object_object_get_ex(o, key, &v);
	return v;
}

/* text_of - a JSON value as text: strings bare, null as @none, the rest as compact JSON. */
static const char *text_of(struct json_object *v, const char *none)
{
	if (!v)
		return none;
	if (json_object_is_type(v, json_type_string))
		return json_object_get_string(v);
	return json_object_to_json_string_ext(v, JSON_C_TO_STRING_PLAIN);
}

/* calibration_text - "step 10.02 ns, stamp 100.2 ns" from a platform's calibration. */
static void calibration_text(struct json_object *pl, char *buf, size_t len)
{
	struct json_object *cal = get(pl, "calibration");

	if (!cal) {
		snprintf(buf, len, "unknown");
		return;
	}
	snprintf(buf, len, "step %s ns, stamp %s ns", text_of(get(cal, "tsc_step_ns"), "?"),
		 text_of(get(cal, "stamp_cost_ns"), "?"));
}

/* print_platforms - the two fingerprints side by side, one `#` line per field. */
static void print_platforms(FILE *f, struct json_object *pa, struct json_object *pb)
{
	static const char *const keys[] = {"hypervisor", "clocksource", "tsc_khz",
					   "kernel",	 "cpu_model",	"numa_nodes"};
	char ca[128], cb[128];
	size_t k;

	fprintf(f, "\n# %-12s %-44s %s\n", "platform", "A", "B");
	for (k = 0; k < sizeof(keys) / sizeof(keys[0]); k++) {
		fprintf(f, "# %-12s %-44s ", keys[k], text_of(get(pa, keys[k]), "unknown"));
		fprintf(f, "%s\n", text_of(get(pb, keys[k]), "unknown"));
	}
	calibration_text(pa, ca, sizeof(ca));
	calibration_text(pb, cb, sizeof(cb));
	fprintf(f, "# %-12s %-44s %s\n", "calibration", ca, cb);
}

/* print_config - "# probe 'ring' hops=2 io=uring ..." */
static void print_config(FILE *f, const char *prefix, struct json_object *probe)
{
	struct json_object *cfg = get(probe, "config");
	const char *text;

	fprintf(f, "%s'%s'", prefix, text_of(get(probe, "probe"), "unknown"));
	if (cfg && json_object_is_type(cfg, json_type_object)) {
		json_object_object_foreach(cfg, key, val)
		{
			text = text_of(val, "null");
			fprintf(f,
				json_object_is_type(val, json_type_string) && strpbrk(text, " \t")
				    ? " %s='%s'"
				    : " %s=%s",
				key, text);
		}
	}
	fputc('\n', f);
}

/* print_stats_row - one row of the side-by-side table; @scale 1e-3 prints ns as us. */
static void print_stats_row(FILE *f, const char *label, struct json_object *o, const char *suffix,
			    double scale)
{
	char key[32];
	size_t k;

	fprintf(f, "%-5s %9s", label,
		label[0] == 'B' && label[1] == '/' ? "" : text_of(get(o, "samples"), "0"));
	for (k = 0; k < NSTATS; k++) {
		snprintf(key, sizeof(key), "%s%s", stat_keys[k], suffix);
		fprintf(f, " %9.3f", json_object_get_double(get(o, key)) * scale);
	}
	fputc('\n', f);
}

/* print_table - samples and statistics of A and B in microseconds, and B/A. */
static void print_table(FILE *f, struct json_object *probe)
{
	static const char *const heads[] = {"mean", "stddev", "min",   "p50",
					    "p90",  "p99",    "p99.9", "max"};
	size_t k;

	fprintf(f, "%-5s %9s", "", "samples");
	for (k = 0; k < NSTATS; k++)
		fprintf(f, " %9s", heads[k]);
	fputs("  (us; B/A: ratio)\n", f);
	print_stats_row(f, "A", get(probe, "a"), "_ns", 1e-3);
	print_stats_row(f, "B", get(probe, "b"), "_ns", 1e-3);
	print_stats_row(f, "B/A", get(probe, "ratio"), "", 1.0);
}

/* print_spikes - spike rates, and the dominant causes that either side has spikes of. */
static void print_spikes(FILE *f, struct json_object *probe)
{
	struct json_object *rate = get(probe, "spike_rate"), *attr = get(probe, "attribution");
	struct json_object *ca, *cb;

	fprintf(f, "# spikes per 1000 iterations: A %s (%s), B %s (%s), B/A %s\n",
		text_of(get(get(rate, "a"), "per_1000"), "-"),
		text_of(get(get(rate, "a"), "spikes"), "0"),
		text_of(get(get(rate, "b"), "per_1000"), "-"),
		text_of(get(get(rate, "b"), "spikes"), "0"), text_of(get(rate, "ratio"), "-"));
	fprintf(f, "# dominant cause, spikes A / B%s:",
		json_object_get_boolean(get(attr, "traced_a")) &&
			json_object_get_boolean(get(attr, "traced_b"))
		    ? ""
		    : " (an untraced file explains nothing)");
	json_object_object_foreach(get(attr, "a"), cause, va)
	{
		ca = get(va, "spikes");
		cb = get(get(get(attr, "b"), cause), "spikes");
		if (json_object_get_int64(ca) || json_object_get_int64(cb))
			fprintf(f, " %s %s / %s", cause, text_of(ca, "0"), text_of(cb, "0"));
	}
	fputc('\n', f);
}

/* print_patterns_side - "# patterns A: 2 modes (21.741 us 80%, ...), 1 periodic line, ..." */
static void print_patterns_side(FILE *f, const char *side, struct json_object *pat)
{
	struct json_object *modes = get(pat, "modes"), *m;
	size_t i, n = json_object_array_length(modes);

	if (!pat)
		return;
	fprintf(f, "# patterns %s: %zu mode%s", side, n, n == 1 ? "" : "s");
	for (i = 0; i < n; i++) {
		m = json_object_array_get_idx(modes, i);
		fprintf(f, "%s%.3f us %.0f%%", i ? ", " : " (",
			json_object_get_double(get(m, "location_ns")) / 1000.0,
			100.0 * json_object_get_double(get(m, "weight")));
	}
	fprintf(f, "%s, %zu periodic line(s), %zu drift(s)\n", n ? ")" : "",
		json_object_array_length(get(pat, "periodic")),
		json_object_array_length(get(pat, "drift")));
}

/* print_tests - the three tests, then the verdict in words. */
static void print_tests(FILE *f, struct json_object *probe)
{
	static const char *const levels[] = {"raw", "aligned", "normalized"};
	struct json_object *t;
	size_t l;

	fprintf(f, "%-11s %8s %10s %12s %12s  %s\n", "test", "KS D", "KS p", "W (us)",
		"W trim (us)", "differs");
	for (l = 0; l < 3; l++) {
		t = get(get(probe, "tests"), levels[l]);
		fprintf(f, "%-11s %8.4f %10.3g %12.3f %12.3f  %s\n", levels[l],
			json_object_get_double(get(t, "ks_d")),
			json_object_get_double(get(t, "ks_p")),
			json_object_get_double(get(t, "wasserstein_ns")) / 1000.0,
			json_object_get_double(get(t, "wasserstein_trimmed_ns")) / 1000.0,
			json_object_get_boolean(get(t, "differs")) ? "yes" : "no");
	}
	fprintf(f, "verdict: %s, shift %+.3f us, spread x%.3f\n",
		text_of(get(probe, "verdict"), "none"),
		json_object_get_double(get(probe, "shift_ns")) / 1000.0,
		json_object_get_double(get(probe, "scale")));
}

/* verdict_meaning - the sentence of a verdict name. */
static const char *verdict_meaning(const char *name)
{
	enum compare_verdict v;

	for (v = COMPARE_SAME; v <= COMPARE_SHAPE; v++) {
		if (!strcmp(name, compare_verdict_name(v)))
			return compare_verdict_meaning(v);
	}
	return "unknown";
}

static void print_probe(FILE *f, struct json_object *probe)
{
	struct json_object *verdict = get(probe, "verdict");

	fputc('\n', f);
	print_config(f, "# probe ", probe);
	if (!verdict) {
		fputs("# no good samples on one side: nothing to compare\n", f);
		return;
	}
	print_table(f, probe);
	print_spikes(f, probe);
	print_patterns_side(f, "A", get(get(probe, "patterns"), "a"));
	print_patterns_side(f, "B", get(get(probe, "patterns"), "b"));
	print_tests(f, probe);
	fprintf(f, "# %s\n", verdict_meaning(json_object_get_string(verdict)));
}

/* print_only - the probes one file has and the other has not. */
static void print_only(FILE *f, struct json_object *list, const char *which)
{
	size_t i;

	for (i = 0; i < json_object_array_length(list); i++)
		print_config(f, which, json_object_array_get_idx(list, i));
}

void compare_print_text(FILE *f, struct json_object *report)
{
	struct json_object *a = get(report, "a"), *b = get(report, "b");
	struct json_object *th = get(report, "thresholds"), *probes = get(report, "probes");
	size_t i;

	fprintf(f, "# ringscope compare\n# A: '%s'%s\n# B: '%s'%s\n", text_of(get(a, "path"), "?"),
		json_object_get_boolean(get(a, "complete")) ? "" : " (incomplete)",
		text_of(get(b, "path"), "?"),
		json_object_get_boolean(get(b, "complete")) ? "" : " (incomplete)");
	fprintf(f,
		"# a test differs when KS p < %s, W trim >= %s ns (the TSC step) and (KS D > %s or "
		"W trim > %s x A's median); W trim leaves out %s of the quantiles at each end\n",
		text_of(get(th, "alpha"), "?"), text_of(get(th, "resolution_ns"), "?"),
		text_of(get(th, "min_ks_d"), "?"), text_of(get(th, "min_wasserstein_rel"), "?"),
		text_of(get(th, "wasserstein_trim"), "?"));
	print_platforms(f, get(a, "platform"), get(b, "platform"));
	for (i = 0; i < json_object_array_length(probes); i++)
		print_probe(f, json_object_array_get_idx(probes, i));
	if (!json_object_array_length(probes))
		fputs("\n# no probe is in both files (probes match by name, hops, io, connect, "
		      "domains, msg_size, reply, text, stdio_buffer and sink)\n",
		      f);
	if (json_object_array_length(get(report, "only_in_a")) ||
	    json_object_array_length(get(report, "only_in_b")))
		fputc('\n', f);
	print_only(f, get(report, "only_in_a"), "# only in A: ");
	print_only(f, get(report, "only_in_b"), "# only in B: ");
}

void compare_print_json(FILE *f, struct json_object *report)
{
	fputs(json_object_to_json_string_ext(report, JSON_C_TO_STRING_PRETTY |
							 JSON_C_TO_STRING_SPACED |
							 JSON_C_TO_STRING_NOSLASHESCAPE),
	      f);
	fputc('\n', f);
}
