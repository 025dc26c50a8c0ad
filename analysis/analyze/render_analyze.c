// SPDX-License-Identifier: MIT
/* render_analyze - build the analyze report from a session; print it as text or JSON. */
#include "analysis/analyze/render_analyze.h"

#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include "analysis/analyze/histogram.h"
#include "analysis/analyze/observer_effect.h"
#include "analysis/model/report_model.h"
#include "lib/stats.h"
#include "lib/trace/trace_latencies.h"
#include "lib/trace/trace_reader.h"

/* end_count - @key of the probe's PROBE_END (the runner's own count), else @fallback. */
static int64_t end_count(const struct trace_probe *p, enum rm_key key, int64_t fallback)
{
	struct json_object *v = rm_find(p->end, key);

	return json_object_is_type(v, json_type_int) ? json_object_get_int64(v) : fallback;
}

/* samples_stats - the statistics of the good samples among the @ns samples @s. */
static int samples_stats(const struct trace_sample *s, size_t ns, struct stats_summary *out)
{
	size_t n;
	double *lat = trace_good_latencies(s, ns, &n);
	int ret;

	if (!lat)
		return -ENOMEM;
	if (!n) {
		free(lat);
		return -ENODATA;
	}
	ret = stats_summarize_sorted(lat, n, out);
	free(lat);
	return ret ? -ENODATA : 0;
}

int analyze_probe_stats(const struct trace_probe *p, struct stats_summary *out)
{
	size_t ns;
	const struct trace_sample *s = trace_probe_stat_samples(p, &ns);

	return samples_stats(s, ns, out);
}

/* add_end_ring - the ring supervisor's "restarts", "lost_iterations" and per-hop "hops". */
static void add_end_ring(struct json_object *o, const struct trace_probe *p)
{
	struct json_object *v;

	rm_set_int(o, RK_PROBE_RESTARTS, end_count(p, RK_END_RESTARTS, 0));
	v = rm_find(p->end, RK_END_LOST_ITERATIONS);
	if (json_object_is_type(v, json_type_array))
		rm_set(o, RK_PROBE_LOST_ITERATIONS, json_object_get(v));
	v = rm_find(p->end, RK_END_HOPS);
	if (json_object_is_type(v, json_type_array))
		rm_set(o, RK_PROBE_HOPS, json_object_get(v));
}

/* probe_stats_json - the STATS object of @p's good samples, JSON null when it has none. */
static int probe_stats_json(const struct trace_probe *p, size_t *ngood, struct json_object **out)
{
	struct stats_summary s;
	int ret = analyze_probe_stats(p, &s);

	*out = NULL;
	*ngood = ret ? 0 : s.n;
	if (ret == -ENODATA)
		return 0;
	if (ret)
		return ret;
	*out = json_object_new_object();
	if (!*out)
		return -ENOMEM;
	rm_stats_add(*out, &s);
	return 0;
}

/*
 * analyze_probe_build - one probe's object: {"probe", "probe_id", "config", "samples", "lost",
 * "bad_messages", "late", "runs", "error"?, "stats": {"mean_ns", ...} or null when no good
 * sample}. Samples flagged TRACE_SAMPLE_BAD are counted in "bad_messages" and left out of
 * "samples" and the statistics. Returns 0 and a new object in *@out, or -ENOMEM.
 */
static int analyze_probe_build(const struct trace_probe *p, struct json_object **out)
{
	struct json_object *o, *stats;
	size_t ngood;
	int ret;

	ret = probe_stats_json(p, &ngood, &stats);
	if (ret)
		return ret;
	o = json_object_new_object();
	if (!o) {
		json_object_put(stats);
		return -ENOMEM;
	}
	rm_set_str(o, RK_PROBE_NAME, p->name ? p->name : "unknown");
	rm_set_int(o, RK_PROBE_ID, p->probe_id);
	rm_set(o, RK_PROBE_CONFIG,
	       p->config ? json_object_get(p->config) : json_object_new_object());
	rm_set_int(o, RK_PROBE_SAMPLES, (int64_t)ngood);
	rm_set_int(o, RK_PROBE_LOST, end_count(p, RK_END_LOST, 0));
	rm_set_int(o, RK_PROBE_BAD_MESSAGES, end_count(p, RK_END_BAD_MESSAGES, (int64_t)p->nbad));
	rm_set_int(o, RK_PROBE_LATE, end_count(p, RK_END_LATE, (int64_t)p->nlate));
	rm_set_int(o, RK_PROBE_RUNS, p->runs ? (int64_t)json_object_array_length(p->runs) : 0);
	add_end_ring(o, p);
	if (rm_has(p->end, RK_END_ERROR))
		rm_set(o, RK_PROBE_ERROR, json_object_get(rm_find(p->end, RK_END_ERROR)));
	rm_set(o, RK_PROBE_STATS, stats);
	*out = o;
	return 0;
}

/* report_add_end - "status" and "error" from the END chunk (status null: no END). */
static void report_add_end(struct json_object *r, const struct trace_session *s)
{
	rm_set(r, RK_REPORT_STATUS, json_object_get(rm_find(s->end, RK_SESSION_END_STATUS)));
	if (rm_has(s->end, RK_SESSION_END_ERROR))
		rm_set(r, RK_REPORT_ERROR, json_object_get(rm_find(s->end, RK_SESSION_END_ERROR)));
}

int analyze_report_build(const struct trace_session *s, struct json_object **out)
{
	struct json_object *r, *probes, *p;
	size_t i;
	int ret;

	r = json_object_new_object();
	probes = json_object_new_array();
	if (!r || !probes) {
		json_object_put(r);
		json_object_put(probes);
		return -ENOMEM;
	}
	rm_set(r, RK_REPORT_PLATFORM, json_object_get(s->platform));
	rm_set_bool(r, RK_REPORT_COMPLETE, s->status.complete);
	report_add_end(r, s);
	rm_set(r, RK_REPORT_PROBES, probes);
	for (i = 0; i < s->nprobes; i++) {
		ret = analyze_probe_build(&s->probes[i], &p);
		if (ret) {
			json_object_put(r);
			return ret;
		}
		json_object_array_add(probes, p);
	}
	*out = r;
	return 0;
}

static void print_platform(FILE *f, struct json_object *pl)
{
	struct json_object *cal;

	if (!pl) {
		fputs("# platform: unknown (the file has no PLATFORM chunk)\n", f);
		return;
	}
	fprintf(f, "# platform: hypervisor %s, clocksource %s, tsc_khz %s, kernel %s\n",
		rm_text(pl, RK_PLATFORM_HYPERVISOR, "none"),
		rm_text(pl, RK_PLATFORM_CLOCKSOURCE, "unknown"),
		rm_text(pl, RK_PLATFORM_TSC_KHZ, "unknown"),
		rm_text(pl, RK_PLATFORM_KERNEL, "unknown"));
	fprintf(f, "# cpu: %s\n", rm_text(pl, RK_PLATFORM_CPU_MODEL, "unknown"));
	cal = rm_get(pl, RK_PLATFORM_CALIBRATION);
	if (cal)
		fprintf(f,
			"# timing: tsc step %s ns (no finer resolution), stamp pair cost %s ns\n",
			rm_text(cal, RK_CALIBRATION_TSC_STEP_NS, "unknown"),
			rm_text(cal, RK_CALIBRATION_STAMP_COST_NS, "unknown"));
}

static void print_file_state(FILE *f, struct json_object *r)
{
	struct json_object *err = rm_find(r, RK_REPORT_ERROR);

	if (!rm_bool(r, RK_REPORT_COMPLETE)) {
		fputs("# file: incomplete (no END chunk: the run was killed or is still going), "
		      "read up to its last whole chunk\n",
		      f);
		return;
	}
	fprintf(f, "# file: complete, status %s%s%s\n", rm_text(r, RK_REPORT_STATUS, "unknown"),
		err ? ": " : "", err ? rm_text_of(err, "") : "");
}

/* print_setting - " key=value"; a string value with blanks (or none) is quoted. */
static void print_setting(FILE *f, const char *key, struct json_object *val)
{
	const char *text = rm_text_of(val, "null");
	bool quote = json_object_is_type(val, json_type_string) && (!*text || strpbrk(text, " \t"));

	fprintf(f, quote ? " %s='%s'" : " %s=%s", key, text);
}

/* print_config - the probe's configuration as key=value pairs on one `#` line. */
static void print_config(FILE *f, struct json_object *probe)
{
	struct json_object *cfg = rm_get(probe, RK_PROBE_CONFIG);

	fprintf(f, "# probe %s '%s':", rm_text(probe, RK_PROBE_ID, "?"),
		rm_text(probe, RK_PROBE_NAME, "unknown"));
	if (cfg && json_object_is_type(cfg, json_type_object)) {
		json_object_object_foreach(cfg, key, val) print_setting(f, key, val);
	}
	fputc('\n', f);
}

/*
 * print_deep_tail - p99.99 and p99.999 under the table, each only where the samples hold it
 * (ten samples above it: 100,000 and 1,000,000), as sockperf prints them.
 */
static void print_deep_tail(FILE *f, struct json_object *stats)
{
	struct json_object *p4 = rm_find(stats, RK_STATS_P9999),
			   *p5 = rm_find(stats, RK_STATS_P99999);

	if (!p4)
		return;
	fprintf(f, "# deep tail: p99.99 %.3f us", json_object_get_double(p4) / 1000.0);
	if (p5)
		fprintf(f, ", p99.999 %.3f us\n", json_object_get_double(p5) / 1000.0);
	else
		fputs(", p99.999 needs 1,000,000 samples\n", f);
}

/* print_stats_table - the paper's Table 1 row of one probe, in microseconds. */
static void print_stats_table(FILE *f, struct json_object *stats)
{
	size_t i;

	if (!stats) {
		fputs("no good samples: no statistics\n", f);
		return;
	}
	for (i = 0; i < RM_NSTATS; i++)
		fprintf(f, "%11s", rm_stats_heads[i]);
	fputs("  (us)\n", f);
	for (i = 0; i < RM_NSTATS; i++)
		fprintf(f, "%11.3f", rm_num(stats, rm_stats_keys[i]) / 1000.0);
	fputc('\n', f);
	print_deep_tail(f, stats);
}

/* us_of - @v in us as text ("-" when absent or null). */
static const char *us_of(struct json_object *v, char *buf, size_t len)
{
	if (!v)
		return "-";
	snprintf(buf, len, "%.3f", json_object_get_double(v) / 1000.0);
	return buf;
}

/*
 * print_hops - where a round trip's time goes: per hop, the wire (send of one member to the
 * receive of the next: kernel and network) and the residence in the forwarder it reaches
 * (none when it reaches the master).
 */
static void print_hops(FILE *f, struct json_object *hops)
{
	size_t i, n = json_object_array_length(hops);
	char b[4][32];
	struct json_object *h;

	fputs("# per hop: wire = send to the next member's receive (kernel, network, wake-up); "
	      "residence = inside the forwarder it reaches\n",
	      f);
	fprintf(f, "%7s %11s %11s %11s %11s  (us)\n", "hop", "wire p50", "wire p99", "res p50",
		"res p99");
	for (i = 0; i < n; i++) {
		h = json_object_array_get_idx(hops, i);
		fprintf(f, "%3s->%-2s %11s %11s %11s %11s\n", rm_text(h, RK_HOP_FROM, "?"),
			rm_text(h, RK_HOP_TO, "?"),
			us_of(rm_get(h, RK_HOP_WIRE_P50), b[0], sizeof(b[0])),
			us_of(rm_get(h, RK_HOP_WIRE_P99), b[1], sizeof(b[1])),
			us_of(rm_find(h, RK_HOP_RESIDENCE_P50), b[2], sizeof(b[2])),
			us_of(rm_find(h, RK_HOP_RESIDENCE_P99), b[3], sizeof(b[3])));
	}
}

/* print_supervision - restarts and the lost messages (run/iteration) of a ring, if any. */
static void print_supervision(FILE *f, struct json_object *probe)
{
	struct json_object *lost = rm_find(probe, RK_PROBE_LOST_ITERATIONS), *l;
	size_t i, n = lost ? json_object_array_length(lost) : 0;

	if (!lost && !rm_int(probe, RK_PROBE_RESTARTS))
		return;
	fprintf(f, "# restarts %s, lost messages (run/iteration):",
		rm_text(probe, RK_PROBE_RESTARTS, "0"));
	for (i = 0; i < n && i < 20; i++) {
		l = json_object_array_get_idx(lost, i);
		fprintf(f, " %s/%s%s", rm_text(l, RK_LOST_RUN, "?"),
			rm_text(l, RK_LOST_ITERATION, "?"),
			rm_find(l, RK_LOST_WARMUP) ? "(warm-up)" : "");
	}
	fputs(n > 20 ? " ...\n" : n ? "\n" : " none\n", f);
}

static void print_probe(FILE *f, struct json_object *probe)
{
	struct json_object *err = rm_find(probe, RK_PROBE_ERROR);

	fputc('\n', f);
	print_config(f, probe);
	fprintf(f, "# samples %s%s, bad messages %s, lost %s, late %s, runs %s\n",
		rm_text(probe, RK_PROBE_SAMPLES, "0"),
		rm_find(probe, RK_PROBE_OBSERVER) ? " (untraced runs)" : "",
		rm_text(probe, RK_PROBE_BAD_MESSAGES, "0"), rm_text(probe, RK_PROBE_LOST, "0"),
		rm_text(probe, RK_PROBE_LATE, "0"), rm_text(probe, RK_PROBE_RUNS, "0"));
	if (rm_find(probe, RK_PROBE_EVENTS))
		fprintf(f, "# kernel events %s, lost events %s\n",
			rm_text(probe, RK_PROBE_EVENTS, "0"),
			rm_text(probe, RK_PROBE_LOST_EVENTS, "0"));
	print_supervision(f, probe);
	if (err)
		fprintf(f, "# error: %s\n", rm_text_of(err, ""));
	print_stats_table(f, rm_get(probe, RK_PROBE_STATS));
	observer_effect_print(f, probe);
	hist_print(f, probe);
	if (rm_find(probe, RK_PROBE_HOPS))
		print_hops(f, rm_find(probe, RK_PROBE_HOPS));
}

void analyze_print_text(FILE *f, const char *path, struct json_object *report)
{
	struct json_object *probes = rm_get(report, RK_REPORT_PROBES);
	size_t i, n = probes ? json_object_array_length(probes) : 0;

	fprintf(f, "# ringscope analyze '%s'\n", path);
	print_platform(f, rm_get(report, RK_REPORT_PLATFORM));
	print_file_state(f, report);
	if (!n)
		fputs("# no probe in this file\n", f);
	for (i = 0; i < n; i++)
		print_probe(f, json_object_array_get_idx(probes, i));
}
