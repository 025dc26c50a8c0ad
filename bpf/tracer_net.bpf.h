/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * tracer_net.bpf - the network and io_uring programs of bpf/tracer.bpf.c (included by it). The
 * per-packet ones (net_dev_queue, net_dev_xmit, netif_receive_skb, napi_poll, softirq_raise)
 * are attached in full detail only (bpf/tracer_progs.c); io_uring_submit_req always, for the
 * requests' lifecycles.
 */
#ifndef RINGSCOPE_BPF_TRACER_NET_BPF_H
#define RINGSCOPE_BPF_TRACER_NET_BPF_H

SEC("raw_tp/softirq_raise")
int BPF_PROG(rs_sirq_raise, unsigned int vec)
{
	if (cpu_state())
		emit(TRACER_EV_SOFTIRQ_RAISE, 0, bpf_ktime_get_ns(), 0, vec, 0, 0,
		     bpf_get_current_pid_tgid());
	return 0;
}

/*
 * net_instant - a per-CPU network event about @skb; @c: the count it adds to (or -1). The
 * packet programs are tp_btf: skb->len is one plain load, not a bpf_probe_read_kernel call.
 */
static __always_inline void net_instant(int c, __u8 type, struct sk_buff *skb, __u64 arg1)
{
	struct tracer_cpu_state *cs = cpu_state();

	if (!cs)
		return;
	if (c >= 0 && c < TRACER_CNT_MAX)
		cs->count[c] += 1;
	emit(type, 0, bpf_ktime_get_ns(), 0, skb->len, arg1, 0, bpf_get_current_pid_tgid());
}

SEC("tp_btf/net_dev_queue")
int BPF_PROG(rs_net_queue, struct sk_buff *skb)
{
	net_instant(-1, TRACER_EV_NET_QUEUE, skb, 0);
	return 0;
}

SEC("tp_btf/net_dev_xmit")
int BPF_PROG(rs_net_xmit, struct sk_buff *skb, int rc)
{
	net_instant(-1, TRACER_EV_NET_XMIT, skb, rc);
	return 0;
}

SEC("tp_btf/netif_receive_skb")
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
	cs->count[TRACER_CNT_NAPI_WORK] += work;
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

/*
 * tp_btf, as every io_uring event whose argument is the request: its fields are plain loads.
 * Every submission starts a lifecycle (tracer_iou.bpf.h); full detail records it too.
 */
SEC("tp_btf/io_uring_submit_req")
int BPF_PROG(rs_iou_submit, struct io_kiocb *req)
{
	__u64 id, now;

	if (!current_traced(&id))
		return 0;
	now = bpf_ktime_get_ns();
	iou_submitted(req->cqe.user_data, (__u64)req->ctx, now);
	if (detail == TRACER_DETAIL_FULL)
		emit(TRACER_EV_IOURING_SUBMIT, 0, now, 0, req->opcode, req->cqe.user_data, 0, id);
	return 0;
}

/* Older kernels (5.x) name the submit event io_uring_submit_sqe(ctx, req, user_data, opcode, ...).
 */
SEC("raw_tp/io_uring_submit_sqe")
int BPF_PROG(rs_iou_submit_o, void *ring, void *req, __u64 user_data, __u8 opcode)
{
	__u64 id, now;

	if (!current_traced(&id))
		return 0;
	now = bpf_ktime_get_ns();
	iou_submitted(user_data, (__u64)ring, now);
	if (detail == TRACER_DETAIL_FULL)
		emit(TRACER_EV_IOURING_SUBMIT, 0, now, 0, opcode, user_data, 0, id);
	return 0;
}

/*
 * A completion ends its request's lifecycle (an IOURING_REQ record). Besides, lean detail
 * records only the completion of an io-wq punt (analysis ends the punt with it), found by
 * (tgid, user_data) in rs_punts; while none is pending (the common case: one load) it is done.
 */
SEC("raw_tp/io_uring_complete")
int BPF_PROG(rs_iou_complete, struct io_ring_ctx *ring, void *req, struct io_uring_cqe *cqe)
{
	struct punt_key key = {};
	__u64 id, now;

	if (!tracing_on)
		return 0;
	key.user_data = BPF_CORE_READ(cqe, user_data);
	now = bpf_ktime_get_ns();
	iou_completed(key.user_data, (__u64)ring, now);
	if (detail != TRACER_DETAIL_FULL && !punts_pending)
		return 0;
	if (!current_traced(&id))
		return 0;
	if (detail != TRACER_DETAIL_FULL) {
		key.tgid = id >> 32;
		if (bpf_map_delete_elem(&rs_punts, &key))
			return 0;
		__sync_fetch_and_add(&punts_pending, -1);
	}
	emit(TRACER_EV_IOURING_COMPLETE, 0, now, 0, key.user_data, (__s64)BPF_CORE_READ(cqe, res),
	     0, id);
	return 0;
}

SEC("tp_btf/io_uring_queue_async_work")
int BPF_PROG(rs_iou_async, struct io_kiocb *req)
{
	struct punt_key key = {};
	__u8 one = 1;
	__u64 id;

	if (!current_traced(&id))
		return 0;
	key.user_data = req->cqe.user_data;
	if (detail != TRACER_DETAIL_FULL) {
		key.tgid = id >> 32;
		if (!bpf_map_update_elem(&rs_punts, &key, &one, BPF_NOEXIST))
			__sync_fetch_and_add(&punts_pending, 1);
	}
	emit(TRACER_EV_IOURING_ASYNC, 0, bpf_ktime_get_ns(), 0, req->opcode, key.user_data, 0, id);
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

#endif
