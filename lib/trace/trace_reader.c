// SPDX-License-Identifier: MIT
/* trace_reader - streaming reader of trace files: validates every chunk, never trusts a length. */
#include "lib/trace/trace_reader.h"

#include <errno.h>
#include <fcntl.h>
#include <json-c/json.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>

#include "lib/trace/trace_codec.h"
#include "lib/trace/trace_schema.h"

/* Where the bytes come from: a file descriptor, or memory (fd < 0). */
struct source {
	int fd;
	const unsigned char *mem;
	uint64_t size; /* bytes from the start, when size_known */
	bool size_known;
	uint64_t pos;
	const char *name;
};

struct reader {
	struct source src;
	const struct trace_reader_ops *ops;
	void *ctx;
	struct trace_read_status *st;
	unsigned char *buf; /* payload of the current chunk */
	size_t cap;
	unsigned char *rec; /* its records, unpacked (version 2) */
	size_t rec_cap;
	struct trace_codec *codec; /* version 2: made for the first packed chunk */
};

/* reader_free - what a read allocated. */
static void reader_free(struct reader *r)
{
	free(r->buf);
	free(r->rec);
	trace_codec_free(r->codec);
}

/* source_read - up to @n bytes; returns how many (fewer only at the end) or -errno. */
static ssize_t source_read(struct source *src, void *dst, size_t n)
{
	size_t got = 0;

	if (n == 0) /* an empty payload: nothing to copy, and no buffer yet */
		return 0;
	if (src->fd < 0) {
		got = src->pos < src->size ? src->size - src->pos : 0;
		got = got < n ? got : n;
		memcpy(dst, src->mem + src->pos, got);
	}
	while (src->fd >= 0 && got < n) {
		ssize_t r = read(src->fd, (unsigned char *)dst + got, n - got);

		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0)
			return -errno;
		if (r == 0)
			break;
		got += (size_t)r;
	}
	src->pos += got;
	return (ssize_t)got;
}

/*
 * source_skip - pass over @n bytes without reading them where the source can seek; returns how
 * many were passed (fewer only at the end) or -errno.
 */
static ssize_t source_skip(struct source *src, uint64_t n)
{
	unsigned char bounce[4096];
	uint64_t left = n;
	ssize_t got;

	if (src->size_known) {
		left = src->pos < src->size ? src->size - src->pos : 0;
		left = left < n ? left : n;
		if (src->fd >= 0 && lseek(src->fd, (off_t)left, SEEK_CUR) < 0)
			return -errno;
		src->pos += left;
		return (ssize_t)left;
	}
	while (left > 0) { /* a pipe: read and drop */
		got = source_read(src, bounce, left < sizeof(bounce) ? left : sizeof(bounce));
		if (got <= 0)
			return got < 0 ? got : (ssize_t)(n - left);
		left -= (uint64_t)got;
	}
	return (ssize_t)n;
}

/* fail - set st->err to "'NAME': chunk N at offset X: <what>" and return @ret. */
__attribute__((format(printf, 3, 4))) static int fail(struct reader *r, int ret, const char *fmt,
						      ...)
{
	char *err = r->st->err;
	size_t errlen = sizeof(r->st->err);
	va_list ap;
	int n;

	n = snprintf(err, errlen, "'%s': chunk %llu at offset %llu: ", r->src.name,
		     (unsigned long long)r->st->chunks, (unsigned long long)r->st->bytes);
	if (n < 0 || (size_t)n >= errlen)
		return ret;
	va_start(ap, fmt);
	vsnprintf(err + n, errlen - (size_t)n, fmt, ap);
	va_end(ap);
	return ret;
}

const char *trace_chunk_name(uint32_t type)
{
	static const char *const names[] = {
	    [TRACE_CHUNK_SESSION] = "SESSION",
	    [TRACE_CHUNK_PLATFORM] = "PLATFORM",
	    [TRACE_CHUNK_PROBE] = "PROBE",
	    [TRACE_CHUNK_RUN] = "RUN",
	    [TRACE_CHUNK_PROBE_END] = "PROBE_END",
	    [TRACE_CHUNK_TRACER] = "TRACER",
	    [TRACE_CHUNK_END] = "END",
	    [TRACE_CHUNK_SAMPLES] = "SAMPLES",
	    [TRACE_CHUNK_EVENTS] = "EVENTS",
	};

	if (type < sizeof(names) / sizeof(names[0]) && names[type])
		return names[type];
	return "unknown";
}

/* read_file_header - check magic and version, skip the rest of the header. */
static int read_file_header(struct reader *r, uint32_t *header_size)
{
	struct trace_file_header fh;
	const char *name = r->src.name;
	char *err = r->st->err;
	size_t errlen = sizeof(r->st->err);
	ssize_t n = source_read(&r->src, &fh, sizeof(fh));

	if (n < 0) {
		snprintf(err, errlen, "failed to read '%s': %s", name, strerror((int)-n));
		return (int)n;
	}
	if (n == 0) {
		snprintf(err, errlen, "'%s' is empty (not a ringscope trace)", name);
		return -EBADMSG;
	}
	if (memcmp(fh.magic, TRACE_MAGIC,
		   (size_t)n < TRACE_MAGIC_LEN ? (size_t)n : TRACE_MAGIC_LEN)) {
		snprintf(err, errlen, "'%s' is not a ringscope trace (bad magic)", name);
		return -EBADMSG;
	}
	if ((size_t)n < sizeof(fh)) {
		snprintf(err, errlen, "'%s' is cut off inside its %zu-byte header (%zd bytes)",
			 name, sizeof(fh), n);
		return -EBADMSG;
	}
	r->st->version = fh.version;
	if (fh.version > TRACE_VERSION) {
		snprintf(err, errlen,
			 "'%s' has trace format version %u; this ringscope reads up to %u "
			 "(upgrade ringscope)",
			 name, fh.version, TRACE_VERSION);
		return -ENOTSUP;
	}
	if (fh.version == 0 || fh.header_size < sizeof(fh) ||
	    fh.header_size > TRACE_HEADER_MAX_SIZE) {
		snprintf(err, errlen, "'%s' has a damaged header (version %u, header size %u)",
			 name, fh.version, fh.header_size);
		return -EBADMSG;
	}
	*header_size = fh.header_size;
	return 0;
}

/* skip_header_rest - a later minor layout may grow the header: skip what we do not know. */
static int skip_header_rest(struct reader *r, uint32_t header_size)
{
	unsigned char skip[TRACE_HEADER_MAX_SIZE];
	size_t want = header_size - sizeof(struct trace_file_header);
	ssize_t n = source_read(&r->src, skip, want);

	if (n >= 0 && (size_t)n == want) {
		r->st->bytes = header_size;
		return 0;
	}
	snprintf(r->st->err, sizeof(r->st->err), "'%s' is cut off inside its %u-byte header",
		 r->src.name, header_size);
	return n < 0 ? (int)n : -EBADMSG;
}

/* callback_result - turn a callback's error into the reader's, keeping its reason. */
static int callback_result(struct reader *r, int ret)
{
	char why[sizeof(r->st->err)];

	if (ret >= 0)
		return 0;
	if (r->st->err[0]) {
		snprintf(why, sizeof(why), "%s", r->st->err);
		return fail(r, ret, "%s", why);
	}
	return fail(r, ret, "%s", strerror(-ret));
}

/* deliver_json - parse the payload as exactly one JSON object and hand it over. */
static int deliver_json(struct reader *r, uint32_t type, uint32_t len)
{
	struct json_tokener *tok = json_tokener_new();
	struct json_object *obj;
	char why[200];
	int ret;

	if (!tok)
		return fail(r, -ENOMEM, "out of memory");
	obj = json_tokener_parse_ex(tok, (const char *)r->buf, (int)len);
	if (!obj || json_tokener_get_parse_end(tok) != len ||
	    !json_object_is_type(obj, json_type_object)) {
		ret = fail(r, -EBADMSG, "%s payload is not one JSON object (%s)",
			   trace_chunk_name(type),
			   obj ? "trailing bytes or not an object"
			       : json_tokener_error_desc(json_tokener_get_error(tok)));
		json_object_put(obj);
		json_tokener_free(tok);
		return ret;
	}
	json_tokener_free(tok);
	if (trace_schema_check(type, obj, why, sizeof(why))) {
		json_object_put(obj);
		return fail(r, -EBADMSG, "%s chunk: %s", trace_chunk_name(type), why);
	}
	ret = r->ops && r->ops->on_json ? r->ops->on_json(r->ctx, type, obj) : 0;
	json_object_put(obj);
	if (type == TRACE_CHUNK_END)
		r->st->complete = true;
	return callback_result(r, ret);
}

/*
 * check_records - the records header of a SAMPLES or EVENTS payload of @len bytes (its first
 * 8 bytes, at @head) against what the format allows; *@count is how many records it holds.
 */
static int check_records(struct reader *r, uint32_t type, const unsigned char *head, uint32_t len,
			 uint32_t *count)
{
	const char *name = trace_chunk_name(type);
	size_t size = trace_codec_record_size(type);
	struct trace_samples_header sh;
	struct trace_events_header eh;
	bool packed = r->st->version > TRACE_VERSION_RAW;

	memcpy(&sh, head, sizeof(sh));
	memcpy(&eh, head, sizeof(eh));
	*count = type == TRACE_CHUNK_SAMPLES ? sh.count : eh.count;
	if (type == TRACE_CHUNK_EVENTS && eh.record_size != size)
		return fail(r, -EBADMSG, "EVENTS record size is %u bytes; this ringscope reads %zu",
			    eh.record_size, size);
	if (!packed && (uint64_t)*count * size != len - sizeof(eh))
		return fail(r, -EBADMSG, "%s count %u does not match its %u-byte payload", name,
			    *count, len);
	if (packed && *count > TRACE_RECORDS_MAX)
		return fail(r, -EBADMSG, "%s count %u exceeds the limit of %u records", name,
			    *count, TRACE_RECORDS_MAX);
	if (packed && (*count == 0) != (len == sizeof(eh)))
		return fail(r, -EBADMSG, "%s count %u does not match its %u-byte payload", name,
			    *count, len);
	return 0;
}

/* unpack - the @count records of the version-2 payload in r->buf into r->rec. 0 or -errno. */
static int unpack(struct reader *r, uint32_t type, uint32_t len, uint32_t count)
{
	size_t want = (size_t)count * trace_codec_record_size(type);
	const char *why = NULL;
	int ret;

	if (!r->codec && !(r->codec = trace_codec_new()))
		return fail(r, -ENOMEM, "out of memory");
	if (want > r->rec_cap) {
		unsigned char *grown = realloc(r->rec, want);

		if (!grown)
			return fail(r, -ENOMEM, "out of memory for %u records", count);
		r->rec = grown;
		r->rec_cap = want;
	}
	ret = trace_codec_unpack(r->codec, type, r->buf + sizeof(struct trace_events_header),
				 len - sizeof(struct trace_events_header), r->rec, count, &why);
	if (ret == -EBADMSG)
		return fail(r, ret, "%s payload: %s", trace_chunk_name(type), why);
	return ret ? fail(r, ret, "out of memory unpacking %u records", count) : 0;
}

/*
 * deliver_records - check a SAMPLES or EVENTS payload of @len bytes in r->buf, unpack its
 * records (version 2) and hand them over.
 */
static int deliver_records(struct reader *r, uint32_t type, uint32_t len)
{
	const struct trace_reader_ops *ops = r->ops;
	struct trace_samples_header sh;
	const unsigned char *rec;
	uint32_t count;
	int ret;

	if (len < sizeof(sh)) /* r->buf may even be NULL: nothing was read */
		return fail(r, -EBADMSG, "%s payload of %u bytes is shorter than its header",
			    trace_chunk_name(type), len);
	ret = check_records(r, type, r->buf, len, &count);
	if (ret || !count || !ops ||
	    !(type == TRACE_CHUNK_SAMPLES ? !!ops->on_samples : !!ops->on_events))
		return ret;
	rec = r->buf + sizeof(sh);
	if (r->st->version > TRACE_VERSION_RAW) {
		ret = unpack(r, type, len, count);
		if (ret)
			return ret;
		rec = r->rec;
	}
	memcpy(&sh, r->buf, sizeof(sh));
	if (type == TRACE_CHUNK_SAMPLES)
		ret = ops->on_samples(r->ctx, sh.probe_id, (const void *)rec, count);
	else
		ret = ops->on_events(r->ctx, (const void *)rec, count);
	return callback_result(r, ret);
}

/* check_chunk_header - reject a header no writer produces, before reading its payload. */
static int check_chunk_header(struct reader *r, const struct trace_chunk_header *h)
{
	if (r->st->complete)
		return fail(r, -EBADMSG, "data after the END chunk");
	if (!trace_chunk_is_json(h->type) && h->type != TRACE_CHUNK_SAMPLES &&
	    h->type != TRACE_CHUNK_EVENTS)
		return fail(r, -EBADMSG, "unknown chunk type %u", h->type);
	if (h->length > TRACE_CHUNK_MAX_LENGTH)
		return fail(r, -EBADMSG, "%s length %u exceeds the limit of %u bytes",
			    trace_chunk_name(h->type), h->length, TRACE_CHUNK_MAX_LENGTH);
	if (h->reserved)
		return fail(r, -EBADMSG, "reserved field is %u, not 0", h->reserved);
	return 0;
}

/* read_payload - read @len bytes into r->buf; 1 read, 0 cut off (a truncated tail), -errno. */
static int read_payload(struct reader *r, uint32_t len)
{
	ssize_t n;

	if (r->src.size_known && (uint64_t)len > r->src.size - r->src.pos)
		return 0;
	if (len > r->cap) {
		unsigned char *grown = realloc(r->buf, len);

		if (!grown)
			return fail(r, -ENOMEM, "out of memory for a %u-byte payload", len);
		r->buf = grown;
		r->cap = len;
	}
	n = source_read(&r->src, r->buf, len);
	if (n < 0)
		return fail(r, (int)n, "read failed: %s", strerror((int)-n));
	return (size_t)n == len;
}

/* deliver - check the CRC of the payload in r->buf and hand its content over. */
static int deliver(struct reader *r, const struct trace_chunk_header *h)
{
	uint32_t crc = (uint32_t)crc32(0L, r->buf, h->length);

	if (crc != h->crc32)
		return fail(r, -EBADMSG,
			    "CRC mismatch in %s payload (stored 0x%08x, computed 0x%08x)",
			    trace_chunk_name(h->type), h->crc32, crc);
	if (trace_chunk_is_json(h->type))
		return deliver_json(r, h->type, h->length);
	return deliver_records(r, h->type, h->length);
}

/*
 * index_events - an EVENTS chunk for ops->on_events_ref: read and check its records header,
 * hand over where it is, skip the rest. 1 done, 0 cut off (a truncated tail), -errno.
 */
static int index_events(struct reader *r, const struct trace_chunk_header *h)
{
	struct trace_events_ref ref = {
	    .offset = r->st->bytes, .chunk = r->st->chunks, .length = h->length, .crc32 = h->crc32};
	unsigned char head[sizeof(struct trace_events_header)];
	ssize_t got, skipped = 0;
	int ret;

	if (h->length < sizeof(head))
		return fail(r, -EBADMSG, "EVENTS payload of %u bytes is shorter than its header",
			    h->length);
	if (r->src.size_known && h->length > r->src.size - r->src.pos)
		return 0;
	got = source_read(&r->src, head, sizeof(head));
	if (got == (ssize_t)sizeof(head))
		skipped = source_skip(&r->src, h->length - sizeof(head));
	if (got < 0 || skipped < 0) {
		int err = (int)(got < 0 ? got : skipped);

		return fail(r, err, "read failed: %s", strerror(-err));
	}
	if (got != (ssize_t)sizeof(head) || (size_t)skipped != h->length - sizeof(head))
		return 0;
	ret = check_records(r, h->type, head, h->length, &ref.count);
	if (!ret && ref.count)
		ret = callback_result(r, r->ops->on_events_ref(r->ctx, &ref));
	return ret ? ret : 1;
}

/* read_chunk - read, check and deliver one chunk: 1 delivered, 0 end of file, -errno. */
static int read_chunk(struct reader *r)
{
	struct trace_chunk_header h = {0};
	ssize_t n = source_read(&r->src, &h, sizeof(h));
	int ret;

	if (n < 0)
		return fail(r, (int)n, "read failed: %s", strerror((int)-n));
	if (n == 0)
		return 0;
	ret = r->st->complete || (size_t)n == sizeof(h) ? check_chunk_header(r, &h) : 0;
	if (ret)
		return ret;
	if ((size_t)n == sizeof(h) && h.type == TRACE_CHUNK_EVENTS && r->ops &&
	    r->ops->on_events_ref)
		ret = index_events(r, &h);
	else
		ret = (size_t)n == sizeof(h) ? read_payload(r, h.length) : 0;
	if (ret <= 0) {
		r->st->truncated_tail = ret == 0;
		return ret;
	}
	if (h.type != TRACE_CHUNK_EVENTS || !r->ops || !r->ops->on_events_ref)
		ret = deliver(r, &h);
	if (ret < 0)
		return ret;
	r->st->chunks++;
	r->st->bytes += sizeof(h) + h.length;
	return 1;
}

/* read_stream - the whole file: header, then chunks until the end or an error. */
static int read_stream(struct reader *r)
{
	uint32_t header_size = 0;
	int ret;

	memset(r->st, 0, sizeof(*r->st));
	ret = read_file_header(r, &header_size);
	if (!ret)
		ret = skip_header_rest(r, header_size);
	while (ret == 0 && (ret = read_chunk(r)) == 1)
		ret = 0;
	reader_free(r);
	return ret < 0 ? ret : 0;
}

int trace_reader_read_fd(int fd, const char *name, const struct trace_reader_ops *ops, void *ctx,
			 struct trace_read_status *st)
{
	struct reader r = {.src = {.fd = fd, .name = name}, .ops = ops, .ctx = ctx, .st = st};
	struct stat sb;
	off_t start = lseek(fd, 0, SEEK_CUR);

	/* A regular file's size lets a cut-off last chunk be seen without reading its length. */
	if (fstat(fd, &sb) == 0 && S_ISREG(sb.st_mode) && start >= 0 && sb.st_size >= start) {
		r.src.size = (uint64_t)(sb.st_size - start);
		r.src.size_known = true;
	}
	return read_stream(&r);
}

int trace_reader_read_mem(const void *buf, size_t len, const char *name,
			  const struct trace_reader_ops *ops, void *ctx,
			  struct trace_read_status *st)
{
	struct reader r = {
	    .src = {.fd = -1, .mem = buf, .size = len, .size_known = true, .name = name},
	    .ops = ops,
	    .ctx = ctx,
	    .st = st,
	};

	return read_stream(&r);
}

int trace_reader_read(const char *path, const struct trace_reader_ops *ops, void *ctx,
		      struct trace_read_status *st)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	int ret;

	if (fd < 0) {
		ret = -errno;
		memset(st, 0, sizeof(*st));
		snprintf(st->err, sizeof(st->err), "failed to open '%s': %s", path, strerror(-ret));
		return ret;
	}
	ret = trace_reader_read_fd(fd, path, ops, ctx, st);
	close(fd);
	return ret;
}

/*
 * read_events_chunk - the EVENTS chunk at @ref, read again where the first read found it: its
 * header must still say what it said, then it is checked and delivered as a streaming read does.
 */
static int read_events_chunk(struct reader *r, const struct trace_events_ref *ref)
{
	struct trace_chunk_header h;
	ssize_t n;

	r->st->chunks = ref->chunk;
	r->st->bytes = ref->offset;
	r->src.pos = ref->offset;
	if (r->src.fd >= 0 && lseek(r->src.fd, (off_t)ref->offset, SEEK_SET) < 0)
		return errno == ESPIPE ? fail(r, -ESPIPE,
					      "its events cannot be read again from a pipe (save "
					      "the trace to a file first)")
				       : fail(r, -errno, "seek failed: %s", strerror(errno));
	n = source_read(&r->src, &h, sizeof(h));
	if (n >= 0 && (size_t)n == sizeof(h) && h.type == TRACE_CHUNK_EVENTS &&
	    h.length == ref->length && h.crc32 == ref->crc32)
		n = read_payload(r, h.length);
	else if (n >= 0)
		return fail(r, -EBADMSG, "the EVENTS chunk changed since the file was read");
	if (n < 0)
		return (int)n;
	if (n == 0)
		return fail(r, -EBADMSG, "the file was cut short since it was read");
	return deliver(r, &h);
}

int trace_reader_read_events(const struct trace_events_source *src,
			     const struct trace_events_ref *refs, size_t n,
			     int (*on_events)(void *ctx, const struct tracer_event *ev, size_t n),
			     void *ctx, struct trace_read_status *st)
{
	const struct trace_reader_ops ops = {.on_events = on_events};
	struct reader r = {
	    .src = {.fd = src->fd,
		    .mem = src->mem,
		    .size = src->size,
		    .size_known = src->fd < 0,
		    .name = src->name},
	    .ops = &ops,
	    .ctx = ctx,
	    .st = st,
	};
	int ret = 0;

	memset(st, 0, sizeof(*st));
	st->version = src->version;
	for (size_t i = 0; i < n && !ret; i++)
		ret = read_events_chunk(&r, &refs[i]);
	reader_free(&r);
	return ret;
}
