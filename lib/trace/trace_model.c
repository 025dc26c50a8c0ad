// SPDX-License-Identifier: MIT
/* trace_model - a whole session in memory: JSON chunks, probes, samples; events only counted. */
#include "lib/trace/trace_reader.h"

#include <errno.h>
#include <json-c/json.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lib/hugemem.h"

struct loader {
	struct trace_session *s;
	struct trace_read_status *st; /* where a rejection's reason goes */
};

/* reject - note why the model refuses the chunk being read; the reader adds where it is. */
__attribute__((format(printf, 2, 3))) static int reject(struct loader *l, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(l->st->err, sizeof(l->st->err), fmt, ap);
	va_end(ap);
	return -EBADMSG;
}

struct trace_probe *trace_session_probe(const struct trace_session *s, uint32_t probe_id)
{
	for (size_t i = 0; i < s->nprobes; i++) {
		if (s->probes[i].probe_id == probe_id)
			return &s->probes[i];
	}
	return NULL;
}

/* probe_id_of - the "probe_id" member of @obj, an integer in [0, UINT32_MAX]. */
static bool probe_id_of(struct json_object *obj, uint32_t *id)
{
	struct json_object *v;
	int64_t n;

	if (!json_object_object_get_ex(obj, "probe_id", &v) ||
	    !json_object_is_type(v, json_type_int))
		return false;
	n = json_object_get_int64(v);
	if (n < 0 || n > UINT32_MAX)
		return false;
	*id = (uint32_t)n;
	return true;
}

/* find_probe - the probe a RUN or PROBE_END chunk names, or NULL with the reason noted. */
static struct trace_probe *find_probe(struct loader *l, uint32_t type, struct json_object *obj)
{
	struct trace_probe *p;
	uint32_t id;

	if (!probe_id_of(obj, &id)) {
		reject(l, "%s chunk without a valid \"probe_id\"", trace_chunk_name(type));
		return NULL;
	}
	p = trace_session_probe(l->s, id);
	if (!p)
		reject(l, "%s chunk for probe %u, which no PROBE chunk began",
		       trace_chunk_name(type), id);
	return p;
}

/* add_probe - a PROBE chunk: a new probe with its name and configuration. */
static int add_probe(struct loader *l, struct json_object *obj)
{
	struct trace_session *s = l->s;
	struct json_object *name, *config = NULL;
	struct trace_probe *p;
	uint32_t id;

	if (!probe_id_of(obj, &id))
		return reject(l, "PROBE chunk without a valid \"probe_id\"");
	if (trace_session_probe(s, id))
		return reject(l, "probe %u begins a second time", id);
	if (!json_object_object_get_ex(obj, "probe", &name) ||
	    !json_object_is_type(name, json_type_string))
		return reject(l, "PROBE chunk of probe %u without a \"probe\" name", id);
	if (json_object_object_get_ex(obj, "config", &config) &&
	    !json_object_is_type(config, json_type_object))
		return reject(l, "PROBE chunk of probe %u: \"config\" is not an object", id);
	if ((s->nprobes & (s->nprobes - 1)) == 0) {
		size_t cap = s->nprobes ? s->nprobes * 2 : 4;
		struct trace_probe *grown = realloc(s->probes, cap * sizeof(*grown));

		if (!grown)
			return -ENOMEM;
		s->probes = grown;
	}
	p = &s->probes[s->nprobes];
	memset(p, 0, sizeof(*p));
	p->probe_id = id;
	p->name = strdup(json_object_get_string(name));
	p->config = config ? json_object_get(config) : json_object_new_object();
	p->begin = json_object_get(obj);
	p->runs = json_object_new_array();
	s->nprobes++;
	return p->name && p->config && p->runs ? 0 : -ENOMEM;
}

/* keep_once - store a session-wide object, refusing a second one. */
static int keep_once(struct loader *l, struct json_object **slot, uint32_t type,
		     struct json_object *obj)
{
	if (*slot)
		return reject(l, "a second %s chunk", trace_chunk_name(type));
	*slot = json_object_get(obj);
	return 0;
}

/* on_json - route each JSON chunk to its place in the session. */
static int on_json(void *ctx, uint32_t type, struct json_object *obj)
{
	struct loader *l = ctx;
	struct trace_probe *p;

	switch (type) {
	case TRACE_CHUNK_SESSION:
		return keep_once(l, &l->s->session, type, obj);
	case TRACE_CHUNK_PLATFORM:
		return keep_once(l, &l->s->platform, type, obj);
	case TRACE_CHUNK_END:
		return keep_once(l, &l->s->end, type, obj);
	case TRACE_CHUNK_TRACER:
		/* a session may report its tracer more than once: the last report is the total */
		json_object_put(l->s->tracer);
		l->s->tracer = json_object_get(obj);
		return 0;
	case TRACE_CHUNK_PROBE:
		return add_probe(l, obj);
	case TRACE_CHUNK_RUN:
		p = find_probe(l, type, obj);
		if (!p)
			return -EBADMSG;
		return json_object_array_add(p->runs, json_object_get(obj)) ? -ENOMEM : 0;
	default: /* TRACE_CHUNK_PROBE_END: the reader hands over no other type */
		p = find_probe(l, type, obj);
		if (!p)
			return -EBADMSG;
		return keep_once(l, &p->end, type, obj);
	}
}

/* on_samples - append samples to their probe, growing its array geometrically. */
static int on_samples(void *ctx, uint32_t probe_id, const struct trace_sample *s, size_t n)
{
	struct loader *l = ctx;
	struct trace_probe *p = trace_session_probe(l->s, probe_id);

	if (!p)
		return reject(l, "samples of probe %u, which no PROBE chunk began", probe_id);
	if (p->nsamples + n > p->cap) {
		size_t cap = p->cap ? p->cap : 64;
		struct trace_sample *grown;

		while (cap < p->nsamples + n)
			cap *= 2;
		grown =
		    hugemem_grow(p->samples, p->nsamples * sizeof(*grown), cap * sizeof(*grown));
		if (!grown)
			return -ENOMEM;
		p->samples = grown;
		p->cap = cap;
	}
	memcpy(p->samples + p->nsamples, s, n * sizeof(*s));
	p->nsamples += n;
	for (size_t i = 0; i < n; i++) {
		p->nbad += !!(s[i].flags & TRACE_SAMPLE_BAD);
		p->nlate += !!(s[i].flags & TRACE_SAMPLE_LATE);
	}
	return 0;
}

/* on_events - the model only counts events: streaming consumers read them. */
static int on_events(void *ctx, const struct tracer_event *ev, size_t n)
{
	struct loader *l = ctx;

	l->s->nevents += n;
	return 0;
}

static const struct trace_reader_ops model_ops = {
    .on_json = on_json,
    .on_samples = on_samples,
    .on_events = on_events,
};

/* load_done - hand the session over, or free it and pass the reader's message on. */
static int load_done(int ret, struct trace_session *s, struct trace_session **out, char *err,
		     size_t errlen)
{
	if (ret < 0) {
		snprintf(err, errlen, "%s", s->status.err);
		trace_session_free(s);
		return ret;
	}
	*out = s;
	return 0;
}

int trace_session_load(const char *path, struct trace_session **out, char *err, size_t errlen)
{
	struct trace_session *s = calloc(1, sizeof(*s));
	struct loader l = {.s = s, .st = s ? &s->status : NULL};

	if (!s) {
		snprintf(err, errlen, "out of memory loading '%s'", path);
		return -ENOMEM;
	}
	return load_done(trace_reader_read(path, &model_ops, &l, &s->status), s, out, err, errlen);
}

int trace_session_load_mem(const void *buf, size_t len, const char *name,
			   struct trace_session **out, char *err, size_t errlen)
{
	struct trace_session *s = calloc(1, sizeof(*s));
	struct loader l = {.s = s, .st = s ? &s->status : NULL};

	if (!s) {
		snprintf(err, errlen, "out of memory loading '%s'", name);
		return -ENOMEM;
	}
	return load_done(trace_reader_read_mem(buf, len, name, &model_ops, &l, &s->status), s, out,
			 err, errlen);
}

void trace_session_free(struct trace_session *s)
{
	if (!s)
		return;
	for (size_t i = 0; i < s->nprobes; i++) {
		struct trace_probe *p = &s->probes[i];

		free(p->name);
		json_object_put(p->config);
		json_object_put(p->begin);
		json_object_put(p->runs);
		json_object_put(p->end);
		free(p->samples);
	}
	free(s->probes);
	json_object_put(s->session);
	json_object_put(s->platform);
	json_object_put(s->tracer);
	json_object_put(s->end);
	free(s);
}
