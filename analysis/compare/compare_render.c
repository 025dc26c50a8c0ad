// SPDX-License-Identifier: MIT
/* compare_render - print the compare report as text (side-by-side tables) or as JSON. */
#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdbool.h>
#include <string.h>

#include <json-c/json.h>

#include "analysis/compare/compare.h"
#include "analysis/compare/compare_mechanisms.h"
#include "analysis/compare/compare_project.h"
#include "analysis/model/report_model.h"

/* calibration_text - "step 10.02 ns, stamp 100.2 ns" from a platform's calibration. */
static void calibration_text(struct json_object *pl, char *buf, size_t len)
{
	struct json_object *cal = rm_get(pl, RK_PLATFORM_CALIBRATION);

	if (!cal) {
		snprintf(buf, len, "unknown");
		return;
	}
	snprintf(buf, len, "step %s ns, stamp %s ns", rm_text(cal, RK_CALIBRATION_TSC_STEP_NS, "?"),
		 rm_text(cal, RK_CALIBRATION_STAMP_COST_NS, "?"));
}

/* print_platforms - the two fingerprints side by side, one `#` line per field. */
static void print_platforms(FILE *f, struct json_object *pa, struct json_object *pb)
{
	static const enum rm_key keys[] = {RK_PLATFORM_HYPERVISOR, RK_PLATFORM_CLOCKSOURCE,
					   RK_PLATFORM_TSC_KHZ,	   RK_PLATFORM_KERNEL,
					   RK_PLATFORM_CPU_MODEL,  RK_PLATFORM_NUMA_NODES};
	char ca[128], cb[128];
	size_t k;

	fprintf(f, "\n# %-12s %-44s %s\n", "platform", "A", "B");
	for (k = 0; k < sizeof(keys) / sizeof(keys[0]); k++) {
		fprintf(f, "# %-12s %-44s ", rm_name(keys[k]), rm_text(pa, keys[k], "unknown"));
		fprintf(f, "%s\n", rm_text(pb, keys[k], "unknown"));
	}
	calibration_text(pa, ca, sizeof(ca));
	calibration_text(pb, cb, sizeof(cb));
	fprintf(f, "# %-12s %-44s %s\n", "calibration", ca, cb);
}

/* print_config - "# probe 'ring' hops=2 io=uring ..." of a probe (@name, @config keys). */
static void print_config(FILE *f, const char *prefix, const char *name, struct json_object *cfg)
{
	const char *text;

	fprintf(f, "%s'%s'", prefix, name ? name : "unknown");
	if (cfg && json_object_is_type(cfg, json_type_object)) {
		json_object_object_foreach(cfg, key, val)
		{
			text = rm_text_of(val, "null");
			fprintf(f,
				json_object_is_type(val, json_type_string) && strpbrk(text, " \t")
				    ? " %s='%s'"
				    : " %s=%s",
				key, text);
		}
	}
	fputc('\n', f);
}

/* print_side_row - A's or B's row of the side-by-side table, in microseconds. */
static void print_side_row(FILE *f, const char *label, struct json_object *side)
{
	size_t k;

	fprintf(f, "%-5s %9s", label, rm_text(side, RK_SIDE_SAMPLES, "0"));
	for (k = 0; k < RM_NSTATS; k++)
		fprintf(f, " %9.3f", rm_num(side, rm_stats_keys[k]) * 1e-3);
	fputc('\n', f);
}

/*
 * print_runs_used - which runs each side's figures are: an observed probe's untraced ones (its
 * traced runs carry the tracer's cost), else all of them.
 */
static void print_runs_used(FILE *f, struct json_object *a, struct json_object *b)
{
	bool ua = !strcmp(rm_text(a, RK_SIDE_RUNS_USED, "all"), "untraced");
	bool ub = !strcmp(rm_text(b, RK_SIDE_RUNS_USED, "all"), "untraced");

	if (ua && ub)
		fputs("(each side's untraced runs: untraced compared with untraced)\n", f);
	else if (ua || ub)
		fprintf(f, "(A: %s, B: %s)\n", ua ? "its untraced runs" : "every run",
			ub ? "its untraced runs" : "every run");
}

/* print_table - samples and statistics of A and B in microseconds, and B/A. */
static void print_table(FILE *f, struct json_object *probe)
{
	struct json_object *ratio = rm_get(probe, RK_CMP_RATIO);
	size_t k;

	fprintf(f, "%-5s %9s", "", "samples");
	for (k = 0; k < RM_NSTATS; k++)
		fprintf(f, " %9s", rm_stats_heads[k]);
	fputs("  (us; B/A: ratio)\n", f);
	print_side_row(f, "A", rm_get(probe, RK_CMP_A));
	print_side_row(f, "B", rm_get(probe, RK_CMP_B));
	fprintf(f, "%-5s %9s", "B/A", "");
	for (k = 0; k < RM_NSTATS; k++)
		fprintf(f, " %9.3f", rm_num(ratio, rm_ratio_keys[k]));
	fputc('\n', f);
	print_runs_used(f, rm_get(probe, RK_CMP_A), rm_get(probe, RK_CMP_B));
}

/* print_spikes - spike rates, and the dominant causes that either side has spikes of. */
static void print_spikes(FILE *f, struct json_object *probe)
{
	struct json_object *rate = rm_get(probe, RK_CMP_SPIKE_RATE);
	struct json_object *attr = rm_get(probe, RK_CMP_ATTRIBUTION), *ca, *cb;
	struct json_object *ra = rm_get(rate, RK_RATE_A), *rb = rm_get(rate, RK_RATE_B);

	fprintf(f, "# spikes per 1000 iterations: A %s (%s), B %s (%s), B/A %s\n",
		rm_text(ra, RK_RATE_PER_1000, "-"), rm_text(ra, RK_RATE_SPIKES, "0"),
		rm_text(rb, RK_RATE_PER_1000, "-"), rm_text(rb, RK_RATE_SPIKES, "0"),
		rm_text(rate, RK_RATE_RATIO, "-"));
	fprintf(f, "# dominant cause, spikes A / B%s:",
		rm_bool(attr, RK_CMP_ATTR_TRACED_A) && rm_bool(attr, RK_CMP_ATTR_TRACED_B)
		    ? ""
		    : " (an untraced file explains nothing)");
	json_object_object_foreach(rm_get(attr, RK_CMP_ATTR_A), cause, va)
	{
		ca = rm_get(va, RK_CAUSE_TOTAL_SPIKES);
		cb = rm_get(rm_member(rm_get(attr, RK_CMP_ATTR_B), cause), RK_CAUSE_TOTAL_SPIKES);
		if (json_object_get_int64(ca) || json_object_get_int64(cb))
			fprintf(f, " %s %s / %s", cause, rm_text_of(ca, "0"), rm_text_of(cb, "0"));
	}
	fputc('\n', f);
}

/* print_patterns_side - "# patterns A: 2 modes (21.741 us 80%, ...), 1 periodic line, ..." */
static void print_patterns_side(FILE *f, const char *side, struct json_object *pat)
{
	struct json_object *modes = rm_get(pat, RK_PATTERNS_MODES), *m;
	size_t i, n = json_object_array_length(modes);

	if (!pat)
		return;
	fprintf(f, "# patterns %s: %zu mode%s", side, n, n == 1 ? "" : "s");
	for (i = 0; i < n; i++) {
		m = json_object_array_get_idx(modes, i);
		fprintf(f, "%s%.3f us %.0f%%", i ? ", " : " (",
			rm_num(m, RK_MODE_LOCATION) / 1000.0, 100.0 * rm_num(m, RK_MODE_WEIGHT));
	}
	fprintf(f, "%s, %zu periodic line(s), %zu drift(s)\n", n ? ")" : "",
		rm_len(pat, RK_PATTERNS_PERIODIC), rm_len(pat, RK_PATTERNS_DRIFT));
}

/* print_tests - the three tests on the pooled iterations: descriptive, not the verdict. */
static void print_tests(FILE *f, struct json_object *probe)
{
	struct json_object *t;
	enum compare_level l;

	fprintf(f, "%-11s %8s %10s %12s %12s  %s\n", "test", "KS D", "KS p", "W (us)",
		"W trim (us)", "differs (pooled iterations, not the verdict)");
	for (l = COMPARE_RAW; l < COMPARE_NLEVELS; l++) {
		t = rm_get(rm_get(probe, RK_CMP_TESTS), compare_level_key(l));
		fprintf(f, "%-11s %8.4f %10.3g %12.3f %12.3f  %s\n", rm_name(compare_level_key(l)),
			rm_num(t, RK_TEST_KS_D), rm_num(t, RK_TEST_KS_P),
			rm_num(t, RK_TEST_W) / 1000.0, rm_num(t, RK_TEST_W_TRIMMED) / 1000.0,
			rm_bool(t, RK_TEST_DIFFERS) ? "yes" : "no");
	}
}

/* effect_cell - one number of an effect's row: us with a sign, or a ratio's factor. */
static void effect_cell(char *buf, size_t len, double v, bool ratio)
{
	if (ratio)
		snprintf(buf, len, "x%.3f", v);
	else
		snprintf(buf, len, "%+.3f", v / 1000.0);
}

/* print_effect - one figure's row: A's mean, B - A (B/A for a ratio), its interval, margin. */
static void print_effect(FILE *f, enum compare_figure fig, struct json_object *e)
{
	static const enum rm_key keys[] = {RK_EFFECT_EFFECT, RK_EFFECT_LOW, RK_EFFECT_HIGH,
					   RK_EFFECT_MARGIN};
	bool ratio = compare_figure_is_log(fig);
	char cell[4][32];
	size_t k;

	for (k = 0; k < 4; k++)
		effect_cell(cell[k], sizeof(cell[k]), rm_num(e, keys[k]), ratio);
	fprintf(f, "%-9s %11.3f %11s  %11s .. %-11s %8s  %s\n", compare_figure_name(fig),
		rm_num(e, RK_EFFECT_A) / (ratio ? 1 : 1000.0), cell[0], cell[1], cell[2],
		cell[3] + !ratio, rm_bool(e, RK_EFFECT_DIFFERS) ? "yes" : "no");
}

/* print_run_level - the run-level effects the verdict read, then the verdict and its rule. */
static void print_run_level(FILE *f, struct json_object *probe)
{
	struct json_object *rl = rm_get(probe, RK_CMP_RUN_LEVEL);
	struct json_object *effects = rm_get(rl, RK_RUNLEVEL_EFFECTS);
	enum compare_figure fig;

	if (effects) {
		fprintf(f,
			"run-level    B - A of the means of %" PRId64 " %s of A and %" PRId64
			" of B, %g%% intervals (ratios: B/A)\n",
			rm_int(rm_get(rl, RK_RUNLEVEL_A), RK_RUNSIDE_CLUSTERS),
			rm_text(rl, RK_RUNLEVEL_CLUSTERS, "?"),
			rm_int(rm_get(rl, RK_RUNLEVEL_B), RK_RUNSIDE_CLUSTERS),
			100.0 * rm_num(rl, RK_RUNLEVEL_CONFIDENCE));
		fprintf(f, "%-9s %11s %11s  %26s %8s  %s\n", "figure", "A (us)", "B - A",
			"interval", "margin", "differs");
		for (fig = 0; fig < COMPARE_NFIGURES; fig++)
			print_effect(f, fig, rm_get(effects, compare_effect_key(fig)));
	}
	fprintf(f, "verdict: %s, shift %+.3f us, spread x%.3f\n",
		rm_text(probe, RK_CMP_VERDICT, "none"), rm_num(probe, RK_CMP_SHIFT) / 1000.0,
		rm_num(probe, RK_CMP_SCALE));
	fprintf(f, "# rule: %s\n", rm_text(probe, RK_CMP_RULE, "none"));
}

static void print_probe(FILE *f, struct json_object *probe)
{
	struct json_object *pat = rm_get(probe, RK_CMP_PATTERNS);

	fputc('\n', f);
	print_config(f, "# probe ", rm_str(probe, RK_CMP_NAME), rm_get(probe, RK_CMP_CONFIG));
	if (!rm_find(probe, RK_CMP_A)) {
		fputs("# no good samples on one side: nothing to compare\n", f);
		return;
	}
	print_table(f, probe);
	print_spikes(f, probe);
	print_patterns_side(f, "A", rm_get(pat, RK_CMP_PATTERNS_A));
	print_patterns_side(f, "B", rm_get(pat, RK_CMP_PATTERNS_B));
	print_tests(f, probe);
	print_run_level(f, probe);
	compare_mechanisms_print(f, probe);
	compare_project_print(f, probe);
}

/* print_only - the probes one file has and the other has not. */
static void print_only(FILE *f, struct json_object *list, const char *which)
{
	struct json_object *ref;
	size_t i;

	for (i = 0; i < json_object_array_length(list); i++) {
		ref = json_object_array_get_idx(list, i);
		print_config(f, which, rm_str(ref, RK_REF_NAME), rm_get(ref, RK_REF_CONFIG));
	}
}

void compare_print_text(FILE *f, struct json_object *report)
{
	struct json_object *a = rm_get(report, RK_COMPARE_A), *b = rm_get(report, RK_COMPARE_B);
	struct json_object *th = rm_get(report, RK_COMPARE_THRESHOLDS);
	struct json_object *probes = rm_get(report, RK_COMPARE_PROBES);
	struct json_object *only_a = rm_get(report, RK_COMPARE_ONLY_IN_A);
	struct json_object *only_b = rm_get(report, RK_COMPARE_ONLY_IN_B);
	double confidence = 100.0 * (1.0 - rm_num(th, RK_THRESHOLD_ALPHA));
	size_t i;

	fprintf(f, "# ringscope compare\n# A: '%s'%s\n# B: '%s'%s\n", rm_text(a, RK_FILE_PATH, "?"),
		rm_bool(a, RK_FILE_COMPLETE) ? "" : " (incomplete)", rm_text(b, RK_FILE_PATH, "?"),
		rm_bool(b, RK_FILE_COMPLETE) ? "" : " (incomplete)");
	fprintf(
	    f,
	    "# verdict: run-level, each run one observation (blocks of iterations when a side "
	    "has under %s runs); an effect differs when its %g%% interval lies beyond the margin "
	    "(%s x A's figure, at least %s ns, the TSC step)\n",
	    rm_text(th, RK_THRESHOLD_MIN_RUNS, "?"), confidence,
	    rm_text(th, RK_THRESHOLD_MIN_EFFECT_REL, "?"),
	    rm_text(th, RK_THRESHOLD_RESOLUTION, "?"));
	fprintf(f,
		"# pooled tests: a test differs when KS p < %s, W trim >= %s ns and (KS D > %s or "
		"W trim > %s x A's median); W trim leaves out %s of the quantiles at each end\n",
		rm_text(th, RK_THRESHOLD_ALPHA, "?"), rm_text(th, RK_THRESHOLD_RESOLUTION, "?"),
		rm_text(th, RK_THRESHOLD_MIN_KS_D, "?"), rm_text(th, RK_THRESHOLD_MIN_W_REL, "?"),
		rm_text(th, RK_THRESHOLD_W_TRIM, "?"));
	print_platforms(f, rm_get(a, RK_FILE_PLATFORM), rm_get(b, RK_FILE_PLATFORM));
	for (i = 0; i < json_object_array_length(probes); i++)
		print_probe(f, json_object_array_get_idx(probes, i));
	if (!json_object_array_length(probes))
		fputs("\n# no probe is in both files (probes match by name, hops, io, connect, "
		      "domains, msg_size, reply, text, stdio_buffer and sink)\n",
		      f);
	if (json_object_array_length(only_a) || json_object_array_length(only_b))
		fputc('\n', f);
	print_only(f, only_a, "# only in A: ");
	print_only(f, only_b, "# only in B: ");
}
