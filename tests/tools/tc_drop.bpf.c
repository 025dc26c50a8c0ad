// SPDX-License-Identifier: MIT
/*
 * tc_drop - a tc (cls_bpf, direct-action) program for test_attribution_net: drops one TCP segment
 * with payload in DROP_ONE_IN at random, ACKs never. Attached at a receiver's ingress, so that the
 * sender learns of the loss only as TCP does (at egress a drop is a local transmit failure, which
 * TCP retries as a new send, not a retransmit). Built by the test with clang; no maps, no BTF
 * needed, so iproute2's loader takes it as it is.
 */
#include <linux/bpf.h>
#include <linux/if_ether.h>
#include <linux/in.h>
#include <linux/ip.h>
#include <linux/pkt_cls.h>
#include <linux/tcp.h>

static __u32 (*bpf_get_prandom_u32)(void) = (void *)BPF_FUNC_get_prandom_u32;

#ifndef DROP_ONE_IN
#define DROP_ONE_IN 500
#endif

/* rs_tc_drop - TC_ACT_SHOT for one data segment in DROP_ONE_IN, TC_ACT_OK for the rest. */
__attribute__((section("tc"), used)) int rs_tc_drop(struct __sk_buff *skb)
{
	void *data = (void *)(long)skb->data, *end = (void *)(long)skb->data_end;
	struct ethhdr *eth = data;
	struct iphdr *ip = (void *)(eth + 1);
	struct tcphdr *tcp;

	if ((void *)(ip + 1) > end || eth->h_proto != __builtin_bswap16(ETH_P_IP) ||
	    ip->protocol != IPPROTO_TCP)
		return TC_ACT_OK;
	tcp = (void *)ip + ip->ihl * 4;
	if ((void *)(tcp + 1) > end)
		return TC_ACT_OK;
	if (__builtin_bswap16(ip->tot_len) <= ip->ihl * 4 + tcp->doff * 4)
		return TC_ACT_OK; /* no payload: an ACK */
	return bpf_get_prandom_u32() % DROP_ONE_IN ? TC_ACT_OK : TC_ACT_SHOT;
}

char LICENSE[] __attribute__((section("license"), used)) = "Dual MIT/GPL";
