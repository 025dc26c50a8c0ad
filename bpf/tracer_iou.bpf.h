/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * tracer_iou.bpf - the lifecycle of each io_uring request of the session (included by
 * bpf/tracer.bpf.c before tracer_net.bpf.h, whose submit and complete programs stamp and end
 * it). A request's stamps wait in a slot of rs_iou_reqs, found by its user_data: submitted
 * (io_uring_submit_req), armed (io_uring_poll_arm: no data yet, a poll waits for it), data ready
 * (io_uring_task_add: the poll woke on the CPU that processed the packet), completed
 * (io_uring_complete). Only the completion writes a record, one IOURING_REQ for all four: the
 * ringbuf sees one record per request instead of four (docs/tracer.md).
 */
#ifndef RINGSCOPE_BPF_TRACER_IOU_BPF_H
#define RINGSCOPE_BPF_TRACER_IOU_BPF_H

/* One request in flight. A slot is free when ctx is 0. */
struct iou_req_slot {
	__u64 user_data;
	__u64 ctx; /* the ring it was submitted on: a user_data alone may be anyone's */
	__u64 submit_ts;
	__u64 arm_ts;	/* 0: never armed */
	__u64 ready_ts; /* the latest task_add; 0: none */
	__u16 submit_cpu;
	__u16 ready_cpu;
	__u32 pad;
};

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, TRACER_IOU_SLOTS);
	__type(key, __u32);
	__type(value, struct iou_req_slot);
} rs_iou_reqs SEC(".maps");

/*
 * iou_slot - the slot of @user_data (a multiplicative hash: the ring's tags differ in their low
 * bits and in the iteration). An array lookup is inlined; two live requests that share a slot
 * lose the older one's lifecycle, never a wrong one's (the completion checks user_data and ctx).
 */
static __always_inline struct iou_req_slot *iou_slot(__u64 user_data)
{
	__u32 idx = (__u32)((user_data * 0x9e3779b97f4a7c15ull) >> 40) & (TRACER_IOU_SLOTS - 1);

	return bpf_map_lookup_elem(&rs_iou_reqs, &idx);
}

/* iou_live - the slot of the request (@user_data, @ctx) in flight, or NULL. */
static __always_inline struct iou_req_slot *iou_live(__u64 user_data, __u64 ctx)
{
	struct iou_req_slot *s = iou_slot(user_data);

	return s && s->ctx == ctx && s->user_data == user_data ? s : NULL;
}

/* iou_submitted - a traced thread submitted (@user_data, @ctx) at @now: its lifecycle begins. */
static __always_inline void iou_submitted(__u64 user_data, __u64 ctx, __u64 now)
{
	struct iou_req_slot *s = iou_slot(user_data);

	if (!s)
		return;
	s->ctx = 0;
	s->user_data = user_data;
	s->submit_ts = now;
	s->arm_ts = 0;
	s->ready_ts = 0;
	s->submit_cpu = bpf_get_smp_processor_id();
	s->ready_cpu = TRACER_IOU_NO_CPU;
	s->ctx = ctx;
}

/* iou_offset - @b - @a in ns as 32 bits, saturated below TRACER_IOU_NONE. */
static __always_inline __u64 iou_offset(__u64 a, __u64 b)
{
	__u64 d = b > a ? b - a : 0;

	return d < TRACER_IOU_NONE ? d : TRACER_IOU_NONE - 1;
}

/*
 * iou_completed - the request (@user_data, @ctx) completed at @now: its IOURING_REQ record
 * (trace_event.h), and the slot freed. Nothing for a request not seen submitted.
 */
static __always_inline void iou_completed(__u64 user_data, __u64 ctx, __u64 now)
{
	struct iou_req_slot *s = iou_live(user_data, ctx);
	__u64 arm, ready;

	if (!s)
		return;
	arm = s->arm_ts ? iou_offset(s->submit_ts, s->arm_ts) : TRACER_IOU_NONE;
	ready = s->ready_ts ? iou_offset(s->ready_ts, now) : TRACER_IOU_NONE;
	emit(TRACER_EV_IOURING_REQ, 0, s->submit_ts, now - s->submit_ts, user_data,
	     ready << 32 | arm, (__u32)s->submit_cpu << 16 | s->ready_cpu,
	     bpf_get_current_pid_tgid());
	s->ctx = 0;
}

/* The request found no data: a poll is armed, and the request waits for its wakeup. */
SEC("tp_btf/io_uring_poll_arm")
int BPF_PROG(rs_iou_poll_arm, struct io_kiocb *req, int mask, int events)
{
	struct iou_req_slot *s;
	__u64 id;

	if (!current_traced(&id))
		return 0;
	s = iou_live(req->cqe.user_data, (__u64)req->ctx);
	if (s && !s->arm_ts)
		s->arm_ts = bpf_ktime_get_ns();
	return 0;
}

/*
 * The poll woke: data is ready, and the completion is queued as task work for the submitter.
 * It runs where the packet was processed (a softirq, often in another process's context), so
 * the filter is the slot, not the current thread.
 */
SEC("tp_btf/io_uring_task_add")
int BPF_PROG(rs_iou_task_add, struct io_kiocb *req, int mask)
{
	struct iou_req_slot *s;

	if (!tracing_on)
		return 0;
	s = iou_live(req->cqe.user_data, (__u64)req->ctx);
	if (!s)
		return 0;
	s->ready_ts = bpf_ktime_get_ns();
	s->ready_cpu = bpf_get_smp_processor_id();
	return 0;
}

/*
 * DEFER_TASKRUN (6.1): the submitter ran @count deferred completions in its own wait. Full
 * detail only: one record per wait, which the hop split does not need (the completions say when
 * the consumer ran).
 */
SEC("tp_btf/io_uring_local_work_run")
int BPF_PROG(rs_iou_local_work, void *ring, int count, unsigned int loops)
{
	__u64 id;

	if (count > 0 && current_traced(&id))
		emit(TRACER_EV_IOURING_LOCAL_RUN, 0, bpf_ktime_get_ns(), 0, count, loops, 0, id);
	return 0;
}

#endif
