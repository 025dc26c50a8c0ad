// SPDX-License-Identifier: MIT
/*
 * fuzz_trace_reader - libFuzzer target: any bytes through the streaming reader, and through the
 * model with its events pass.
 */
#include "lib/trace/trace_reader.h"

#include <json-c/json.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

/* touch_* - read every record handed over, so the sanitizer sees any out-of-bounds pointer. */
static int touch_json(void *ctx, uint32_t type, struct json_object *obj)
{
	*(size_t *)ctx += strlen(json_object_to_json_string(obj));
	return 0;
}

static int touch_samples(void *ctx, uint32_t probe_id, const struct trace_sample *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		*(size_t *)ctx += s[i].latency_ns + s[i].flags;
	return 0;
}

static int touch_events(void *ctx, const struct tracer_event *ev, size_t n)
{
	for (size_t i = 0; i < n; i++)
		*(size_t *)ctx += ev[i].ts_ns + ev[i].type;
	return 0;
}

/*
 * fix_crcs - give every whole chunk of @buf its correct CRC. Mutations almost never keep a
 * CRC right, so without this the fuzzer would stop at the check and never reach the parsers.
 */
static void fix_crcs(uint8_t *buf, size_t size)
{
	size_t off = sizeof(struct trace_file_header);
	struct trace_chunk_header h;

	while (off + sizeof(h) <= size) {
		memcpy(&h, buf + off, sizeof(h));
		if (h.length > size - off - sizeof(h))
			break;
		h.crc32 = (uint32_t)crc32(0L, buf + off + sizeof(h), h.length);
		memcpy(buf + off, &h, sizeof(h));
		off += sizeof(h) + h.length;
	}
}

/* read_all - the input through the streaming reader, then through the model. */
static void read_all(const uint8_t *data, size_t size)
{
	static const struct trace_reader_ops ops = {
	    .on_json = touch_json,
	    .on_samples = touch_samples,
	    .on_events = touch_events,
	};
	struct trace_read_status st;
	struct trace_session *s = NULL;
	char err[256];
	size_t sum = 0;

	trace_reader_read_mem(data, size, "fuzz", &ops, &sum, &st);
	if (trace_session_load_mem(data, size, "fuzz", &s, err, sizeof(err)))
		return;
	trace_session_read_events(s, touch_events, &sum, err, sizeof(err));
	trace_session_free(s);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	uint8_t *fixed = malloc(size ? size : 1);

	read_all(data, size);
	if (!fixed)
		return 0;
	memcpy(fixed, data, size);
	fix_crcs(fixed, size);
	read_all(fixed, size);
	free(fixed);
	return 0;
}
