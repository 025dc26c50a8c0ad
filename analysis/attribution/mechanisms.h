/* SPDX-License-Identifier: MIT */
/*
 * mechanisms - what each kernel and platform mechanism costs in one session (issue 14): a
 * syscall, a context switch, a wakeup on the same vCPU and across vCPUs, an interrupt's delivery,
 * a timer's lateness, a page fault, a VM exit, and how often a vCPU goes absent. Each is read
 * from the trace as intervals (docs/attribution.md, "Mechanisms"): the session's cost table
 * summarizes their lengths, and every timed window gets the time each mechanism held in it, which
 * `compare` uses to explain a difference between two traces.
 */
#ifndef RINGSCOPE_MECHANISMS_H
#define RINGSCOPE_MECHANISMS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "lib/arch/arch.h"
#include "lib/trace/trace_event.h"

struct json_object;
struct trace_session;

enum mech_kind {
	/* intervals the trace shows (mech_stream) */
	MECH_ABSENCE = 0,    /* a vCPU that executed nothing (ABSENT) */
	MECH_IRQ_DELIVERY,   /* an IPI from its send to its handler */
	MECH_TIMER_LATENESS, /* a timer interrupt from its expiry to its handler */
	MECH_PAGE_FAULT,     /* a user fault to the thread's next syscall or fault */
	MECH_WAKEUP_CROSS,   /* a sleeper woken from another CPU: wakeup to running */
	MECH_WAKEUP_SAME,    /* woken from its own CPU: wakeup to running */
	MECH_CONTEXT_SWITCH, /* a woken thread's switch-in to the return of its (non-I/O) syscall */
	MECH_NIV,
	/* costs read from windows and probes (mech_table) */
	MECH_SYSCALL = MECH_NIV, /* one write(2) of the syscall probe: its flush iterations */
	MECH_VMEXIT,		 /* the vmexit probe's median less the null probe's */
	MECH_NKINDS,
};

/* mech_name - "cross-vCPU wakeup", ...: the table's row names. */
const char *mech_name(unsigned int kind);

/* mech_key - "wakeup_cross_vcpu", ...: the JSON keys of the rows. */
const char *mech_key(unsigned int kind);

/* mech_iv - one mechanism's interval: [start, end) in CLOCK_MONOTONIC ns, on a CPU. */
struct mech_iv {
	uint64_t start, end;
	uint16_t cpu;
	uint8_t kind; /* enum mech_kind, below MECH_NIV */
};

/* mech_stream - events to mechanism intervals (per-thread state, IPI pairings checked). */
struct mech_stream;

/* mech_emit - told each interval as the stream finds it. 0 or -errno (the stream stops). */
typedef int (*mech_emit)(void *arg, const struct mech_iv *iv);

/*
 * mech_stream_new - a stream for a trace recorded on @arch; @waker_cpu: its OFFCPU records say
 * whether a wakeup came from another CPU (TRACER chunk "waker_cpu"), else no wakeup is split
 * into same and cross and none is emitted. 0, -EINVAL or -ENOMEM.
 */
int mech_stream_new(const struct arch *arch, bool waker_cpu, struct mech_stream **out);

/*
 * mech_stream_add - events in file order (nearly in time order: one ringbuf) to @emit. Each
 * event is looked at as analysis sees it: an IPI pairing that cannot be true is removed first
 * (attribution_pairing.h). 0, -ENOMEM or @emit's error.
 */
int mech_stream_add(struct mech_stream *m, const struct tracer_event *ev, size_t n, mech_emit emit,
		    void *arg);

/* mech_stream_free - release @m (NULL is fine). */
void mech_stream_free(struct mech_stream *m);

/*
 * mech_windows - the timed windows of a session (every probe's traced samples), each with the
 * time every mechanism held in it: a sweep gives each instant of a window to one mechanism, the
 * first in enum order (an absence beats the delivery it delayed, a delivery the wakeup waiting
 * on it), so a window's mechanism times never add up to more than its length.
 */
struct mech_windows;

/* mech_window - one timed window's result. */
struct mech_window {
	uint32_t ns[MECH_NIV]; /* time of each mechanism inside the window (at most 4.3 s) */
	uint32_t syscalls;     /* syscalls of the probe's timed thread inside it */
};

/*
 * mech_windows_new - the windows of every probe of @s (its traced samples), or of the probes
 * named @only (NULL: all), none yet filled. 0, -ENOMEM.
 */
int mech_windows_new(const struct trace_session *s, const char *only, struct mech_windows **out);

/* mech_windows_interval - @iv into the windows it overlaps (mech_emit-shaped). 0 or -ENOMEM. */
int mech_windows_interval(void *windows, const struct mech_iv *iv);

/* mech_windows_event - count @e if it is a syscall of a timed thread inside its window. */
void mech_windows_event(struct mech_windows *w, const struct tracer_event *e);

/*
 * mech_windows_finish - sweep every window: its mechanism times; then the index of the windows
 * is released (later intervals and events count nowhere). 0 or -ENOMEM.
 */
int mech_windows_finish(struct mech_windows *w);

/*
 * mech_windows_of - probe @k's windows, parallel to trace_probe_traced_samples() of it (*@n of
 * them; NULL when it has none), after mech_windows_finish().
 */
const struct mech_window *mech_windows_of(const struct mech_windows *w, size_t k, size_t *n);

/* mech_windows_free - release @w (NULL is fine). */
void mech_windows_free(struct mech_windows *w);

/* mech_cost - one row of the table: the median of what was measured and its 95% interval. */
struct mech_cost {
	uint64_t n;		     /* intervals, windows or samples it comes from; 0: unknown */
	double p50_ns, lo_ns, hi_ns; /* median and its 95% interval */
	double p90_ns;
	const char *why; /* n == 0: why it is unknown */
};

/* mech_table - the session's mechanism costs. */
struct mech_table {
	struct mech_cost cost[MECH_NKINDS];
	uint64_t absences;	 /* vCPU absences (MECH_ABSENCE intervals) */
	double traced_s;	 /* the traced runs' time they were looked for in */
	double absences_per_s;	 /* absences per second of traced runs */
	double rate_lo, rate_hi; /* its 95% interval (Poisson) */
};

/*
 * mech_session - the pass over one session's events that makes its table and its windows:
 * mech_session_new(), mech_session_add() from the events pass, mech_session_finish().
 */
struct mech_session;

/*
 * mech_session_new - for session @s (which must outlive it); @every_window: every probe's
 * windows get their mechanism times (compare), else only the syscall probe's, which the table
 * needs (a paper-sized session has 1.5 million traced windows). 0, -EINVAL, -ENOMEM.
 */
int mech_session_new(const struct trace_session *s, bool every_window, struct mech_session **out);

/* mech_session_add - a batch of the session's events (trace_session_read_events-shaped). */
int mech_session_add(void *session, const struct tracer_event *ev, size_t n);

/* mech_session_finish - the table into @t, after the last event. 0 or -ENOMEM. */
int mech_session_finish(struct mech_session *m, struct mech_table *t);

/* mech_session_windows - the session's filled windows (after mech_session_finish). */
const struct mech_windows *mech_session_windows(const struct mech_session *m);

/*
 * mech_session_host - the session's vCPU absences, IPI deliveries and timer lateness as
 * intervals with their CPU, as the events pass found them so far (*@n of them; the session's).
 */
const struct mech_iv *mech_session_host(const struct mech_session *m, size_t *n);

/* mech_session_free - release @m (NULL is fine). */
void mech_session_free(struct mech_session *m);

/*
 * mech_cost_of - the median of @v[0..n) (sorted in place) with its distribution-free 95%
 * interval (the order statistics around rank n/2 that a binomial(n, 1/2) puts it between), and
 * the p90. n == 0 leaves @c unknown.
 */
void mech_cost_of(double *v, size_t n, struct mech_cost *c);

/* mech_table_json - {"rows": {key: {...}}, "vcpu_absences": {...}}; NULL when out of memory. */
struct json_object *mech_table_json(const struct mech_table *t);

/* mech_print_text - the table from its JSON form (nothing when @mech is NULL). */
void mech_print_text(FILE *f, struct json_object *mech);

/*
 * mech_report_add - a pass over @s's events (one more read of the file) and its table as
 * "mechanisms" into @report. 0, or -errno with @err set.
 */
int mech_report_add(const struct trace_session *s, struct json_object *report, char *err,
		    size_t errlen);

#endif
