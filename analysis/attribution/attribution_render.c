// SPDX-License-Identifier: MIT
/*
 * attribution_render - spikes as JSON (the analyze report's form) and as text printed from that
 * JSON, so that both forms always say the same thing.
 */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include <json-c/json.h>

#include "analysis/attribution/attribution_report.h"
#include "analysis/model/report_model.h"

static const char *const attr_cause_names[ATTR_NCAUSES + 1] = {
    [ATTR_BUFFER_FLUSH] = "buffer-flush", [ATTR_NETWORK] = "network",
    [ATTR_SCHEDULING] = "scheduling",	  [ATTR_IRQ] = "irq",
    [ATTR_PAGE_FAULT] = "page-fault",	  [ATTR_IO_URING] = "io_uring",
    [ATTR_UNEXPLAINED] = "unexplained",	  [ATTR_NCAUSES] = "normal",
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
};

const char *attr_type_name(unsigned int type)
{
	return type < TRACER_EV_TYPE_MAX && attr_type_names[type] ? attr_type_names[type] : "?";
}

void attr_event_what(const struct arch *arch, const struct attr_key_event *k, char *buf, size_t len)
{
	const char *name;

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
		snprintf(buf, len, "off cpu, %s",
			 k->flags & TRACER_F_PREEMPTED ? "preempted"
			 : k->arg0		       ? "slept, then woken"
						       : "slept");
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

/* attr_key_json - one key event of a trace recorded on @arch. */
static struct json_object *attr_key_json(const struct arch *arch, const struct attr_key_event *k)
{
	struct json_object *o = json_object_new_object();
	char what[64];

	attr_event_what(arch, k, what, sizeof(what));
	rm_set_str(o, RK_EVENT_TYPE, attr_type_name(k->type));
	rm_set_str(o, RK_EVENT_WHAT, what);
	rm_set(o, RK_EVENT_CPU, json_object_new_int(k->cpu));
	rm_set_int(o, RK_EVENT_TID, k->tid);
	rm_set_int(o, RK_EVENT_START, (int64_t)k->start_ns);
	rm_set_int(o, RK_EVENT_DUR, (int64_t)k->dur_ns);
	rm_set_int(o, RK_EVENT_OWN, (int64_t)k->own_ns);
	rm_set_str(o, RK_EVENT_CAUSE, attr_cause_name(k->cause));
	return o;
}

struct json_object *attr_spike_json(const struct spike *sp, const struct attr_spike *a,
				    const struct arch *arch)
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
		json_object_array_add(ev, attr_key_json(arch, &a->key[k]));
	rm_set_int(o, RK_SPIKE_RUN, sp->run);
	rm_set_int(o, RK_SPIKE_ITERATION, sp->iteration);
	rm_set_int(o, RK_SPIKE_CPU, sp->cpu);
	rm_set_int(o, RK_SPIKE_START, (int64_t)sp->start_ns);
	rm_set_int(o, RK_SPIKE_LATENCY, (int64_t)sp->latency_ns);
	rm_set_int(o, RK_SPIKE_BASELINE, (int64_t)sp->baseline_ns);
	rm_set_int(o, RK_SPIKE_EXCESS, (int64_t)sp->excess_ns);
	rm_set_str(o, RK_SPIKE_DOMINANT, attr_cause_name(a->dominant));
	rm_set(o, RK_SPIKE_CAUSES, c);
	rm_set_int(o, RK_SPIKE_EVENTS_IN_WINDOW, a->nevents);
	rm_set(o, RK_SPIKE_EVENTS, ev);
	return o;
}

/* attr_cause_ns - cause @k of a spike's "causes" object, 0 when absent. */
static int64_t attr_cause_ns(struct json_object *causes, unsigned int k)
{
	return json_object_get_int64(rm_member(causes, attr_cause_name(k)));
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
}

/* attr_print_breakdown - the causes of a spike as stacked percentages, largest first. */
static void attr_print_breakdown(FILE *f, struct json_object *causes, int64_t excess)
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
	}
	fputc('\n', f);
}

/* attr_print_spike - one spike line and its key events, times relative to the window. */
static void attr_print_spike(FILE *f, struct json_object *sp)
{
	struct json_object *ev = rm_get(sp, RK_SPIKE_EVENTS), *e;
	int64_t start = rm_int(sp, RK_SPIKE_START);
	size_t i;

	fprintf(f, "  %4" PRId64 " %9" PRId64 " %11.3f %10.3f  %-13s", rm_int(sp, RK_SPIKE_RUN),
		rm_int(sp, RK_SPIKE_ITERATION), rm_int(sp, RK_SPIKE_LATENCY) / 1e3,
		rm_int(sp, RK_SPIKE_EXCESS) / 1e3, rm_str(sp, RK_SPIKE_DOMINANT));
	attr_print_breakdown(f, rm_get(sp, RK_SPIKE_CAUSES), rm_int(sp, RK_SPIKE_EXCESS));
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
