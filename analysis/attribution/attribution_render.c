// SPDX-License-Identifier: MIT
/*
 * attribution_render - spikes as JSON (the analyze report's form) and as text printed from that
 * JSON, so that both forms always say the same thing.
 */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include <json-c/json.h>

#include "analysis/attribution/attribution_iv.h"
#include "analysis/attribution/attribution_report.h"
#include "analysis/model/report_model.h"

static const char *const attr_cause_names[ATTR_NCAUSES + 1] = {
    [ATTR_BUFFER_FLUSH] = "buffer-flush",
    [ATTR_NETWORK] = "network",
    [ATTR_SCHEDULING] = "scheduling",
    [ATTR_IRQ] = "irq",
    [ATTR_PAGE_FAULT] = "page-fault",
    [ATTR_IO_URING] = "io_uring",
    [ATTR_TRACER] = "tracer",
    [ATTR_HYPERVISOR] = "hypervisor",
    [ATTR_UNEXPLAINED] = "unexplained",
    [ATTR_NCAUSES] = "normal",
};

const char *attr_cause_name(unsigned int cause)
{
	return cause <= ATTR_NCAUSES ? attr_cause_names[cause] : "?";
}

static const char *const attr_type_names[TRACER_EV_TYPE_MAX] = {
    [TRACER_EV_SYSCALL] = "syscall",
    [TRACER_EV_OFFCPU] = "offcpu",
    [TRACER_EV_MIGRATE] = "migrate",
    [TRACER_EV_IRQ] = "irq",
    [TRACER_EV_SOFTIRQ] = "softirq",
    [TRACER_EV_SOFTIRQ_RAISE] = "softirq_raise",
    [TRACER_EV_IPI] = "ipi",
    [TRACER_EV_NET_QUEUE] = "net_dev_queue",
    [TRACER_EV_NET_XMIT] = "net_dev_xmit",
    [TRACER_EV_NET_RECEIVE] = "netif_receive_skb",
    [TRACER_EV_NAPI_POLL] = "napi_poll",
    [TRACER_EV_TCP_RETRANSMIT] = "tcp_retransmit",
    [TRACER_EV_PAGE_FAULT] = "page_fault",
    [TRACER_EV_IOURING_SUBMIT] = "io_uring_submit",
    [TRACER_EV_IOURING_COMPLETE] = "io_uring_complete",
    [TRACER_EV_IOURING_ASYNC] = "io_uring_async",
    [TRACER_EV_IOURING_TASK_WORK] = "io_uring_task_work",
    [TRACER_EV_IDLE] = "idle",
    [TRACER_EV_ABSENT] = "absent",
    [TRACER_EV_EXITS] = "exits",
    [TRACER_EV_MSR_WRITE] = "msr_write",
    [TRACER_EV_NAME] = "name",
    [TRACER_EV_TRACER] = "tracer",
    [TRACER_EV_STEAL] = "steal",
    [TRACER_EV_RAN] = "ran",
    [TRACER_EV_IOURING_REQ] = "io_uring_req",
    [TRACER_EV_IOURING_LOCAL_RUN] = "io_uring_local_run",
};

const char *attr_type_name(unsigned int type)
{
	return type < TRACER_EV_TYPE_MAX && attr_type_names[type] ? attr_type_names[type] : "?";
}

/* attr_fmt_ns - a duration in the unit that reads best: "850 ns", "41.2 us", "5.3 ms". */
static void attr_fmt_ns(uint64_t ns, char *buf, size_t len)
{
	if (ns < 1000)
		snprintf(buf, len, "%" PRIu64 " ns", ns);
	else if (ns < 1000000)
		snprintf(buf, len, "%.1f us", ns / 1e3);
	else
		snprintf(buf, len, "%.1f ms", ns / 1e6);
}

/* attr_host_what - the host evidence an event is: a silence, a late interrupt, the tracer. */
static int attr_host_what(const struct arch *arch, const struct attr_key_event *k, char *buf,
			  size_t len)
{
	char d[32];

	if (k->type == TRACER_EV_ABSENT) {
		attr_fmt_ns(k->dur_ns, d, sizeof(d));
		snprintf(buf, len, "vCPU %u executed nothing for %s%s", k->cpu, d,
			 k->flags & TRACER_F_IPI_PENDING ? ", an IPI to it pending" : "");
	} else if (k->type == TRACER_EV_IPI && k->cause == ATTR_HYPERVISOR) {
		attr_fmt_ns(k->arg1, d, sizeof(d));
		if (k->flags & TRACER_F_IPI_SENT)
			snprintf(buf, len, "%s IPI delivered %s after it was sent",
				 arch_ipi_name(arch, k->arg0), d);
		else
			snprintf(buf, len, "timer interrupt %s after its expiry", d);
	} else if (k->type == TRACER_EV_TRACER) {
		snprintf(buf, len, "%s",
			 k->arg0 == TRACER_SELF_WAKEUP ? "tracer consumer woken"
						       : "tracer consumer running");
	} else {
		return 0;
	}
	return 1;
}

/* attr_offcpu_how - why an OFFCPU key event's thread was off its CPU, by its flags and state. */
static const char *attr_offcpu_how(const struct attr_key_event *k)
{
	uint32_t state = TRACER_OFFCPU_STATE(k->arg1);

	if (k->flags & TRACER_F_PREEMPTED)
		return "preempted";
	if (state & ATTR_TASK_TRACED)
		return "stopped by a tracer";
	if (state & ATTR_TASK_STOPPED)
		return "stopped by a signal";
	if (state & ATTR_TASK_FROZEN)
		return "frozen";
	return k->arg0 ? "slept, then woken" : "slept";
}

void attr_event_what(const struct arch *arch, const struct attr_key_event *k, char *buf, size_t len)
{
	const char *name;

	if (attr_host_what(arch, k, buf, len))
		return;
	switch (k->type) {
	case TRACER_EV_SYSCALL:
		name = arch_syscall_name(arch, k->arg0);
		if (name && k->arg2 != TRACER_FD_NONE)
			snprintf(buf, len, "%s fd %" PRIu32, name, k->arg2);
		else if (name)
			snprintf(buf, len, "%s", name);
		else
			snprintf(buf, len, "syscall %" PRIu64, k->arg0);
		break;
	case TRACER_EV_OFFCPU:
		snprintf(buf, len, "off cpu, %s", attr_offcpu_how(k));
		break;
	case TRACER_EV_IRQ:
		snprintf(buf, len, "irq %" PRIu64, k->arg0);
		break;
	case TRACER_EV_SOFTIRQ:
	case TRACER_EV_SOFTIRQ_RAISE:
		snprintf(buf, len, "%s %s", attr_type_name(k->type), arch_softirq_name(k->arg0));
		/* SOFTIRQ's arg2: the packets it received (bpf/tracer.h) */
		if (k->type == TRACER_EV_SOFTIRQ && k->arg2)
			snprintf(buf + strlen(buf), len - strlen(buf), ", %" PRIu32 " packet%s",
				 k->arg2, k->arg2 == 1 ? "" : "s");
		break;
	case TRACER_EV_IPI:
		snprintf(buf, len, "ipi %s", arch_ipi_name(arch, k->arg0));
		break;
	default:
		snprintf(buf, len, "%s", attr_type_name(k->type));
	}
}

/*
 * attr_ran_instead - for an OFFCPU event, who had its CPU: the untraced thread that ran longest
 * while it waited (RAN records: "; ran yes 4321 for 6.2 ms of it, 2 threads"), or else who the
 * switch went to (the tid in *@next, 0: the CPU went idle). Returns 1 when known.
 */
static int attr_ran_instead(const struct attr_key_event *k, const struct attr_names *names,
			    char *what, size_t len, uint32_t *next)
{
	size_t at = strlen(what);
	const char *comm;

	if (k->type != TRACER_EV_OFFCPU)
		return 0;
	if (k->ran_tid) {
		comm = attr_names_get(names, k->ran_tid);
		snprintf(what + at, len - at, "; ran %s %" PRIu32 " for %.1f us of it%s",
			 comm ? comm : "tid", k->ran_tid, k->ran_ns / 1e3,
			 k->ran_threads > 1 ? " (the longest of several)" : "");
	}
	if (!(k->flags & TRACER_F_NEXT_SEEN))
		return 0;
	*next = TRACER_OFFCPU_NEXT(k->arg1);
	if (k->ran_tid)
		return 1;
	comm = attr_names_get(names, *next);
	if (!*next)
		snprintf(what + at, len - at, "; cpu idle");
	else
		snprintf(what + at, len - at, "; switched to %s %" PRIu32, comm ? comm : "tid",
			 *next);
	return 1;
}

/* attr_runner_json - who held an OFFCPU event's CPU longest while it waited (attr_ran_instead) */
static void attr_runner_json(struct json_object *o, const struct attr_names *names,
			     const struct attr_key_event *k)
{
	rm_set_int(o, RK_EVENT_RAN_TID, k->ran_tid);
	if (attr_names_get(names, k->ran_tid))
		rm_set_str(o, RK_EVENT_RAN_COMM, attr_names_get(names, k->ran_tid));
	rm_set_int(o, RK_EVENT_RAN_NS, (int64_t)k->ran_ns);
	rm_set_int(o, RK_EVENT_RAN_THREADS, k->ran_threads);
}

/* attr_key_json - one key event of a trace recorded on @arch, its threads named by @names. */
static struct json_object *attr_key_json(const struct arch *arch, const struct attr_names *names,
					 const struct attr_key_event *k)
{
	struct json_object *o = json_object_new_object();
	const char *comm = attr_names_get(names, k->tid);
	uint32_t next = 0;
	char what[128];
	int ran;

	attr_event_what(arch, k, what, sizeof(what));
	ran = attr_ran_instead(k, names, what, sizeof(what), &next);
	rm_set_str(o, RK_EVENT_TYPE, attr_type_name(k->type));
	rm_set_str(o, RK_EVENT_WHAT, what);
	rm_set(o, RK_EVENT_CPU, json_object_new_int(k->cpu));
	rm_set_int(o, RK_EVENT_TID, k->tid);
	if (comm)
		rm_set_str(o, RK_EVENT_COMM, comm);
	if (ran)
		rm_set_int(o, RK_EVENT_NEXT_TID, next);
	if (ran && attr_names_get(names, next))
		rm_set_str(o, RK_EVENT_NEXT_COMM, attr_names_get(names, next));
	if (k->ran_tid)
		attr_runner_json(o, names, k);
	rm_set_int(o, RK_EVENT_START, (int64_t)k->start_ns);
	rm_set_int(o, RK_EVENT_DUR, (int64_t)k->dur_ns);
	rm_set_int(o, RK_EVENT_OWN, (int64_t)k->own_ns);
	rm_set_str(o, RK_EVENT_CAUSE, attr_cause_name(k->cause));
	return o;
}

/* attr_hv_json - a spike's hypervisor time by part, and the VM-exit proxies in its window. */
static struct json_object *attr_hv_json(const struct attr_spike *a)
{
	struct json_object *o = json_object_new_object();
	unsigned int k;

	for (k = 0; k < ATTR_HV_NPARTS; k++)
		rm_set_int(o, attr_hv_part_key(k), (int64_t)a->hv_ns[k]);
	rm_set(o, RK_SPIKE_HV_EXIT_PROXIES, json_object_new_double(a->exits));
	return o;
}

struct json_object *attr_spike_json(const struct spike *sp, const struct attr_spike *a,
				    const struct arch *arch, const struct attr_names *names)
{
	struct json_object *o = json_object_new_object(), *c = json_object_new_object();
	struct json_object *ev = json_object_new_array();
	unsigned int k;

	if (!o || !c || !ev) {
		json_object_put(o);
		json_object_put(c);
		json_object_put(ev);
		return NULL;
	}
	for (k = 0; k < ATTR_NCAUSES; k++)
		json_object_object_add(c, attr_cause_name(k),
				       json_object_new_int64((int64_t)a->causes_ns[k]));
	for (k = 0; k < a->nkey; k++)
		json_object_array_add(ev, attr_key_json(arch, names, &a->key[k]));
	rm_set_int(o, RK_SPIKE_RUN, sp->run);
	rm_set_int(o, RK_SPIKE_ITERATION, sp->iteration);
	rm_set_int(o, RK_SPIKE_CPU, sp->cpu);
	rm_set_int(o, RK_SPIKE_START, (int64_t)sp->start_ns);
	rm_set_int(o, RK_SPIKE_LATENCY, (int64_t)sp->latency_ns);
	rm_set_int(o, RK_SPIKE_BASELINE, (int64_t)sp->baseline_ns);
	rm_set_int(o, RK_SPIKE_EXCESS, (int64_t)sp->excess_ns);
	rm_set_int(o, RK_SPIKE_WINDOW_START, (int64_t)sp->win_start_ns);
	rm_set_int(o, RK_SPIKE_WINDOW_END, (int64_t)sp->win_end_ns);
	rm_set_int(o, RK_SPIKE_WINDOW_ERROR, (int64_t)sp->win_err_ns);
	rm_set_str(o, RK_SPIKE_DOMINANT, attr_cause_name(a->dominant));
	rm_set(o, RK_SPIKE_CAUSES, c);
	rm_set(o, RK_SPIKE_HYPERVISOR, attr_hv_json(a));
	rm_set_int(o, RK_SPIKE_EVENTS_IN_WINDOW, a->nevents);
	rm_set(o, RK_SPIKE_EVENTS, ev);
	return o;
}

/* attr_cause_ns - cause @k of a spike's "causes" object, 0 when absent. */
static int64_t attr_cause_ns(struct json_object *causes, unsigned int k)
{
	return json_object_get_int64(rm_member(causes, attr_cause_name(k)));
}

/* attr_print_meanings - what `hypervisor` and `unexplained` mean for this trace. */
static void attr_print_meanings(FILE *f, struct json_object *probe)
{
	static const enum rm_key causes[] = {RK_MEANING_HYPERVISOR, RK_MEANING_UNEXPLAINED};
	struct json_object *m = rm_find(probe, RK_PROBE_CAUSE_MEANING);
	struct json_object *ev = rm_find(probe, RK_PROBE_EVIDENCE);
	double per = rm_num(ev, RK_EVIDENCE_DELIVERIES_PER_ITERATION);
	size_t i;

	for (i = 0; m && i < sizeof(causes) / sizeof(causes[0]); i++)
		fprintf(f, "  %s: %s\n", rm_name(causes[i]), rm_str(m, causes[i]));
	if (per > 0)
		fprintf(f,
			"  interrupt delivery: %.3g deliveries per iteration, %.3f us of delivery "
			"per iteration against a median iteration of %.3f us\n",
			per, rm_num(ev, RK_EVIDENCE_DELIVERY_NS_PER_ITERATION) / 1e3,
			rm_num(rm_get(probe, RK_PROBE_SPIKE_DETECTION), RK_DETECTION_MEDIAN) / 1e3);
}

/* attr_print_summary - the detection line and, per cause, dominant spikes and excess time. */
static void attr_print_summary(FILE *f, struct json_object *probe)
{
	struct json_object *d = rm_get(probe, RK_PROBE_SPIKE_DETECTION);
	struct json_object *attr = rm_get(probe, RK_PROBE_ATTRIBUTION), *c;
	int64_t total = 0;
	unsigned int k;

	fprintf(f,
		"\nspikes of '%s' (probe %" PRId64 "): %" PRId64 " of %" PRId64
		" good samples above %.3f us (median %.3f us + %.1f x MAD %.3f us, at least %.2f x "
		"median and %.3f us above it)\n",
		rm_str(probe, RK_PROBE_NAME), rm_int(probe, RK_PROBE_ID),
		rm_int(probe, RK_PROBE_SPIKES_FOUND), rm_int(d, RK_DETECTION_GOOD_SAMPLES),
		rm_num(d, RK_DETECTION_THRESHOLD) / 1e3, rm_num(d, RK_DETECTION_MEDIAN) / 1e3,
		rm_num(d, RK_DETECTION_K), rm_num(d, RK_DETECTION_MAD) / 1e3,
		rm_num(d, RK_DETECTION_MIN_RATIO), rm_num(d, RK_DETECTION_MIN_EXCESS) / 1e3);
	if (!rm_bool(probe, RK_PROBE_TRACED))
		fprintf(f, "# untraced (no kernel events in the file): causes unknown, every "
			   "excess counts as unexplained\n");
	for (k = 0; k < ATTR_NCAUSES; k++)
		total += rm_int(rm_member(attr, attr_cause_name(k)), RK_CAUSE_TOTAL_EXCESS);
	fprintf(f, "  %-14s %8s %12s %7s\n", "dominant cause", "spikes", "excess_us", "share");
	for (k = 0; k < ATTR_NCAUSES; k++) {
		c = rm_member(attr, attr_cause_name(k));
		fprintf(f, "  %-14s %8" PRId64 " %12.3f %6.1f%%\n", attr_cause_name(k),
			rm_int(c, RK_CAUSE_TOTAL_SPIKES), rm_int(c, RK_CAUSE_TOTAL_EXCESS) / 1e3,
			total ? 100.0 * rm_int(c, RK_CAUSE_TOTAL_EXCESS) / total : 0.0);
	}
	fprintf(f, "  syscalls of the timed thread inside timed windows: %" PRId64 "\n",
		rm_int(probe, RK_PROBE_SYSCALLS_IN_WINDOWS));
	attr_print_meanings(f, probe);
}

/* attr_print_evidence - " (what; what)": the spike's key events counted as @cause, up to 2. */
static void attr_print_evidence(FILE *f, struct json_object *events, const char *cause)
{
	struct json_object *e;
	size_t i, shown = 0;

	for (i = 0; i < json_object_array_length(events) && shown < 2; i++) {
		e = json_object_array_get_idx(events, i);
		if (strcmp(rm_str(e, RK_EVENT_CAUSE), cause))
			continue;
		fprintf(f, "%s%s", shown++ ? "; " : " (", rm_str(e, RK_EVENT_WHAT));
	}
	if (shown)
		fputc(')', f);
}

/*
 * attr_print_breakdown - the causes of a spike as stacked percentages, largest first; the
 * host evidence behind `hypervisor` and `tracer` in parentheses.
 */
static void attr_print_breakdown(FILE *f, struct json_object *causes, struct json_object *events,
				 int64_t excess)
{
	int done[ATTR_NCAUSES] = {0};
	unsigned int k, n, best;

	for (n = 0; n < ATTR_NCAUSES; n++) {
		for (best = ATTR_NCAUSES, k = 0; k < ATTR_NCAUSES; k++)
			if (!done[k] && (best == ATTR_NCAUSES ||
					 attr_cause_ns(causes, k) > attr_cause_ns(causes, best)))
				best = k;
		done[best] = 1;
		if (!excess || attr_cause_ns(causes, best) * 200 < excess)
			break; /* below 0.5% */
		fprintf(f, " %s %.0f%%", attr_cause_name(best),
			100.0 * attr_cause_ns(causes, best) / excess);
		if (best == ATTR_HYPERVISOR || best == ATTR_TRACER)
			attr_print_evidence(f, events, attr_cause_name(best));
	}
	fputc('\n', f);
}

/* attr_print_spike - one spike line and its key events, times relative to the window. */
static void attr_print_spike(FILE *f, struct json_object *sp)
{
	struct json_object *ev = rm_get(sp, RK_SPIKE_EVENTS), *e;
	int64_t start = rm_int(sp, RK_SPIKE_WINDOW_START);
	size_t i;

	fprintf(f, "  %4" PRId64 " %9" PRId64 " %11.3f %10.3f  %-13s", rm_int(sp, RK_SPIKE_RUN),
		rm_int(sp, RK_SPIKE_ITERATION), rm_int(sp, RK_SPIKE_LATENCY) / 1e3,
		rm_int(sp, RK_SPIKE_EXCESS) / 1e3, rm_str(sp, RK_SPIKE_DOMINANT));
	attr_print_breakdown(f, rm_get(sp, RK_SPIKE_CAUSES), ev, rm_int(sp, RK_SPIKE_EXCESS));
	for (i = 0; i < json_object_array_length(ev); i++) {
		e = json_object_array_get_idx(ev, i);
		fprintf(f,
			"        %-30s cpu %-3" PRId64 " tid %-7" PRId64
			" at %+9.3f us  dur %9.3f us  counted %9.3f us as %s\n",
			rm_str(e, RK_EVENT_WHAT), rm_int(e, RK_EVENT_CPU), rm_int(e, RK_EVENT_TID),
			(rm_int(e, RK_EVENT_START) - start) / 1e3, rm_int(e, RK_EVENT_DUR) / 1e3,
			rm_int(e, RK_EVENT_OWN) / 1e3, rm_str(e, RK_EVENT_CAUSE));
	}
}

void attr_print_text(FILE *f, struct json_object *probe)
{
	struct json_object *spikes = rm_find(probe, RK_PROBE_SPIKES);
	size_t i;

	if (!rm_has(probe, RK_PROBE_SPIKES))
		return;
	if (!rm_int(rm_get(probe, RK_PROBE_SPIKE_DETECTION), RK_DETECTION_GOOD_SAMPLES)) {
		fprintf(f,
			"\nspikes of '%s' (probe %" PRId64 "): no good samples, so no baseline "
			"and no spikes\n",
			rm_str(probe, RK_PROBE_NAME), rm_int(probe, RK_PROBE_ID));
		return;
	}
	attr_print_summary(f, probe);
	if (!json_object_array_length(spikes))
		return;
	fprintf(f, "  top %zu spikes by excess (times: us; event start relative to the window):\n",
		json_object_array_length(spikes));
	fprintf(f, "  %4s %9s %11s %10s  %-13s %s\n", "run", "iteration", "latency_us", "excess_us",
		"dominant", "breakdown");
	for (i = 0; i < json_object_array_length(spikes); i++)
		attr_print_spike(f, json_object_array_get_idx(spikes, i));
}
