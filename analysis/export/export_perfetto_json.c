// SPDX-License-Identifier: MIT
/* export_perfetto_json - the trace-event writer of the Perfetto export (export_perfetto_json.h). */
#include <errno.h>
#include <inttypes.h>
#include <string.h>

#include "analysis/export/export_perfetto_json.h"

struct json_object *pf_us(uint64_t ns)
{
	char buf[32];

	snprintf(buf, sizeof(buf), "%" PRIu64 ".%03u", ns / 1000, (unsigned int)(ns % 1000));
	return json_object_new_double_s((double)ns / 1000.0, buf);
}

struct json_object *pf_event(const char *name, const char *cat, const char *ph, uint32_t pid,
			     uint32_t tid)
{
	struct json_object *o = json_object_new_object();

	if (!o)
		return NULL;
	json_object_object_add(o, "name", json_object_new_string(name));
	json_object_object_add(o, "cat", json_object_new_string(cat));
	json_object_object_add(o, "ph", json_object_new_string(ph));
	json_object_object_add(o, "pid", json_object_new_int64(pid));
	json_object_object_add(o, "tid", json_object_new_int64(tid));
	return o;
}

void pf_add_u64(struct json_object *o, const char *key, uint64_t v)
{
	json_object_object_add(o, key, json_object_new_uint64(v));
}

int pf_put(struct pf_writer *w, struct json_object *o)
{
	if (!o) {
		snprintf(w->err, w->errlen, "out of memory");
		return -ENOMEM;
	}
	fputs(w->written ? ",\n" : "\n", w->f);
	fputs(json_object_to_json_string_ext(o, JSON_C_TO_STRING_PLAIN |
						    JSON_C_TO_STRING_NOSLASHESCAPE),
	      w->f);
	json_object_put(o);
	w->written = true;
	if (ferror(w->f)) {
		snprintf(w->err, w->errlen, "failed to write the JSON: %s", strerror(errno));
		return -EIO;
	}
	return 0;
}

int pf_meta(struct pf_writer *w, const char *what, uint32_t pid, uint32_t tid, const char *name)
{
	struct json_object *o = pf_event(what, "__metadata", "M", pid, tid), *args;

	if (o) {
		args = json_object_new_object();
		json_object_object_add(args, "name", json_object_new_string(name));
		json_object_object_add(o, "args", args);
	}
	return pf_put(w, o);
}
