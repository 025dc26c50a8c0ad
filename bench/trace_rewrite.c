// SPDX-License-Identifier: MIT
/*
 * trace_rewrite - rewrite a trace file (any version this ringscope reads) in the current
 * format, chunk content for chunk content: bench/analyze-speed compares the same recorded
 * session in version 1 and version 2. Usage: trace-rewrite IN OUT.
 */
#include <errno.h>
#include <json-c/json.h>
#include <stdio.h>
#include <string.h>

#include "lib/trace/trace_reader.h"
#include "lib/trace/trace_writer.h"

struct rewrite {
	struct trace_writer *w;
	struct json_object *end; /* the END chunk, written by trace_writer_close() */
};

static int on_json(void *ctx, uint32_t type, struct json_object *obj)
{
	struct rewrite *rw = ctx;

	if (type != TRACE_CHUNK_END)
		return trace_writer_add_json(rw->w, type, obj);
	rw->end = json_object_get(obj);
	return 0;
}

static int on_samples(void *ctx, uint32_t probe_id, const struct trace_sample *s, size_t n)
{
	struct rewrite *rw = ctx;
	int ret = 0;

	for (size_t i = 0; i < n && !ret; i++)
		ret = trace_writer_add_sample(rw->w, probe_id, &s[i]);
	return ret;
}

static int on_events(void *ctx, const struct tracer_event *ev, size_t n)
{
	struct rewrite *rw = ctx;

	return trace_writer_add_events(rw->w, ev, n);
}

int main(int argc, char **argv)
{
	const struct trace_reader_ops ops = {
	    .on_json = on_json, .on_samples = on_samples, .on_events = on_events};
	struct trace_read_status st;
	struct rewrite rw = {0};
	int ret;

	if (argc != 3) {
		fprintf(stderr, "usage: trace-rewrite IN OUT\n");
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
