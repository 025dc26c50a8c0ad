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
#include "analysis/export/export_perfetto_cpus.h"
#include "analysis/export/export_perfetto_flows.h"
#include "analysis/export/export_perfetto_json.h"
#include "analysis/model/report_model.h"
#include "lib/arch/arch.h"

/* CPU tracks: events, EXITS/STEAL windows, what ran (the tids above EXPORT_PF_CPU_PID + 1). */
#define PF_CPU_TRACKS (3 * TRACER_MAX_CPUS)

/* pf_probe - one probe's spikes, and for each sample its spike (index + 1; 0: none). */
struct pf_probe {
	struct spike *sp;
	size_t nsp;
	uint32_t *spike_of;
};

struct pf {
	struct pf_writer w;
	struct trace_read_status *st;
	struct export_perfetto_stats *stats;
	struct trace_session *s;
	const struct arch *arch;    /* s's: what its syscall numbers are */
	struct pf_probe *pp;	    /* s->nprobes */
	struct attr_probe_in *in;   /* s->nprobes, the join's input */
	struct attr_probe_out *out; /* s->nprobes, the join's result */
	struct attr_join *j;
	struct attr_platform pf;  /* what the join needs to know of the platform */
	struct attr_names *names; /* the NAME records' */
	struct pf_cpus *cpus;	  /* what ran where: its points */
	uint64_t flow_id;	  /* the last flow's id */
	uint32_t runner;	  /* the runner's pid (its process is named apart) */
	bool cpus_named;	  /* the process holding the CPU tracks is named */
	uint8_t cpu_named[PF_CPU_TRACKS / 8];
};

/*
 * pf_name_cpu - name track @track (a CPU's; TRACER_MAX_CPUS + cpu: the windows of its EXITS
 * and STEAL counts, which would overlap its slices; 2 * TRACER_MAX_CPUS + cpu: what ran on it)
 * and their process, on its first event.
 */
static int pf_name_cpu(struct pf *x, unsigned int track)
{
	static const char *const kinds[] = {"", " windows", " ran"};
	unsigned int cpu = track % TRACER_MAX_CPUS;
	char name[32];
	int ret;

	if (!x->cpus_named) {
		x->cpus_named = true;
		ret = pf_meta(&x->w, "process_name", EXPORT_PF_CPU_PID, 0, "CPUs (kernel events)");
		if (ret)
			return ret;
	}
	if (track >= PF_CPU_TRACKS || x->cpu_named[track / 8] & (1u << (track % 8)))
		return 0;
	x->cpu_named[track / 8] |= 1u << (track % 8);
	snprintf(name, sizeof(name), "cpu %u%s", cpu, kinds[track / TRACER_MAX_CPUS]);
	return pf_meta(&x->w, "thread_name", EXPORT_PF_CPU_PID, EXPORT_PF_CPU_PID + 1 + track,
		       name);
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
	struct json_object *o;
	uint32_t pid, tid;
	char name[64];
	int ret;

	pf_event_track(e->type, e->cpu, e->tgid, e->tid, &pid, &tid);
	if (cpu_track) {
		ret = pf_name_cpu(x, pf_cpu_track(e->type, e->cpu));
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
	return pf_put(&x->w, o);
}

/*
 * pf_name_thread - a NAME record: the thread's name, and its process's for a main thread (but
 * the runner's, named apart). Kept for what-ran slices too.
 */
static int pf_name_thread(struct pf *x, const struct tracer_event *e)
{
	char comm[17];
	int ret;

	if (!e->tid)
		return 0;
	ret = attr_names_add(&x->names, e);
	if (ret)
		return ret;
	x->stats->names++;
	memcpy(comm, &e->arg0, 8);
	memcpy(comm + 8, &e->arg1, 8);
	comm[16] = '\0';
	ret = pf_meta(&x->w, "thread_name", e->tgid, e->tid, comm);
	if (ret || e->tid != e->tgid || e->tgid == x->runner)
		return ret;
	return pf_meta(&x->w, "process_name", e->tgid, 0, comm);
}

static int pf_on_events(void *ctx, const struct tracer_event *ev, size_t n)
{
	struct pf *x = ctx;
	size_t i;
	int ret;

	ret = x->j ? attr_join__add(x->j, ev, n) : 0;
	if (!ret)
		ret = pf_cpus__add(&x->cpus, ev, n);
	if (ret) {
		snprintf(x->st->err, sizeof(x->st->err), "out of memory keeping the events");
		return ret;
	}
	x->stats->events += n;
	for (i = 0; i < n; i++) {
		if (ev[i].type == TRACER_EV_NAME)
			ret = pf_name_thread(x, &ev[i]);
		else
			ret = pf_kernel_event(x, &ev[i]);
		if (ret)
			return ret;
	}
	return 0;
}

/* pf_name_ran - name CPU @cpu's track of what ran (pf_cpus_name_fn). */
static int pf_name_ran(void *ctx, unsigned int cpu)
{
	return pf_name_cpu(ctx, 2 * TRACER_MAX_CPUS + cpu);
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

/* pf_spike_flows - the flows from iteration @i of probe @k, if an attributed spike. */
static int pf_spike_flows(struct pf *x, size_t k, size_t i, uint32_t pid)
{
	const struct trace_sample *s = &x->s->probes[k].samples[i];
	uint32_t spike = x->pp[k].spike_of[i];

	if (!spike || !x->j)
		return 0;
	return pf_flows_spike(
	    &x->w, &x->out[k].spikes[spike - 1], pid, s->run + 1, s->mono_start_ns,
	    s->mono_end_ns > s->mono_start_ns ? s->mono_end_ns - s->mono_start_ns : 0, &x->flow_id,
	    &x->stats->flows);
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
	char name[160];
	size_t i;
	int ret;

	pf_probe_label(p, name, sizeof(name));
	ret = pf_meta(&x->w, "process_name", pid, 0, name);
	for (i = 0; !ret && i < p->nsamples; i++) {
		/*
		 * Runs need not come in run order (an observed probe's untraced runs come first):
		 * name a run where it starts (a name said twice does no harm).
		 */
		if (!i || p->samples[i].run != p->samples[i - 1].run) {
			snprintf(name, sizeof(name), "run %" PRIu32, p->samples[i].run);
			ret = pf_meta(&x->w, "thread_name", pid, p->samples[i].run + 1, name);
		}
		if (!ret)
			ret = pf_put(&x->w, pf_sample(x, k, i, pid));
		if (!ret)
			ret = pf_spike_flows(x, k, i, pid);
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
		size_t ntraced;
		/* spikes are the traced runs' (as analyze finds them), indexed among those */
		const struct trace_sample *traced = trace_probe_traced_samples(p, &ntraced);
		size_t skip = (size_t)(traced - p->samples);

		ret = attr_find_spikes(x->s, p, &o->spikes, &pp->sp, &pp->nsp, NULL);
		if (ret)
			return ret;
		pp->spike_of = calloc(p->nsamples + 1, sizeof(*pp->spike_of));
		if (!pp->spike_of)
			return -ENOMEM;
		for (i = 0; i < pp->nsp; i++)
			pp->spike_of[skip + pp->sp[i].sample] = (uint32_t)i + 1;
		x->in[k] = (struct attr_probe_in){.spikes = pp->sp,
						  .nspikes = pp->nsp,
						  .samples = traced,
						  .nsamples = ntraced,
						  .timed_tid = attr_timed_tid(x->s, p)};
	}
	attr_platform_of(x->s, &x->pf);
	return o->causes ? attr_join__new(x->in, n, x->arch, &x->pf, &x->j) : 0;
}

/* pf_begin - the document's opening and the runner's process name. */
static int pf_begin(struct pf *x)
{
	fputs("{\"traceEvents\":[", x->w.f);
	if (!rm_has(x->s->session, RK_SESSION_PID))
		return 0;
	x->runner = (uint32_t)json_object_get_int64(rm_find(x->s->session, RK_SESSION_PID));
	return pf_meta(&x->w, "process_name", x->runner, 0, "ringscope runner");
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
	fprintf(x->w.f, "\n],\n\"displayTimeUnit\":\"ns\",\n\"otherData\":%s}\n",
		json_object_to_json_string_ext(other, JSON_C_TO_STRING_PLAIN |
							  JSON_C_TO_STRING_NOSLASHESCAPE));
	json_object_put(other);
	return ferror(x->w.f) ? -EIO : 0;
}

/* pf_free - release what pf_prepare and the join made. */
static void pf_free(struct pf *x)
{
	size_t k;

	attr_join__free(x->j);
	attr_names_free(x->names);
	pf_cpus__free(x->cpus);
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
	if (!ret)
		ret = pf_cpus__write(x->cpus, &x->w, x->names, pf_name_ran, x, &x->stats->ran);
	pf_cpus__free(x->cpus); /* before the join's split, which needs memory of its own */
	x->cpus = NULL;
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
	struct pf x = {
	    .w = {.f = f, .err = st->err, .errlen = sizeof(st->err)}, .st = st, .stats = stats};
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
