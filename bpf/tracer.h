/* SPDX-License-Identifier: MIT */
/*
 * tracer - the event ABI shared by bpf/tracer.bpf.c (kernel) and user space (loader, trace
 * file, analysis). Fixed-size fields only, largest first; records are stored as-is in the
 * trace file's EVENTS chunks, so a change here is a trace-format version change.
 */
#ifndef RINGSCOPE_BPF_TRACER_H
#define RINGSCOPE_BPF_TRACER_H

#ifndef __VMLINUX_H__
#include <linux/types.h>
#endif

#define TRACER_MAX_TGIDS	     64
#define TRACER_MAX_CPUS		     1024
#define TRACER_MAX_THREADS	     16384	 /* per-thread pairing state (tids) */
#define TRACER_PID_LIMIT	     (1u << 22)	 /* PID_MAX_LIMIT on 64-bit: the tgid bitmap's size */
#define TRACER_MAX_PUNTS	     4096	 /* io-wq punts awaiting their completion (lean) */
#define TRACER_DEFAULT_RINGBUF_BYTES (16u << 20) /* power of 2, multiple of the page size */
#define TRACER_FD_NONE		     0xffffffffu /* SYSCALL arg2 when the syscall takes no fd */

/*
 * Interval events carry their start in ts_ns and their length in dur_ns; instants have
 * dur_ns == 0. All times are bpf_ktime_get_ns(), i.e. CLOCK_MONOTONIC. cpu is where the event
 * was recorded. tid/tgid: the thread the event is about (SYSCALL, OFFCPU, MIGRATE, PAGE_FAULT,
 * IOURING_*: a thread of a traced tgid) or, for the per-CPU events (IRQ, SOFTIRQ*, IPI, NET_*,
 * NAPI_POLL, TCP_RETRANSMIT), the thread that was running on that CPU when it happened.
 */
enum tracer_event_type {
	TRACER_EV_SYSCALL = 1,		 /* arg0 = nr, arg1 = return value (s64), arg2 = fd or ~0 */
	TRACER_EV_OFFCPU = 2,		 /* thread off CPU: ts = switched out, dur = until back on;
					    arg0 = wakeup ts (0: none seen), arg1 = prev_state,
					    arg2 = CPU it left; flags: TRACER_F_PREEMPTED */
	TRACER_EV_MIGRATE = 3,		 /* arg0 = from CPU, arg1 = to CPU */
	TRACER_EV_IRQ = 4,		 /* hard irq: arg0 = irq number */
	TRACER_EV_SOFTIRQ = 5,		 /* arg0 = vector (NET_RX = 3, NET_TX = 2, ...);
					    arg1 = napi work (packets polled) during it,
					    arg2 = packets received (netif_receive_skb) during it
					    (both 0 in traces from before they were kept) */
	TRACER_EV_SOFTIRQ_RAISE = 6,	 /* arg0 = vector */
	TRACER_EV_IPI = 7,		 /* irq_vectors entry..exit: arg0 = enum tracer_ipi */
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
	TRACER_EV_TYPE_MAX,
};

/*
 * How much is recorded. LEAN (the default) records intervals and rare events, and counts the
 * per-packet instants in the kernel instead (SOFTIRQ_RAISE, NET_QUEUE, NET_XMIT, NET_RECEIVE,
 * NAPI_POLL, IOURING_SUBMIT, and IOURING_COMPLETE except after an io-wq punt): their totals are
 * in the tracer's status, and a SOFTIRQ record says how many packets it handled. FULL records
 * every event.
 */
enum tracer_detail {
	TRACER_DETAIL_LEAN = 0,
	TRACER_DETAIL_FULL = 1,
};

/* Per-CPU counters of the events that lean detail counts instead of recording. */
enum tracer_count {
	TRACER_CNT_SOFTIRQ_RAISE,
	TRACER_CNT_NET_QUEUE,
	TRACER_CNT_NET_XMIT,
	TRACER_CNT_NET_RECEIVE,
	TRACER_CNT_NAPI_POLL,
	TRACER_CNT_NAPI_WORK, /* the sum of napi_poll's work */
	TRACER_CNT_IOURING_SUBMIT,
	TRACER_CNT_IOURING_COMPLETE,
	TRACER_CNT_MAX,
};

/*
 * Per-CPU state of the kernel side (map rs_cpu_state), shared so that the loader can reset it:
 * start of the hard irq, softirq and irq-vector handler running on the CPU (they nest), the
 * counters of what lean detail does not record, and whether the CPU's per-CPU events are wanted
 * (set by the loader; one inlined per-CPU lookup answers both).
 */
struct tracer_cpu_state {
	__u64 irq_ts;
	__u64 softirq_ts;
	__u64 ipi_ts;
	__u64 sirq_rx;	 /* count[NET_RECEIVE] when the running softirq started */
	__u64 sirq_work; /* count[NAPI_WORK] when the running softirq started */
	__u64 count[TRACER_CNT_MAX];
	__u32 traced;
	__u32 pad;
};

enum tracer_ipi {
	TRACER_IPI_LOCAL_TIMER = 1,
	TRACER_IPI_RESCHEDULE = 2,
	TRACER_IPI_CALL_FUNCTION = 3,
	TRACER_IPI_CALL_FUNCTION_SINGLE = 4,
};

enum tracer_event_flags {
	TRACER_F_PREEMPTED = 1 << 0, /* OFFCPU: switched out while runnable */
	TRACER_F_FD_SOCKET = 1 << 1, /* SYSCALL: the fd argument is a socket */
	TRACER_F_FD_OTHER = 1 << 2,  /* SYSCALL: the fd argument is open and not a socket */
};

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
