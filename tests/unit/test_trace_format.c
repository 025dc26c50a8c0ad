// SPDX-License-Identifier: MIT
/* test_trace_format - trace file round trip, truncation at every byte, CRC and format damage. */
#include "lib/trace/trace_reader.h"
#include "lib/trace/trace_writer.h"
#include "tests/unit/trace_fixture.h"

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
	CHECK(rewrite(path, buf, len) == 0);
	snprintf(want, sizeof(want), "': chunk 2 at offset %zu: CRC mismatch in PROBE", ends[1]);
	bad = expect_error(path, -EBADMSG, want);
	free(buf);
	return bad;
}

static int test_foreign_and_future(void)
{
	struct trace_file_header fh = {.magic = "RNGSCOPE", .version = 3, .header_size = 16};
	const char gif[] = "GIF89a\x01\x00\x01\x00\x80\x00\x00\xff\xff\xff\x00\x00\x00";
	char want[512];

	CHECK(rewrite(path, (const void *)gif, sizeof(gif)) == 0);
	snprintf(want, sizeof(want), "'%s' is not a ringscope trace (bad magic)", path);
	CHECK(expect_error(path, -EBADMSG, want) == 0);
	CHECK(rewrite(path, (const void *)&fh, sizeof(fh)) == 0);
	snprintf(
	    want, sizeof(want),
	    "'%s' has trace format version 3; this ringscope reads up to 2 (upgrade ringscope)",
	    path);
	CHECK(expect_error(path, -ENOTSUP, want) == 0);
	CHECK(rewrite(path, (const void *)"", 0) == 0);
	CHECK(expect_error(path, -EBADMSG, "is empty") == 0);
	unlink(path);
	CHECK(expect_error(path, -ENOENT, "failed to open") == 0);
	return 0;
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

	raw_begin(&r, 1);
	raw_json(&r, 99, "{}");
	bad |= expect_raw(path, &r, "chunk 0 at offset 16: unknown chunk type 99");
	raw_begin(&r, 1);
	raw_json(&r, TRACE_CHUNK_SESSION, "{\"tool\": ");
	bad |= expect_raw(path, &r, "SESSION payload is not one JSON object");
	raw_begin(&r, 1);
	raw_json(&r, TRACE_CHUNK_SESSION, "{} {}");
	bad |= expect_raw(path, &r, "SESSION payload is not one JSON object");
	raw_begin(&r, 1);
	raw_json(&r, TRACE_CHUNK_PROBE, "{\"probe_id\": 1, \"probe\": \"null\"}");
	raw_chunk(&r, TRACE_CHUNK_SAMPLES, &smp, sizeof(smp));
	bad |= expect_raw(path, &r, "chunk 1 at offset 64: SAMPLES count 2 does not match");
	raw_begin(&r, 1);
	raw_chunk(&r, TRACE_CHUNK_EVENTS, &eh, sizeof(eh));
	bad |= expect_raw(path, &r, "EVENTS record size is 40 bytes; this ringscope reads 48");
	raw_begin(&r, 1);
	smp.h.count = 1;
	raw_chunk(&r, TRACE_CHUNK_SAMPLES, &smp, sizeof(smp));
	bad |= expect_raw(path, &r, "samples of probe 1, which no PROBE chunk began");
	raw_begin(&r, 1);
	raw_json(&r, TRACE_CHUNK_END, "{\"status\": \"ok\"}");
	raw_json(&r, TRACE_CHUNK_TRACER, "{}");
	bad |= expect_raw(path, &r, "chunk 1 at offset 48: data after the END chunk");
	raw_begin(&r, 1);
	memcpy(r.buf + r.len, &huge, sizeof(huge));
	r.len += sizeof(huge);
	bad |= expect_raw(path, &r, "EVENTS length 4294967280 exceeds the limit");
	raw_begin(&r, 1);
	raw_json(&r, TRACE_CHUNK_PROBE, "{\"probe\": \"null\"}");
	bad |= expect_raw(path, &r, "PROBE chunk without a valid \"probe_id\"");
	raw_begin(&r, 1);
	raw_json(&r, TRACE_CHUNK_TRACER, "{}");
	r.buf[sizeof(struct trace_file_header) + 12] = 1; /* the reserved field */
	bad |= expect_raw(path, &r, "chunk 0 at offset 16: reserved field is 1, not 0");
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
		_exit(fill_until_full(1 << 12)); /* a few packed chunks of these samples */
	CHECK(waitpid(pid, &status, 0) == pid && WIFEXITED(status));
	CHECK(WEXITSTATUS(status) == 0);
	/* the partial chunk was cut away: the file ends cleanly after its last whole chunk */
	CHECK(trace_session_load(path, &s, err, sizeof(err)) == 0);
	CHECK(!s->status.complete && !s->status.truncated_tail && s->nprobes == 1);
	CHECK(s->probes[0].nsamples >= TRACE_SAMPLES_PER_CHUNK);
	CHECK(s->probes[0].nsamples % TRACE_SAMPLES_PER_CHUNK == 0);
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
