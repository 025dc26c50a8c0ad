/* SPDX-License-Identifier: MIT */
/*
 * attribution_join - the state of the streaming join (private to analysis/attribution/): the
 * windows and the events kept for them (attribution_join.c), and what the stream teaches about
 * each probe and the platform (attribution_learn.c).
 */
#ifndef RINGSCOPE_ATTRIBUTION_JOIN_H
#define RINGSCOPE_ATTRIBUTION_JOIN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "analysis/attribution/attribution.h"

#define ATTR_MAX_NR	  512 /* syscall numbers with a usual cost; x86-64 has ~460 */
#define ATTR_HIST_SUB	  32  /* sub-buckets per power of two: ~3% resolution */
#define ATTR_HIST_BUCKETS (2 * ATTR_HIST_SUB + 58 * ATTR_HIST_SUB)

/* attr_win - a time window (a spike, or any timed iteration) with the running max of ends. */
struct attr_win {
	uint64_t start, end;
	uint64_t maxend; /* max end of this and every earlier window: bounds the backward walk */
	uint32_t probe, spike;
};

/*
 * attr_evlist - the events kept for one window: a chain through the join's store, in the order
 * they came (one store for every window instead of a growing array each: 93,000 windows of a
 * paper-sized session cost a malloc per doubling and twice the memory).
 */
struct attr_evlist {
	uint32_t head, tail, n;
};

/* attr_slot - one kept event and the next of its window (ATTR_NONE: the last). */
struct attr_slot {
	struct tracer_event ev;
	uint32_t next;
};

#define ATTR_NONE UINT32_MAX
/* the store is blocks of this many slots (7 MB): it grows without moving what it holds */
#define ATTR_BLOCK_SHIFT 17
#define ATTR_BLOCK_SLOTS (1u << ATTR_BLOCK_SHIFT)

struct attr_hist {
	uint64_t count;
	uint64_t median; /* attr_usual_ns's answer once asked (the stream has ended then) */
	bool known;
	uint32_t b[ATTR_HIST_BUCKETS];
};

/* attr_pstate - what the join learns about one probe. */
struct attr_pstate {
	uint64_t span_start, span_end; /* first window start, last window end */
	uint64_t events, syscalls_in_windows;
	uint64_t deliveries, delivery_ns; /* timed interrupt deliveries inside the span */
	uint32_t timed_tid, timed_tgid;
	uint64_t transition_ns, transition_windows; /* see attr_ctx.transition_ns */
	uint64_t wakeup_ns, wakeup_windows;	    /* see attr_ctx.wakeup_ns */
	double exits;				    /* VM-exit proxies inside the span */
	uint64_t exit_cpus[TRACER_MAX_CPUS / 64];   /* the CPUs they were on */
	struct attr_win *tw; /* every timed window, for syscalls_in_windows */
	size_t ntw, tw_hint;
	struct attr_hist *hist[ATTR_MAX_NR][2]; /* [nr][timed thread?], allocated when seen */
};

struct attr_join {
	const struct attr_probe_in *in;
	const struct arch *arch;
	size_t nprobes;
	const struct attr_platform *pf;
	struct attr_names *names; /* from the NAME records */
	struct attr_evidence evidence;
	struct attr_pairing *pairing; /* each CPU's latest idle and handlers: stale IPI pairings */
	struct attr_hist ipi_hist, timer_hist; /* delivery latencies: the run's normal */
	struct attr_pstate *p;
	struct attr_win *w;	   /* every spike of every probe */
	struct attr_evlist *lists; /* the events of each window in w */
	size_t nw, hint;
	struct attr_slot **blocks; /* the store: every kept event, chained per window */
	size_t nblocks, nstore;
	struct tracer_event *scratch; /* one window's events side by side, for the split */
	size_t capscratch;
};

/* attr_hist_quantile - the lower @q quantile of the histogram, 0 when empty. */
uint64_t attr_hist_quantile(const struct attr_hist *h, double q);

/*
 * The normal delivery of an interrupt is its 10th percentile over the whole trace: what it costs
 * when nothing gets in its way. Not the median: on a guest whose host delays most deliveries
 * (PVM: timer interrupts p50 52 us late, the handler 2 us) the median is itself host time.
 */
#define ATTR_NORMAL_DELIVERY_Q 0.1

/* attr_hist_add - count one duration of syscall @nr into probe @p. 0 or -ENOMEM. */
int attr_hist_add(struct attr_pstate *p, const struct tracer_event *e);

/*
 * attr_learn_platform - what event @e says about the platform: delivery latencies of IPIs and
 * timer interrupts (their median is the run's normal), silences, steal, VM-exit proxies, the
 * tracer's own activity.
 */
void attr_learn_platform(struct attr_join *j, const struct tracer_event *e);

/* attr_learn_exits - the VM-exit proxies of @e inside probe @p's span, and their CPUs. */
void attr_learn_exits(struct attr_pstate *p, const struct tracer_event *e);

/* attr_ctx_of - the split's context for probe @p of join @j. */
struct attr_ctx attr_ctx_of(struct attr_join *j, struct attr_pstate *p);

#endif
