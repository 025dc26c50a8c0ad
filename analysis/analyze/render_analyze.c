// SPDX-License-Identifier: MIT
/* render_analyze - build the analyze report from a session; print it as text or JSON. */
#include "analysis/analyze/render_analyze.h"

#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include "lib/hugemem.h"
#include "lib/stats.h"
#include "lib/trace/trace_reader.h"

/* json_ns - a time in ns as a JSON number with one decimal (interpolated percentiles, means). */
static struct json_object *json_ns(double ns)
{
	char text[64];

	snprintf(text, sizeof(text), "%.1f", ns);
	return json_object_new_double_s(ns, text);
}

static void add_int(struct json_object *o, const char *key, int64_t v)
{
	json_object_object_add(o, key, json_object_new_int64(v));
}

/* end_count - @key of the probe's PROBE_END (the runner's own count), else @fallback. */
static int64_t end_count(const struct trace_probe *p, const char *key, int64_t fallback)
{
	struct json_object *v;

	if (p->end && json_object_object_get_ex(p->end, key, &v) &&
	    json_object_is_type(v, json_type_int))
		return json_object_get_int64(v);
	return fallback;
}

/* stats_object - the statistics of @n ascending latencies as {"mean_ns", ...}. */
static struct json_object *stats_object(const double *sorted, size_t n)
{
	struct json_object *o;
	struct stats_summary s;

	if (stats_summarize_sorted(sorted, n, &s))
		return NULL;
	o = json_object_new_object();
	if (!o)
		return NULL;
	json_object_object_add(o, "mean_ns", json_ns(s.mean));
	json_object_object_add(o, "stddev_ns", json_ns(s.stddev));
	json_object_object_add(o, "min_ns", json_ns(s.min));
	json_object_object_add(o, "p50_ns", json_ns(s.p50));
	json_object_object_add(o, "p90_ns", json_ns(s.p90));
	json_object_object_add(o, "p99_ns", json_ns(s.p99));
	json_object_object_add(o, "p999_ns", json_ns(s.p999));
	json_object_object_add(o, "max_ns", json_ns(s.max));
	return o;
}

/*
 * probe_stats - the statistics of @p's good samples into *@out (NULL when it has none).
 * Returns 0 or -ENOMEM.
 */
static int probe_stats(const struct trace_probe *p, size_t *ngood, struct json_object **out)
{
	double *lat;
	size_t i, n = 0;

	*out = NULL;
	*ngood = 0;
	if (p->nsamples == p->nbad)
		return 0;
	lat = malloc(p->nsamples * sizeof(*lat));
	if (!lat)
		return -ENOMEM;
	hugemem_advise(lat, p->nsamples * sizeof(*lat));
	for (i = 0; i < p->nsamples; i++) {
		if (!(p->samples[i].flags & TRACE_SAMPLE_BAD))
			lat[n++] = (double)p->samples[i].latency_ns;
	}
	stats_sort(lat, n);
	*out = stats_object(lat, n);
	free(lat);
	*ngood = n;
	return *out ? 0 : -ENOMEM;
}

/* add_end_ring - the ring supervisor's "restarts", "lost_iterations" and per-hop "hops". */
static void add_end_ring(struct json_object *o, const struct trace_probe *p)
{
	static const char *const keys[] = {"lost_iterations", "hops"};
	struct json_object *v;
	size_t i;

	add_int(o, "restarts", end_count(p, "restarts", 0));
	for (i = 0; i < sizeof(keys) / sizeof(keys[0]); i++)
		if (p->end && json_object_object_get_ex(p->end, keys[i], &v) &&
		    json_object_is_type(v, json_type_array))
			json_object_object_add(o, keys[i], json_object_get(v));
}

int analyze_probe_build(const struct trace_probe *p, struct json_object **out)
{
	struct json_object *o, *stats, *err;
	size_t ngood;
	int ret;

	ret = probe_stats(p, &ngood, &stats);
	if (ret)
		return ret;
	o = json_object_new_object();
	if (!o) {
		json_object_put(stats);
		return -ENOMEM;
	}
	json_object_object_add(o, "probe", json_object_new_string(p->name ? p->name : "unknown"));
	json_object_object_add(o, "probe_id", json_object_new_int64(p->probe_id));
	json_object_object_add(o, "config",
			       p->config ? json_object_get(p->config) : json_object_new_object());
	add_int(o, "samples", (int64_t)ngood);
	add_int(o, "lost", end_count(p, "lost", 0));
	add_int(o, "bad_messages", end_count(p, "bad_messages", (int64_t)p->nbad));
	add_int(o, "late", end_count(p, "late", (int64_t)p->nlate));
	add_int(o, "runs", p->runs ? (int64_t)json_object_array_length(p->runs) : 0);
	add_end_ring(o, p);
	if (p->end && json_object_object_get_ex(p->end, "error", &err))
		json_object_object_add(o, "error", json_object_get(err));
	json_object_object_add(o, "stats", stats);
	*out = o;
	return 0;
}

/* report_add_end - "status" and "error" from the END chunk (status null: no END). */
static void report_add_end(struct json_object *r, const struct trace_session *s)
{
	struct json_object *v;

	if (!s->end) {
		json_object_object_add(r, "status", NULL);
		return;
	}
	json_object_object_add(r, "status",
			       json_object_object_get_ex(s->end, "status", &v) ? json_object_get(v)
									       : NULL);
	if (json_object_object_get_ex(s->end, "error", &v))
		json_object_object_add(r, "error", json_object_get(v));
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
	json_object_object_add(r, "platform", json_object_get(s->platform));
	json_object_object_add(r, "complete", json_object_new_boolean(s->status.complete));
	report_add_end(r, s);
	json_object_object_add(r, "probes", probes);
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

/* text_of - a JSON value as text: strings bare, null as @none, the rest as compact JSON. */
static const char *text_of(struct json_object *v, const char *none)
{
	if (!v)
		return none;
	if (json_object_is_type(v, json_type_string))
		return json_object_get_string(v);
	return json_object_to_json_string_ext(v, JSON_C_TO_STRING_PLAIN);
}

/* get - @key of @o, NULL when absent, null or @o is no object. */
static struct json_object *get(struct json_object *o, const char *key)
{
	struct json_object *v = NULL;

	if (!o || !json_object_is_type(o, json_type_object))
		return NULL;
	json_object_object_get_ex(o, key, &v);
	return v;
}

static void print_platform(FILE *f, struct json_object *pl)
{
	struct json_object *cal;

	if (!pl) {
		fputs("# platform: unknown (the file has no PLATFORM chunk)\n", f);
		return;
	}
	fprintf(f, "# platform: hypervisor %s, clocksource %s, tsc_khz %s, kernel %s\n",
		text_of(get(pl, "hypervisor"), "none"), text_of(get(pl, "clocksource"), "unknown"),
		text_of(get(pl, "tsc_khz"), "unknown"), text_of(get(pl, "kernel"), "unknown"));
	fprintf(f, "# cpu: %s\n", text_of(get(pl, "cpu_model"), "unknown"));
	cal = get(pl, "calibration");
	if (cal)
		fprintf(f,
			"# timing: tsc step %s ns (no finer resolution), stamp pair cost %s ns\n",
			text_of(get(cal, "tsc_step_ns"), "unknown"),
			text_of(get(cal, "stamp_cost_ns"), "unknown"));
}

static void print_file_state(FILE *f, struct json_object *r)
{
	struct json_object *err = get(r, "error");

	if (!json_object_get_boolean(get(r, "complete"))) {
		fputs("# file: incomplete (no END chunk: the run was killed or is still going), "
		      "read up to its last whole chunk\n",
		      f);
		return;
	}
	fprintf(f, "# file: complete, status %s%s%s\n", text_of(get(r, "status"), "unknown"),
		err ? ": " : "", err ? text_of(err, "") : "");
}

/* print_setting - " key=value"; a string value with blanks (or none) is quoted. */
static void print_setting(FILE *f, const char *key, struct json_object *val)
{
	const char *text = text_of(val, "null");
	bool quote = json_object_is_type(val, json_type_string) && (!*text || strpbrk(text, " \t"));

	fprintf(f, quote ? " %s='%s'" : " %s=%s", key, text);
}

/* print_config - the probe's configuration as key=value pairs on one `#` line. */
static void print_config(FILE *f, struct json_object *probe)
{
	struct json_object *cfg = get(probe, "config");

	fprintf(f, "# probe %s '%s':", text_of(get(probe, "probe_id"), "?"),
		text_of(get(probe, "probe"), "unknown"));
	if (cfg && json_object_is_type(cfg, json_type_object)) {
		json_object_object_foreach(cfg, key, val) print_setting(f, key, val);
	}
	fputc('\n', f);
}

static const char *const stat_keys[] = {"mean_ns", "stddev_ns", "min_ns",  "p50_ns",
					"p90_ns",  "p99_ns",	"p999_ns", "max_ns"};
static const char *const stat_heads[] = {"mean", "stddev", "min",   "p50",
					 "p90",	 "p99",	   "p99.9", "max"};

/* print_stats_table - the paper's Table 1 row of one probe, in microseconds. */
static void print_stats_table(FILE *f, struct json_object *stats)
{
	size_t i, n = sizeof(stat_keys) / sizeof(stat_keys[0]);

	if (!stats) {
		fputs("no good samples: no statistics\n", f);
		return;
	}
	for (i = 0; i < n; i++)
		fprintf(f, "%11s", stat_heads[i]);
	fputs("  (us)\n", f);
	for (i = 0; i < n; i++)
		fprintf(f, "%11.3f", json_object_get_double(get(stats, stat_keys[i])) / 1000.0);
	fputc('\n', f);
}

/* us_of - @key of @o in us as text ("-" when absent or null). */
static const char *us_of(struct json_object *o, const char *key, char *buf, size_t len)
{
	struct json_object *v = get(o, key);

	if (!v || json_object_is_type(v, json_type_null))
		return "-";
	snprintf(buf, len, "%.3f", json_object_get_double(v) / 1000.0);
	return buf;
}

/*
 * print_hops - where a round trip's time goes: per hop, the wire (send of one member to the
 * receive of the next: kernel and network) and the residence in the forwarder it reaches.
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
		fprintf(f, "%3s->%-2s %11s %11s %11s %11s\n", text_of(get(h, "from"), "?"),
			text_of(get(h, "to"), "?"), us_of(h, "wire_p50_ns", b[0], sizeof(b[0])),
			us_of(h, "wire_p99_ns", b[1], sizeof(b[1])),
			us_of(h, "residence_p50_ns", b[2], sizeof(b[2])),
			us_of(h, "residence_p99_ns", b[3], sizeof(b[3])));
	}
}

/* print_supervision - restarts and the lost messages (run/iteration) of a ring, if any. */
static void print_supervision(FILE *f, struct json_object *probe)
{
	struct json_object *lost = get(probe, "lost_iterations"), *l;
	size_t i, n = lost ? json_object_array_length(lost) : 0;

	if (!get(probe, "lost_iterations") && !json_object_get_int64(get(probe, "restarts")))
		return;
	fprintf(f, "# restarts %s, lost messages (run/iteration):",
		text_of(get(probe, "restarts"), "0"));
	for (i = 0; i < n && i < 20; i++) {
		l = json_object_array_get_idx(lost, i);
		fprintf(f, " %s/%s%s", text_of(get(l, "run"), "?"),
			text_of(get(l, "iteration"), "?"), get(l, "warmup") ? "(warm-up)" : "");
	}
	fputs(n > 20 ? " ...\n" : n ? "\n" : " none\n", f);
}

static void print_probe(FILE *f, struct json_object *probe)
{
	struct json_object *err = get(probe, "error");

	fputc('\n', f);
	print_config(f, probe);
	fprintf(f, "# samples %s, bad messages %s, lost %s, late %s, runs %s\n",
		text_of(get(probe, "samples"), "0"), text_of(get(probe, "bad_messages"), "0"),
		text_of(get(probe, "lost"), "0"), text_of(get(probe, "late"), "0"),
		text_of(get(probe, "runs"), "0"));
	if (get(probe, "events"))
		fprintf(f, "# kernel events %s, lost events %s\n",
			text_of(get(probe, "events"), "0"),
			text_of(get(probe, "lost_events"), "0"));
	print_supervision(f, probe);
	if (err)
		fprintf(f, "# error: %s\n", text_of(err, ""));
	print_stats_table(f, get(probe, "stats"));
	if (get(probe, "hops"))
		print_hops(f, get(probe, "hops"));
}

void analyze_print_text(FILE *f, const char *path, struct json_object *report)
{
	struct json_object *probes = get(report, "probes");
	size_t i, n = probes ? json_object_array_length(probes) : 0;

	fprintf(f, "# ringscope analyze '%s'\n", path);
	print_platform(f, get(report, "platform"));
	print_file_state(f, report);
	if (!n)
		fputs("# no probe in this file\n", f);
	for (i = 0; i < n; i++)
		print_probe(f, json_object_array_get_idx(probes, i));
}

void analyze_print_json(FILE *f, struct json_object *report)
{
	fputs(json_object_to_json_string_ext(report, JSON_C_TO_STRING_PRETTY |
							 JSON_C_TO_STRING_SPACED |
							 JSON_C_TO_STRING_NOSLASHESCAPE),
	      f);
	fputc('\n', f);
}
