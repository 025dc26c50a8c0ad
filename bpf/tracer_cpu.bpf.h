/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * tracer_cpu.bpf - the per-CPU programs of bpf/tracer.bpf.c (included by it): interrupt, softirq
 * and irq-vector intervals, idle, and the hypervisor's evidence: IPI delivery and timer lateness,
 * silent CPUs (ABSENT), VM-exit proxies (MSR writes) and steal time.
 */
#ifndef RINGSCOPE_BPF_TRACER_CPU_BPF_H
#define RINGSCOPE_BPF_TRACER_CPU_BPF_H

#define PWR_EVENT_EXIT ((unsigned int)-1) /* cpu_idle's state when the CPU leaves idle */

/* send_time - the CLOCK_MONOTONIC time of a packed tracer_ipi_pending stamp. */
static __always_inline __u64 send_time(__u64 stamp)
{
	return start_ns + (stamp >> TRACER_SEND_CPU_BITS);
}

/* oldest_send - this CPU's oldest pending IPI stamp (0: none). */
static __always_inline __u64 oldest_send(__u32 cpu)
{
	struct tracer_ipi_pending *p = &ipi_pending[cpu & (TRACER_MAX_CPUS - 1)];
	__u64 oldest = 0, s;

	for (int k = 0; k < TRACER_SEND_MAX; k++) {
		s = p->sent[k];
		if (s && (!oldest || s < oldest))
			oldest = s;
	}
	return oldest;
}

/*
 * absent - the CPU was busy (not idle) and nothing was seen on it from @last to @now: an ABSENT
 * record, with the oldest IPI to it that was still pending.
 */
static __noinline void absent(__u64 last, __u64 now, __u8 ended_by)
{
	__u32 cpu = bpf_get_smp_processor_id();
	__u64 stamp = oldest_send(cpu), sent = 0;
	__u32 from = 0;
	__u8 flags = 0;

	if (stamp && send_time(stamp) < now) {
		flags = TRACER_F_IPI_PENDING;
		sent = send_time(stamp);
		from = stamp & (TRACER_MAX_CPUS - 1);
	}
	emit(TRACER_EV_ABSENT, flags, last, now - last, sent, ended_by, from,
	     bpf_get_current_pid_tgid());
}

/*
 * cpu_seen - a program read the clock (@now) on this traced CPU: move its "last seen" on, and
 * report the silence before it when it is longer than the CPU's threshold and the CPU was busy.
 * Nested programs can hand in an earlier @now than the latest: that moves nothing.
 */
static __always_inline void cpu_seen(struct tracer_cpu_state *cs, __u64 now, __u8 type)
{
	__u64 last = cs->last_seen;

	if (now <= last)
		return;
	cs->last_seen = now;
	if (last && cs->absent_ns && now - last > cs->absent_ns && !cs->idle_ts)
		absent(last, now, type);
}

/* handler_end - close the interval that started at *@start (if it was seen) as @type. */
static __always_inline void handler_end(struct tracer_cpu_state *cs, __u64 *start, __u8 type,
					__u8 flags, __u64 arg0, __u64 arg1, __u32 arg2)
{
	__u64 now;

	if (!*start)
		return;
	now = bpf_ktime_get_ns();
	cpu_seen(cs, now, type);
	emit(type, flags, *start, now - *start, arg0, arg1, arg2, bpf_get_current_pid_tgid());
	*start = 0;
}

/* handler_start - a handler began: its start in *@start, and this CPU was seen. */
static __always_inline __u64 handler_start(struct tracer_cpu_state *cs, __u64 *start, __u8 type)
{
	__u64 now = bpf_ktime_get_ns();

	cpu_seen(cs, now, type);
	*start = now;
	return now;
}

SEC("raw_tp/irq_handler_entry")
int BPF_PROG(rs_irq_entry, int irq)
{
	struct tracer_cpu_state *cs = cpu_state();

	if (cs)
		handler_start(cs, &cs->irq_ts, TRACER_EV_IRQ);
	return 0;
}

SEC("raw_tp/irq_handler_exit")
int BPF_PROG(rs_irq_exit, int irq)
{
	struct tracer_cpu_state *cs = cpu_state();

	if (cs)
		handler_end(cs, &cs->irq_ts, TRACER_EV_IRQ, 0, irq, 0, 0);
	return 0;
}

SEC("raw_tp/softirq_entry")
int BPF_PROG(rs_sirq_entry, unsigned int vec)
{
	struct tracer_cpu_state *cs = cpu_state();

	if (!cs)
		return 0;
	if (detail == TRACER_DETAIL_FULL) {
		cs->sirq_rx = cs->count[TRACER_CNT_NET_RECEIVE];
		cs->sirq_work = cs->count[TRACER_CNT_NAPI_WORK];
	}
	handler_start(cs, &cs->softirq_ts, TRACER_EV_SOFTIRQ);
	return 0;
}

/* Full detail: the packets received and polled while it ran (lean attaches no packet event). */
SEC("raw_tp/softirq_exit")
int BPF_PROG(rs_sirq_exit, unsigned int vec)
{
	struct tracer_cpu_state *cs = cpu_state();
	__u64 work = 0, rx = 0;

	if (!cs)
		return 0;
	if (detail == TRACER_DETAIL_FULL) {
		work = cs->count[TRACER_CNT_NAPI_WORK] - cs->sirq_work;
		rx = cs->count[TRACER_CNT_NET_RECEIVE] - cs->sirq_rx;
	}
	handler_end(cs, &cs->softirq_ts, TRACER_EV_SOFTIRQ, 0, vec, work, (__u32)rx);
	return 0;
}

/* take_send - the pending send of @kind to this CPU, taken (0: none, or not paired here). */
static __always_inline __u64 take_send(int kind)
{
	__u32 cpu = bpf_get_smp_processor_id() & (TRACER_MAX_CPUS - 1);
	__u64 *sent;

	if (kind < 0 || kind >= TRACER_SEND_MAX)
		return 0;
	sent = &ipi_pending[cpu].sent[kind];
	return *sent ? __sync_lock_test_and_set(sent, 0) : 0;
}

/*
 * drop_stale_sends - forget the sends to this CPU made before @before and still not taken: they
 * were never delivered as their interrupt here. Called at an idle exit with the idle entry (a
 * pending interrupt would have run before the CPU slept, or woken it) and at a local timer
 * interrupt with the previous one's entry (an IPI's vector outranks the timer's: pending, it
 * runs first; two timers since the send mean it was not pending). Kept, such a stamp would
 * block the sends after it and pair with the next handler of its kind: a reschedule
 * "delivered" 39 ms after it was sent, ~300 idle periods later. Analysis refuses such pairings
 * in older files too (attribution_pairing.c).
 */
static __always_inline void drop_stale_sends(__u64 before)
{
	struct tracer_ipi_pending *p =
	    &ipi_pending[bpf_get_smp_processor_id() & (TRACER_MAX_CPUS - 1)];
	__u64 s;

	for (int k = 0; k < TRACER_SEND_MAX; k++) {
		s = p->sent[k];
		if (s && send_time(s) < before)
			__sync_val_compare_and_swap(&p->sent[k], s, 0);
	}
}

/*
 * window_close - a local timer interrupt closes this CPU's window: an EXITS record of the MSR
 * writes counted in it (lean), and a STEAL record of what the host reported stolen in it.
 */
static __always_inline void window_close(struct tracer_cpu_state *cs, __u64 now)
{
	struct task_struct *task;
	__u64 n[3], stolen;

	for (int i = 0; i < 3; i++) {
		n[i] = cs->count[TRACER_CNT_MSR_ICR + i] - cs->window_msr[i];
		cs->window_msr[i] = cs->count[TRACER_CNT_MSR_ICR + i];
	}
	if (detail != TRACER_DETAIL_FULL && (n[0] || n[1] || n[2]))
		emit(TRACER_EV_EXITS, 0, cs->window_ts, now - cs->window_ts, n[0], n[1],
		     (__u32)n[2], bpf_get_current_pid_tgid());
	/* Its run queue's steal clock; CONFIG_PARAVIRT_TIME_ACCOUNTING and group scheduling. */
	if (bpf_core_field_exists(struct rq, prev_steal_time_rq) &&
	    bpf_core_field_exists(struct cfs_rq, rq)) {
		task = bpf_get_current_task_btf();
		stolen = BPF_CORE_READ(task, se.cfs_rq, rq, prev_steal_time_rq);
		if (cs->steal_ns && stolen > cs->steal_ns)
			emit(TRACER_EV_STEAL, 0, cs->window_ts, now - cs->window_ts,
			     stolen - cs->steal_ns, stolen, 0, bpf_get_current_pid_tgid());
		cs->steal_ns = stolen;
	}
	cs->window_ts = now;
}

/*
 * ipi_entry - an irq-vector handler began: a local timer interrupt closes the window and starts
 * collecting the lateness of the hrtimers it runs; an IPI takes its pending send (after the
 * silence check, which reports what was pending).
 */
static __always_inline void ipi_entry(enum tracer_ipi kind, int send_kind)
{
	struct tracer_cpu_state *cs = cpu_state();
	__u64 now;

	if (!cs)
		return;
	now = handler_start(cs, &cs->ipi_ts, TRACER_EV_IPI);
	cs->ipi_kind = kind;
	cs->timer_late = 0;
	cs->ipi_sent = take_send(send_kind);
	if (kind == TRACER_IPI_LOCAL_TIMER) {
		drop_stale_sends(cs->window_ts);
		window_close(cs, now);
	}
}

/* ipi_exit - the IPI record, with its delivery latency or the timer's lateness. */
static __always_inline void ipi_exit(enum tracer_ipi kind)
{
	struct tracer_cpu_state *cs = cpu_state();
	__u64 sent, late = 0;
	__u32 from = 0;
	__u8 flags = 0;

	if (!cs)
		return;
	if (cs->ipi_sent) {
		sent = send_time(cs->ipi_sent);
		flags = TRACER_F_IPI_SENT;
		late = cs->ipi_ts > sent ? cs->ipi_ts - sent : 0;
		from = cs->ipi_sent & (TRACER_MAX_CPUS - 1);
	} else if (cs->timer_late) {
		flags = TRACER_F_TIMER_EXPIRY;
		late = cs->timer_late - 1;
	}
	cs->ipi_kind = 0;
	cs->ipi_sent = 0;
	handler_end(cs, &cs->ipi_ts, TRACER_EV_IPI, flags, kind, late, from);
}

#define RS_IPI_PROGS(event, prog, kind, send_kind)                                                 \
	SEC("raw_tp/" #event "_entry")                                                             \
	int prog##_entry(void *ctx)                                                                \
	{                                                                                          \
		ipi_entry(kind, send_kind);                                                        \
		return 0;                                                                          \
	}                                                                                          \
	SEC("raw_tp/" #event "_exit")                                                              \
	int prog##_exit(void *ctx)                                                                 \
	{                                                                                          \
		ipi_exit(kind);                                                                    \
		return 0;                                                                          \
	}

RS_IPI_PROGS(local_timer, rs_timer, TRACER_IPI_LOCAL_TIMER, -1)
RS_IPI_PROGS(reschedule, rs_resch, TRACER_IPI_RESCHEDULE, TRACER_SEND_RESCHEDULE)
RS_IPI_PROGS(call_function, rs_callf, TRACER_IPI_CALL_FUNCTION, TRACER_SEND_CALL_MANY)
RS_IPI_PROGS(call_function_single, rs_callfs, TRACER_IPI_CALL_FUNCTION_SINGLE,
	     TRACER_SEND_CALL_SINGLE)

/*
 * Each hrtimer a local timer interrupt runs: how late it is (the hrtimer core's clock read in
 * this interrupt minus the timer's expiry, in the timer's own clock base). The earliest timer is
 * the one the clockevent was programmed for: the largest lateness is the interrupt's.
 */
SEC("raw_tp/hrtimer_expire_entry")
int BPF_PROG(rs_hrtimer_expire, struct hrtimer *timer, ktime_t *now)
{
	struct tracer_cpu_state *cs = cpu_state();
	ktime_t then = 0, expires;

	if (!cs || cs->ipi_kind != TRACER_IPI_LOCAL_TIMER)
		return 0;
	bpf_probe_read_kernel(&then, sizeof(then), now);
	expires = BPF_CORE_READ(timer, node.expires);
	if (then >= expires && (__u64)(then - expires) + 1 > cs->timer_late)
		cs->timer_late = (__u64)(then - expires) + 1;
	return 0;
}

/* Idle intervals: the CPU is idle from here, so a silence in it is no absence. */
SEC("tp_btf/cpu_idle")
int BPF_PROG(rs_idle, unsigned int state, unsigned int cpu_id)
{
	struct tracer_cpu_state *cs = cpu_state();
	__u64 now;

	if (!cs)
		return 0;
	now = bpf_ktime_get_ns();
	cpu_seen(cs, now, TRACER_EV_IDLE);
	if (state != PWR_EVENT_EXIT) {
		cs->idle_ts = now;
		cs->idle_state = state;
		return 0;
	}
	if (cs->idle_ts) {
		drop_stale_sends(cs->idle_ts);
		emit(TRACER_EV_IDLE, 0, cs->idle_ts, now - cs->idle_ts, cs->idle_state, 0, 0,
		     bpf_get_current_pid_tgid());
	}
	cs->idle_ts = 0;
	return 0;
}

/*
 * The MSR writes that exit to the hypervisor on a VM: counted (lean: EXITS records per timer
 * window) or recorded one by one (full). The filter comes first: most writes are none of these.
 */
SEC("raw_tp/write_msr")
int BPF_PROG(rs_write_msr, unsigned int msr, __u64 val, int failed)
{
	struct tracer_cpu_state *cs;
	int c;

	if (msr == TRACER_MSR_ICR)
		c = TRACER_CNT_MSR_ICR;
	else if (msr == TRACER_MSR_TSC_DEADLINE)
		c = TRACER_CNT_MSR_TSC_DEADLINE;
	else if (msr == TRACER_MSR_FS_BASE)
		c = TRACER_CNT_MSR_FS_BASE;
	else
		return 0;
	cs = cpu_state();
	if (!cs)
		return 0;
	cs->count[c] += 1;
	if (detail == TRACER_DETAIL_FULL)
		emit(TRACER_EV_MSR_WRITE, 0, bpf_ktime_get_ns(), 0, msr, val, failed != 0,
		     bpf_get_current_pid_tgid());
	return 0;
}

/* mark_send - an IPI of @kind to traced CPU @cpu was sent now: keep the oldest pending stamp. */
static __always_inline void mark_send(__u32 cpu, int kind, __u64 *stamp)
{
	struct tracer_ipi_pending *p = &ipi_pending[cpu & (TRACER_MAX_CPUS - 1)];

	if (!p->traced || p->sent[kind])
		return;
	if (!*stamp)
		*stamp = (bpf_ktime_get_ns() - start_ns) << TRACER_SEND_CPU_BITS |
			 bpf_get_smp_processor_id();
	__sync_val_compare_and_swap(&p->sent[kind], 0, *stamp);
}

/* A reschedule IPI (no callback) or a call-function-single one, to another CPU. */
SEC("tp_btf/ipi_send_cpu")
int BPF_PROG(rs_ipi_send, const unsigned int cpu, unsigned long callsite, void *callback)
{
	int kind = callback ? TRACER_SEND_CALL_SINGLE : TRACER_SEND_RESCHEDULE;
	__u64 stamp = 0;

	if (!tracing_on || !(send_kinds & (1u << kind)) || cpu >= nr_cpus ||
	    cpu == bpf_get_smp_processor_id())
		return 0;
	mark_send(cpu, kind, &stamp);
	return 0;
}

struct send_mask {
	__u64 bits[TRACER_MAX_CPUS / 64];
	__u64 stamp;
	__u32 self;
};

static long send_mask_cpu(__u64 cpu, void *arg)
{
	struct send_mask *m = arg;

	if (cpu >= TRACER_MAX_CPUS)
		return 1;
	if (cpu != m->self && (m->bits[cpu / 64] >> (cpu % 64)) & 1)
		mark_send(cpu, TRACER_SEND_CALL_MANY, &m->stamp);
	return 0;
}

/* A call-function IPI to every CPU of a mask. */
SEC("tp_btf/ipi_send_cpumask")
int BPF_PROG(rs_ipi_send_mask, const struct cpumask *mask, unsigned long callsite, void *callback)
{
	struct send_mask m = {.self = bpf_get_smp_processor_id()};
	__u32 size = (nr_cpus + 63) / 64 * sizeof(m.bits[0]);

	if (!tracing_on || !(send_kinds & (1u << TRACER_SEND_CALL_MANY)))
		return 0;
	if (size > sizeof(m.bits))
		size = sizeof(m.bits);
	bpf_probe_read_kernel(m.bits, size, mask->bits);
	bpf_loop(nr_cpus, send_mask_cpu, &m, 0);
	return 0;
}

#endif
