// SPDX-License-Identifier: MIT
/* trace_fixture - synthetic sessions and hand-made files for the trace format's unit tests. */
#include "tests/unit/trace_fixture.h"

#include <errno.h>
#include <fcntl.h>
#include <json-c/json.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>

#include "lib/trace/trace_reader.h"
#include "lib/trace/trace_writer.h"

struct json_object *probe_json(uint32_t id, const char *name)
{
	struct json_object *o = json_object_new_object();
	struct json_object *config = json_object_new_object();

	json_object_object_add(config, "hops", json_object_new_int((int)id));
	json_object_object_add(o, "probe_id", json_object_new_int64(id));
	json_object_object_add(o, "probe", json_object_new_string(name));
	json_object_object_add(o, "config", config);
	return o;
}

int add_json(struct trace_writer *w, uint32_t type, struct json_object *o)
{
	int ret = trace_writer_add_json(w, type, o);

	json_object_put(o);
	return ret;
}

struct json_object *id_json(uint32_t id, const char *key, int64_t value)
{
	struct json_object *o = json_object_new_object();

	json_object_object_add(o, "probe_id", json_object_new_int64(id));
	json_object_object_add(o, key, json_object_new_int64(value));
	return o;
}

struct trace_sample sample_of(uint32_t probe, uint32_t i)
{
	struct trace_sample s = {
	    .tsc_start = 1000000ULL * probe + i,
	    .tsc_end = 1000000ULL * probe + i + 500,
	    .mono_start_ns = 7ULL * i,
	    .mono_end_ns = 7ULL * i + 3,
	    .intended_ns = 5ULL * i,
	    .latency_ns = 100 + i % 37,
	    .run = i / 1000,
	    .iteration = i % 1000,
	    .flags = i % 11 == 0 ? TRACE_SAMPLE_BAD : 0,
	    .cpu = probe,
	};
	return s;
}

struct tracer_event event_of(uint32_t tid, uint32_t i)
{
	struct tracer_event e = {
	    .ts_ns = 10ULL * i,
	    .dur_ns = i % 5,
	    .arg0 = i,
	    .arg1 = ~(uint64_t)i,
	    .tid = tid,
	    .tgid = 42,
	    .arg2 = i * 3,
	    .cpu = (uint16_t)(i % 2),
	    .type = TRACER_EV_SYSCALL,
	    .flags = TRACER_F_FD_SOCKET,
	};
	return e;
}

int write_session(const char *file, uint32_t nprobes, uint32_t nsamples, uint32_t nevents)
{
	struct trace_writer *w;
	struct json_object *o = json_object_new_object();
	int ret = trace_writer_open(file, &w);

	if (ret)
		return ret;
	json_object_object_add(o, "tool", json_object_new_string("ringscope"));
	ret |= add_json(w, TRACE_CHUNK_SESSION, o);
	ret |= add_json(w, TRACE_CHUNK_PLATFORM, json_object_new_object());
	for (uint32_t p = 1; p <= nprobes; p++) {
		ret |= add_json(w, TRACE_CHUNK_PROBE, probe_json(p, p == 1 ? "null" : "ring"));
		for (uint32_t i = 0; i < nsamples; i++) {
			struct trace_sample s = sample_of(p, i);

			ret |= trace_writer_add_sample(w, p, &s);
		}
		ret |= trace_writer_flush(w);
		ret |= add_json(w, TRACE_CHUNK_RUN, id_json(p, "run", 0));
		ret |= add_json(w, TRACE_CHUNK_PROBE_END, id_json(p, "samples", nsamples));
	}
	for (uint32_t i = 0; i < nevents; i++) {
		struct tracer_event e = event_of(1, i);

		ret |= trace_writer_add_events(w, &e, 1);
	}
	ret |= add_json(w, TRACE_CHUNK_TRACER, json_object_new_object());
	return trace_writer_close(w, NULL) | ret;
}

unsigned char *read_file(const char *file, size_t *len)
{
	struct stat sb;
	unsigned char *buf;
	int fd = open(file, O_RDONLY);

	if (fd < 0 || fstat(fd, &sb) < 0) {
		if (fd >= 0)
			close(fd);
		return NULL;
	}
	buf = malloc((size_t)sb.st_size + 1);
	*len = buf ? (size_t)read(fd, buf, (size_t)sb.st_size) : 0;
	close(fd);
	return buf;
}

int check_events(void *ctx, const struct tracer_event *ev, size_t n)
{
	struct event_check *c = ctx;

	for (size_t i = 0; i < n; i++) {
		struct tracer_event want =
		    event_of(ev[i].tid, ev[i].tid < 3 ? c->next[ev[i].tid] : 0);

		if (ev[i].tid >= 3 || memcmp(&ev[i], &want, sizeof(want))) {
			c->bad++;
			continue;
		}
		c->next[ev[i].tid]++;
	}
	return 0;
}

int rewrite(const char *file, const unsigned char *buf, size_t len)
{
	int fd = open(file, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	int ok = fd >= 0 && write(fd, buf, len) == (ssize_t)len;

	if (fd >= 0)
		close(fd);
	return ok ? 0 : -1;
}

int expect_error(const char *file, int ret, const char *what)
{
	struct trace_session *s = NULL;
	char err[256] = "";
	int got = trace_session_load(file, &s, err, sizeof(err));

	if (got != ret || !strstr(err, what)) {
		fprintf(stderr, "expected %d '%s', got %d '%s'\n", ret, what, got, err);
		trace_session_free(s);
		return 1;
	}
	return 0;
}

void raw_begin(struct raw *r, uint32_t version)
{
	struct trace_file_header fh = {.magic = "RNGSCOPE", .version = version, .header_size = 16};

	memcpy(r->buf, &fh, sizeof(fh));
	r->len = sizeof(fh);
}

void raw_chunk(struct raw *r, uint32_t type, const void *payload, uint32_t len)
{
	struct trace_chunk_header h = {.type = type, .length = len};

	h.crc32 = (uint32_t)crc32(0L, payload, len);
	memcpy(r->buf + r->len, &h, sizeof(h));
	memcpy(r->buf + r->len + sizeof(h), payload, len);
	r->len += sizeof(h) + len;
}

void raw_json(struct raw *r, uint32_t type, const char *text)
{
	raw_chunk(r, type, text, (uint32_t)strlen(text));
}

int expect_raw(const char *file, const struct raw *r, const char *what)
{
	return rewrite(file, r->buf, r->len) || expect_error(file, -EBADMSG, what);
}
