// SPDX-License-Identifier: MIT
/*
 * trace_rewrite - rewrite a trace file (any version this ringscope reads) in the current
 * format, chunk content for chunk content: bench/analyze-speed compares the same recorded
 * session in version 1 and version 2. With --times F and --add-ns NS every sample's latency
 * becomes latency x F + NS (its end moved with it): a known cause put into a real trace, which
 * tests/integration/test_compare_cli.sh needs for compare's shift and scale (this kernel has
 * no qdisc that delays packets). With --no-hypervisor the PLATFORM chunk names no hypervisor:
 * a guest's trace standing in for bare metal, which compare --project takes its baseline from
 * (tests/integration/test_compare_project_cli.sh; no bare-metal machine is at hand). Usage:
 * trace-rewrite [--no-hypervisor] [--times F] [--add-ns NS] IN OUT.
 */
#include <errno.h>
#include <json-c/json.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lib/trace/trace_reader.h"
#include "lib/trace/trace_writer.h"

struct rewrite {
	struct trace_writer *w;
	struct json_object *end; /* the END chunk, written by trace_writer_close() */
	double times, add_ns;	 /* each latency becomes latency x times + add_ns */
	int no_hypervisor;	 /* PLATFORM's "hypervisor" becomes null */
};

static int on_json(void *ctx, uint32_t type, struct json_object *obj)
{
	struct rewrite *rw = ctx;

	if (type == TRACE_CHUNK_PLATFORM && rw->no_hypervisor)
		json_object_object_add(obj, "hypervisor", NULL);
	if (type != TRACE_CHUNK_END)
		return trace_writer_add_json(rw->w, type, obj);
	rw->end = json_object_get(obj);
	return 0;
}

static int on_samples(void *ctx, uint32_t probe_id, const struct trace_sample *s, size_t n)
{
	struct rewrite *rw = ctx;
	struct trace_sample one;
	int ret = 0;

	for (size_t i = 0; i < n && !ret; i++) {
		one = s[i];
		one.latency_ns =
		    (uint64_t)llround((double)s[i].latency_ns * rw->times + rw->add_ns);
		one.mono_end_ns = one.mono_start_ns + one.latency_ns;
		ret = trace_writer_add_sample(rw->w, probe_id, &one);
	}
	return ret;
}

static int on_events(void *ctx, const struct tracer_event *ev, size_t n)
{
	struct rewrite *rw = ctx;

	return trace_writer_add_events(rw->w, ev, n);
}

/* number - @text as a whole decimal number >= 0 into *@v; -EINVAL if it is not one. */
static int number(const char *text, double *v)
{
	char *end;

	*v = strtod(text, &end);
	return end == text || *end || !(*v >= 0) ? -EINVAL : 0;
}

/* parse_warp - take --times F, --add-ns NS and --no-hypervisor off the front of the arguments. */
static int parse_warp(int *argc, char ***argv, struct rewrite *rw)
{
	while (*argc > 1 && !strcmp((*argv)[1], "--no-hypervisor")) {
		rw->no_hypervisor = 1;
		(*argv)[1] = (*argv)[0];
		*argc -= 1;
		*argv += 1;
	}
	while (*argc > 2 && (!strcmp((*argv)[1], "--times") || !strcmp((*argv)[1], "--add-ns"))) {
		if (number((*argv)[2], !strcmp((*argv)[1], "--times") ? &rw->times : &rw->add_ns))
			return -EINVAL;
		(*argv)[2] = (*argv)[0]; /* the program's name moves up with the rest */
		*argc -= 2;
		*argv += 2;
	}
	return 0;
}

int main(int argc, char **argv)
{
	const struct trace_reader_ops ops = {
	    .on_json = on_json, .on_samples = on_samples, .on_events = on_events};
	struct trace_read_status st;
	struct rewrite rw = {.times = 1};
	int ret;

	if (parse_warp(&argc, &argv, &rw) || argc != 3) {
		fprintf(
		    stderr,
		    "usage: trace-rewrite [--no-hypervisor] [--times F] [--add-ns NS] IN OUT\n");
		return 2;
	}
	ret = trace_writer_open(argv[2], &rw.w);
	if (ret) {
		fprintf(stderr, "trace-rewrite: failed to create '%s': %s\n", argv[2],
			strerror(-ret));
		return 1;
	}
	ret = trace_reader_read(argv[1], &ops, &rw, &st);
	if (ret)
		fprintf(stderr, "trace-rewrite: %s\n", st.err[0] ? st.err : strerror(-ret));
	if (ret || !rw.end) { /* a cut-off input stays unfinished */
		trace_writer_abandon(rw.w);
		return ret ? 1 : 0;
	}
	ret = trace_writer_close(rw.w, rw.end);
	json_object_put(rw.end);
	if (ret)
		fprintf(stderr, "trace-rewrite: failed to write '%s': %s\n", argv[2],
			strerror(-ret));
	return ret ? 1 : 0;
}
