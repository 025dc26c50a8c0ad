// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * test_spin.bpf - for test_tracer_hv: make a busy CPU silent. When thread target_tid is
 * switched in, hold that CPU for spin_ns inside sched_switch, where interrupts are off: no tick,
 * no IPI, nothing runs or is seen there, as when the hypervisor deschedules a vCPU.
 */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>

char LICENSE[] SEC("license") = "Dual MIT/GPL";

volatile __u32 target_tid; /* one shot: cleared when the spin starts */
volatile __u64 spin_ns;
volatile __u64 spun_from, spun_to; /* the spin's CLOCK_MONOTONIC span, for the test */

static long spin_until(__u64 i, void *end)
{
	return bpf_ktime_get_ns() >= *(__u64 *)end;
}

SEC("tp_btf/sched_switch")
int BPF_PROG(spin_on_switch, bool preempt, struct task_struct *prev, struct task_struct *next)
{
	__u64 end;

	if (!target_tid || next->pid != target_tid)
		return 0;
	target_tid = 0;
	spun_from = bpf_ktime_get_ns();
	end = spun_from + spin_ns;
	bpf_loop(1 << 23, spin_until, &end, 0);
	spun_to = bpf_ktime_get_ns();
	return 0;
}
