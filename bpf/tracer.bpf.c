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
const volatile __u64 boost_bytes = 1;		  /* and its booster once this much is */
const volatile __u32 nr_cpus = 1;		  /* possible CPUs, at most TRACER_MAX_CPUS */

/* Written by the loader while attached: 0 until tracer_start, 0 again from tracer_stop. */
volatile __u32 tracing_on;
/* the consumer and its booster sleep until woken: one wake-up per arming (bpf/tracer.c) */
volatile __u32 wakeup_armed, boost_armed;
/* the ringbuf consumer's threads: their own activity is TRACER records only */
volatile __u32 consumer_tid, booster_tid;
volatile __u32 send_kinds; /* 1 << enum tracer_ipi_send whose handler entry is attached */
volatile __u64 start_ns;   /* tracer_start's CLOCK_MONOTONIC: ipi_pending's time base */
/* io-wq punts in rs_punts not yet completed (lean): 0 lets a completion skip the lookup. */
__u64 punts_pending;
/* IPIs sent to each CPU and not yet taken by its handler (cleared by the loader at start). */
struct tracer_ipi_pending ipi_pending[TRACER_MAX_CPUS];

/*
 * Pairing state of one traced thread: a syscall in progress; a switch-out (when, from where, in
 * which state, and who ran next); its wakeup since it last came on a CPU.
 */
struct thread_state {
	__u64 sys_ts;
	__u64 off_ts;
	__u64 wake_ts;
	__u64 sys_nr;
	__u32 sys_fd;
	__u32 off_state;
	__u32 off_next;
	__u16 off_cpu;
	__u16 wake_cpu; /* where the wakeup ran (sched_waking runs on the waker's CPU) */
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

/* One bit per tid: set once a NAME record for it was written (cleared at exit; the loader
 * clears it all at tracer_start through its mapping). */
struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(map_flags, BPF_F_MMAPABLE);
	__uint(max_entries, TRACER_PID_LIMIT / 64);
	__type(key, __u32);
	__type(value, __u64);
} rs_named_bits SEC(".maps");

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

/* Bytes of records this CPU submitted since it last asked how full the ringbuf is (submit). */
struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, __u64);
} rs_unqueried SEC(".maps");

/* tgid_traced - whether a thread of @tgid is part of the session (and not the consumer). */
static __always_inline bool tgid_traced(__u32 tgid, __u32 tid)
{
	__u32 word = tgid / 64;
	__u64 *bits;

	if (!tracing_on || tid == consumer_tid || tid == booster_tid)
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

/* reserve - a record slot in the ringbuf; a full ringbuf is counted per CPU, never silent. */
static __always_inline struct tracer_event *reserve(void)
{
	struct tracer_event *e = bpf_ringbuf_reserve(&rs_events, sizeof(*e), 0);
	__u32 zero = 0;
	__u64 *lost;

	if (!e) {
		lost = bpf_map_lookup_elem(&rs_lost, &zero);
		if (lost)
			*lost += 1;
	}
	return e;
}

/* fill - every field of a reserved record but the type-specific payload already written. */
static __always_inline void fill(struct tracer_event *e, __u8 type, __u8 flags, __u64 ts, __u64 dur,
				 __u32 arg2, __u64 pid_tgid)
{
	e->ts_ns = ts;
	e->dur_ns = dur;
	e->tid = (__u32)pid_tgid;
	e->tgid = pid_tgid >> 32;
	e->arg2 = arg2;
	e->cpu = bpf_get_smp_processor_id();
	e->type = type;
	e->flags = flags;
}

/* fire - whether an armed wake-up fires now (it is disarmed: one per arming). */
static __always_inline bool fire(volatile __u32 *armed)
{
	return *armed && __sync_lock_test_and_set(armed, 0);
}

/*
 * submit - hand a filled record over. The consumer is woken only when half the ringbuf is
 * waiting, and its booster when three quarters are, each once per arming (they arm before they
 * sleep: without that every record past the mark would queue an irq_work, a self-IPI each), and
 * that wakeup is a TRACER record of its own: the irq_work that wakes them runs on this CPU.
 * Asking how much is waiting is a helper call (~5-10 ns a record here), so a CPU asks only once
 * it has submitted 1/16 of its share of the wake-up mark since it last asked: all CPUs together
 * cross a mark at most 1/16 of it late (a ringbuf of a few pages still asks at every record).
 */
static __always_inline void submit(struct tracer_event *e)
{
	__u64 *unqueried = bpf_map_lookup_elem(&rs_unqueried, &(__u32){0});
	struct tracer_event *w;
	__u64 waiting;

	if (unqueried) {
		*unqueried += sizeof(*e);
		if (*unqueried * 16 * nr_cpus < wakeup_bytes) {
			bpf_ringbuf_submit(e, BPF_RB_NO_WAKEUP);
			return;
		}
		*unqueried = 0;
	}
	waiting = bpf_ringbuf_query(&rs_events, BPF_RB_AVAIL_DATA);
	if ((waiting < wakeup_bytes || !fire(&wakeup_armed)) &&
	    (waiting < boost_bytes || !fire(&boost_armed))) {
		bpf_ringbuf_submit(e, BPF_RB_NO_WAKEUP);
		return;
	}
	w = reserve();
	if (w) {
		w->arg0 = TRACER_SELF_WAKEUP;
		w->arg1 = waiting;
		fill(w, TRACER_EV_TRACER, 0, e->ts_ns, 0, 0,
		     (__u64)consumer_tid << 32 | consumer_tid);
		bpf_ringbuf_submit(w, BPF_RB_NO_WAKEUP);
	}
	bpf_ringbuf_submit(e, BPF_RB_FORCE_WAKEUP);
}

/* name_claim - claim @tid's bit in *@bits and write its NAME record (see name_note). */
static __noinline void name_claim(__u64 *bits, __u32 tid, __u32 tgid, struct task_struct *task,
				  __u64 ts)
{
	__u64 bit = 1ull << (tid % 64);
	struct tracer_event *e;

	if (__sync_fetch_and_or(bits, bit) & bit)
		return;
	e = reserve();
	if (!e)
		return;
	if (task)
		bpf_probe_read_kernel(&e->arg0, TASK_COMM_LEN, task->comm);
	else
		bpf_get_current_comm(&e->arg0, TASK_COMM_LEN);
	fill(e, TRACER_EV_NAME, 0, ts, 0, 0, (__u64)tgid << 32 | tid);
	submit(e);
}

/*
 * name_note - a NAME record the first time a record mentions thread @tid (of @tgid), with the
 * comm of @task (NULL: the current thread). One bit per tid: a plain test on the common path,
 * an atomic or only to claim it.
 */
static __always_inline void name_note(__u32 tid, __u32 tgid, struct task_struct *task, __u64 ts)
{
	__u32 word = tid / 64;
	__u64 *bits = bpf_map_lookup_elem(&rs_named_bits, &word);

	if (tid && bits && !(*bits & (1ull << (tid % 64))))
		name_claim(bits, tid, tgid, task, ts);
}

/*
 * emit - one record about thread @pid_tgid (@task: it, when it is not the current thread; NULL:
 * current), followed by its NAME record if it is the first that mentions it.
 */
static __always_inline void emit_about(__u8 type, __u8 flags, __u64 ts, __u64 dur, __u64 arg0,
				       __u64 arg1, __u32 arg2, __u64 pid_tgid,
				       struct task_struct *task)
{
	struct tracer_event *e = reserve();

	if (!e)
		return;
	e->arg0 = arg0;
	e->arg1 = arg1;
	fill(e, type, flags, ts, dur, arg2, pid_tgid);
	submit(e);
	name_note((__u32)pid_tgid, pid_tgid >> 32, task, ts);
}

/* emit - a record about the current thread (pid_tgid @pid_tgid). */
static __always_inline void emit(__u8 type, __u8 flags, __u64 ts, __u64 dur, __u64 arg0, __u64 arg1,
				 __u32 arg2, __u64 pid_tgid)
{
	emit_about(type, flags, ts, dur, arg0, arg1, arg2, pid_tgid, NULL);
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

#include "bpf/tracer_cpu.bpf.h"

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
 * switch_out - remember when and how the traced thread @id (the caller checked) left the CPU,
 * and who ran next (@next; pid 0 is the idle task). At sched_switch the outgoing thread is still
 * current, so its ids cost no read of prev.
 */
static __always_inline void switch_out(__u64 id, bool preempt, __u32 state,
				       struct task_struct *next, __u64 now)
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
	st->off_next = next->pid;
	if (st->off_next)
		name_note(st->off_next, next->tgid, next, now);
}

/*
 * switch_in - a traced thread is back on a CPU: one OFFCPU interval for its time away. A sleep's
 * wakeup is the one seen since the thread last came on a CPU, whatever its time: sched_waking
 * can run on another CPU after the sleeper is dequeued but before its sched_switch, so a wakeup
 * earlier than the switch-out is this sleep's (the whole interval then waited to run).
 */
static __always_inline void switch_in(struct task_struct *next, __u32 tgid, __u64 now)
{
	struct thread_state *st;
	__u32 tid = next->pid;
	__u8 flags = TRACER_F_NEXT_SEEN;
	__u64 wake = 0;

	st = bpf_map_lookup_elem(&rs_threads, &tid);
	if (!st || !st->off_ts)
		return;
	if (st->wake_ts && !(st->off_flags & TRACER_F_PREEMPTED)) {
		wake = st->wake_ts > st->off_ts ? st->wake_ts : st->off_ts;
		if (st->wake_cpu != bpf_get_smp_processor_id())
			flags |= TRACER_F_WAKE_REMOTE;
	}
	emit_about(TRACER_EV_OFFCPU, st->off_flags | flags, st->off_ts, now - st->off_ts, wake,
		   (__u64)st->off_next << 32 | st->off_state, st->off_cpu, (__u64)tgid << 32 | tid,
		   next);
	st->off_ts = 0;
	st->wake_ts = 0;
}

/* is_self - whether @tid is one of the consumer's threads. */
static __always_inline bool is_self(__u32 tid)
{
	return tid && (tid == consumer_tid || tid == booster_tid);
}

/* self_switch - the consumer thread's time on a traced CPU: TRACER records (tracer_self). */
static __always_inline void self_switch(struct tracer_cpu_state *cs, __u64 id, bool out, bool in,
					__u64 now)
{
	if (out && cs->self_ts)
		emit(TRACER_EV_TRACER, 0, cs->self_ts, now - cs->self_ts, TRACER_SELF_ONCPU, 0, 0,
		     id);
	cs->self_ts = in ? now : 0;
}

/*
 * ran_switch - who ran on this CPU while traced threads were away from it: the untraced thread
 * switched out (current, @id) gets a RAN record for its time on, and the one switched in (@next)
 * is timed from @now if the traced threads are still away. Traced threads and the tracer's
 * consumer have records of their own; the idle task is idle.
 */
static __always_inline void ran_switch(struct tracer_cpu_state *cs, __u64 id, bool out, bool in,
				       struct task_struct *next, __u64 now)
{
	if (cs->ran_ts && !out && !is_self((__u32)id))
		emit(TRACER_EV_RAN, 0, cs->ran_ts, now - cs->ran_ts, 0, 0, 0, id);
	cs->ran_ts = 0;
	if (out)
		cs->away = 1;
	if (in)
		cs->away = 0;
	if (cs->away && !in && next->pid && !is_self(next->pid))
		cs->ran_ts = now;
}

/* sched_switch has carried prev_state as its 4th argument since Linux 5.18. */
SEC("tp_btf/sched_switch")
int BPF_PROG(rs_sched_switch, bool preempt, struct task_struct *prev, struct task_struct *next,
	     unsigned int prev_state)
{
	__u64 id = bpf_get_current_pid_tgid(), now;
	struct tracer_cpu_state *cs;
	__u32 tgid = next->tgid;
	bool out, in, self;

	/*
	 * Most switches on a busy machine involve no traced thread: no clock read for them, unless
	 * a traced thread left this CPU and what runs instead is to be named.
	 */
	out = tgid_traced(id >> 32, (__u32)id);
	in = tgid_traced(tgid, next->pid);
	self = tracing_on && (is_self((__u32)id) || is_self(next->pid));
	cs = cpu_state();
	if (!out && !in && !self && !(cs && cs->away))
		return 0;
	now = bpf_ktime_get_ns();
	if (cs) {
		cpu_seen(cs, now, TRACER_EV_OFFCPU);
		ran_switch(cs, id, out, in, next, now);
	}
	if (out)
		switch_out(id, preempt, prev_state, next, now);
	if (in)
		switch_in(next, tgid, now);
	if (cs && self)
		self_switch(cs, id, is_self((__u32)id), is_self(next->pid), now);
	return 0;
}

/* wakeup_note - record when @p was woken; @first: only if none was seen since it came on. */
static __always_inline void wakeup_note(struct task_struct *p, bool first)
{
	struct thread_state *st;

	if (!tgid_traced(p->tgid, p->pid))
		return;
	st = thread_get(p->pid);
	if (!st || (first && st->wake_ts))
		return;
	st->wake_ts = bpf_ktime_get_ns();
	st->wake_cpu = bpf_get_smp_processor_id();
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
	__u32 tgid = p->tgid, tid = p->pid;
	__u64 now;

	if (!tgid_traced(tgid, tid))
		return 0;
	now = bpf_ktime_get_ns();
	emit_about(TRACER_EV_MIGRATE, 0, now, 0, p->thread_info.cpu, dest_cpu, 0,
		   (__u64)tgid << 32 | tid, p);
	return 0;
}

/* A rename (prctl, exec) of a thread the trace has named: its new name from now on. */
SEC("tp_btf/task_rename")
int BPF_PROG(rs_task_rename, struct task_struct *task, const char *comm)
{
	__u32 tid = task->pid, word = tid / 64;
	struct tracer_event *e;
	__u64 *bits;

	bits = bpf_map_lookup_elem(&rs_named_bits, &word);
	if (!tracing_on || !bits || !(*bits & (1ull << (tid % 64))))
		return 0;
	e = reserve();
	if (!e)
		return 0;
	__builtin_memset(&e->arg0, 0, TASK_COMM_LEN);
	bpf_probe_read_kernel_str(&e->arg0, TASK_COMM_LEN, comm);
	fill(e, TRACER_EV_NAME, 0, bpf_ktime_get_ns(), 0, 0, (__u64)task->tgid << 32 | tid);
	submit(e);
	return 0;
}

/* A thread that exits gives its tid back: a new thread with the same tid is named again. */
SEC("tp_btf/sched_process_exit")
int BPF_PROG(rs_task_exit, struct task_struct *task)
{
	__u32 tid = task->pid, word = tid / 64;
	__u64 bit = 1ull << (tid % 64), *bits;

	bits = bpf_map_lookup_elem(&rs_named_bits, &word);
	if (bits && (*bits & bit))
		__sync_fetch_and_and(bits, ~bit);
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

#include "bpf/tracer_iou.bpf.h"
#include "bpf/tracer_net.bpf.h"
