// SPDX-License-Identifier: MIT
/*
 * export_perfetto_cpus - what ran on each CPU (export_perfetto_cpus.h): the points of every
 * event kept (16 bytes each), sorted once the stream has ended, swept per CPU into slices.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdbool.h>
#include <stdlib.h>

#include "analysis/export/export_perfetto.h"
#include "analysis/export/export_perfetto_cpus.h"

/* What a point says; at one time on one CPU a switch's out comes before its in. */
enum pf_point_kind {
	PF_OUT = 0,  /* tid left the CPU at ts (a switch the tracer saw) */
	PF_IN = 1,   /* tid took the CPU at ts */
	PF_SEEN = 2, /* tid was running at ts */
};

struct pf_point {
	uint64_t ts;
	uint32_t tid;
	uint16_t cpu;
	uint8_t kind;
	uint8_t pad;
};
_Static_assert(sizeof(struct pf_point) == 16, "a point is 16 bytes");

struct pf_cpus {
	struct pf_point *p;
	size_t n, cap;
};

/* pf_point_add - one point; 0 or -ENOMEM. */
static int pf_point_add(struct pf_cpus *c, uint64_t ts, uint32_t tid, uint32_t cpu,
			enum pf_point_kind kind)
{
	struct pf_point *bigger;

	if (cpu >= TRACER_MAX_CPUS)
		return 0; /* a damaged record: no track to put it on */
	if (c->n == c->cap) {
		bigger = realloc(c->p, (c->cap ? 2 * c->cap : 4096) * sizeof(*c->p));
		if (!bigger)
			return -ENOMEM;
		c->p = bigger;
		c->cap = c->cap ? 2 * c->cap : 4096;
	}
	c->p[c->n++] = (struct pf_point){.ts = ts, .tid = tid, .cpu = (uint16_t)cpu, .kind = kind};
	return 0;
}

/* pf_cpus_event - the points of one event (none for the kinds that say nothing of who ran). */
static int pf_cpus_event(struct pf_cpus *c, const struct tracer_event *e)
{
	uint64_t end = e->ts_ns + e->dur_ns;
	int ret = 0;

	switch (e->type) {
	case TRACER_EV_OFFCPU: /* left CPU arg2 at ts; back on e->cpu, where this was recorded */
		ret = pf_point_add(c, e->ts_ns, e->tid, e->arg2, PF_OUT);
		if (!ret && (e->flags & TRACER_F_NEXT_SEEN))
			ret =
			    pf_point_add(c, e->ts_ns, TRACER_OFFCPU_NEXT(e->arg1), e->arg2, PF_IN);
		return ret ? ret : pf_point_add(c, end, e->tid, e->cpu, PF_IN);
	case TRACER_EV_TRACER: /* the tracer's consumer on the CPU */
	case TRACER_EV_RAN:    /* an untraced thread held the CPU while a traced one was away */
		if (e->type == TRACER_EV_TRACER && e->arg0 != TRACER_SELF_ONCPU)
			return 0;
		ret = pf_point_add(c, e->ts_ns, e->tid, e->cpu, PF_IN);
		return ret ? ret : pf_point_add(c, end, e->tid, e->cpu, PF_OUT);
	case TRACER_EV_IRQ:
	case TRACER_EV_SOFTIRQ:
	case TRACER_EV_IPI:
	case TRACER_EV_IDLE: /* tid 0: the idle task */
		ret = pf_point_add(c, e->ts_ns, e->tid, e->cpu, PF_SEEN);
		return ret ? ret : pf_point_add(c, end, e->tid, e->cpu, PF_SEEN);
	case TRACER_EV_SYSCALL: /* recorded at its exit, on the CPU it ended on */
		return pf_point_add(c, end, e->tid, e->cpu, PF_SEEN);
	case TRACER_EV_PAGE_FAULT:
		return pf_point_add(c, e->ts_ns, e->tid, e->cpu, PF_SEEN);
	default:
		return 0;
	}
}

int pf_cpus__add(struct pf_cpus **c, const struct tracer_event *ev, size_t n)
{
	size_t i;
	int ret;

	if (!*c) {
		*c = calloc(1, sizeof(**c));
		if (!*c)
			return -ENOMEM;
	}
	for (i = 0; i < n; i++) {
		ret = pf_cpus_event(*c, &ev[i]);
		if (ret)
			return ret;
	}
	return 0;
}

static int pf_point_cmp(const void *a, const void *b)
{
	const struct pf_point *x = a, *y = b;

	if (x->cpu != y->cpu)
		return x->cpu < y->cpu ? -1 : 1;
	if (x->ts != y->ts)
		return x->ts < y->ts ? -1 : 1;
	return (int)x->kind - (int)y->kind;
}

/* pf_run - the task a CPU is known to run: since when, how that is known, when last seen. */
struct pf_run {
	uint64_t start, last;
	uint32_t tid;
	bool on;	   /* a task is known to run */
	bool switched_in;  /* start is its switch to this CPU, not its first sighting */
	const char *ended; /* how the slice ended: "switched out", "next switch", "last seen" */
};

/* pf_ran_slice - the slice of @r up to @end on CPU @cpu's track (none if empty). */
static int pf_ran_slice(struct pf_writer *w, const struct attr_names *names, unsigned int cpu,
			const struct pf_run *r, uint64_t end, uint64_t *slices)
{
	const char *comm = attr_names_get(names, r->tid);
	uint32_t tgid = attr_names_tgid(names, r->tid);
	struct json_object *o, *args;
	char name[48];

	if (end <= r->start)
		return 0;
	if (!r->tid)
		snprintf(name, sizeof(name), "idle");
	else if (comm)
		snprintf(name, sizeof(name), "%s %" PRIu32, comm, r->tid);
	else
		snprintf(name, sizeof(name), "tid %" PRIu32, r->tid);
	o = pf_event(name, "sched", "X", EXPORT_PF_CPU_PID, EXPORT_PF_RAN_TID(cpu));
	args = json_object_new_object();
	if (!o || !args) {
		json_object_put(o);
		json_object_put(args);
		return pf_put(w, NULL);
	}
	json_object_object_add(o, "ts", pf_us(r->start));
	json_object_object_add(o, "dur", pf_us(end - r->start));
	pf_add_u64(args, "tid", r->tid);
	if (tgid)
		pf_add_u64(args, "tgid", tgid);
	json_object_object_add(
	    args, "start", json_object_new_string(r->switched_in ? "switched in" : "first seen"));
	json_object_object_add(args, "end", json_object_new_string(r->ended));
	json_object_object_add(o, "args", args);
	++*slices;
	return pf_put(w, o);
}

/*
 * pf_ran_point - what point @p does to CPU @cpu's running task @r: it may end @r's slice
 * (written) and start the next.
 */
static int pf_ran_point(struct pf_writer *w, const struct attr_names *names, unsigned int cpu,
			struct pf_run *r, const struct pf_point *p, uint64_t *slices)
{
	bool same = r->on && r->tid == p->tid;
	int ret = 0;

	if (p->kind == PF_SEEN && same) {
		r->last = p->ts;
		return 0;
	}
	if (p->kind == PF_IN && same && r->start == p->ts)
		return 0; /* the switch told twice: by who left and by who came back */
	if (r->on && p->kind == PF_OUT && same) {
		r->ended = "switched out";
		ret = pf_ran_slice(w, names, cpu, r, p->ts, slices);
	} else if (r->on && p->kind == PF_IN && !same) {
		r->ended = "next switch"; /* untraced tasks may have taken turns before it */
		ret = pf_ran_slice(w, names, cpu, r, p->ts, slices);
	} else if (r->on) {
		r->ended =
		    "last seen"; /* another task ran since: when it took over, nothing says */
		ret = pf_ran_slice(w, names, cpu, r, r->last, slices);
	}
	*r = (struct pf_run){.start = p->ts,
			     .last = p->ts,
			     .tid = p->tid,
			     .on = p->kind != PF_OUT,
			     .switched_in = p->kind == PF_IN};
	return ret;
}

int pf_cpus__write(struct pf_cpus *c, struct pf_writer *w, const struct attr_names *names,
		   pf_cpus_name_fn name, void *ctx, uint64_t *slices)
{
	struct pf_run r = {0};
	size_t i;
	int ret = 0;

	if (!c || !c->n)
		return 0;
	qsort(c->p, c->n, sizeof(*c->p), pf_point_cmp);
	for (i = 0; !ret && i < c->n; i++) {
		if (!i || c->p[i].cpu != c->p[i - 1].cpu) {
			r = (struct pf_run){0};
			ret = name(ctx, c->p[i].cpu);
		}
		if (!ret)
			ret = pf_ran_point(w, names, c->p[i].cpu, &r, &c->p[i], slices);
		if (!ret && r.on && (i + 1 == c->n || c->p[i + 1].cpu != c->p[i].cpu)) {
			r.ended = "last seen";
			ret = pf_ran_slice(w, names, c->p[i].cpu, &r, r.last, slices);
		}
	}
	return ret;
}

void pf_cpus__free(struct pf_cpus *c)
{
	if (c)
		free(c->p);
	free(c);
}
