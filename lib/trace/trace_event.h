/* SPDX-License-Identifier: MIT */
/*
 * trace_event - one kernel event as the tracer records it and the trace file stores it (EVENTS
 * chunks hold these records as-is): the ABI between bpf/tracer.bpf.c, which writes them, and
 * every reader. Fixed-size fields only, largest first; a change here is a trace-format version
 * change (docs/trace-format.md). Included by BPF code too, where vmlinux.h gives the types.
 */
#ifndef RINGSCOPE_TRACE_EVENT_H
#define RINGSCOPE_TRACE_EVENT_H

#ifndef __VMLINUX_H__
#include <linux/types.h>
#endif

#define TRACER_MAX_CPUS 1024
#define TRACER_FD_NONE	0xffffffffu /* SYSCALL arg2 when the syscall takes no fd */

/*
 * Interval events carry their start in ts_ns and their length in dur_ns; instants have
 * dur_ns == 0. All times are bpf_ktime_get_ns(), i.e. CLOCK_MONOTONIC. cpu is where the event
 * was recorded. tid/tgid: the thread the event is about (SYSCALL, OFFCPU, MIGRATE, PAGE_FAULT,
 * IOURING_*: a thread of a traced tgid; NAME: the thread named; TRACER: the tracer's consumer)
 * or, for the per-CPU events (IRQ, SOFTIRQ*, IPI, NET_*, NAPI_POLL, TCP_RETRANSMIT, ABSENT,
 * EXITS, MSR_WRITE, STEAL), the thread that was running on that CPU when it happened (IDLE: the
 * idle task, tid 0). Types a reader does not know are to be skipped: types are only ever added.
 */
enum tracer_event_type {
	TRACER_EV_SYSCALL = 1,		 /* arg0 = nr, arg1 = return value (s64), arg2 = fd or ~0 */
	TRACER_EV_OFFCPU = 2,		 /* thread off CPU: ts = switched out, dur = until back on;
					    arg0 = wakeup ts (0: none seen), arg1 = prev_state in
					    the low 32 bits and, with TRACER_F_NEXT_SEEN, the tid
					    that the CPU switched to in the high 32 bits (0: idle);
					    arg2 = CPU it left; flags: TRACER_F_PREEMPTED */
	TRACER_EV_MIGRATE = 3,		 /* arg0 = from CPU, arg1 = to CPU */
	TRACER_EV_IRQ = 4,		 /* hard irq: arg0 = irq number */
	TRACER_EV_SOFTIRQ = 5,		 /* arg0 = vector (NET_RX = 3, NET_TX = 2, ...);
					    arg1 = napi work (packets polled) during it,
					    arg2 = packets received (netif_receive_skb) during it
					    (both 0 in traces from before they were kept) */
	TRACER_EV_SOFTIRQ_RAISE = 6,	 /* arg0 = vector */
	TRACER_EV_IPI = 7,		 /* irq_vectors entry..exit: arg0 = enum tracer_ipi;
					    TRACER_F_IPI_SENT (reschedule, call_function*): a send
					    to this CPU was pending: arg1 = delivery latency (ns
					    from ipi_send_cpu/cpumask to this entry: the send was
					    at ts - arg1), arg2 = the sender's CPU;
					    TRACER_F_TIMER_EXPIRY (local timer): arg1 = lateness
					    (ns from the earliest hrtimer expiry it ran to the
					    hrtimer core's clock read in this interrupt) */
	TRACER_EV_NET_QUEUE = 8,	 /* net_dev_queue: arg0 = len */
	TRACER_EV_NET_XMIT = 9,		 /* net_dev_xmit: arg0 = len, arg1 = rc */
	TRACER_EV_NET_RECEIVE = 10,	 /* netif_receive_skb: arg0 = len */
	TRACER_EV_NAPI_POLL = 11,	 /* arg0 = work, arg1 = budget */
	TRACER_EV_TCP_RETRANSMIT = 12,	 /* arg0 = sport, arg1 = dport, arg2 = TCP state */
	TRACER_EV_PAGE_FAULT = 13,	 /* user page fault (entry only): arg0 = address,
					    arg1 = error code */
	TRACER_EV_IOURING_SUBMIT = 14,	 /* arg0 = opcode, arg1 = user_data */
	TRACER_EV_IOURING_COMPLETE = 15, /* arg0 = user_data, arg1 = res (s64); lean detail:
					    only the completions of io-wq punts */
	TRACER_EV_IOURING_ASYNC = 16,	 /* io-wq punt: arg0 = opcode, arg1 = user_data */
	TRACER_EV_IOURING_TASK_WORK = 17, /* arg0 = number of task-work items run */
	TRACER_EV_IDLE = 18,		  /* power:cpu_idle enter..exit (the exit follows the
					     handler of the interrupt that ended it): arg0 = the
					     cpuidle state index entered */
	TRACER_EV_ABSENT = 19,		  /* vCPU silence: a CPU not idle on which no program saw
					     anything for more than the threshold (1.5 ticks):
					     ts = the last event seen, dur = until the next one;
					     arg1 = that next event's enum tracer_event_type (0:
					     one that makes no record); TRACER_F_IPI_PENDING: an
					     IPI to this CPU was sent and not yet taken when it
					     ended: arg0 = its send time, arg2 = the sender CPU */
	TRACER_EV_EXITS = 20,		  /* VM-exit proxies counted in lean detail: ts..ts+dur the
					     window (closed by a local timer interrupt, if any),
					     arg0 = x2APIC ICR (0x830) writes (IPIs sent), arg1 =
					     TSC_DEADLINE (0x6e0) writes (timer programming), arg2
					     = FS_BASE (0xc0000100) writes; HLTs: IDLE records */
	TRACER_EV_MSR_WRITE = 21,	  /* full detail, one per write of those three MSRs:
					     arg0 = MSR, arg1 = value (TSC_DEADLINE: a TSC count),
					     arg2 = nonzero if the write faulted */
	TRACER_EV_NAME = 22,		  /* the comm of tid/tgid from ts on (the first record that
					     mentions a thread, or it was renamed): arg0..arg1 = the
					     16 bytes of task->comm, NUL-padded */
	TRACER_EV_TRACER = 23,		  /* the tracer's own activity: arg0 = enum tracer_self */
	TRACER_EV_STEAL = 24,		  /* steal time the host reported (only when nonzero):
					     ts..ts+dur the window (from one local timer interrupt
					     to the next), arg0 = steal ns in it, arg1 = the run
					     queue's total so far (rq->prev_steal_time_rq) */
	TRACER_EV_RAN = 25,		  /* an untraced thread (tid/tgid) ran on this CPU after a
					     traced thread had left it and before one came back:
					     ts = switched in, dur = until switched out (the idle
					     task and the tracer's consumer are not recorded) */
	TRACER_EV_IOURING_REQ = 26,	  /* one io_uring request's lifecycle, written at its
					     completion: ts = submitted (io_uring_submit_req), dur =
					     to its completion (io_uring_complete); arg0 = user_data
					     (the ring's tag: lib/uring_tag.h); arg1 low 32 bits =
					     ns from submit to poll armed (io_uring_poll_arm: no
					     data yet), high 32 = ns from data ready (the last
					     io_uring_task_add) to completion, each TRACER_IOU_NONE
					     when it did not happen; arg2 = the CPU of that data
					     ready (low 16 bits, TRACER_IOU_NO_CPU: none) and the
					     submitting CPU (high 16); tid, cpu: the completing
					     thread and CPU */
	TRACER_EV_IOURING_LOCAL_RUN = 27, /* io_uring_local_work_run: the submitter ran deferred
					     completions in its own wait (DEFER_TASKRUN): arg0 =
					     count (> 0), arg1 = loops */
	TRACER_EV_TYPE_MAX,
};

#define TRACER_IOU_NONE	  0xffffffffu /* IOURING_REQ arg1 half: that stamp was not seen */
#define TRACER_IOU_NO_CPU 0xffffu     /* IOURING_REQ arg2 low half: no data-ready CPU */

enum tracer_ipi {
	TRACER_IPI_LOCAL_TIMER = 1,
	TRACER_IPI_RESCHEDULE = 2,
	TRACER_IPI_CALL_FUNCTION = 3,
	TRACER_IPI_CALL_FUNCTION_SINGLE = 4,
};

/* TRACER records' arg0: what the tracer itself did on that CPU. */
enum tracer_self {
	TRACER_SELF_ONCPU = 1,	/* its consumer thread ran (ts..ts+dur): it copies records out */
	TRACER_SELF_WAKEUP = 2, /* instant: a program woke the consumer (an irq_work on this CPU)
				   because arg1 bytes of records were waiting */
};

enum tracer_event_flags {
	TRACER_F_PREEMPTED = 1 << 0,	/* OFFCPU: switched out while runnable */
	TRACER_F_FD_SOCKET = 1 << 1,	/* SYSCALL: the fd argument is a socket */
	TRACER_F_FD_OTHER = 1 << 2,	/* SYSCALL: the fd argument is open and not a socket */
	TRACER_F_NEXT_SEEN = 1 << 3,	/* OFFCPU: arg1's high half is who ran next */
	TRACER_F_IPI_SENT = 1 << 4,	/* IPI: its send was seen (arg1, arg2) */
	TRACER_F_TIMER_EXPIRY = 1 << 5, /* IPI (local timer): arg1 is its lateness */
	TRACER_F_IPI_PENDING = 1 << 6,	/* ABSENT: an IPI to the silent CPU was pending */
	TRACER_F_WAKE_REMOTE = 1 << 7,	/* OFFCPU with a wakeup: it ran on another CPU than the
					   one the thread came back on (traces whose TRACER chunk
					   says "waker_cpu": true; before, never set) */
};

/* tracer_offcpu_state/next - the two halves of an OFFCPU record's arg1. */
#define TRACER_OFFCPU_STATE(arg1) ((__u32)(arg1))
#define TRACER_OFFCPU_NEXT(arg1)  ((__u32)((arg1) >> 32))

struct tracer_event {
	__u64 ts_ns;
	__u64 dur_ns;
	__u64 arg0;
	__u64 arg1;
	__u32 tid;
	__u32 tgid;
	__u32 arg2;
	__u16 cpu;
	__u8 type;
	__u8 flags;
};
_Static_assert(sizeof(struct tracer_event) == 48, "tracer_event is 48 bytes on disk");

#endif
