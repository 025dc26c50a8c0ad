/* SPDX-License-Identifier: MIT */
/*
 * export_perfetto_json - the writer the Perfetto export's parts share (private to
 * analysis/export/): each trace event is a json-c object, written as the next element of
 * traceEvents, one a line.
 */
#ifndef RINGSCOPE_EXPORT_PERFETTO_JSON_H
#define RINGSCOPE_EXPORT_PERFETTO_JSON_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include <json-c/json.h>

/* pf_writer - where the events go, and the error buffer a failed write fills. */
struct pf_writer {
	FILE *f;
	char *err;
	size_t errlen;
	bool written; /* an event was written: the next needs a separator */
};

/* pf_us - @ns as microseconds, printed exactly to the nanosecond ("12.345"). */
struct json_object *pf_us(uint64_t ns);

/* pf_event - a trace event's common fields; NULL when out of memory. */
struct json_object *pf_event(const char *name, const char *cat, const char *ph, uint32_t pid,
			     uint32_t tid);

/* pf_add_u64 - @key: @v into object @o. */
void pf_add_u64(struct json_object *o, const char *key, uint64_t v);

/* pf_put - write @o (taking it; NULL: out of memory) as the next event. 0, -ENOMEM or -EIO. */
int pf_put(struct pf_writer *w, struct json_object *o);

/* pf_meta - a metadata event ("process_name", "thread_name") naming a track. 0 or -errno. */
int pf_meta(struct pf_writer *w, const char *what, uint32_t pid, uint32_t tid, const char *name);

#endif
