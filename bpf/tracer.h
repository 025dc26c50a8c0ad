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
#define TRACER_DEFAULT_RINGBUF_BYTES (16u << 20) /* power of 2, multiple of the page size */

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

#endif
