/* SPDX-License-Identifier: MIT */
/* trace_fixture - synthetic sessions and hand-made files for the trace format's unit tests. */
#ifndef RINGSCOPE_TRACE_FIXTURE_H
#define RINGSCOPE_TRACE_FIXTURE_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "lib/trace/trace_format.h"
#include "tests/unit/check.h"

struct json_object;
struct trace_writer;

/* probe_json - the PROBE object the runner writes. */
struct json_object *probe_json(uint32_t id, const char *name);

/* add_json - add a JSON chunk and drop our reference. */
int add_json(struct trace_writer *w, uint32_t type, struct json_object *o);

/* id_json - {"probe_id": id, key: value}. */
struct json_object *id_json(uint32_t id, const char *key, int64_t value);

/* sample_of - a sample whose every field is derived from (probe, i), so it can be checked. */
struct trace_sample sample_of(uint32_t probe, uint32_t i);

/* event_of - event @i of thread @tid, every field derived from both. */
struct tracer_event event_of(uint32_t tid, uint32_t i);

/*
 * write_session - a session of @nprobes probes with @nsamples samples each (interleaved in
 * blocks, as a probe's runs come one after the other) and @nevents events of tid 1.
 */
int write_session(const char *file, uint32_t nprobes, uint32_t nsamples, uint32_t nevents);

/* read_file - the whole of @file into memory (malloc'd, *@len bytes); NULL on failure. */
unsigned char *read_file(const char *file, size_t *len);

/* rewrite - write @len bytes of @buf to @file. 0 or -1. */
int rewrite(const char *file, const unsigned char *buf, size_t len);

/* expect_error - loading @file fails with @ret and a message containing @what; 0 if so. */
int expect_error(const char *file, int ret, const char *what);

/* event_check - what check_events() saw: events of tids 1 and 2 in order, and those that were not.
 */
struct event_check {
	uint32_t next[3]; /* next expected index per tid */
	int bad;
};

/* check_events - an on_events callback: events of each tid arrive complete and in order. */
int check_events(void *ctx, const struct tracer_event *ev, size_t n);

/* raw - a hand-made file: the header, then chunks appended by raw_chunk(). */
struct raw {
	unsigned char buf[4096];
	size_t len;
};

/* raw_begin - the file header of format @version. */
void raw_begin(struct raw *r, uint32_t version);

/* raw_chunk - append a chunk of @type with a correct CRC (damage is in what it says). */
void raw_chunk(struct raw *r, uint32_t type, const void *payload, uint32_t len);

/* raw_json - append a JSON chunk of @type holding @text. */
void raw_json(struct raw *r, uint32_t type, const char *text);

/* expect_raw - the hand-made file, written to @file, fails to load with @what; 0 if so. */
int expect_raw(const char *file, const struct raw *r, const char *what);

#endif
