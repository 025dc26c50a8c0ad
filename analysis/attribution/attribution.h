/* SPDX-License-Identifier: MIT */
/*
 * attribution - split the excess of every spike into the kernel activity inside its window
 * (docs/architecture.md, decisions 4 and 5; docs/attribution.md is the method). Events stream in
 * once, in file order; memory grows with the spikes and the events inside their windows, never with
 * the trace's events.
 */
#ifndef RINGSCOPE_ATTRIBUTION_H
#define RINGSCOPE_ATTRIBUTION_H

#include <stddef.h>
#include <stdint.h>

#include "analysis/model/spikes.h"
#include "lib/arch/arch.h"
#include "lib/trace/trace_event.h"

enum attr_cause {
	ATTR_BUFFER_FLUSH = 0, /* write/writev/pwrite/fsync/fdatasync on a non-socket fd */
	ATTR_NETWORK,	       /* socket syscalls past their usual cost, NET softirqs, napi, xmit */
	ATTR_SCHEDULING,       /* run-queue wait after a wakeup, preempted time */
	ATTR_IRQ,	       /* hard irqs, IPIs, non-network softirqs */
	ATTR_PAGE_FAULT,       /* user page faults (a measured per-fault estimate, see below) */
	ATTR_IO_URING,	       /* io-wq punts, task work */
	ATTR_UNEXPLAINED, /* excess no guest event covers: on a guest, the hypervisor suspect */
	ATTR_NCAUSES,
};

/* Key events per spike, the largest contributors first. */
#define ATTR_KEY_EVENTS 5

/*
 * A user page fault has an entry tracepoint and no exit, so its cost is this estimate: the
 * median of a minor fault (first touch of an anonymous page) measured on the development guest,
 * 10.3 to 12.4 us (docs/attribution.md). It only takes time that no other event covers.
 */
#define ATTR_PAGE_FAULT_NS 10000

/* attr_key_event - one event of a spike: what, where, how long, what it was counted as. */
struct attr_key_event {
	uint64_t start_ns;
	uint64_t dur_ns; /* as recorded (0: an instant) */
	uint64_t own_ns; /* time of the window this event was the top cause for */
	uint64_t arg0;	 /* syscall nr, irq number, softirq vector, IPI kind, wakeup ts, ... */
	uint32_t tid;
	uint32_t arg2; /* syscall fd (TRACER_FD_NONE: none), CPU an OFFCPU thread left */
	uint16_t cpu;
	uint8_t type;  /* enum tracer_event_type */
	uint8_t cause; /* enum attr_cause, or ATTR_NCAUSES: part of the normal iteration */
	uint8_t flags; /* the event's enum tracer_event_flags */
};

/* attr_spike - the breakdown of one spike. */
struct attr_spike {
	uint64_t causes_ns[ATTR_NCAUSES]; /* adds up to the spike's excess_ns exactly */
	enum attr_cause dominant;	  /* the largest cause (the first of equals) */
	uint32_t nevents;		  /* events counted for the window */
	uint32_t nkey;
	struct attr_key_event key[ATTR_KEY_EVENTS];
};

/* attr_ctx - what the per-spike split needs to know beyond the events. */
struct attr_ctx {
	const struct arch *arch; /* the trace's: what its syscall numbers are */
	uint32_t timed_tid;	 /* the thread that ran the timed operation; 0: unknown */
	uint32_t timed_tgid;	 /* its process; 0: unknown */
	/* usual_ns - the usual cost of network syscall @nr (of the timed thread or not) */
	uint64_t (*usual_ns)(void *arg, uint32_t nr, int timed);
	void *arg;
	/*
	 * The kernel entry and exit of a syscall (and the tracer's own probes on them) lie outside
	 * the raw tracepoints' interval: a flush syscall of the timed thread also owns up to this
	 * much of the window's uncovered time. attr_spike_transition() measures it.
	 */
	uint64_t transition_ns;
};

/* attr_cause_name - "buffer-flush", "network", ...; "normal" for ATTR_NCAUSES. */
const char *attr_cause_name(unsigned int cause);

/* attr_type_name - an event type's name ("syscall", "offcpu", ...); "?" for an unknown one. */
const char *attr_type_name(unsigned int type);

/*
 * attr_spike_split - the breakdown of spike @sp from the events joined with its window.
 * @ev (any order) is sorted by time in place. Returns 0, -EINVAL, -ENOMEM.
 */
int attr_spike_split(const struct spike *sp, struct tracer_event *ev, size_t n,
		     const struct attr_ctx *ctx, struct attr_spike *out);

/*
 * attr_spike_transition - whether the window holds exactly one counted event, a syscall of the
 * timed thread lying inside it; if so *@rest_ns is the window's time beyond the baseline and the
 * syscall (0 if none): what the syscall's unseen entry and exit cost. @ev is sorted in place.
 */
int attr_spike_transition(const struct spike *sp, struct tracer_event *ev, size_t n,
			  const struct attr_ctx *ctx, uint64_t *rest_ns);

/*
 * attr_scale_exact - scale @v (n <= ATTR_NCAUSES) in proportion so that it sums to @target
 * exactly: largest-remainder rounding, the leftover nanoseconds go to the biggest fractions.
 * Returns 0, with @v unchanged, if @v sums to 0 or n > ATTR_NCAUSES; else 1.
 */
int attr_scale_exact(uint64_t *v, size_t n, uint64_t target);

/*
 * attr_remove_baseline - the baseline's worth of time is the normal iteration: it comes out of
 * @normal first; what normal time cannot cover comes out of the causes in proportion. What
 * normal time remains beyond the baseline becomes causes[ATTR_UNEXPLAINED].
 */
void attr_remove_baseline(uint64_t *causes, uint64_t normal, uint64_t baseline);

/* attr_dominant - the largest cause; the first of equals. */
enum attr_cause attr_dominant(const uint64_t *causes);

/* attr_probe_in - one probe to attribute. */
struct attr_probe_in {
	const struct spike *spikes; /* sorted by start_ns (as spikes_find returns them) */
	size_t nspikes;
	const struct trace_sample *samples; /* every timed window, for syscalls_in_windows */
	size_t nsamples;
	uint32_t timed_tid; /* 0: unknown, every thread of the session counts */
};

/* attr_probe_out - the attribution of one probe. */
struct attr_probe_out {
	struct attr_spike *spikes; /* parallel to attr_probe_in.spikes; attr_probe_out_free() */
	size_t nspikes;
	uint64_t events;	      /* events inside the probe's time span */
	uint64_t syscalls_in_windows; /* syscalls of the timed thread overlapping a timed window */
	uint64_t transition_ns;	      /* the measured attr_ctx.transition_ns (0: no clean window) */
	uint64_t transition_windows;  /* the clean windows it is the median of */
	uint64_t dominant[ATTR_NCAUSES];  /* spikes per dominant cause */
	uint64_t excess_ns[ATTR_NCAUSES]; /* excess time per cause over all spikes */
};

struct attr_join;

/*
 * attr_join__new - a streaming join of events with the spike windows of @nprobes probes of a
 * trace recorded on @arch. @in must outlive the join. Returns 0, -EINVAL, -ENOMEM.
 */
int attr_join__new(const struct attr_probe_in *in, size_t nprobes, const struct arch *arch,
		   struct attr_join **out);

/* attr_join__add - feed events in any order (the trace reader's on_events). 0 or -ENOMEM. */
int attr_join__add(struct attr_join *j, const struct tracer_event *ev, size_t n);

/*
 * attr_join__finish - split every spike; @out is an array of nprobes, each to be released with
 * attr_probe_out_free(). Returns 0, -ENOMEM (what was filled is freed).
 */
int attr_join__finish(struct attr_join *j, struct attr_probe_out *out);

/* attr_join__free - release the join (NULL is fine). */
void attr_join__free(struct attr_join *j);

/* attr_probe_out_free - release what attr_join__finish put into @o. */
void attr_probe_out_free(struct attr_probe_out *o);

#endif
