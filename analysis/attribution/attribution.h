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

#include "analysis/attribution/attribution_grid.h"
#include "analysis/model/spikes.h"
#include "lib/arch/arch.h"
#include "lib/trace/trace_event.h"

enum attr_cause {
	ATTR_BUFFER_FLUSH = 0, /* write/writev/pwrite/fsync/fdatasync on a non-socket fd */
	ATTR_NETWORK,	       /* socket syscalls past their usual cost, NET softirqs, napi, xmit */
	ATTR_SCHEDULING,       /* run-queue wait after a wakeup, preempted time */
	ATTR_IRQ,	       /* hard irqs, IPIs, non-network softirqs */
	ATTR_PAGE_FAULT,       /* user page faults, from the entry to the thread's next event */
	ATTR_IO_URING,	       /* io-wq punts, task work */
	ATTR_TRACER,	       /* ringscope's own tracer: its consumer on a CPU, its wakeups */
	ATTR_HYPERVISOR,  /* host time with evidence: vCPU silence, late interrupts, VM exits */
	ATTR_UNEXPLAINED, /* excess that no event and no host evidence covers */
	ATTR_NCAUSES,
};

/* The parts of ATTR_HYPERVISOR, by the evidence behind them. */
enum attr_hv_part {
	ATTR_HV_ABSENT = 0,	  /* a vCPU executed nothing (ABSENT records) */
	ATTR_HV_DELIVERY,	  /* IPI and timer delivery beyond the run's routine (its p10) */
	ATTR_HV_DELIVERY_ROUTINE, /* and up to it: what every delivery costs on this platform */
	ATTR_HV_EXITS, /* VM-exit proxies beyond the usual, times the measured exit cost */
	ATTR_HV_STEAL, /* steal time the host reported (STEAL records) */
	ATTR_HV_NPARTS,
};

/* Key events per spike, the largest contributors first. */
#define ATTR_KEY_EVENTS 5

/* attr_key_event - one event of a spike: what, where, how long, what it was counted as. */
struct attr_key_event {
	uint64_t start_ns;
	uint64_t dur_ns; /* as recorded (0: an instant) */
	uint64_t ts_ns;	 /* the record's own start (start_ns is a late IPI's send) */
	uint64_t own_ns; /* time of the window this event was the top cause for */
	uint64_t arg0;	 /* syscall nr, irq number, softirq vector, IPI kind, wakeup ts, ... */
	uint64_t arg1;	 /* IPI delivery latency or timer lateness, OFFCPU state and next tid */
	uint64_t ran_ns; /* OFFCPU: the time ran_tid held the CPU while it waited */
	uint64_t ran_start_ns; /* OFFCPU: when ran_tid took the CPU (its first RAN record then) */
	uint32_t ran_tid;     /* OFFCPU: the untraced thread that ran longest then (0: none seen) */
	uint32_t ran_threads; /* OFFCPU: how many untraced threads ran then */
	uint32_t tid;
	uint32_t tgid; /* tid's process, as the record says */
	uint32_t arg2; /* syscall fd (TRACER_FD_NONE: none), CPU an OFFCPU thread left */
	uint16_t cpu;
	uint8_t type;  /* enum tracer_event_type */
	uint8_t cause; /* enum attr_cause, or ATTR_NCAUSES: part of the normal iteration */
	uint8_t flags; /* the event's enum tracer_event_flags */
};

/* attr_spike - the breakdown of one spike. */
struct attr_spike {
	uint64_t causes_ns[ATTR_NCAUSES]; /* adds up to the spike's excess_ns exactly */
	uint64_t hv_ns[ATTR_HV_NPARTS];	  /* adds up to causes_ns[ATTR_HYPERVISOR] exactly */
	double exits;			  /* VM-exit proxies on the window's CPUs */
	enum attr_cause dominant;	  /* the largest cause (the first of equals) */
	uint32_t nevents;		  /* events counted for the window */
	uint32_t nkey;
	struct attr_key_event key[ATTR_KEY_EVENTS];
};

/*
 * attr_platform - what the trace says about the platform that decides the hypervisor cause.
 * Without a hypervisor (bare metal) nothing is host time: the evidence records are ignored.
 */
struct attr_platform {
	int hypervisor;	       /* the trace names one (PLATFORM "hypervisor") */
	uint64_t exit_cost_ns; /* one VM exit, from a `vmexit` probe in the trace; 0: unknown */
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
	/* the same for a wakeup of the tracer's consumer (its irq_work): attr_spike_clean() */
	uint64_t wakeup_ns;
	const struct attr_platform *pf; /* NULL: bare metal, nothing learned */
	uint64_t ipi_normal_ns;		/* the run's routine IPI delivery latency (its p10) */
	uint64_t timer_normal_ns;	/* the run's routine timer lateness (its p10) */
	double exits_usual_per_ns;	/* VM-exit proxies per ns of a counted CPU, in the probe */
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

/* attr_clean_kind - what a clean window holds: attr_spike_clean(). */
enum attr_clean_kind {
	ATTR_CLEAN_NONE = 0,
	ATTR_CLEAN_SYSCALL, /* one syscall of the timed thread, lying inside the window */
	ATTR_CLEAN_WAKEUP,  /* one wakeup of the tracer's consumer */
};

/*
 * attr_spike_clean - whether the window holds exactly one counted event, a syscall of the timed
 * thread lying inside it or a wakeup of the tracer's consumer; if so *@rest_ns is the window's
 * time beyond the baseline and the syscall (0 if none): what the syscall's unseen entry and exit,
 * or the wakeup's unseen interrupt, cost. Returns the kind. @ev is sorted in place.
 */
enum attr_clean_kind attr_spike_clean(const struct spike *sp, struct tracer_event *ev, size_t n,
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

/*
 * attr_take_budget - move up to @budget of the causes to @to: out of unexplained first (host
 * time that the guest sees as nothing), then out of the guest's causes in proportion (an exit
 * inside a syscall lengthened it). Returns what was moved.
 */
uint64_t attr_take_budget(uint64_t *causes, enum attr_cause to, uint64_t budget);

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
	uint64_t iterations;	      /* the probe's timed windows */
	uint64_t deliveries;	/* IPIs and timer interrupts with a delivery time, in its span */
	uint64_t delivery_ns;	/* and their delivery times, summed */
	uint64_t transition_ns; /* the measured attr_ctx.transition_ns (0: no clean window) */
	uint64_t transition_windows;	  /* the clean windows it is the median of */
	uint64_t wakeup_ns;		  /* the measured attr_ctx.wakeup_ns (0: no clean window) */
	uint64_t wakeup_windows;	  /* the clean windows it is the median of */
	uint64_t hv_ns[ATTR_HV_NPARTS];	  /* hypervisor time per part over all spikes */
	uint64_t dominant[ATTR_NCAUSES];  /* spikes per dominant cause */
	uint64_t excess_ns[ATTR_NCAUSES]; /* excess time per cause over all spikes */
	uint64_t eventless;		  /* spikes whose window held no event at all */
	uint64_t eventless_ns;		  /* and their unexplained time */
	struct attr_grid eventless_grid;  /* the wall-time grid their windows' starts lie on */
};

struct attr_join;

/* attr_names - the comm of every thread the trace names (its NAME records). */
struct attr_names;

/*
 * attr_names_add - the name a NAME record @e gives its thread, into *@names (made on first use;
 * of two names of one thread the later stays); other records are ignored. 0 or -ENOMEM.
 */
int attr_names_add(struct attr_names **names, const struct tracer_event *e);

/* attr_names_get - the comm of @tid, or NULL when the trace never named it (or @names is NULL). */
const char *attr_names_get(const struct attr_names *names, uint32_t tid);

/* attr_names_tgid - the process of @tid, as its NAME record says; 0 when never named. */
uint32_t attr_names_tgid(const struct attr_names *names, uint32_t tid);

/* attr_names_free - release @names (NULL is fine). */
void attr_names_free(struct attr_names *names);

/*
 * attr_join__take_names - the names of the threads the join's events named, handed to the caller
 * (who frees them with attr_names_free(), after the join if it likes); NULL when none was named.
 */
struct attr_names *attr_join__take_names(struct attr_join *j);

/*
 * attr_join__new - a streaming join of events with the spike windows of @nprobes probes of a
 * trace recorded on @arch, on platform @pf (NULL: bare metal). @in and @pf must outlive the
 * join. Returns 0, -EINVAL, -ENOMEM.
 */
int attr_join__new(const struct attr_probe_in *in, size_t nprobes, const struct arch *arch,
		   const struct attr_platform *pf, struct attr_join **out);

/* attr_evidence - what the join learned about the platform from the whole trace. */
struct attr_evidence {
	uint64_t ipi_normal_ns, ipis; /* normal delivery latency (p10) of the IPIs seen sent */
	uint64_t ipi_p50_ns;	      /* and their median */
	uint64_t
	    ipis_refused; /* pairings with a send that cannot be true (attribution_pairing.h) */
	uint64_t timer_normal_ns, timers; /* normal lateness (p10) of the timer interrupts */
	uint64_t timer_p50_ns;		  /* and their median */
	uint64_t absent_spans, absent_ns; /* vCPU silences, and their total length */
	uint64_t steal_ns;		  /* steal the host reported */
	uint64_t exits;			  /* VM-exit proxies (IPIs sent, timer writes, ...) */
	uint64_t tracer_oncpu_ns, tracer_wakeups; /* the tracer's consumer: time on CPU, wakeups */
};

/* attr_join__evidence - the platform evidence seen so far (all of it after the stream). */
void attr_join__evidence(const struct attr_join *j, struct attr_evidence *out);

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
