/* SPDX-License-Identifier: MIT */
/*
 * tracer - what bpf/tracer.bpf.c and its loader (bpf/tracer.c) share beyond the event record
 * itself (lib/trace/trace_event.h): limits, the detail levels, the per-CPU state and counters.
 */
#ifndef RINGSCOPE_BPF_TRACER_H
#define RINGSCOPE_BPF_TRACER_H

#include "lib/trace/trace_event.h"

#define TRACER_MAX_TGIDS	     64
#define TRACER_MAX_THREADS	     16384	/* per-thread pairing state (tids) */
#define TRACER_PID_LIMIT	     (1u << 22) /* PID_MAX_LIMIT on 64-bit: the tgid bitmap's size */
#define TRACER_MAX_PUNTS	     4096	/* io-wq punts awaiting their completion (lean) */
#define TRACER_IOU_SLOTS	     1024	/* io_uring requests in flight (power of 2) */
#define TRACER_DEFAULT_RINGBUF_BYTES (32u << 20) /* power of 2, multiple of the page size */

/*
 * How much is recorded. LEAN (the default) records intervals and rare events and attaches no
 * program to the per-packet tracepoints (net_dev_queue, net_dev_xmit, netif_receive_skb,
 * napi_poll, softirq_raise): a program that only counts still costs a
 * dispatch per packet. It counts the VM-exit proxies (EXITS records) instead of recording each.
 * FULL records every event, and a SOFTIRQ record says how many packets it handled.
 */
enum tracer_detail {
	TRACER_DETAIL_LEAN = 0,
	TRACER_DETAIL_FULL = 1,
};

/*
 * Per-CPU counters: the MSR writes (lean: EXITS records, and the status's "aggregated"), then
 * the packets that the running softirq handled (full detail only).
 */
enum tracer_count {
	TRACER_CNT_MSR_ICR,
	TRACER_CNT_MSR_TSC_DEADLINE,
	TRACER_CNT_MSR_FS_BASE,
	TRACER_CNT_AGGREGATED, /* the counters above are lean detail's "aggregated" */
	TRACER_CNT_NET_RECEIVE = TRACER_CNT_AGGREGATED,
	TRACER_CNT_NAPI_WORK, /* the sum of napi_poll's work */
	TRACER_CNT_MAX,
};

#define TRACER_MSR_ICR		0x830	   /* x2APIC interrupt command: an IPI sent */
#define TRACER_MSR_TSC_DEADLINE 0x6e0	   /* the local timer's next expiry, in TSC counts */
#define TRACER_MSR_FS_BASE	0xc0000100 /* written by wrmsr where FSGSBASE is missing */

/* The IPIs whose send is paired with the target CPU's handler entry. */
enum tracer_ipi_send {
	TRACER_SEND_RESCHEDULE,
	TRACER_SEND_CALL_SINGLE,
	TRACER_SEND_CALL_MANY,
	TRACER_SEND_MAX,
};

/*
 * What senders leave for one target CPU (.bss array ipi_pending, one cache line each): for each
 * kind, when the oldest send not yet taken by the target's handler was made, packed with the
 * sender's CPU as ((ns since tracer_start) << 10 | sender); 0: none pending. traced is set by
 * the loader for the CPUs whose IPI records are wanted.
 */
#define TRACER_SEND_CPU_BITS 10 /* TRACER_MAX_CPUS = 1024 */
struct tracer_ipi_pending {
	__u64 sent[TRACER_SEND_MAX];
	__u32 traced;
	__u32 pad[9];
};

/*
 * Per-CPU state of the kernel side (map rs_cpu_state), shared so that the loader can reset it:
 * start of the hard irq, softirq and irq-vector handler running on the CPU (they nest), the
 * hypervisor evidence (last event seen, idle, timer lateness, the exit-proxy window, steal) and
 * whether the CPU's per-CPU events are wanted (set by the loader with absent_ns; one inlined
 * per-CPU lookup answers all).
 */
struct tracer_cpu_state {
	__u64 irq_ts;
	__u64 softirq_ts;
	__u64 ipi_ts;
	__u64 ipi_sent;	  /* the running IPI handler's pending send (tracer_ipi_pending.sent) */
	__u64 timer_late; /* 1 + the lateness of the running local timer interrupt; 0: none */
	__u64 last_seen;  /* the latest clock read of any program here (0: none yet) */
	__u64 idle_ts;	  /* when the CPU entered idle; 0: it is not idle (or not known to be) */
	__u64 absent_ns;  /* ABSENT threshold for this CPU; 0: not detected here */
	__u64 window_ts;  /* start of the EXITS and STEAL window (tracer_start, then timers) */
	__u64 steal_ns;	  /* rq->prev_steal_time_rq at window_ts */
	__u64 self_ts;	  /* when the tracer's consumer thread came on this CPU (0: not on) */
	__u64 sirq_rx;	  /* count[NET_RECEIVE] when the running softirq started */
	__u64 sirq_work;  /* count[NAPI_WORK] when the running softirq started */
	__u64 ran_ts;	  /* when the running untraced thread came on while traced ones were away */
	__u64 count[TRACER_CNT_MAX];
	__u64 window_msr[3]; /* count[MSR_*] at window_ts: the EXITS record is the difference */
	__u32 traced;
	__u32 idle_state; /* the cpuidle state entered at idle_ts */
	__u32 ipi_kind;	  /* enum tracer_ipi of the running irq-vector handler; 0: none */
	__u32 away;	  /* a traced thread left this CPU and none has come back on since */
};

#endif
