// SPDX-License-Identifier: MIT
/* test_trace_format - trace file round trip, truncation at every byte, CRC and format damage. */
#include "lib/trace/trace_reader.h"
#include "lib/trace/trace_writer.h"
#include "tests/unit/check.h"

#include <errno.h>
#include <fcntl.h>
#include <json-c/json.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>
#include <zlib.h>

static char dir[] = "/tmp/test_trace_format.XXXXXX";
static char path[256];

/* probe_json - the PROBE object the runner writes. */
static struct json_object *probe_json(uint32_t id, const char *name)
{
	struct json_object *o = json_object_new_object();
	struct json_object *config = json_object_new_object();

	json_object_object_add(config, "hops", json_object_new_int((int)id));
	json_object_object_add(o, "probe_id", json_object_new_int64(id));
	json_object_object_add(o, "probe", json_object_new_string(name));
	json_object_object_add(o, "config", config);
	return o;
}

/* add_json - add a JSON chunk and drop our reference. */
static int add_json(struct trace_writer *w, uint32_t type, struct json_object *o)
{
	int ret = trace_writer_add_json(w, type, o);

	json_object_put(o);
	return ret;
}

/* id_json - {"probe_id": id, key: value}. */
static struct json_object *id_json(uint32_t id, const char *key, int64_t value)
{
	struct json_object *o = json_object_new_object();

	json_object_object_add(o, "probe_id", json_object_new_int64(id));
	json_object_object_add(o, key, json_object_new_int64(value));
	return o;
}

/* sample_of - a sample whose every field is derived from (probe, i), so it can be checked. */
static struct trace_sample sample_of(uint32_t probe, uint32_t i)
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

static struct tracer_event event_of(uint32_t tid, uint32_t i)
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

/*
 * write_session - a session of @nprobes probes with @nsamples samples each (interleaved in
 * blocks, as a probe's runs come one after the other) and @nevents events.
 */
static int write_session(const char *file, uint32_t nprobes, uint32_t nsamples, uint32_t nevents)
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

/* read_file - the whole of @file into memory. */
static unsigned char *read_file(const char *file, size_t *len)
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

static int test_round_trip(void)
{
	struct trace_session *s;
	char err[256] = "";

	CHECK(write_session(path, 3, 9000, 10000) == 0);
	CHECK(trace_session_load(path, &s, err, sizeof(err)) == 0);
	CHECK(s->status.complete && !s->status.truncated_tail);
	CHECK(s->session && s->platform && s->tracer && s->end);
	CHECK(!strcmp(json_object_get_string(json_object_object_get(s->session, "tool")),
		      "ringscope"));
	CHECK(!strcmp(json_object_get_string(json_object_object_get(s->end, "status")), "ok"));
	CHECK(s->nprobes == 3 && s->nevents == 10000);
	for (uint32_t p = 0; p < 3; p++) {
		struct trace_probe *pr = &s->probes[p];

		CHECK(pr->probe_id == p + 1 && !strcmp(pr->name, p ? "ring" : "null"));
		CHECK(json_object_get_int(json_object_object_get(pr->config, "hops")) ==
		      (int)p + 1);
		CHECK(pr->nsamples == 9000 && pr->end && json_object_array_length(pr->runs) == 1);
		CHECK(pr->nbad == (9000 + 10) / 11);
		for (uint32_t i = 0; i < 9000; i++) {
			struct trace_sample want = sample_of(p + 1, i);

			CHECK(!memcmp(&pr->samples[i], &want, sizeof(want)));
		}
	}
	CHECK(trace_session_probe(s, 2) == &s->probes[1] && !trace_session_probe(s, 9));
	trace_session_free(s);
	return 0;
}

struct event_check {
	uint32_t next[3]; /* next expected index per tid */
	int bad;
};

/* check_events - events of each tid arrive complete and in order. */
static int check_events(void *ctx, const struct tracer_event *ev, size_t n)
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

struct writer_thread {
	struct trace_writer *w;
	uint32_t id;
	int ret;
};

/* writer_thread - samples of probe @id and events of tid @id, interleaved, in small batches. */
static void *writer_thread(void *arg)
{
	struct writer_thread *t = arg;

	for (uint32_t i = 0; i < 20000; i++) {
		struct trace_sample s = sample_of(t->id, i);
		struct tracer_event e = event_of(t->id, i);

		t->ret |= trace_writer_add_sample(t->w, t->id, &s);
		t->ret |= trace_writer_add_events(t->w, &e, 1);
	}
	return NULL;
}

static int test_concurrent_writers(void)
{
	struct writer_thread t[2] = {{.id = 1}, {.id = 2}};
	struct trace_reader_ops ops = {.on_events = check_events};
	struct event_check c = {{0}, 0};
	struct trace_read_status st;
	struct trace_session *s;
	struct trace_writer *w;
	pthread_t th[2];
	char err[256] = "";

	CHECK(trace_writer_open(path, &w) == 0);
	CHECK(add_json(w, TRACE_CHUNK_PROBE, probe_json(1, "null")) == 0);
	CHECK(add_json(w, TRACE_CHUNK_PROBE, probe_json(2, "ring")) == 0);
	for (int i = 0; i < 2; i++) {
		t[i].w = w;
		CHECK(pthread_create(&th[i], NULL, writer_thread, &t[i]) == 0);
	}
	for (int i = 0; i < 2; i++)
		pthread_join(th[i], NULL);
	CHECK(t[0].ret == 0 && t[1].ret == 0);
	CHECK(trace_writer_close(w, NULL) == 0);
	CHECK(trace_session_load(path, &s, err, sizeof(err)) == 0);
	CHECK(s->status.complete && s->nevents == 40000 && s->nprobes == 2);
	for (uint32_t p = 0; p < 2; p++) {
		CHECK(s->probes[p].nsamples == 20000);
		for (uint32_t i = 0; i < 20000; i++) {
			struct trace_sample want = sample_of(p + 1, i);

			CHECK(!memcmp(&s->probes[p].samples[i], &want, sizeof(want)));
		}
	}
	trace_session_free(s);
	CHECK(trace_reader_read(path, &ops, &c, &st) == 0);
	CHECK(c.bad == 0 && c.next[1] == 20000 && c.next[2] == 20000);
	return 0;
}

/* chunk_ends - the offset where each whole chunk ends; returns how many. */
static size_t chunk_ends(const unsigned char *buf, size_t len, size_t *ends, size_t max)
{
	size_t off = sizeof(struct trace_file_header), n = 0;

	while (off + sizeof(struct trace_chunk_header) <= len && n < max) {
		struct trace_chunk_header h;

		memcpy(&h, buf + off, sizeof(h));
		off += sizeof(h) + h.length;
		ends[n++] = off;
	}
	return n;
}

/*
 * load_cut - load the first @cut bytes of @buf by path. The file is a memfd opened through
 * /proc: creating thousands of files on the test folder's filesystem took most of the time.
 */
static int load_cut(const unsigned char *buf, size_t cut, struct trace_session **s, char *err)
{
	char name[64];
	int fd = memfd_create("cut", MFD_CLOEXEC);
	int ret;

	if (fd < 0 || write(fd, buf, cut) != (ssize_t)cut) {
		snprintf(err, 256, "memfd: %s", strerror(errno));
		if (fd >= 0)
			close(fd);
		return -EIO;
	}
	snprintf(name, sizeof(name), "/proc/self/fd/%d", fd);
	ret = trace_session_load(name, s, err, 256);
	close(fd);
	return ret;
}

/* check_cut - a file cut at @cut: an error inside the header, else every whole chunk before. */
static int check_cut(const unsigned char *buf, size_t cut, const size_t *ends, size_t nends)
{
	struct trace_session *s = NULL;
	char err[256] = "";
	size_t whole = 0;
	int ret;

	ret = load_cut(buf, cut, &s, err);
	if (cut < sizeof(struct trace_file_header)) {
		CHECK(ret == -EBADMSG && err[0]);
		return 0;
	}
	while (whole < nends && ends[whole] <= cut)
		whole++;
	if (ret) {
		fprintf(stderr, "cut at %zu: %s\n", cut, err);
		return 1;
	}
	CHECK(!s->status.complete && s->status.chunks == whole);
	CHECK(s->status.truncated_tail == (cut != (whole ? ends[whole - 1] : 16)));
	trace_session_free(s);
	ret = trace_session_load_mem(buf, cut, "mem", &s, err, sizeof(err));
	CHECK(ret == 0 && s->status.chunks == whole);
	trace_session_free(s);
	return 0;
}

static int test_truncation_every_offset(void)
{
	size_t len, ends[64], nends;
	unsigned char *buf;
	int bad = 0;

	CHECK(write_session(path, 2, 40, 30) == 0);
	buf = read_file(path, &len);
	CHECK(buf);
	nends = chunk_ends(buf, len, ends, 64);
	CHECK(nends > 8 && ends[nends - 1] == len);
	for (size_t cut = 0; cut < len && !bad; cut++)
		bad = check_cut(buf, cut, ends, nends);
	free(buf);
	return bad;
}

/* read_pipe - read the first @cut bytes of @buf through a pipe: a stream of unknown size. */
static int read_pipe(const unsigned char *buf, size_t cut, struct trace_read_status *st)
{
	int fds[2], ret;

	if (pipe(fds))
		return -errno;
	ret = write(fds[1], buf, cut) == (ssize_t)cut ? 0 : -EIO;
	close(fds[1]);
	if (!ret)
		ret = trace_reader_read_fd(fds[0], "pipe", NULL, NULL, st);
	close(fds[0]);
	return ret;
}

static int test_pipe_input(void)
{
	struct trace_read_status st;
	size_t len, ends[64], nends;
	unsigned char *buf;

	CHECK(write_session(path, 2, 40, 30) == 0);
	buf = read_file(path, &len);
	CHECK(buf && len < 65536); /* fits a pipe's buffer: no reader thread needed */
	nends = chunk_ends(buf, len, ends, 64);
	CHECK(read_pipe(buf, len, &st) == 0 && st.complete && st.chunks == nends);
	CHECK(read_pipe(buf, ends[3] + 20, &st) == 0 && !st.complete && st.truncated_tail);
	CHECK(st.chunks == 4 && st.bytes == ends[3]);
	CHECK(read_pipe(buf, 7, &st) == -EBADMSG && strstr(st.err, "cut off inside"));
	free(buf);
	return 0;
}

/* rewrite - write @buf back to the test file. */
static int rewrite(const unsigned char *buf, size_t len)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	int ok = fd >= 0 && write(fd, buf, len) == (ssize_t)len;

	if (fd >= 0)
		close(fd);
	return ok ? 0 : -1;
}

/* expect_error - loading the test file fails with @ret and a message containing @what. */
static int expect_error(int ret, const char *what)
{
	struct trace_session *s = NULL;
	char err[256] = "";
	int got = trace_session_load(path, &s, err, sizeof(err));

	if (got != ret || !strstr(err, what)) {
		fprintf(stderr, "expected %d '%s', got %d '%s'\n", ret, what, got, err);
		trace_session_free(s);
		return 1;
	}
	return 0;
}

static int test_crc_damage(void)
{
	size_t len, ends[64];
	unsigned char *buf;
	char want[128];
	int bad;

	CHECK(write_session(path, 1, 10, 0) == 0);
	buf = read_file(path, &len);
	CHECK(buf && chunk_ends(buf, len, ends, 64) > 3);
	/* a byte inside the third chunk's payload (chunk 2, the PROBE) */
	buf[ends[1] + sizeof(struct trace_chunk_header) + 3] ^= 0x20;
	CHECK(rewrite(buf, len) == 0);
	snprintf(want, sizeof(want), "': chunk 2 at offset %zu: CRC mismatch in PROBE", ends[1]);
	bad = expect_error(-EBADMSG, want);
	free(buf);
	return bad;
}

static int test_foreign_and_future(void)
{
	struct trace_file_header fh = {.magic = "RNGSCOPE", .version = 2, .header_size = 16};
	const char gif[] = "GIF89a\x01\x00\x01\x00\x80\x00\x00\xff\xff\xff\x00\x00\x00";
	char want[512];

	CHECK(rewrite((const void *)gif, sizeof(gif)) == 0);
	snprintf(want, sizeof(want), "'%s' is not a ringscope trace (bad magic)", path);
	CHECK(expect_error(-EBADMSG, want) == 0);
	CHECK(rewrite((const void *)&fh, sizeof(fh)) == 0);
	snprintf(
	    want, sizeof(want),
	    "'%s' has trace format version 2; this ringscope reads up to 1 (upgrade ringscope)",
	    path);
	CHECK(expect_error(-ENOTSUP, want) == 0);
	CHECK(rewrite((const void *)"", 0) == 0);
	CHECK(expect_error(-EBADMSG, "is empty") == 0);
	unlink(path);
	CHECK(expect_error(-ENOENT, "failed to open") == 0);
	return 0;
}

/* raw - a hand-made file: the header, then chunks appended by raw_chunk(). */
struct raw {
	unsigned char buf[4096];
	size_t len;
};

static void raw_begin(struct raw *r)
{
	struct trace_file_header fh = {.magic = "RNGSCOPE", .version = 1, .header_size = 16};

	memcpy(r->buf, &fh, sizeof(fh));
	r->len = sizeof(fh);
}

/* raw_chunk - append a chunk of @type with a correct CRC (damage is in what it says). */
static void raw_chunk(struct raw *r, uint32_t type, const void *payload, uint32_t len)
{
	struct trace_chunk_header h = {.type = type, .length = len};

	h.crc32 = (uint32_t)crc32(0L, payload, len);
	memcpy(r->buf + r->len, &h, sizeof(h));
	memcpy(r->buf + r->len + sizeof(h), payload, len);
	r->len += sizeof(h) + len;
}

static void raw_json(struct raw *r, uint32_t type, const char *text)
{
	raw_chunk(r, type, text, (uint32_t)strlen(text));
}

/* expect_raw - the hand-made file fails to load with a message containing @what. */
static int expect_raw(const struct raw *r, const char *what)
{
	return rewrite(r->buf, r->len) || expect_error(-EBADMSG, what);
}

static int test_malformed_chunks(void)
{
	struct {
		struct trace_samples_header h;
		struct trace_sample s;
	} smp = {{1, 2}, {0}};
	struct trace_events_header eh = {.count = 1, .record_size = 40};
	struct trace_chunk_header huge = {.type = TRACE_CHUNK_EVENTS, .length = 0xfffffff0};
	struct raw r;
	int bad = 0;

	raw_begin(&r);
	raw_json(&r, 99, "{}");
	bad |= expect_raw(&r, "chunk 0 at offset 16: unknown chunk type 99");
	raw_begin(&r);
	raw_json(&r, TRACE_CHUNK_SESSION, "{\"tool\": ");
	bad |= expect_raw(&r, "SESSION payload is not one JSON object");
	raw_begin(&r);
	raw_json(&r, TRACE_CHUNK_SESSION, "{} {}");
	bad |= expect_raw(&r, "SESSION payload is not one JSON object");
	raw_begin(&r);
	raw_json(&r, TRACE_CHUNK_PROBE, "{\"probe_id\": 1, \"probe\": \"null\"}");
	raw_chunk(&r, TRACE_CHUNK_SAMPLES, &smp, sizeof(smp));
	bad |= expect_raw(&r, "chunk 1 at offset 64: SAMPLES count 2 does not match");
	raw_begin(&r);
	raw_chunk(&r, TRACE_CHUNK_EVENTS, &eh, sizeof(eh));
	bad |= expect_raw(&r, "EVENTS record size is 40 bytes; this ringscope reads 48");
	raw_begin(&r);
	smp.h.count = 1;
	raw_chunk(&r, TRACE_CHUNK_SAMPLES, &smp, sizeof(smp));
	bad |= expect_raw(&r, "samples of probe 1, which no PROBE chunk began");
	raw_begin(&r);
	raw_json(&r, TRACE_CHUNK_END, "{\"status\": \"ok\"}");
	raw_json(&r, TRACE_CHUNK_TRACER, "{}");
	bad |= expect_raw(&r, "chunk 1 at offset 48: data after the END chunk");
	raw_begin(&r);
	memcpy(r.buf + r.len, &huge, sizeof(huge));
	r.len += sizeof(huge);
	bad |= expect_raw(&r, "EVENTS length 4294967280 exceeds the limit");
	raw_begin(&r);
	raw_json(&r, TRACE_CHUNK_PROBE, "{\"probe\": \"null\"}");
	bad |= expect_raw(&r, "PROBE chunk without a valid \"probe_id\"");
	raw_begin(&r);
	raw_json(&r, TRACE_CHUNK_TRACER, "{}");
	r.buf[sizeof(struct trace_file_header) + 12] = 1; /* the reserved field */
	bad |= expect_raw(&r, "chunk 0 at offset 16: reserved field is 1, not 0");
	return bad;
}

/* fill_until_full - write samples into a file limited to @limit bytes; the error it ends with. */
static int fill_until_full(rlim_t limit)
{
	struct rlimit rl = {.rlim_cur = limit, .rlim_max = RLIM_INFINITY};
	struct trace_writer *w;
	int ret = 0;

	signal(SIGXFSZ, SIG_IGN);
	if (setrlimit(RLIMIT_FSIZE, &rl) || trace_writer_open(path, &w))
		return 100;
	ret = add_json(w, TRACE_CHUNK_PROBE, probe_json(1, "null"));
	for (uint32_t i = 0; i < 100000 && !ret; i++) {
		struct trace_sample s = sample_of(1, i);

		ret = trace_writer_add_sample(w, 1, &s);
	}
	if (ret != -EFBIG || trace_writer_flush(w) != -EFBIG)
		return 101;
	return trace_writer_close(w, NULL) == -EFBIG ? 0 : 102;
}

static int test_write_error_is_clean(void)
{
	struct trace_session *s;
	char err[256] = "";
	pid_t pid = fork();
	int status;

	CHECK(pid >= 0);
	if (pid == 0)
		_exit(fill_until_full(1 << 20));
	CHECK(waitpid(pid, &status, 0) == pid && WIFEXITED(status));
	CHECK(WEXITSTATUS(status) == 0);
	/* the partial chunk was cut away: the file ends cleanly after its last whole chunk */
	CHECK(trace_session_load(path, &s, err, sizeof(err)) == 0);
	CHECK(!s->status.complete && !s->status.truncated_tail && s->nprobes == 1);
	CHECK(s->probes[0].nsamples > 8000 && s->probes[0].nsamples % TRACE_SAMPLES_PER_CHUNK == 0);
	trace_session_free(s);
	CHECK(trace_writer_open("/dev/full", &(struct trace_writer *){NULL}) == -ENOSPC);
	return 0;
}

int main(void)
{
	static const struct check_case cases[] = {
	    CHECK_CASE(round_trip),
	    CHECK_CASE(concurrent_writers),
	    CHECK_CASE(truncation_every_offset),
	    CHECK_CASE(pipe_input),
	    CHECK_CASE(crc_damage),
	    CHECK_CASE(foreign_and_future),
	    CHECK_CASE(malformed_chunks),
	    CHECK_CASE(write_error_is_clean),
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
