// SPDX-License-Identifier: MIT
/*
 * tracer_progs - the tracer's programs and tracepoints, which of them to attach here, and the
 * names of the lean counters.
 */
#include "bpf/tracer_progs.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <bpf/btf.h>

#include "bpf/tracefs.h"
#include "bpf/tracer_loader.h"

#define TP(p, c, e) .prog = p, .category = c, .event = e

/* Declared with TRACER_NPROGS entries: a count that differs does not compile. */
const struct tracer_prog_def tracer_progs[] = {
    {TP("rs_sys_enter", "raw_syscalls", "sys_enter"), .required = true},
    {TP("rs_sys_exit", "raw_syscalls", "sys_exit"), .required = true},
    {TP("rs_sched_switch", "sched", "sched_switch"), .required = true},
    {TP("rs_sched_waking", "sched", "sched_waking")},
    {TP("rs_sched_wakeup", "sched", "sched_wakeup"), .superseded = "sched_waking",
     .superseded_why = "not needed: sched_waking gives the wakeup time"},
    {TP("rs_migrate", "sched", "sched_migrate_task")},
    {TP("rs_task_exit", "sched", "sched_process_exit")},
    {TP("rs_task_rename", "task", "task_rename")},
    {TP("rs_irq_entry", "irq", "irq_handler_entry")},
    {TP("rs_irq_exit", "irq", "irq_handler_exit")},
    {TP("rs_sirq_entry", "irq", "softirq_entry")},
    {TP("rs_sirq_exit", "irq", "softirq_exit")},
    {TP("rs_sirq_raise", "irq", "softirq_raise"), .full_only = true},
    {TP("rs_timer_entry", "irq_vectors", "local_timer_entry")},
    {TP("rs_timer_exit", "irq_vectors", "local_timer_exit")},
    {TP("rs_resch_entry", "irq_vectors", "reschedule_entry")},
    {TP("rs_resch_exit", "irq_vectors", "reschedule_exit")},
    {TP("rs_callf_entry", "irq_vectors", "call_function_entry")},
    {TP("rs_callf_exit", "irq_vectors", "call_function_exit")},
    {TP("rs_callfs_entry", "irq_vectors", "call_function_single_entry")},
    {TP("rs_callfs_exit", "irq_vectors", "call_function_single_exit")},
    {TP("rs_ipi_send", "ipi", "ipi_send_cpu")},
    {TP("rs_ipi_send_mask", "ipi", "ipi_send_cpumask")},
    {TP("rs_hrtimer_expire", "timer", "hrtimer_expire_entry")},
    {TP("rs_idle", "power", "cpu_idle")},
    {TP("rs_write_msr", "msr", "write_msr")},
    {TP("rs_net_queue", "net", "net_dev_queue"), .full_only = true},
    {TP("rs_net_xmit", "net", "net_dev_xmit"), .full_only = true},
    {TP("rs_net_receive", "net", "netif_receive_skb"), .full_only = true},
    {TP("rs_napi_poll", "napi", "napi_poll"), .full_only = true},
    {TP("rs_tcp_retrans", "tcp", "tcp_retransmit_skb"), .classic = true},
    {TP("rs_page_fault", "exceptions", "page_fault_user")},
    {TP("rs_iou_submit", "io_uring", "io_uring_submit_req")},
    {TP("rs_iou_submit_o", "io_uring", "io_uring_submit_sqe"), .superseded = "io_uring_submit_req",
     .superseded_why = "older name: this kernel has the newer event"},
    {TP("rs_iou_complete", "io_uring", "io_uring_complete")},
    {TP("rs_iou_async", "io_uring", "io_uring_queue_async_work")},
    {TP("rs_iou_taskwork", "io_uring", "io_uring_task_work_run")},
    {TP("rs_iou_poll_arm", "io_uring", "io_uring_poll_arm")},
    {TP("rs_iou_task_add", "io_uring", "io_uring_task_add")},
    {TP("rs_iou_local_work", "io_uring", "io_uring_local_work_run"), .full_only = true},
};

#undef TP

/* tracer_progs_listed - whether the "cat:event,..." list @list names "@category:@event". */
static bool tracer_progs_listed(const char *list, const struct tracer_prog_def *d)
{
	char name[128];
	size_t len;

	if (!list)
		return false;
	len = (size_t)snprintf(name, sizeof(name), "%s:%s", d->category, d->event);
	for (const char *p = strstr(list, name); p; p = strstr(p + 1, name)) {
		if ((p == list || p[-1] == ',') && (p[len] == ',' || p[len] == '\0'))
			return true;
	}
	return false;
}

const char *tracer_progs_missing(const struct tracer_prog_def *d, const struct btf *vmlinux,
				 const char *skip, bool have_tracefs, enum tracer_detail detail)
{
	char type[128];

	if (d->full_only && detail != TRACER_DETAIL_FULL)
		return TRACER_FULL_ONLY_WHY;
	if (tracer_progs_listed(skip, d))
		return "not wanted (tracer_opts.skip)";
	if (tracer_progs_listed(getenv(TRACER_SKIP_ENV), d))
		return "skipped by " TRACER_SKIP_ENV;
	if (d->classic) {
		if (!have_tracefs)
			return "tracefs is not mounted (classic tracepoints need it)";
		return tracefs_event_exists(d->category, d->event) ? NULL : "not in this kernel";
	}
	if (d->superseded) {
		struct tracer_prog_def newer = {.category = d->category, .event = d->superseded};

		snprintf(type, sizeof(type), "btf_trace_%s", d->superseded);
		if (btf__find_by_name_kind(vmlinux, type, BTF_KIND_TYPEDEF) >= 0 &&
		    !tracer_progs_listed(skip, &newer) &&
		    !tracer_progs_listed(getenv(TRACER_SKIP_ENV), &newer))
			return d->superseded_why;
	}
	snprintf(type, sizeof(type), "btf_trace_%s", d->event);
	if (btf__find_by_name_kind(vmlinux, type, BTF_KIND_TYPEDEF) < 0)
		return "not in this kernel";
	return NULL;
}

/* tracer_btf_has_member - whether struct @name of @btf has a member @member. */
static bool tracer_btf_has_member(const struct btf *btf, const char *name, const char *member)
{
	int id = btf__find_by_name_kind(btf, name, BTF_KIND_STRUCT);
	const struct btf_type *t = id < 0 ? NULL : btf__type_by_id(btf, id);
	const struct btf_member *m = t ? btf_members(t) : NULL;

	for (int i = 0; m && i < btf_vlen(t); i++) {
		if (!strcmp(btf__name_by_offset(btf, m[i].name_off), member))
			return true;
	}
	return false;
}

bool tracer_progs_steal_readable(const struct btf *vmlinux)
{
	return tracer_btf_has_member(vmlinux, "rq", "prev_steal_time_rq") &&
	       tracer_btf_has_member(vmlinux, "cfs_rq", "rq");
}

/* tracer_tick_ns - the kernel's tick period (1/HZ): the resolution of its coarse clocks. */
static __u64 tracer_tick_ns(void)
{
	struct timespec res;

	if (clock_getres(CLOCK_MONOTONIC_COARSE, &res))
		return 0;
	return (__u64)res.tv_sec * 1000000000u + (__u64)res.tv_nsec;
}

/* tracer_nohz_full - whether some CPU may run busy without a tick (the nohz_full= option). */
static bool tracer_nohz_full(void)
{
	FILE *f = fopen("/sys/devices/system/cpu/nohz_full", "r");
	char line[64] = "";

	if (!f)
		return false;
	if (!fgets(line, sizeof(line), f))
		line[0] = '\0';
	fclose(f);
	return line[0] && line[0] != '\n' && strncmp(line, "(null)", 6);
}

const char *tracer_progs_absent_ns(bool timer_seen, bool idle_seen, __u64 *ns)
{
	__u64 tick = tracer_tick_ns();

	*ns = 0;
	if (!timer_seen || !idle_seen)
		return "they need irq_vectors:local_timer_entry and power:cpu_idle";
	if (tracer_nohz_full())
		return "nohz_full CPUs run busy without a tick";
	if (!tick)
		return "the tick period is unknown (clock_getres of CLOCK_MONOTONIC_COARSE failed)";
	*ns = tick * 3 / 2;
	return NULL;
}

/* The names of the lean counters (enum tracer_count), as the TRACER chunk writes them. */
static const char *const tracer_count_names[TRACER_CNT_AGGREGATED] = {
    [TRACER_CNT_MSR_ICR] = "msr:write_msr ICR",
    [TRACER_CNT_MSR_TSC_DEADLINE] = "msr:write_msr TSC_DEADLINE",
    [TRACER_CNT_MSR_FS_BASE] = "msr:write_msr FS_BASE",
};

const char *tracer_count_name(enum tracer_count c)
{
	return (unsigned int)c < TRACER_CNT_AGGREGATED ? tracer_count_names[c] : "?";
}
