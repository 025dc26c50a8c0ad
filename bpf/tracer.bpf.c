// SPDX-License-Identifier: GPL-2.0 OR MIT
/* tracer.bpf - kernel activity of the session's threads and CPUs, as records in one ringbuf. */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>
#include <bpf/bpf_core_read.h>
#include "bpf/tracer.h"
#include "bpf/tracer_syscall.bpf.h"

#define TASK_DEAD 0x00000080 /* include/linux/sched.h */

char LICENSE[] SEC("license") = "Dual MIT/GPL";

/* Set by the loader between open and load. */
const volatile __u32 detail = TRACER_DETAIL_LEAN; /* enum tracer_detail */
const volatile __u64 wakeup_bytes = 1;		  /* wake the consumer once this much is waiting */

/* Written by the loader while attached: 0 until tracer_start, 0 again from tracer_stop. */
volatile __u32 tracing_on;
volatile __u32 consumer_tid; /* the ringbuf consumer's own activity is not recorded */
/* io-wq punts in rs_punts not yet completed (lean): 0 lets a completion skip the lookup. */
__u64 punts_pending;

/* Pairing state of one traced thread: a syscall in progress, a switch-out, its last wakeup. */
struct thread_state {
	__u64 sys_ts;
	__u64 off_ts;
	__u64 wake_ts;
	__u64 sys_nr;
	__u32 sys_fd;
	__u32 off_state;
	__u16 off_cpu;
	__u8 sys_flags;
	__u8 off_flags;
};

/* An io-wq punt awaiting its completion: the completion is recorded (lean detail). */
struct punt_key {
	__u64 user_data;
	__u32 tgid;
	__u32 pad;
};

struct {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, TRACER_DEFAULT_RINGBUF_BYTES);
} rs_events SEC(".maps");

/* One bit per tgid: an array lookup is inlined by the verifier, a hash lookup is a call. */
struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, TRACER_PID_LIMIT / 64);
	__type(key, __u32);
	__type(value, __u64);
} rs_tgid_bits SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, TRACER_MAX_THREADS);
	__type(key, __u32);
	__type(value, struct thread_state);
} rs_threads SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct tracer_cpu_state);
} rs_cpu_state SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_LRU_HASH);
	__uint(max_entries, TRACER_MAX_PUNTS);
	__type(key, struct punt_key);
	__type(value, __u8);
} rs_punts SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, __u64);
} rs_lost SEC(".maps");

/* tgid_traced - whether a thread of @tgid is part of the session (and not the consumer). */
static __always_inline bool tgid_traced(__u32 tgid, __u32 tid)
{
	__u32 word = tgid / 64;
	__u64 *bits;

	if (!tracing_on || tid == consumer_tid)
		return false;
	bits = bpf_map_lookup_elem(&rs_tgid_bits, &word);
	return bits && (*bits >> (tgid % 64)) & 1;
}

/* current_traced - tgid_traced() for the running thread; its pid_tgid goes to @id. */
static __always_inline bool current_traced(__u64 *id)
{
	*id = bpf_get_current_pid_tgid();
	return tgid_traced(*id >> 32, (__u32)*id);
}

/* cpu_state - this CPU's state, or NULL when its per-CPU events are not wanted (or not now). */
static __always_inline struct tracer_cpu_state *cpu_state(void)
{
	struct tracer_cpu_state *cs;
	__u32 zero = 0;

	if (!tracing_on)
		return NULL;
	cs = bpf_map_lookup_elem(&rs_cpu_state, &zero);
	return cs && cs->traced ? cs : NULL;
}

/* emit - one record into the ringbuf; a full ringbuf is counted per CPU, never silent. */
static __always_inline void emit(__u8 type, __u8 flags, __u64 ts, __u64 dur, __u64 arg0, __u64 arg1,
				 __u32 arg2, __u64 pid_tgid)
{
	struct tracer_event *e;
	__u32 zero = 0;
	__u64 *lost;

	e = bpf_ringbuf_reserve(&rs_events, sizeof(*e), 0);
	if (!e) {
		lost = bpf_map_lookup_elem(&rs_lost, &zero);
		if (lost)
			*lost += 1;
		return;
	}
	e->ts_ns = ts;
	e->dur_ns = dur;
	e->arg0 = arg0;
	e->arg1 = arg1;
	e->tid = (__u32)pid_tgid;
	e->tgid = pid_tgid >> 32;
	e->arg2 = arg2;
	e->cpu = bpf_get_smp_processor_id();
	e->type = type;
	e->flags = flags;
	/* Wake the consumer only when a batch is waiting: it polls on a short timeout anyway. */
	if (bpf_ringbuf_query(&rs_events, BPF_RB_AVAIL_DATA) >= wakeup_bytes)
		bpf_ringbuf_submit(e, BPF_RB_FORCE_WAKEUP);
	else
		bpf_ringbuf_submit(e, BPF_RB_NO_WAKEUP);
}

/* thread_get - the pairing state of @tid, created zeroed on first use (NULL: map full). */
static __always_inline struct thread_state *thread_get(__u32 tid)
{
	struct thread_state zero = {}, *st;

	st = bpf_map_lookup_elem(&rs_threads, &tid);
	if (st)
		return st;
	bpf_map_update_elem(&rs_threads, &tid, &zero, BPF_NOEXIST);
	return bpf_map_lookup_elem(&rs_threads, &tid);
}

SEC("tp_btf/sys_enter")
int BPF_PROG(rs_sys_enter, struct pt_regs *regs, long nr)
{
	struct thread_state *st;
	__u64 id;
	long fd;

	if (!current_traced(&id))
		return 0;
	st = thread_get((__u32)id);
	if (!st)
		return 0;
	st->sys_nr = nr;
	st->sys_fd = TRACER_FD_NONE;
	st->sys_flags = 0;
	if (syscall_fd_arg(nr)) {
		fd = (long)(int)PT_REGS_PARM1(regs);
		st->sys_fd = (__u32)fd;
		/* io_uring_enter/register: an io_uring file (or a registered ring's index). */
		st->sys_flags = syscall_ring_fd(nr) ? 0 : fd_kind(fd);
	}
	st->sys_ts = bpf_ktime_get_ns();
	return 0;
}

SEC("raw_tp/sys_exit")
int BPF_PROG(rs_sys_exit, struct pt_regs *regs, long ret)
{
	struct thread_state *st;
	__u64 now, id;

	if (!current_traced(&id))
		return 0;
	st = bpf_map_lookup_elem(&rs_threads, &(__u32){(__u32)id});
	if (!st || !st->sys_ts)
		return 0;
	now = bpf_ktime_get_ns();
	emit(TRACER_EV_SYSCALL, st->sys_flags, st->sys_ts, now - st->sys_ts, st->sys_nr, ret,
	     st->sys_fd, id);
	st->sys_ts = 0;
	return 0;
}

/*
 * switch_out - remember when and how the traced thread @id (the caller checked) left the CPU.
 * At sched_switch the outgoing thread is still current, so its ids cost no read of @prev.
 */
static __always_inline void switch_out(__u64 id, bool preempt, __u32 state, __u64 now)
{
	__u32 tid = (__u32)id;
	struct thread_state *st;

	if (state & TASK_DEAD) {
		/* Its last switch: free the slot (an exit_group never reaches sys_exit). */
		bpf_map_delete_elem(&rs_threads, &tid);
		return;
	}
	st = thread_get(tid);
	if (!st)
		return;
	st->off_ts = now;
	st->off_cpu = bpf_get_smp_processor_id();
	st->off_state = preempt ? 0 : state;
	st->off_flags = preempt || state == 0 ? TRACER_F_PREEMPTED : 0;
}

/* switch_in - a traced thread is back on a CPU: one OFFCPU interval for its time away. */
static __always_inline void switch_in(struct task_struct *next, __u32 tgid, __u64 now)
{
	struct thread_state *st;
	__u32 tid = next->pid;
	__u64 wake;

	st = bpf_map_lookup_elem(&rs_threads, &tid);
	if (!st || !st->off_ts || tid == consumer_tid)
		return;
	wake = st->wake_ts >= st->off_ts ? st->wake_ts : 0;
	emit(TRACER_EV_OFFCPU, st->off_flags, st->off_ts, now - st->off_ts, wake, st->off_state,
	     st->off_cpu, (__u64)tgid << 32 | tid);
	st->off_ts = 0;
	st->wake_ts = 0;
}

/* sched_switch has carried prev_state as its 4th argument since Linux 5.18. */
SEC("tp_btf/sched_switch")
int BPF_PROG(rs_sched_switch, bool preempt, struct task_struct *prev, struct task_struct *next,
	     unsigned int prev_state)
{
	__u64 id = bpf_get_current_pid_tgid(), now;
	__u32 tgid = next->tgid;
	bool out, in;

	/* Most switches on a busy machine involve no traced thread: no clock read for them. */
	out = tgid_traced(id >> 32, (__u32)id);
	in = tgid_traced(tgid, 0);
	if (!out && !in)
		return 0;
	now = bpf_ktime_get_ns();
	if (out)
		switch_out(id, preempt, prev_state, now);
	if (in)
		switch_in(next, tgid, now);
	return 0;
}

/* wakeup_note - record when @p was woken; @first: only if none was seen since it left. */
static __always_inline void wakeup_note(struct task_struct *p, bool first)
{
	struct thread_state *st;
	__u32 tid;

	if (!tgid_traced(p->tgid, 0))
		return;
	tid = p->pid;
	if (tid == consumer_tid)
		return;
	st = thread_get(tid);
	if (!st || (first && st->wake_ts && st->wake_ts >= st->off_ts))
		return;
	st->wake_ts = bpf_ktime_get_ns();
}

SEC("tp_btf/sched_waking")
int BPF_PROG(rs_sched_waking, struct task_struct *p)
{
	wakeup_note(p, false);
	return 0;
}

/* sched_wakeup fills in when sched_waking is missing or was not seen for this wakeup. */
SEC("tp_btf/sched_wakeup")
int BPF_PROG(rs_sched_wakeup, struct task_struct *p)
{
	wakeup_note(p, true);
	return 0;
}

SEC("tp_btf/sched_migrate_task")
int BPF_PROG(rs_migrate, struct task_struct *p, int dest_cpu)
{
	__u32 tgid = p->tgid;
	__u32 tid;

	if (!tgid_traced(tgid, 0))
		return 0;
	tid = p->pid;
	if (tid != consumer_tid)
		emit(TRACER_EV_MIGRATE, 0, bpf_ktime_get_ns(), 0, p->thread_info.cpu, dest_cpu, 0,
		     (__u64)tgid << 32 | tid);
	return 0;
}

/* handler_end - close the interval that started at *@start (if it was seen) as @type. */
static __always_inline void handler_end(__u64 *start, __u8 type, __u64 arg0, __u64 arg1, __u32 arg2)
{
	__u64 now;

	if (!*start)
		return;
	now = bpf_ktime_get_ns();
	emit(type, 0, *start, now - *start, arg0, arg1, arg2, bpf_get_current_pid_tgid());
	*start = 0;
}

SEC("raw_tp/irq_handler_entry")
int BPF_PROG(rs_irq_entry, int irq)
{
	struct tracer_cpu_state *cs = cpu_state();

	if (cs)
		cs->irq_ts = bpf_ktime_get_ns();
	return 0;
}

SEC("raw_tp/irq_handler_exit")
int BPF_PROG(rs_irq_exit, int irq)
{
	struct tracer_cpu_state *cs = cpu_state();

	if (cs)
		handler_end(&cs->irq_ts, TRACER_EV_IRQ, irq, 0, 0);
	return 0;
}

SEC("raw_tp/softirq_entry")
int BPF_PROG(rs_sirq_entry, unsigned int vec)
{
	struct tracer_cpu_state *cs = cpu_state();

	if (!cs)
		return 0;
	cs->sirq_rx = cs->count[TRACER_CNT_NET_RECEIVE];
	cs->sirq_work = cs->count[TRACER_CNT_NAPI_WORK];
	cs->softirq_ts = bpf_ktime_get_ns();
	return 0;
}

/* The packets received and polled while it ran: what lean detail does not record one by one. */
SEC("raw_tp/softirq_exit")
int BPF_PROG(rs_sirq_exit, unsigned int vec)
{
	struct tracer_cpu_state *cs = cpu_state();

	if (cs)
		handler_end(&cs->softirq_ts, TRACER_EV_SOFTIRQ, vec,
			    cs->count[TRACER_CNT_NAPI_WORK] - cs->sirq_work,
			    (__u32)(cs->count[TRACER_CNT_NET_RECEIVE] - cs->sirq_rx));
	return 0;
}

/*
 * cpu_count - count a per-CPU event of a traced CPU (@n: how much to add); returns whether it
 * is also to be recorded (full detail).
 */
static __always_inline bool cpu_count(enum tracer_count c, __u64 n)
{
	struct tracer_cpu_state *cs = cpu_state();

	if (!cs)
		return false;
	cs->count[c] += n;
	return detail == TRACER_DETAIL_FULL;
}

SEC("raw_tp/softirq_raise")
int BPF_PROG(rs_sirq_raise, unsigned int vec)
{
	if (cpu_count(TRACER_CNT_SOFTIRQ_RAISE, 1))
		emit(TRACER_EV_SOFTIRQ_RAISE, 0, bpf_ktime_get_ns(), 0, vec, 0, 0,
		     bpf_get_current_pid_tgid());
	return 0;
}

/* ipi_entry/ipi_exit - the x86 irq_vectors handlers (they do not nest with each other). */
static __always_inline void ipi_entry(void)
{
	struct tracer_cpu_state *cs = cpu_state();

	if (cs)
		cs->ipi_ts = bpf_ktime_get_ns();
}

static __always_inline void ipi_exit(enum tracer_ipi kind)
{
	struct tracer_cpu_state *cs = cpu_state();

	if (cs)
		handler_end(&cs->ipi_ts, TRACER_EV_IPI, kind, 0, 0);
}

#define RS_IPI_PROGS(event, prog, kind)                                                            \
	SEC("raw_tp/" #event "_entry")                                                             \
	int prog##_entry(void *ctx)                                                                \
	{                                                                                          \
		ipi_entry();                                                                       \
		return 0;                                                                          \
	}                                                                                          \
	SEC("raw_tp/" #event "_exit")                                                              \
	int prog##_exit(void *ctx)                                                                 \
	{                                                                                          \
		ipi_exit(kind);                                                                    \
		return 0;                                                                          \
	}

RS_IPI_PROGS(local_timer, rs_timer, TRACER_IPI_LOCAL_TIMER)
RS_IPI_PROGS(reschedule, rs_resch, TRACER_IPI_RESCHEDULE)
RS_IPI_PROGS(call_function, rs_callf, TRACER_IPI_CALL_FUNCTION)
RS_IPI_PROGS(call_function_single, rs_callfs, TRACER_IPI_CALL_FUNCTION_SINGLE)

/* net_instant - a per-CPU network event about @skb: counted, and recorded in full detail. */
static __always_inline void net_instant(enum tracer_count c, __u8 type, struct sk_buff *skb,
					__u64 arg1)
{
	if (cpu_count(c, 1))
		emit(type, 0, bpf_ktime_get_ns(), 0, BPF_CORE_READ(skb, len), arg1, 0,
		     bpf_get_current_pid_tgid());
}

SEC("raw_tp/net_dev_queue")
int BPF_PROG(rs_net_queue, struct sk_buff *skb)
{
	net_instant(TRACER_CNT_NET_QUEUE, TRACER_EV_NET_QUEUE, skb, 0);
	return 0;
}

SEC("raw_tp/net_dev_xmit")
int BPF_PROG(rs_net_xmit, struct sk_buff *skb, int rc)
{
	net_instant(TRACER_CNT_NET_XMIT, TRACER_EV_NET_XMIT, skb, rc);
	return 0;
}

SEC("raw_tp/netif_receive_skb")
int BPF_PROG(rs_net_receive, struct sk_buff *skb)
{
	net_instant(TRACER_CNT_NET_RECEIVE, TRACER_EV_NET_RECEIVE, skb, 0);
	return 0;
}

SEC("raw_tp/napi_poll")
int BPF_PROG(rs_napi_poll, struct napi_struct *napi, int work, int budget)
{
	struct tracer_cpu_state *cs = cpu_state();

	if (!cs)
		return 0;
	cs->count[TRACER_CNT_NAPI_POLL] += 1;
	cs->count[TRACER_CNT_NAPI_WORK] += work;
	if (detail == TRACER_DETAIL_FULL)
		emit(TRACER_EV_NAPI_POLL, 0, bpf_ktime_get_ns(), 0, work, budget, 0,
		     bpf_get_current_pid_tgid());
	return 0;
}

/* Rare: a classic tracepoint for its decoded ports; returns 0 so perf does no sample work. */
SEC("tp/tcp/tcp_retransmit_skb")
int rs_tcp_retrans(struct trace_event_raw_tcp_retransmit_skb *ctx)
{
	if (cpu_state())
		emit(TRACER_EV_TCP_RETRANSMIT, 0, bpf_ktime_get_ns(), 0, ctx->sport, ctx->dport,
		     ctx->state, bpf_get_current_pid_tgid());
	return 0;
}

SEC("raw_tp/page_fault_user")
int BPF_PROG(rs_page_fault, unsigned long address, struct pt_regs *regs, unsigned long error)
{
	__u64 id;

	if (current_traced(&id))
		emit(TRACER_EV_PAGE_FAULT, 0, bpf_ktime_get_ns(), 0, address, error, 0, id);
	return 0;
}

/* iou_count - count an io_uring event of the current thread (traced tgid) on this CPU. */
static __always_inline void iou_count(enum tracer_count c)
{
	__u32 zero = 0;
	struct tracer_cpu_state *cs = bpf_map_lookup_elem(&rs_cpu_state, &zero);

	if (cs)
		cs->count[c] += 1;
}

/* iou_submit - whether a submission is to be recorded (full detail); lean detail counts it. */
static __always_inline bool iou_submit(__u64 *id)
{
	if (!current_traced(id))
		return false;
	if (detail == TRACER_DETAIL_FULL)
		return true;
	iou_count(TRACER_CNT_IOURING_SUBMIT);
	return false;
}

SEC("raw_tp/io_uring_submit_req")
int BPF_PROG(rs_iou_submit, struct io_kiocb *req)
{
	__u64 id;

	if (iou_submit(&id))
		emit(TRACER_EV_IOURING_SUBMIT, 0, bpf_ktime_get_ns(), 0, BPF_CORE_READ(req, opcode),
		     BPF_CORE_READ(req, cqe.user_data), 0, id);
	return 0;
}

/* Older kernels (5.x) name the submit event io_uring_submit_sqe(ctx, req, user_data, opcode, ...).
 */
SEC("raw_tp/io_uring_submit_sqe")
int BPF_PROG(rs_iou_submit_o, void *ring, void *req, __u64 user_data, __u8 opcode)
{
	__u64 id;

	if (iou_submit(&id))
		emit(TRACER_EV_IOURING_SUBMIT, 0, bpf_ktime_get_ns(), 0, opcode, user_data, 0, id);
	return 0;
}

/*
 * A completion. Lean detail records only the completion of an io-wq punt (analysis ends the
 * punt with it) and counts the rest; the punt is found by (tgid, user_data) in rs_punts.
 */
SEC("raw_tp/io_uring_complete")
int BPF_PROG(rs_iou_complete, struct io_ring_ctx *ring, void *req, struct io_uring_cqe *cqe)
{
	struct punt_key key = {};
	__u64 id;

	if (!current_traced(&id))
		return 0;
	key.user_data = BPF_CORE_READ(cqe, user_data);
	if (detail != TRACER_DETAIL_FULL) {
		key.tgid = id >> 32;
		if (!punts_pending || bpf_map_delete_elem(&rs_punts, &key)) {
			iou_count(TRACER_CNT_IOURING_COMPLETE);
			return 0;
		}
		__sync_fetch_and_add(&punts_pending, -1);
	}
	emit(TRACER_EV_IOURING_COMPLETE, 0, bpf_ktime_get_ns(), 0, key.user_data,
	     (__s64)BPF_CORE_READ(cqe, res), 0, id);
	return 0;
}

SEC("raw_tp/io_uring_queue_async_work")
int BPF_PROG(rs_iou_async, struct io_kiocb *req)
{
	struct punt_key key = {};
	__u8 one = 1;
	__u64 id;

	if (!current_traced(&id))
		return 0;
	key.user_data = BPF_CORE_READ(req, cqe.user_data);
	if (detail != TRACER_DETAIL_FULL) {
		key.tgid = id >> 32;
		if (!bpf_map_update_elem(&rs_punts, &key, &one, BPF_NOEXIST))
			__sync_fetch_and_add(&punts_pending, 1);
	}
	emit(TRACER_EV_IOURING_ASYNC, 0, bpf_ktime_get_ns(), 0, BPF_CORE_READ(req, opcode),
	     key.user_data, 0, id);
	return 0;
}

SEC("raw_tp/io_uring_task_work_run")
int BPF_PROG(rs_iou_taskwork, void *tctx, unsigned int count)
{
	__u64 id;

	if (current_traced(&id))
		emit(TRACER_EV_IOURING_TASK_WORK, 0, bpf_ktime_get_ns(), 0, count, 0, 0, id);
	return 0;
}
