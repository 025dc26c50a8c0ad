// SPDX-License-Identifier: MIT
/* trace_model - a whole session in memory: JSON chunks, probes, samples; events streamed later. */
#include "lib/trace/trace_reader.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <json-c/json.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "lib/hugemem.h"

/* Where a session's events are: the file (kept open) or memory, and its EVENTS chunks. */
struct trace_events_index {
	struct trace_events_source src;
	char *name;
	struct trace_events_ref *refs;
	size_t n, cap;
};

struct loader {
	struct trace_session *s;
	struct trace_read_status *st; /* where a rejection's reason goes */
	uint64_t nsamples;	      /* in the whole file so far */
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

/*
 * declared_count - config's @key (runs, iterations) into *@out: 0 when absent, else a count of
 * at least 1 (the runner allows no less) that fits 32 bits, or the chunk is refused.
 */
static int declared_count(struct loader *l, uint32_t id, struct json_object *config,
			  const char *key, uint32_t *out)
{
	struct json_object *v;
	int64_t n;

	*out = 0;
	if (!config || !json_object_object_get_ex(config, key, &v))
		return 0;
	n = json_object_get_int64(v);
	if (n < 1 || n > UINT32_MAX)
		return reject(l, "PROBE chunk of probe %u declares %" PRId64 " %s, not 1 to %u", id,
			      n, key, UINT32_MAX);
	*out = (uint32_t)n;
	return 0;
}

/* add_probe - a PROBE chunk: a new probe with its name and configuration. */
static int add_probe(struct loader *l, struct json_object *obj)
{
	struct trace_session *s = l->s;
	struct json_object *name, *config = NULL;
	struct trace_probe *p;
	uint32_t id, runs, iterations;

	if (!probe_id_of(obj, &id))
		return reject(l, "PROBE chunk without a valid \"probe_id\"");
	if (trace_session_probe(s, id))
		return reject(l, "probe %u begins a second time", id);
	if (!json_object_object_get_ex(obj, "probe", &name)) /* a string: the reader checked */
		return reject(l, "PROBE chunk of probe %u without a \"probe\" name", id);
	json_object_object_get_ex(obj, "config", &config); /* an object: the reader checked */
	if (declared_count(l, id, config, "runs", &runs) ||
	    declared_count(l, id, config, "iterations", &iterations))
		return -EBADMSG;
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
	p->declared_runs = runs;
	p->declared_iterations = iterations;
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

/* check_run - a RUN chunk's "run" is one its probe declares (any count when it declares none). */
static int check_run(struct loader *l, const struct trace_probe *p, struct json_object *obj)
{
	struct json_object *v;
	int64_t run;

	if (!json_object_object_get_ex(obj, "run", &v))
		return 0;
	run = json_object_get_int64(v);
	if (run < 0 || run >= (p->declared_runs ? p->declared_runs : (int64_t)UINT32_MAX + 1))
		return reject(l,
			      "RUN chunk of probe %u names run %" PRId64
			      ", but the probe declares %u runs (the file is damaged)",
			      p->probe_id, run, p->declared_runs);
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
		if (!p || check_run(l, p, obj))
			return -EBADMSG;
		return json_object_array_add(p->runs, json_object_get(obj)) ? -ENOMEM : 0;
	default: /* TRACE_CHUNK_PROBE_END: the reader hands over no other type */
		p = find_probe(l, type, obj);
		if (!p)
			return -EBADMSG;
		return keep_once(l, &p->end, type, obj);
	}
}

/*
 * beyond - the first of @n samples whose run or iteration is not below @runs or @iterations,
 * or @n when none is.
 */
static size_t beyond(const struct trace_sample *s, size_t n, uint64_t runs, uint64_t iterations)
{
	size_t i;

	for (i = 0; i < n; i++) {
		if (s[i].run >= runs || s[i].iteration >= iterations)
			break;
	}
	return i;
}

/*
 * check_declared - samples of @p must lie in the run x iteration plane its PROBE chunk declares:
 * a damaged run or iteration number would otherwise size the analysis' arrays and loops.
 */
static int check_declared(struct loader *l, const struct trace_probe *p,
			  const struct trace_sample *s, size_t n)
{
	uint64_t runs = p->declared_runs ? p->declared_runs : UINT64_MAX;
	uint64_t iterations = p->declared_iterations ? p->declared_iterations : UINT64_MAX;
	size_t i = beyond(s, n, runs, iterations);

	if (i == n)
		return 0;
	if (s[i].run >= runs)
		return reject(l,
			      "sample %zu of probe %u claims run %u, but the probe declares %u "
			      "runs (the file is damaged)",
			      p->nsamples + i, p->probe_id, s[i].run, p->declared_runs);
	return reject(l,
		      "sample %zu of probe %u claims iteration %u, but the probe declares %u "
		      "iterations per run (the file is damaged)",
		      p->nsamples + i, p->probe_id, s[i].iteration, p->declared_iterations);
}

/* on_samples - append samples to their probe, growing its array geometrically. */
static int on_samples(void *ctx, uint32_t probe_id, const struct trace_sample *s, size_t n)
{
	struct loader *l = ctx;
	struct trace_probe *p = trace_session_probe(l->s, probe_id);

	if (!p)
		return reject(l, "samples of probe %u, which no PROBE chunk began", probe_id);
	if (check_declared(l, p, s, n))
		return -EBADMSG;
	l->nsamples += n;
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

/* on_events_ref - the model keeps where the events are: trace_session_read_events() reads them. */
static int on_events_ref(void *ctx, const struct trace_events_ref *ref)
{
	struct loader *l = ctx;
	struct trace_events_index *x = l->s->events;

	if (x->n == x->cap) {
		size_t cap = x->cap ? x->cap * 2 : 64;
		struct trace_events_ref *grown = realloc(x->refs, cap * sizeof(*grown));

		if (!grown)
			return -ENOMEM;
		x->refs = grown;
		x->cap = cap;
	}
	x->refs[x->n++] = *ref;
	l->s->nevents += ref->count;
	return 0;
}

static const struct trace_reader_ops model_ops = {
    .on_json = on_json,
    .on_samples = on_samples,
    .on_events_ref = on_events_ref,
};

/*
 * check_undeclared - a probe whose PROBE chunk declares no runs or iterations (a file not
 * written by the runner) is bounded by what the file holds: no run or iteration number beyond
 * the file's count of samples.
 */
static int check_undeclared(const struct loader *l, char *err, size_t errlen)
{
	const struct trace_session *s = l->s;

	for (size_t k = 0; k < s->nprobes; k++) {
		const struct trace_probe *p = &s->probes[k];
		size_t i = beyond(p->samples, p->nsamples,
				  p->declared_runs ? p->declared_runs : l->nsamples,
				  p->declared_iterations ? p->declared_iterations : l->nsamples);

		if (i == p->nsamples)
			continue;
		snprintf(err, errlen,
			 "'%s': sample %zu of probe %u claims run %u, iteration %u, but the probe "
			 "declares no such bound and the file holds only %" PRIu64
			 " samples (the file is damaged)",
			 s->events->name, i, p->probe_id, p->samples[i].run,
			 p->samples[i].iteration, l->nsamples);
		return -EBADMSG;
	}
	return 0;
}

/* session_new - an empty session whose events index reads from @fd (closed on failure) or @buf. */
static struct trace_session *session_new(const char *name, int fd, const void *buf, size_t len)
{
	struct trace_session *s = calloc(1, sizeof(*s));
	struct trace_events_index *x = calloc(1, sizeof(*x));
	char *copy = strdup(name);

	if (!s || !x || !copy) {
		if (fd >= 0)
			close(fd);
		free(s);
		free(x);
		free(copy);
		return NULL;
	}
	x->name = copy;
	x->src = (struct trace_events_source){.fd = fd, .mem = buf, .size = len, .name = copy};
	s->events = x;
	return s;
}

/*
 * load - read the file into @s and check what only the whole file tells; 0 and *@out, or
 * -errno with @err set and @s freed.
 */
static int load(struct trace_session *s, struct trace_session **out, char *err, size_t errlen)
{
	struct trace_events_index *x = s->events;
	struct loader l = {.s = s, .st = &s->status};
	int ret;

	if (x->src.fd >= 0)
		ret = trace_reader_read_fd(x->src.fd, x->name, &model_ops, &l, &s->status);
	else
		ret = trace_reader_read_mem(x->src.mem, x->src.size, x->name, &model_ops, &l,
					    &s->status);
	x->src.version = s->status.version;
	if (ret)
		snprintf(err, errlen, "%s", s->status.err);
	else
		ret = check_undeclared(&l, err, errlen);
	if (!ret && trace_session_split_observed(s)) {
		snprintf(err, errlen, "out of memory splitting the runs of '%s'", x->name);
		ret = -ENOMEM;
	}
	if (ret) {
		trace_session_free(s);
		return ret;
	}
	*out = s;
	return 0;
}

int trace_session_load(const char *path, struct trace_session **out, char *err, size_t errlen)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	struct trace_session *s;
	int ret;

	if (fd < 0) {
		ret = -errno;
		snprintf(err, errlen, "failed to open '%s': %s", path, strerror(-ret));
		return ret;
	}
	s = session_new(path, fd, NULL, 0);
	if (!s) {
		snprintf(err, errlen, "out of memory loading '%s'", path);
		return -ENOMEM;
	}
	return load(s, out, err, errlen);
}

int trace_session_load_mem(const void *buf, size_t len, const char *name,
			   struct trace_session **out, char *err, size_t errlen)
{
	struct trace_session *s = session_new(name, -1, buf, len);

	if (!s) {
		snprintf(err, errlen, "out of memory loading '%s'", name);
		return -ENOMEM;
	}
	return load(s, out, err, errlen);
}

int trace_session_read_events(const struct trace_session *s,
			      int (*on_events)(void *ctx, const struct tracer_event *ev, size_t n),
			      void *ctx, char *err, size_t errlen)
{
	struct trace_read_status st;
	int ret;

	if (!s->events || !s->events->n)
		return 0;
	ret = trace_reader_read_events(&s->events->src, s->events->refs, s->events->n, on_events,
				       ctx, &st);
	if (ret)
		snprintf(err, errlen, "%s", st.err[0] ? st.err : strerror(-ret));
	return ret;
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
	if (s->events) {
		if (s->events->src.fd >= 0)
			close(s->events->src.fd);
		free(s->events->name);
		free(s->events->refs);
		free(s->events);
	}
	json_object_put(s->session);
	json_object_put(s->platform);
	json_object_put(s->tracer);
	json_object_put(s->end);
	free(s);
}
