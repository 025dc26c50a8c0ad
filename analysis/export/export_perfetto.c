// SPDX-License-Identifier: MIT
/*
 * export_perfetto - a trace file as Chrome trace-event JSON: the session's samples are loaded
 * (a probe's spikes need its median), the events stream through once, each written as it
 * comes and fed to the attribution join; the iterations follow, spikes carrying their cause.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include "analysis/attribution/attribution_report.h"
#include "analysis/export/export_perfetto.h"
#include "analysis/model/report_model.h"
#include "lib/arch/arch.h"

/* pf_probe - one probe's spikes, and for each sample its spike (index + 1; 0: none). */
struct pf_probe {
	struct spike *sp;
	size_t nsp;
	uint32_t *spike_of;
};

struct pf {
	FILE *f;
	struct trace_read_status *st;
	struct export_perfetto_stats *stats;
	struct trace_session *s;
	const struct arch *arch;    /* s's: what its syscall numbers are */
	struct pf_probe *pp;	    /* s->nprobes */
	struct attr_probe_in *in;   /* s->nprobes, the join's input */
	struct attr_probe_out *out; /* s->nprobes, the join's result */
	struct attr_join *j;
	struct attr_platform pf; /* what the join needs to know of the platform */
	bool written;		 /* an event was written: the next needs a separator */
	bool cpus_named;	 /* the process holding the CPU tracks is named */
	uint8_t cpu_named[2 * TRACER_MAX_CPUS / 8]; /* CPU tracks, then CPU window tracks */
};

/* pf_us - @ns as microseconds, printed exactly to the nanosecond ("12.345"). */
static struct json_object *pf_us(uint64_t ns)
{
	char buf[32];

	snprintf(buf, sizeof(buf), "%" PRIu64 ".%03u", ns / 1000, (unsigned int)(ns % 1000));
	return json_object_new_double_s((double)ns / 1000.0, buf);
}

/* pf_event - a trace event's common fields; NULL when out of memory. */
static struct json_object *pf_event(const char *name, const char *cat, const char *ph, uint32_t pid,
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

/* pf_put - write @o (taking it) as the next element of traceEvents. 0, -ENOMEM or -EIO. */
static int pf_put(struct pf *x, struct json_object *o)
{
	if (!o) {
		snprintf(x->st->err, sizeof(x->st->err), "out of memory");
		return -ENOMEM;
	}
	fputs(x->written ? ",\n" : "\n", x->f);
	fputs(json_object_to_json_string_ext(o, JSON_C_TO_STRING_PLAIN |
						    JSON_C_TO_STRING_NOSLASHESCAPE),
	      x->f);
	json_object_put(o);
	x->written = true;
	if (ferror(x->f)) {
		snprintf(x->st->err, sizeof(x->st->err), "failed to write the JSON: %s",
			 strerror(errno));
		return -EIO;
	}
	return 0;
}

/* pf_meta - a metadata event ("process_name", "thread_name") naming a track. */
static int pf_meta(struct pf *x, const char *what, uint32_t pid, uint32_t tid, const char *name)
{
	struct json_object *o = pf_event(what, "__metadata", "M", pid, tid), *args;

	if (o) {
		args = json_object_new_object();
		json_object_object_add(args, "name", json_object_new_string(name));
		json_object_object_add(o, "args", args);
	}
	return pf_put(x, o);
}

/*
 * pf_name_cpu - name track @track (a CPU's, or TRACER_MAX_CPUS + cpu: the windows of its EXITS
 * and STEAL counts, which would overlap its slices) and their process, on its first event.
 */
static int pf_name_cpu(struct pf *x, unsigned int track)
{
	unsigned int cpu = track % TRACER_MAX_CPUS;
	char name[32];
	int ret;

	if (!x->cpus_named) {
		x->cpus_named = true;
		ret = pf_meta(x, "process_name", EXPORT_PF_CPU_PID, 0, "CPUs (kernel events)");
		if (ret)
			return ret;
	}
	if (track >= 2 * TRACER_MAX_CPUS || x->cpu_named[track / 8] & (1u << (track % 8)))
		return 0;
	x->cpu_named[track / 8] |= 1u << (track % 8);
	snprintf(name, sizeof(name), track < TRACER_MAX_CPUS ? "cpu %u" : "cpu %u windows", cpu);
	return pf_meta(x, "thread_name", EXPORT_PF_CPU_PID, EXPORT_PF_CPU_PID + 1 + track, name);
}

/* pf_on_cpu_track - events about a CPU rather than a traced thread (bpf/tracer.h). */
static bool pf_on_cpu_track(uint8_t type)
{
	switch (type) {
	case TRACER_EV_IRQ:
	case TRACER_EV_SOFTIRQ:
	case TRACER_EV_SOFTIRQ_RAISE:
	case TRACER_EV_IPI:
	case TRACER_EV_NET_QUEUE:
	case TRACER_EV_NET_XMIT:
	case TRACER_EV_NET_RECEIVE:
	case TRACER_EV_NAPI_POLL:
	case TRACER_EV_TCP_RETRANSMIT:
	case TRACER_EV_IDLE:
	case TRACER_EV_ABSENT:
	case TRACER_EV_EXITS:
	case TRACER_EV_MSR_WRITE:
	case TRACER_EV_STEAL:
		return true;
	default:
		return false;
	}
}

/*
 * pf_is_interval - the event types that span time are slices, even when 0 ns long. An io_uring
 * request's lifecycle is an instant at its submission (its stamps in the args): it spans the
 * syscalls it outlives, and a slice that overlaps them partially is dropped by Perfetto.
 */
static bool pf_is_interval(const struct tracer_event *e)
{
	return e->type == TRACER_EV_SYSCALL || e->type == TRACER_EV_OFFCPU ||
	       e->type == TRACER_EV_IRQ || e->type == TRACER_EV_SOFTIRQ ||
	       e->type == TRACER_EV_IPI || (e->dur_ns > 0 && e->type != TRACER_EV_IOURING_REQ);
}

/* pf_event_name - "io_uring_enter", "softirq NET_RX", "off cpu, preempted", ... */
static void pf_event_name(const struct pf *x, const struct tracer_event *e, char *buf, size_t len)
{
	struct attr_key_event k = {
	    .arg0 = e->arg0, .arg2 = e->arg2, .type = e->type, .flags = e->flags};
	const char *name;

	if (e->type != TRACER_EV_SYSCALL) {
		attr_event_what(x->arch, &k, buf, len);
		return;
	}
	name = arch_syscall_name(x->arch, e->arg0);
	if (name)
		snprintf(buf, len, "%s", name);
	else
		snprintf(buf, len, "syscall %" PRIu64, (uint64_t)e->arg0);
}

static void pf_add_u64(struct json_object *o, const char *key, uint64_t v)
{
	json_object_object_add(o, key, json_object_new_uint64(v));
}

/* pf_event_args - the event's fields, named by its type's meaning where bpf/tracer.h gives one. */
static struct json_object *pf_event_args(const struct tracer_event *e, bool cpu_track)
{
	struct json_object *a = json_object_new_object();

	if (!a)
		return NULL;
	if (cpu_track) {
		pf_add_u64(a, "running_tid", e->tid);
		pf_add_u64(a, "running_tgid", e->tgid);
	} else {
		pf_add_u64(a, "cpu", e->cpu);
	}
	switch (e->type) {
	case TRACER_EV_SYSCALL:
		pf_add_u64(a, "nr", e->arg0);
		json_object_object_add(a, "ret", json_object_new_int64((int64_t)e->arg1));
		if (e->arg2 != TRACER_FD_NONE)
			pf_add_u64(a, "fd", e->arg2);
		if (e->flags & (TRACER_F_FD_SOCKET | TRACER_F_FD_OTHER))
			json_object_object_add(a, "fd_kind",
					       json_object_new_string(e->flags & TRACER_F_FD_SOCKET
									  ? "socket"
									  : "other"));
		break;
	case TRACER_EV_OFFCPU:
		pf_add_u64(a, "wakeup_ns", e->arg0);
		pf_add_u64(a, "prev_state", TRACER_OFFCPU_STATE(e->arg1));
		pf_add_u64(a, "left_cpu", e->arg2);
		json_object_object_add(a, "preempted",
				       json_object_new_boolean(e->flags & TRACER_F_PREEMPTED));
		break;
	case TRACER_EV_SOFTIRQ:
		pf_add_u64(a, "vector", e->arg0);
		pf_add_u64(a, "packets", e->arg1);
		pf_add_u64(a, "napi_work", e->arg2);
		break;
	default:
		pf_add_u64(a, "arg0", e->arg0);
		pf_add_u64(a, "arg1", e->arg1);
		pf_add_u64(a, "arg2", e->arg2);
	}
	return a;
}

/*
 * pf_kernel_event - one event: a slice or an instant, on its thread's track (pid = tgid) or,
 * for the per-CPU kinds, on its CPU's track.
 */
static int pf_kernel_event(struct pf *x, const struct tracer_event *e)
{
	bool cpu_track = pf_on_cpu_track(e->type), iv = pf_is_interval(e);
	bool window = e->type == TRACER_EV_EXITS || e->type == TRACER_EV_STEAL;
	unsigned int track = (window ? TRACER_MAX_CPUS : 0) + e->cpu % TRACER_MAX_CPUS;
	uint32_t pid = cpu_track ? EXPORT_PF_CPU_PID : e->tgid;
	uint32_t tid = cpu_track ? EXPORT_PF_CPU_PID + 1 + track : e->tid;
	struct json_object *o;
	char name[64];
	int ret;

	if (cpu_track) {
		ret = pf_name_cpu(x, track);
		if (ret)
			return ret;
	}
	pf_event_name(x, e, name, sizeof(name));
	o = pf_event(name, attr_type_name(e->type), iv ? "X" : "i", pid, tid);
	if (o) {
		json_object_object_add(o, "ts", pf_us(e->ts_ns));
		if (iv)
			json_object_object_add(o, "dur", pf_us(e->dur_ns));
		else
			json_object_object_add(o, "s", json_object_new_string("t"));
		json_object_object_add(o, "args", pf_event_args(e, cpu_track));
	}
	if (iv)
		x->stats->intervals++;
	else
		x->stats->instants++;
	return pf_put(x, o);
}

static int pf_on_events(void *ctx, const struct tracer_event *ev, size_t n)
{
	struct pf *x = ctx;
	size_t i;
	int ret;

	ret = x->j ? attr_join__add(x->j, ev, n) : 0;
	if (ret) {
		snprintf(x->st->err, sizeof(x->st->err), "out of memory joining the events");
		return ret;
	}
	x->stats->events += n;
	for (i = 0; i < n; i++) {
		ret = pf_kernel_event(x, &ev[i]);
		if (ret)
			return ret;
	}
	return 0;
}

/*
 * pf_spike_args - a spike's flag, excess and, when @a (it was attributed), its dominant cause
 * and causes (their split adds up to the excess).
 */
static void pf_spike_args(struct json_object *args, const struct spike *sp,
			  const struct attr_spike *a)
{
	struct json_object *causes;
	unsigned int k;

	json_object_object_add(args, "spike", json_object_new_boolean(1));
	pf_add_u64(args, "excess_ns", sp->excess_ns);
	pf_add_u64(args, "baseline_ns", sp->baseline_ns);
	if (!a)
		return;
	causes = json_object_new_object();
	json_object_object_add(args, "dominant",
			       json_object_new_string(attr_cause_name(a->dominant)));
	for (k = 0; k < ATTR_NCAUSES; k++) {
		if (a->causes_ns[k])
			pf_add_u64(causes, attr_cause_name(k), a->causes_ns[k]);
	}
	json_object_object_add(args, "causes", causes);
}

/* pf_sample - iteration @i of probe @k as a slice on its run's track (tid = run + 1). */
static struct json_object *pf_sample(const struct pf *x, size_t k, size_t i, uint32_t pid)
{
	const struct trace_sample *s = &x->s->probes[k].samples[i];
	uint32_t spike = x->pp[k].spike_of[i];
	struct json_object *o, *args;

	o = pf_event(spike ? "spike" : "iteration", spike ? "spike" : "iteration", "X", pid,
		     s->run + 1);
	args = json_object_new_object();
	if (!o || !args) {
		json_object_put(o);
		json_object_put(args);
		return NULL;
	}
	json_object_object_add(o, "ts", pf_us(s->mono_start_ns));
	json_object_object_add(
	    o, "dur",
	    pf_us(s->mono_end_ns > s->mono_start_ns ? s->mono_end_ns - s->mono_start_ns : 0));
	pf_add_u64(args, "run", s->run);
	pf_add_u64(args, "iteration", s->iteration);
	pf_add_u64(args, "latency_ns", s->latency_ns);
	pf_add_u64(args, "cpu", s->cpu);
	if (s->flags & TRACE_SAMPLE_BAD)
		json_object_object_add(args, "bad", json_object_new_boolean(1));
	if (s->flags & TRACE_SAMPLE_LATE)
		json_object_object_add(args, "late", json_object_new_boolean(1));
	if (spike) {
		pf_spike_args(args, &x->pp[k].sp[spike - 1],
			      x->j ? &x->out[k].spikes[spike - 1] : NULL);
		json_object_object_add(o, "cname", json_object_new_string("terrible"));
	}
	json_object_object_add(o, "args", args);
	return o;
}

/* pf_probe_label - "probe 2: ring hops=3 io=uring": the probe and what sets its tracks apart. */
static void pf_probe_label(const struct trace_probe *p, char *buf, size_t len)
{
	static const enum rm_key keys[] = {RK_CONFIG_HOPS, RK_CONFIG_IO};
	size_t i, n;

	n = (size_t)snprintf(buf, len, "probe %" PRIu32 ": %s", p->probe_id, p->name);
	for (i = 0; i < sizeof(keys) / sizeof(keys[0]) && n < len; i++) {
		if (rm_has(p->config, keys[i]))
			n += (size_t)snprintf(buf + n, len - n, " %s=%s", rm_name(keys[i]),
					      json_object_get_string(rm_find(p->config, keys[i])));
	}
}

/* pf_samples - the tracks of probe @k (named) and its iterations. */
static int pf_samples(struct pf *x, size_t k)
{
	const struct trace_probe *p = &x->s->probes[k];
	uint32_t pid = EXPORT_PF_PROBE_PID + p->probe_id;
	int64_t named = -1; /* runs come in order: name each before its first slice */
	char name[160];
	size_t i;
	int ret;

	pf_probe_label(p, name, sizeof(name));
	ret = pf_meta(x, "process_name", pid, 0, name);
	for (i = 0; !ret && i < p->nsamples; i++) {
		if ((int64_t)p->samples[i].run > named) {
			named = p->samples[i].run;
			snprintf(name, sizeof(name), "run %" PRId64, named);
			ret = pf_meta(x, "thread_name", pid, (uint32_t)named + 1, name);
		}
		if (!ret)
			ret = pf_put(x, pf_sample(x, k, i, pid));
		x->stats->samples++;
		x->stats->spikes += x->pp[k].spike_of[i] != 0;
	}
	return ret;
}

/* pf_prepare - the spikes of every probe, their per-sample index, the join. 0 or -errno. */
static int pf_prepare(struct pf *x, const struct export_perfetto_opts *o)
{
	size_t k, i, n = x->s->nprobes;
	int ret;

	x->pp = calloc(n + 1, sizeof(*x->pp));
	x->in = calloc(n + 1, sizeof(*x->in));
	x->out = calloc(n + 1, sizeof(*x->out));
	if (!x->pp || !x->in || !x->out)
		return -ENOMEM;
	for (k = 0; k < n; k++) {
		const struct trace_probe *p = &x->s->probes[k];
		struct pf_probe *pp = &x->pp[k];

		ret = attr_find_spikes(x->s, p, &o->spikes, &pp->sp, &pp->nsp, NULL);
		if (ret)
			return ret;
		pp->spike_of = calloc(p->nsamples + 1, sizeof(*pp->spike_of));
		if (!pp->spike_of)
			return -ENOMEM;
		for (i = 0; i < pp->nsp; i++)
			pp->spike_of[pp->sp[i].sample] = (uint32_t)i + 1;
		x->in[k] = (struct attr_probe_in){.spikes = pp->sp,
						  .nspikes = pp->nsp,
						  .samples = p->samples,
						  .nsamples = p->nsamples,
						  .timed_tid = attr_timed_tid(x->s, p)};
	}
	attr_platform_of(x->s, &x->pf);
	return o->causes ? attr_join__new(x->in, n, x->arch, &x->pf, &x->j) : 0;
}

/* pf_begin - the document's opening and the runner's process name. */
static int pf_begin(struct pf *x)
{
	fputs("{\"traceEvents\":[", x->f);
	if (!rm_has(x->s->session, RK_SESSION_PID))
		return 0;
	return pf_meta(x, "process_name",
		       (uint32_t)json_object_get_int64(rm_find(x->s->session, RK_SESSION_PID)), 0,
		       "ringscope runner");
}

/* pf_end - close traceEvents; the rest of the document says where it came from. */
static int pf_end(struct pf *x, const char *path, const struct export_perfetto_opts *o)
{
	struct json_object *other = json_object_new_object();

	if (!other)
		return -ENOMEM;
	json_object_object_add(other, "tool", json_object_new_string("ringscope"));
	json_object_object_add(other, "trace", json_object_new_string(path));
	json_object_object_add(other, "clock", json_object_new_string("CLOCK_MONOTONIC"));
	json_object_object_add(other, "spike_k", json_object_new_double(o->spikes.k));
	json_object_object_add(other, "spike_min_ratio",
			       json_object_new_double(o->spikes.min_ratio));
	json_object_object_add(other, "spike_min_excess_ns",
			       json_object_new_double(o->spikes.min_excess_ns));
	json_object_object_add(other, "spike_causes", json_object_new_boolean(o->causes));
	fprintf(x->f, "\n],\n\"displayTimeUnit\":\"ns\",\n\"otherData\":%s}\n",
		json_object_to_json_string_ext(other, JSON_C_TO_STRING_PLAIN |
							  JSON_C_TO_STRING_NOSLASHESCAPE));
	json_object_put(other);
	return ferror(x->f) ? -EIO : 0;
}

/* pf_free - release what pf_prepare and the join made. */
static void pf_free(struct pf *x)
{
	size_t k;

	attr_join__free(x->j);
	for (k = 0; x->pp && k < x->s->nprobes; k++) {
		free(x->pp[k].sp);
		free(x->pp[k].spike_of);
	}
	free(x->pp);
	free(x->in);
	free(x->out);
	trace_session_free(x->s);
}

/* pf_run - prepare, stream the events, then the iterations with their spikes' causes. */
static int pf_run(struct pf *x, const char *path, const struct export_perfetto_opts *o)
{
	const struct trace_reader_ops ops = {.on_events = pf_on_events};
	size_t k;
	int ret;

	ret = pf_prepare(x, o);
	if (!ret)
		ret = pf_begin(x);
	if (!ret)
		ret = trace_reader_read(path, &ops, x, x->st);
	if (ret)
		return ret;
	ret = x->j ? attr_join__finish(x->j, x->out) : 0;
	if (ret)
		return ret; /* the join freed what it had filled */
	for (k = 0; !ret && k < x->s->nprobes; k++)
		ret = pf_samples(x, k);
	for (k = 0; x->j && k < x->s->nprobes; k++)
		attr_probe_out_free(&x->out[k]);
	return ret ? ret : pf_end(x, path, o);
}

int export_perfetto(const char *path, FILE *f, const struct export_perfetto_opts *o,
		    struct export_perfetto_stats *stats, struct trace_read_status *st)
{
	struct pf x = {.f = f, .st = st, .stats = stats};
	int ret;

	memset(st, 0, sizeof(*st));
	memset(stats, 0, sizeof(*stats));
	ret = trace_session_load(path, &x.s, st->err, sizeof(st->err));
	if (ret)
		return ret;
	x.arch = arch_of_platform(x.s->platform);
	ret = pf_run(&x, path, o);
	if (ret && !st->err[0])
		snprintf(st->err, sizeof(st->err), "failed to export '%s': %s", path,
			 strerror(-ret));
	pf_free(&x);
	return ret;
}
