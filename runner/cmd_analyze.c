// SPDX-License-Identifier: MIT
/* cmd_analyze - `ringscope analyze FILE`: per-probe statistics of a trace file, text or JSON. */
#include <errno.h>
#include <getopt.h>
#include <stdint.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include "analysis/attribution/attribution_report.h"
#include "analysis/patterns/patterns_render.h"
#include "analysis/analyze/render_analyze.h"
#include "lib/trace/trace_reader.h"
#include "lib/cli.h"
#include "runner/commands.h"

struct analyze_opts {
	const char *path;
	bool json;
	struct attr_report_opts attr; /* attr.top == 0: no spike attribution */
};

/* Long-only options (no short form: they belong together under --spikes). */
enum { OPT_SPIKES = 256, OPT_SPIKE_K, OPT_SPIKE_MIN_RATIO, OPT_SPIKE_MIN_EXCESS };

static void usage(FILE *f)
{
	fputs("usage: ringscope analyze FILE [--spikes K] [--spike-* ...] [--json]\n\n"
	      "Per probe of a trace file: samples, mean, std dev, min, p50, p90, p99, p99.9, max\n"
	      "(microseconds in text, nanoseconds in JSON), bad messages, lost and late sends.\n"
	      "Samples of bad messages are counted but left out of the statistics. A file cut\n"
	      "short (a killed run) is analysed up to its last whole chunk. Then its patterns:\n"
	      "periodic lines and cross-run drifts of the spikes (as --spike-* finds them), the\n"
	      "modes of the latencies, 95% intervals of the percentiles and the lag-1\n"
	      "autocorrelation (docs/patterns.md).\n\n"
	      "options:\n"
	      "  -j, --json   print one JSON document on stdout (errors as {\"error\": ...})\n"
	      "  --spikes K   find the spikes of every probe (latency above the median by k MAD\n"
	      "               and by the ratio below), split each spike's excess into kernel\n"
	      "               causes from the traced events, show the top K and a summary\n"
	      "  --spike-k X  MADs above the median a spike needs (default 6)\n"
	      "  --spike-min-ratio Y\n"
	      "               and at least Y times the median (default 1.5)\n"
	      "  --spike-min-excess T\n"
	      "               and at least T above the median (ns, or with a unit: ns, us, ms;\n"
	      "               default 1us: less is below what a kernel event can explain)\n"
	      "  -h, --help   show this help\n\n"
	      "exit status: 0 analysed (a cut-short file too), 1 unreadable, damaged or foreign\n"
	      "file, 2 bad usage\n",
	      f);
}

/* The spike options by OPT_* - OPT_SPIKES: what an error names, with the range it allows. */
static const struct {
	const char *name, *kind, *range;
} spike_opt[] = {
    {"--spikes", "whole number", "1..1000000"},
    {"--spike-k", "number", "0..1000000"},
    {"--spike-min-ratio", "number", "0..1000000"},
    {"--spike-min-excess", "time (ns, us, ms or s)", "0..3600s"},
};

/* parse_spike_value - one spike option's value: 0, or -EINVAL/-ERANGE for a bad value. */
static int parse_spike_value(int c, const char *arg, struct attr_report_opts *a)
{
	uint64_t v;
	int rc;

	if (c == OPT_SPIKE_K)
		return cli_parse_double(arg, 0, 1e6, &a->spikes.k);
	if (c == OPT_SPIKE_MIN_RATIO)
		return cli_parse_double(arg, 0, 1e6, &a->spikes.min_ratio);
	if (c == OPT_SPIKE_MIN_EXCESS) {
		rc = cli_parse_u64(arg, CLI_UNITS_TIME_NS, 1, 0, 3600000000000ULL, &v);
		a->spikes.min_excess_ns = (double)v;
		return rc;
	}
	rc = cli_parse_u64(arg, CLI_UNITS_NONE, 1, 1, 1000000, &v);
	a->top = (size_t)v;
	return rc;
}

/*
 * parse_spike_opt - one of the spike options; 0, or CLI_EXIT_USAGE after an error that names
 * the option (argv only holds it when the value is glued on with '=').
 */
static int parse_spike_opt(int c, const char *arg, struct attr_report_opts *a)
{
	int rc = parse_spike_value(c, arg, a);
	const char *name = spike_opt[c - OPT_SPIKES].name;

	if (rc == -ERANGE)
		return cli_usage_error("analyze", "%s '%s' is out of range: %s", name, arg,
				       spike_opt[c - OPT_SPIKES].range);
	if (rc)
		return cli_usage_error("analyze", "%s '%s' is not a %s", name, arg,
				       spike_opt[c - OPT_SPIKES].kind);
	return 0;
}

/* unknown_option - a short one by optopt: in "-xj", argv[optind - 1] is the word before. */
static int unknown_option(const char *word)
{
	if (optopt && optopt < OPT_SPIKES && strncmp(word, "--", 2))
		return cli_usage_error("analyze", "unknown option '-%c'", optopt);
	return cli_usage_error("analyze", "unknown option '%s'", word);
}

/* parse_args - fill @o; returns -1 to go on, else the exit code (help or usage error). */
static int parse_args(int argc, char **argv, struct analyze_opts *o)
{
	static const struct option longopts[] = {
	    {"json", no_argument, NULL, 'j'},
	    {"help", no_argument, NULL, 'h'},
	    {"spikes", required_argument, NULL, OPT_SPIKES},
	    {"spike-k", required_argument, NULL, OPT_SPIKE_K},
	    {"spike-min-ratio", required_argument, NULL, OPT_SPIKE_MIN_RATIO},
	    {"spike-min-excess", required_argument, NULL, OPT_SPIKE_MIN_EXCESS},
	    {NULL, 0, NULL, 0},
	};
	int c, i;

	for (i = 1; i < argc; i++) /* errors of this very parse already print as JSON */
		cli_json_mode |= !strcmp(argv[i], "--json") || !strcmp(argv[i], "-j");
	optind = 0; /* glibc: 0 resets getopt fully, so one command may parse after another */
	opterr = 0;
	while ((c = getopt_long(argc, argv, ":jh", longopts, NULL)) != -1) {
		switch (c) {
		case 'j':
			o->json = true;
			break;
		case 'h':
			usage(stdout);
			return CLI_EXIT_OK;
		case OPT_SPIKES:
		case OPT_SPIKE_K:
		case OPT_SPIKE_MIN_RATIO:
		case OPT_SPIKE_MIN_EXCESS:
			if (parse_spike_opt(c, optarg, &o->attr))
				return CLI_EXIT_USAGE;
			break;
		case ':':
			return cli_usage_error("analyze", "'%s' needs a value", argv[optind - 1]);
		default:
			return unknown_option(argv[optind - 1]);
		}
	}
	if (optind == argc)
		return cli_usage_error("analyze", "missing the trace FILE");
	if (optind != argc - 1)
		return cli_usage_error("analyze", "expected one FILE, got '%s' too",
				       argv[argc - 1]);
	o->path = argv[optind];
	return -1;
}

/* Per-probe kernel event counts: events whose start falls in the probe's sample span. */
struct event_count {
	const struct trace_session *s;
	uint64_t *first, *last; /* per probe: first sample start, last sample end (mono ns) */
	int64_t *counts;
};

static int count_events(void *ctx, const struct tracer_event *ev, size_t n)
{
	struct event_count *ec = ctx;
	size_t i, p;

	for (i = 0; i < n; i++) {
		for (p = 0; p < ec->s->nprobes; p++)
			ec->counts[p] += ev[i].ts_ns >= ec->first[p] && ev[i].ts_ns <= ec->last[p];
	}
	return 0;
}

/* probe_span - the CLOCK_MONOTONIC span of @p's samples; [UINT64_MAX, 0] when it has none. */
static void probe_span(const struct trace_probe *p, uint64_t *first, uint64_t *last)
{
	size_t i;

	*first = UINT64_MAX;
	*last = 0;
	for (i = 0; i < p->nsamples; i++) {
		if (p->samples[i].mono_start_ns < *first)
			*first = p->samples[i].mono_start_ns;
		if (p->samples[i].mono_end_ns > *last)
			*last = p->samples[i].mono_end_ns;
	}
}

/* event_count_init - each probe's span and zero counts. Returns 0 or -ENOMEM. */
static int event_count_init(const struct trace_session *s, struct event_count *ec)
{
	size_t p;

	*ec = (struct event_count){.s = s};
	ec->first = calloc(s->nprobes, sizeof(*ec->first));
	ec->last = calloc(s->nprobes, sizeof(*ec->last));
	ec->counts = calloc(s->nprobes, sizeof(*ec->counts));
	if (!ec->first || !ec->last || !ec->counts)
		return -ENOMEM;
	for (p = 0; p < s->nprobes; p++)
		probe_span(&s->probes[p], &ec->first[p], &ec->last[p]);
	return 0;
}

static void event_count_free(struct event_count *ec)
{
	free(ec->first);
	free(ec->last);
	free(ec->counts);
}

/*
 * events_per_probe - stream the session's events (the model's load skipped them) and count,
 * per probe, the kernel events inside its span. Returns 0 or -errno, @err set.
 */
static int events_per_probe(struct event_count *ec, char *err, size_t errlen)
{
	return trace_session_read_events(ec->s, count_events, ec, err, errlen);
}

/* tracer_lost - the events the tracer lost (ringbuf full), from the TRACER chunk. */
static int64_t tracer_lost(struct json_object *tracer)
{
	struct json_object *v;

	if (!json_object_object_get_ex(tracer, "lost_events", &v))
		return 0;
	if (json_object_is_type(v, json_type_object) && json_object_object_get_ex(v, "total", &v))
		return json_object_get_int64(v);
	return json_object_get_int64(v);
}

/*
 * add_probe_sections - the per-probe sections beyond the statistics. The kernel's view goes
 * first: "events" (recorded inside the probe's span) and "lost_events" (lost by the tracer in
 * the session) when the file has a TRACER chunk; then, with --spikes, the spike attribution,
 * whose pass over the file's events counts them too (the counts are filled in after it).
 * Returns 0 or -errno with @err set.
 */
static int add_probe_sections(struct analyze_opts *o, const struct trace_session *s,
			      struct json_object *probes, char *err, size_t errlen)
{
	bool counted = s->tracer && s->nprobes;
	struct event_count ec = {0};
	struct json_object *probe;
	size_t i;
	int ret = counted ? event_count_init(s, &ec) : 0;

	if (ret)
		snprintf(err, errlen, "out of memory counting the events of '%s'", o->path);
	else if (counted && !o->attr.top)
		ret = events_per_probe(&ec, err, errlen);
	for (i = 0; !ret && counted && i < s->nprobes; i++) {
		probe = json_object_array_get_idx(probes, i);
		json_object_object_add(probe, "events", json_object_new_int64(ec.counts[i]));
		json_object_object_add(probe, "lost_events",
				       json_object_new_int64(tracer_lost(s->tracer)));
	}
	o->attr.on_events = counted ? count_events : NULL;
	o->attr.ctx = &ec;
	if (!ret && o->attr.top)
		ret = attr_report_add(o->path, s, &o->attr, probes, err, errlen);
	for (i = 0; !ret && counted && o->attr.top && i < s->nprobes; i++)
		json_object_set_int64(
		    json_object_object_get(json_object_array_get_idx(probes, i), "events"),
		    ec.counts[i]);
	event_count_free(&ec);
	return ret;
}

/* warn_file_state - in text mode, one line on stderr about a cut-short or failed run. */
static void warn_file_state(const struct analyze_opts *o, const struct trace_session *s,
			    struct json_object *report)
{
	struct json_object *err;

	if (o->json)
		return;
	if (!s->status.complete)
		cli_warn(
		    "'%s' has no END chunk (the run was killed?): analysed up to its last whole "
		    "chunk",
		    o->path);
	else if (json_object_object_get_ex(report, "error", &err))
		cli_warn("the run recorded in '%s' ended with an error: %s", o->path,
			 json_object_get_string(err));
}

/* print_text - the report, then the spike and pattern sections of every probe that has them. */
static void print_text(const struct analyze_opts *o, struct json_object *report)
{
	struct json_object *probes = json_object_object_get(report, "probes");
	size_t i;

	analyze_print_text(stdout, o->path, report);
	for (i = 0; i < json_object_array_length(probes); i++) {
		attr_print_text(stdout, json_object_array_get_idx(probes, i));
		patterns_print_text(stdout, json_object_array_get_idx(probes, i));
	}
}

int cmd_analyze(int argc, char **argv)
{
	struct analyze_opts o = {0};
	struct trace_session *s = NULL;
	struct json_object *report = NULL;
	char err[512];
	int ret;

	spikes_opts_default(&o.attr.spikes);
	ret = parse_args(argc, argv, &o);
	if (ret >= 0)
		return ret;
	ret = trace_session_load(o.path, &s, err, sizeof(err));
	if (ret) {
		cli_error("%s", err);
		return CLI_EXIT_ERROR;
	}
	ret = analyze_report_build(s, &report);
	if (ret)
		snprintf(err, sizeof(err), "out of memory analysing '%s'", o.path);
	else
		ret = add_probe_sections(&o, s, json_object_object_get(report, "probes"), err,
					 sizeof(err));
	if (!ret &&
	    patterns_report_add(s, &o.attr.spikes, json_object_object_get(report, "probes"))) {
		snprintf(err, sizeof(err), "out of memory finding the patterns of '%s'", o.path);
		ret = -ENOMEM;
	}
	if (ret) {
		cli_error("%s", err);
		ret = CLI_EXIT_ERROR;
		goto cleanup;
	}
	warn_file_state(&o, s, report);
	if (o.json)
		analyze_print_json(stdout, report);
	else
		print_text(&o, report);
	ret = CLI_EXIT_OK;
cleanup:
	json_object_put(report);
	trace_session_free(s);
	return ret;
}
