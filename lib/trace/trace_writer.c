// SPDX-License-Identifier: MIT
/* trace_writer - chunked, CRC-protected trace file output, one write() per chunk. */
#include "lib/trace/trace_writer.h"

#include <errno.h>
#include <fcntl.h>
#include <json-c/json.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <sys/types.h>
#include <time.h>
#include <unistd.h>
#include <zlib.h>

#include "lib/outfile.h"
#include "lib/trace/trace_codec.h"

/*
 * A record buffer collects records; when it is written, its codec packs them into @chunk
 * behind room for the chunk header and the records header, so that the whole chunk goes out in
 * one write(). Each buffer has its own lock and codec, so that buffering (and packing) a sample
 * never waits for the tracer thread's EVENTS chunk.
 */
struct trace_writer_buf {
	pthread_mutex_t lock;
	unsigned char *mem;   /* the records */
	unsigned char *chunk; /* chunk header, records header, packed records */
	struct trace_codec *codec;
	size_t nrec;
};

#define RECORDS_HEADER sizeof(struct trace_samples_header)
#define RECORDS_PREFIX (sizeof(struct trace_chunk_header) + RECORDS_HEADER)
_Static_assert(sizeof(struct trace_samples_header) == sizeof(struct trace_events_header),
	       "both records headers take the same room in front of the records");

/*
 * Locks are taken in the order samples.lock, events.lock, file_lock (a JSON chunk takes all
 * three, so that buffered records go out before it); file_lock covers fd, offset and err.
 */
struct trace_writer {
	struct trace_writer_buf samples; /* and sample_probe */
	struct trace_writer_buf events;
	uint32_t sample_probe;
	pthread_mutex_t file_lock;
	int fd;
	int err;      /* first write error, returned by every later call (read atomically) */
	off_t offset; /* end of the last whole chunk */
	/* events.lock: the room left for samples (trace_writer_events_refused) */
	bool regular;	  /* a file on a file system whose free space says something */
	uint64_t room;	  /* bytes free beyond TRACE_WRITER_RESERVE at the last look */
	off_t room_at;	  /* the offset of that look */
	bool refusing;	  /* the disk is nearly full: events are dropped, not written */
	uint64_t refused; /* events dropped for it */
};

/*
 * The room events leave on the disk for what must follow them: the samples a caller holds
 * before it writes them (TRACE_WRITER_HELD_SAMPLES, the runner's buffer of one run), packed at
 * worst, and the JSON chunks (RUN, PROBE_END, TRACER, END).
 */
#define TRACE_WRITER_JSON_ROOM (1u << 20)
#define TRACE_WRITER_RESERVE                                                                       \
	((uint64_t)(TRACE_WRITER_HELD_SAMPLES / TRACE_SAMPLES_PER_CHUNK) *                         \
	     (RECORDS_PREFIX + trace_codec_bound(TRACE_CHUNK_SAMPLES, TRACE_SAMPLES_PER_CHUNK)) +  \
	 TRACE_WRITER_JSON_ROOM)
#define TRACE_WRITER_LOOK_AGAIN (64u << 20) /* bytes written before free space is read again */

/* sticky_error - the writer's first write error, or 0; safe without file_lock. */
static int sticky_error(struct trace_writer *w)
{
	return __atomic_load_n(&w->err, __ATOMIC_ACQUIRE);
}

/* write_all - write @len bytes, retrying short writes and EINTR; 0 or -errno. */
static int write_all(int fd, const void *buf, size_t len)
{
	const unsigned char *p = buf;

	while (len > 0) {
		ssize_t n = write(fd, p, len);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -errno;
		if (n == 0)
			return -EIO;
		p += n;
		len -= (size_t)n;
	}
	return 0;
}

/*
 * emit_chunk - fill the chunk header in front of the payload (@chunk points at the header) and
 * write both with one write(), under file_lock. On failure, cut the file back to the last whole
 * chunk, so a later reader sees a clean end rather than a damaged chunk, and make the error
 * sticky. The CRC is computed before taking the lock: the other thread need not wait for it.
 */
static int emit_chunk(struct trace_writer *w, unsigned char *chunk, uint32_t type, size_t len)
{
	struct trace_chunk_header h = {
	    .type = type,
	    .length = (uint32_t)len,
	    .crc32 = (uint32_t)crc32(0L, chunk + sizeof(h), (uInt)len),
	};
	int ret;

	memcpy(chunk, &h, sizeof(h));
	pthread_mutex_lock(&w->file_lock);
	ret = w->err;
	if (!ret)
		ret = write_all(w->fd, chunk, sizeof(h) + len);
	if (ret && !w->err) {
		if (ftruncate(w->fd, w->offset) == 0)
			lseek(w->fd, w->offset, SEEK_SET);
		__atomic_store_n(&w->err, ret, __ATOMIC_RELEASE);
	}
	if (!ret)
		w->offset += (off_t)(sizeof(h) + len);
	pthread_mutex_unlock(&w->file_lock);
	return ret;
}

/*
 * flush_records - pack the records of @b behind @head (the 8-byte records header) and write
 * them as one chunk of @type (b->lock held). A failure to pack is not sticky: the file stays
 * whole, only these records are lost.
 */
static int flush_records(struct trace_writer *w, struct trace_writer_buf *b, uint32_t type,
			 const void *head)
{
	ssize_t len;

	if (!b->nrec)
		return 0;
	memcpy(b->chunk + sizeof(struct trace_chunk_header), head, RECORDS_HEADER);
	len = trace_codec_pack(b->codec, type, b->mem, b->nrec, b->chunk + RECORDS_PREFIX);
	b->nrec = 0;
	return len < 0 ? (int)len : emit_chunk(w, b->chunk, type, RECORDS_HEADER + (size_t)len);
}

/* flush_samples - write the buffered samples as one SAMPLES chunk (samples.lock held). */
static int flush_samples(struct trace_writer *w)
{
	struct trace_samples_header sh = {.probe_id = w->sample_probe,
					  .count = (uint32_t)w->samples.nrec};

	return flush_records(w, &w->samples, TRACE_CHUNK_SAMPLES, &sh);
}

/*
 * room_for_events - whether @len more bytes of events leave TRACE_WRITER_RESERVE free (events.lock
 * held). Free space is read again once the writer has written TRACE_WRITER_LOOK_AGAIN bytes
 * since, or when what is left of it is getting small; where it cannot be read, there is room.
 */
static bool room_for_events(struct trace_writer *w, size_t len)
{
	struct statvfs sv;
	uint64_t used;
	off_t offset;

	if (!w->regular)
		return true;
	pthread_mutex_lock(&w->file_lock);
	offset = w->offset;
	pthread_mutex_unlock(&w->file_lock);
	used = offset > w->room_at ? (uint64_t)(offset - w->room_at) : 0;
	if (w->room > used + len + TRACE_WRITER_LOOK_AGAIN)
		return true;
	if (fstatvfs(w->fd, &sv))
		return true;
	/* root may write into the blocks kept for it; others stop at f_bavail */
	w->room = (uint64_t)(geteuid() ? sv.f_bavail : sv.f_bfree) * sv.f_frsize;
	w->room = w->room > TRACE_WRITER_RESERVE ? w->room - TRACE_WRITER_RESERVE : 0;
	w->room_at = offset;
	return w->room > len;
}

/*
 * flush_events - write the buffered events as one EVENTS chunk (events.lock held); on a disk
 * nearly full, drop them instead (counted in w->refused; from then on every event is dropped),
 * so that events never take the room the samples that follow them need.
 */
static int flush_events(struct trace_writer *w)
{
	struct trace_events_header eh = {.count = (uint32_t)w->events.nrec,
					 .record_size = sizeof(struct tracer_event)};
	size_t worst = RECORDS_PREFIX + trace_codec_bound(TRACE_CHUNK_EVENTS, w->events.nrec);

	if (w->events.nrec && (w->refusing || !room_for_events(w, worst))) {
		w->refusing = true;
		w->refused += w->events.nrec;
		w->events.nrec = 0;
		return 0;
	}
	return flush_records(w, &w->events, TRACE_CHUNK_EVENTS, &eh);
}

/* lock_buffers - take both buffer locks, in the documented order. */
static void lock_buffers(struct trace_writer *w)
{
	pthread_mutex_lock(&w->samples.lock);
	pthread_mutex_lock(&w->events.lock);
}

static void unlock_buffers(struct trace_writer *w)
{
	pthread_mutex_unlock(&w->events.lock);
	pthread_mutex_unlock(&w->samples.lock);
}

/* flush_locked - write both record buffers (both locks held); a sticky error wins. */
static int flush_locked(struct trace_writer *w)
{
	int ret = flush_samples(w);
	int ret2 = flush_events(w);
	int err = sticky_error(w);

	return err ? err : ret ? ret : ret2;
}

/* writer_free - release everything @w owns; the fd is closed by the caller's path. */
static void writer_free(struct trace_writer *w)
{
	pthread_mutex_destroy(&w->samples.lock);
	pthread_mutex_destroy(&w->events.lock);
	pthread_mutex_destroy(&w->file_lock);
	for (int i = 0; i < 2; i++) {
		struct trace_writer_buf *b = i ? &w->events : &w->samples;

		free(b->mem);
		free(b->chunk);
		trace_codec_free(b->codec);
	}
	free(w);
}

/* buf_alloc - room for @n records of chunk @type, packed or not. 0 or -ENOMEM. */
static int buf_alloc(struct trace_writer_buf *b, uint32_t type, size_t n)
{
	b->mem = malloc(n * trace_codec_record_size(type));
	b->chunk = malloc(RECORDS_PREFIX + trace_codec_bound(type, n));
	b->codec = trace_codec_new();
	return b->mem && b->chunk && b->codec ? 0 : -ENOMEM;
}

/* writer_new - a writer with its buffers, not yet attached to a file. */
static struct trace_writer *writer_new(void)
{
	struct trace_writer *w = calloc(1, sizeof(*w));

	if (!w)
		return NULL;
	pthread_mutex_init(&w->samples.lock, NULL);
	pthread_mutex_init(&w->events.lock, NULL);
	pthread_mutex_init(&w->file_lock, NULL);
	if (buf_alloc(&w->samples, TRACE_CHUNK_SAMPLES, TRACE_SAMPLES_PER_CHUNK) ||
	    buf_alloc(&w->events, TRACE_CHUNK_EVENTS, TRACE_EVENTS_PER_CHUNK)) {
		writer_free(w);
		return NULL;
	}
	return w;
}

int trace_writer_fdopen(int fd, struct trace_writer **out)
{
	struct trace_file_header fh = {
	    .version = TRACE_VERSION,
	    .header_size = sizeof(fh),
	};
	struct trace_writer *w = writer_new();
	struct stat sb;
	int ret;

	if (!w)
		return -ENOMEM;
	memcpy(fh.magic, TRACE_MAGIC, TRACE_MAGIC_LEN);
	ret = write_all(fd, &fh, sizeof(fh));
	if (ret) {
		writer_free(w);
		return ret;
	}
	w->fd = fd;
	w->offset = sizeof(fh);
	w->regular = !fstat(fd, &sb) && S_ISREG(sb.st_mode);
	*out = w;
	return 0;
}

int trace_writer_open(const char *path, struct trace_writer **out)
{
	struct outfile of;
	char err[256];
	int ret;

	ret = outfile_open(&of, path, OUTFILE_EARLY, err, sizeof(err));
	if (ret)
		return ret;
	ret = trace_writer_fdopen(of.fd, out);
	if (ret)
		outfile_discard(&of);
	return ret;
}

/* add_json_locked - flush the buffered records, then write @obj as one chunk of @type. */
static int add_json_locked(struct trace_writer *w, uint32_t type, struct json_object *obj)
{
	const char *text = json_object_to_json_string_ext(obj, JSON_C_TO_STRING_PLAIN);
	size_t len = text ? strlen(text) : 0;
	unsigned char *chunk;
	int ret;

	if (!text)
		return -ENOMEM;
	if (len > TRACE_CHUNK_MAX_LENGTH)
		return -E2BIG;
	ret = flush_locked(w);
	if (ret)
		return ret;
	chunk = malloc(sizeof(struct trace_chunk_header) + len);
	if (!chunk)
		return -ENOMEM;
	memcpy(chunk + sizeof(struct trace_chunk_header), text, len);
	ret = emit_chunk(w, chunk, type, len);
	free(chunk);
	return ret;
}

int trace_writer_add_json(struct trace_writer *w, uint32_t chunk_type, struct json_object *obj)
{
	int ret;

	if (!trace_chunk_is_json(chunk_type) || !json_object_is_type(obj, json_type_object))
		return -EINVAL;
	lock_buffers(w);
	ret = add_json_locked(w, chunk_type, obj);
	unlock_buffers(w);
	return ret;
}

int trace_writer_add_sample(struct trace_writer *w, uint32_t probe_id, const struct trace_sample *s)
{
	int ret = 0;

	pthread_mutex_lock(&w->samples.lock);
	if (w->samples.nrec && w->sample_probe != probe_id)
		ret = flush_samples(w);
	if (!ret)
		ret = sticky_error(w);
	if (!ret) {
		w->sample_probe = probe_id;
		memcpy(w->samples.mem + w->samples.nrec * sizeof(*s), s, sizeof(*s));
		if (++w->samples.nrec == TRACE_SAMPLES_PER_CHUNK)
			ret = flush_samples(w);
	}
	pthread_mutex_unlock(&w->samples.lock);
	return ret;
}

int trace_writer_add_events(struct trace_writer *w, const struct tracer_event *ev, size_t n)
{
	int ret = 0;

	pthread_mutex_lock(&w->events.lock);
	while (n > 0 && !ret) {
		size_t room = TRACE_EVENTS_PER_CHUNK - w->events.nrec;
		size_t take = n < room ? n : room;

		ret = w->refusing ? -ENOSPC : sticky_error(w);
		if (ret)
			break;
		memcpy(w->events.mem + w->events.nrec * sizeof(*ev), ev, take * sizeof(*ev));
		w->events.nrec += take;
		ev += take;
		n -= take;
		if (w->events.nrec == TRACE_EVENTS_PER_CHUNK)
			ret = flush_events(w);
		if (!ret && w->refusing) { /* this call's own are the caller's to count */
			w->refused -= take;
			ret = -ENOSPC;
		}
	}
	pthread_mutex_unlock(&w->events.lock);
	return ret;
}

uint64_t trace_writer_events_refused(struct trace_writer *w, bool *refusing)
{
	uint64_t n;

	pthread_mutex_lock(&w->events.lock);
	n = w->refused;
	*refusing = w->refusing;
	pthread_mutex_unlock(&w->events.lock);
	return n;
}

int trace_writer_flush(struct trace_writer *w)
{
	int ret;

	lock_buffers(w);
	ret = flush_locked(w);
	unlock_buffers(w);
	return ret;
}

/* default_end - the END object of a session that ended without a word from its caller. */
static struct json_object *default_end(void)
{
	struct json_object *end = json_object_new_object();
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	json_object_object_add(end, "status", json_object_new_string("ok"));
	json_object_object_add(end, "end_mono_ns",
			       json_object_new_int64((int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec));
	return end;
}

int trace_writer_close(struct trace_writer *w, struct json_object *end)
{
	struct json_object *own = end ? NULL : default_end();
	int ret;

	lock_buffers(w);
	ret = end || own ? add_json_locked(w, TRACE_CHUNK_END, end ? end : own) : -ENOMEM;
	unlock_buffers(w);
	if (!ret && fsync(w->fd) < 0 && errno != EINVAL) /* EINVAL: a FIFO, /dev/null */
		ret = -errno;
	if (close(w->fd) < 0 && !ret)
		ret = -errno;
	json_object_put(own);
	writer_free(w);
	return ret;
}

void trace_writer_abandon(struct trace_writer *w)
{
	lock_buffers(w);
	flush_locked(w);
	unlock_buffers(w);
	close(w->fd);
	writer_free(w);
}
