// SPDX-License-Identifier: MIT
/*
 * test_trace_packed - format version 2's packed records and the events pass: records come back
 * exactly, version 1 still reads, each kind of damage to a packed chunk is refused, the
 * session's events are read after the load (from a file or memory; a pipe is refused), damage
 * to an EVENTS chunk is found by that pass, and event types the reader does not know pass.
 */
#include "lib/trace/trace_codec.h"
#include "lib/trace/trace_reader.h"
#include "lib/trace/trace_writer.h"
#include "tests/unit/trace_fixture.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static char dir[] = "/tmp/test_trace_packed.XXXXXX";
static char path[256];

/* test_packing_pays - a session's records take a fraction of their raw size on disk. */
static int test_packing_pays(void)
{
	struct stat sb;
	size_t raw = 3 * 9000 * sizeof(struct trace_sample) + 10000 * sizeof(struct tracer_event);

	CHECK(write_session(path, 3, 9000, 10000) == 0);
	CHECK(stat(path, &sb) == 0);
	CHECK((size_t)sb.st_size * 5 < raw);
	return 0;
}

/* test_events_pass - the model's load leaves the events; one pass reads them all, in order. */
static int test_events_pass(void)
{
	struct event_check c = {{0}, 0};
	struct trace_session *s;
	char err[256] = "";
	unsigned char *buf;
	size_t len;

	CHECK(write_session(path, 2, 5000, 10000) == 0);
	CHECK(trace_session_load(path, &s, err, sizeof(err)) == 0);
	CHECK(s->nevents == 10000);
	CHECK(trace_session_read_events(s, check_events, &c, err, sizeof(err)) == 0);
	CHECK(c.bad == 0 && c.next[1] == 10000);
	trace_session_free(s);
	/* the same from memory */
	buf = read_file(path, &len);
	CHECK(buf && trace_session_load_mem(buf, len, "mem", &s, err, sizeof(err)) == 0);
	memset(&c, 0, sizeof(c));
	CHECK(trace_session_read_events(s, check_events, &c, err, sizeof(err)) == 0);
	CHECK(c.bad == 0 && c.next[1] == 10000);
	trace_session_free(s);
	free(buf);
	return 0;
}

/* last_events_chunk - the offset of the last EVENTS chunk of @buf and its index. */
static size_t last_events_chunk(const unsigned char *buf, size_t len, size_t *index)
{
	size_t off = sizeof(struct trace_file_header), found = 0;
	struct trace_chunk_header h;

	for (size_t i = 0; off + sizeof(h) <= len; i++) {
		memcpy(&h, buf + off, sizeof(h));
		if (h.type == TRACE_CHUNK_EVENTS) {
			found = off;
			*index = i;
		}
		off += sizeof(h) + h.length;
	}
	return found;
}

/*
 * test_events_damage - a flipped byte in an EVENTS payload: the load (which skips the events)
 * succeeds, and the events pass stops at that chunk with the CRC message naming it.
 */
static int test_events_damage(void)
{
	struct event_check c = {{0}, 0};
	struct trace_session *s;
	char err[256] = "", want[128];
	size_t len, off, index = 0;
	unsigned char *buf;

	CHECK(write_session(path, 1, 100, 10000) == 0);
	buf = read_file(path, &len);
	off = buf ? last_events_chunk(buf, len, &index) : 0;
	CHECK(off > 0);
	buf[off + sizeof(struct trace_chunk_header) + 20] ^= 0x04;
	CHECK(rewrite(path, buf, len) == 0);
	free(buf);
	CHECK(trace_session_load(path, &s, err, sizeof(err)) == 0);
	CHECK(trace_session_read_events(s, check_events, &c, err, sizeof(err)) == -EBADMSG);
	snprintf(want, sizeof(want), "': chunk %zu at offset %zu: CRC mismatch in EVENTS", index,
		 off);
	trace_session_free(s);
	CHECK(strstr(err, want));
	/* the whole chunks before it were handed over */
	CHECK(c.next[1] == 10000 / TRACE_EVENTS_PER_CHUNK * TRACE_EVENTS_PER_CHUNK);
	return 0;
}

/* test_events_not_from_pipe - a trace read from a pipe loads, but its events cannot be read. */
static int test_events_not_from_pipe(void)
{
	struct trace_session *s = NULL;
	char name[64], err[256] = "";
	unsigned char *buf;
	int fds[2] = {-1, -1}, ret = -1;
	size_t len;

	CHECK(write_session(path, 1, 40, 30) == 0);
	buf = read_file(path, &len);
	if (buf && len < 65536 && pipe(fds) == 0 && write(fds[1], buf, len) == (ssize_t)len) {
		close(fds[1]);
		snprintf(name, sizeof(name), "/proc/self/fd/%d", fds[0]);
		ret = trace_session_load(name, &s, err, sizeof(err));
	}
	free(buf);
	CHECK(ret == 0 && s->nevents == 30 && s->probes[0].nsamples == 40);
	ret =
	    trace_session_read_events(s, check_events, &(struct event_check){0}, err, sizeof(err));
	trace_session_free(s);
	close(fds[0]);
	CHECK(ret == -ESPIPE && strstr(err, "cannot be read again from a pipe"));
	return 0;
}

/* test_version1 - a hand-made version-1 file (records stored as they are) loads and streams. */
static int test_version1(void)
{
	struct {
		struct trace_samples_header h;
		struct trace_sample s[2];
	} smp = {{7, 2}, {sample_of(7, 0), sample_of(7, 1)}};
	struct {
		struct trace_events_header h;
		struct tracer_event e[2];
	} evs = {{2, sizeof(struct tracer_event)}, {event_of(1, 0), event_of(1, 1)}};
	struct event_check c = {{0}, 0};
	struct trace_session *s;
	char err[256] = "";
	struct raw r;

	raw_begin(&r, 1);
	raw_json(&r, TRACE_CHUNK_PROBE, "{\"probe_id\": 7, \"probe\": \"null\"}");
	raw_chunk(&r, TRACE_CHUNK_SAMPLES, &smp, sizeof(smp));
	raw_chunk(&r, TRACE_CHUNK_EVENTS, &evs, sizeof(evs));
	raw_json(&r, TRACE_CHUNK_END, "{\"status\": \"ok\"}");
	CHECK(rewrite(path, r.buf, r.len) == 0);
	CHECK(trace_session_load(path, &s, err, sizeof(err)) == 0);
	CHECK(s->status.version == 1 && s->status.complete && s->nevents == 2);
	CHECK(s->probes[0].nsamples == 2 && !memcmp(s->probes[0].samples, smp.s, sizeof(smp.s)));
	CHECK(trace_session_read_events(s, check_events, &c, err, sizeof(err)) == 0);
	CHECK(c.bad == 0 && c.next[1] == 2);
	trace_session_free(s);
	return 0;
}

/* packed - a version-2 records payload: @head, then @len bytes of frame. */
struct packed {
	uint32_t head[2];
	unsigned char frame[1024];
};

/* pack - @n samples of probe 7 packed by the codec into @p; the payload's length. */
static uint32_t pack(struct packed *p, uint32_t n, uint32_t count)
{
	struct trace_sample s[4] = {sample_of(7, 0), sample_of(7, 1), sample_of(7, 2),
				    sample_of(7, 3)};
	struct trace_codec *c = trace_codec_new();
	ssize_t len = c ? trace_codec_pack(c, TRACE_CHUNK_SAMPLES, s, n, p->frame) : -1;

	trace_codec_free(c);
	p->head[0] = 7;
	p->head[1] = count;
	return len < 0 ? 0 : (uint32_t)(sizeof(p->head) + (size_t)len);
}

/* expect_packed - a PROBE and a SAMPLES chunk of @len bytes of @p fail to load with @what. */
static int expect_packed(const struct packed *p, uint32_t len, const char *what)
{
	struct raw r;

	raw_begin(&r, 2);
	raw_json(&r, TRACE_CHUNK_PROBE, "{\"probe_id\": 7, \"probe\": \"null\"}");
	raw_chunk(&r, TRACE_CHUNK_SAMPLES, p, len);
	return expect_raw(path, &r, what);
}

static int test_packed_damage(void)
{
	struct trace_events_header eh = {.count = 0, .record_size = sizeof(struct tracer_event)};
	unsigned char empty[12] = {0};
	struct packed p;
	uint32_t len;
	struct raw r;
	int bad = 0;

	len = pack(&p, 2, 2);
	CHECK(len > 8 && len < sizeof(p));
	memcpy(&p.frame[len - 8], "tail", 4); /* 4 more bytes after the frame */
	bad |= expect_packed(&p, len + 4, "SAMPLES payload: the records are not exactly one zstd");
	bad |= expect_packed(&p, len - 1, "SAMPLES payload: the records are not exactly one zstd");
	len = pack(&p, 2, 3);
	bad |= expect_packed(&p, len, "zstd frame holds another size than the record count says");
	len = pack(&p, 1, 70000);
	bad |= expect_packed(&p, len, "SAMPLES count 70000 exceeds the limit of 65536 records");
	len = pack(&p, 1, 0);
	bad |= expect_packed(&p, len, "SAMPLES count 0 does not match its");
	/* an EVENTS chunk's header is checked by the load, which skips its payload */
	memcpy(empty, &eh, sizeof(eh));
	raw_begin(&r, 2);
	raw_chunk(&r, TRACE_CHUNK_EVENTS, empty, sizeof(empty));
	bad |= expect_raw(path, &r, "chunk 0 at offset 16: EVENTS count 0 does not match its 12");
	return bad;
}

/* collect_types - an on_events callback that keeps the types it is handed. */
static int collect_types(void *ctx, const struct tracer_event *ev, size_t n)
{
	unsigned char *types = ctx;

	for (size_t i = 0; i < n && i < 4; i++)
		types[i] = ev[i].type;
	return 0;
}

/* test_unknown_event_type - the reader hands over event types it has no name for, unchanged. */
static int test_unknown_event_type(void)
{
	struct tracer_event ev[2] = {event_of(1, 0), event_of(1, 1)};
	unsigned char types[4] = {0};
	struct trace_session *s;
	struct trace_writer *w;
	char err[256] = "";

	ev[1].type = 250;
	CHECK(trace_writer_open(path, &w) == 0);
	CHECK(trace_writer_add_events(w, ev, 2) == 0);
	CHECK(trace_writer_close(w, NULL) == 0);
	CHECK(trace_session_load(path, &s, err, sizeof(err)) == 0);
	CHECK(trace_session_read_events(s, collect_types, types, err, sizeof(err)) == 0);
	trace_session_free(s);
	CHECK(types[0] == TRACER_EV_SYSCALL && types[1] == 250);
	return 0;
}

int main(void)
{
	static const struct check_case cases[] = {
	    CHECK_CASE(packing_pays),	      CHECK_CASE(events_pass), CHECK_CASE(events_damage),
	    CHECK_CASE(events_not_from_pipe), CHECK_CASE(version1),    CHECK_CASE(packed_damage),
	    CHECK_CASE(unknown_event_type),
	};
	int rc;

	if (!mkdtemp(dir))
		return T_EXIT_FAIL;
	snprintf(path, sizeof(path), "%s/t.rst", dir);
	rc = CHECK_RUN(cases);
	unlink(path);
	rmdir(dir);
	return rc;
}
