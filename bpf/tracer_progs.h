/* SPDX-License-Identifier: MIT */
/*
 * tracer_progs - the programs of bpf/tracer.bpf.c, the tracepoint each attaches to, and whether
 * this kernel (and the caller) wants it. Used by the loader, bpf/tracer.c.
 */
#ifndef RINGSCOPE_BPF_TRACER_PROGS_H
#define RINGSCOPE_BPF_TRACER_PROGS_H

#include <stdbool.h>
#include <stddef.h>

#include "bpf/tracer.h"

struct btf;

#define TRACER_NPROGS	     40
#define TRACER_SKIP_ENV	     "RINGSCOPE_TRACER_SKIP" /* "cat:event,...": force the skip path */
#define TRACER_FULL_ONLY_WHY "lean detail: a per-packet event, recorded with --trace-detail full"

/* One program of tracer.bpf.c and the tracepoint it attaches to. */
struct tracer_prog_def {
	const char *prog;
	const char *category;
	const char *event;
	bool classic;		/* classic tracepoint (tp/), else raw tracepoint (raw_tp/) */
	bool required;		/* the tracer is useless without it */
	bool full_only;		/* per-packet: attached in full detail only (bpf/tracer.h) */
	const char *superseded; /* skipped when this event (same category) is attached */
	const char *superseded_why;
};

extern const struct tracer_prog_def tracer_progs[TRACER_NPROGS];

/*
 * tracer_progs_missing - why @d is not to be attached (full detail only, not in this kernel,
 * superseded, in the "cat:event,..." list @skip or in RINGSCOPE_TRACER_SKIP), or NULL to attach
 * it. Raw tracepoints are looked up in the kernel's BTF (btf_trace_<event>), classic ones in
 * tracefs.
 */
const char *tracer_progs_missing(const struct tracer_prog_def *d, const struct btf *vmlinux,
				 const char *skip, bool have_tracefs, enum tracer_detail detail);

/*
 * tracer_progs_steal_readable - whether the local timer program can read the host's steal time
 * per window: the run queue's steal clock (rq->prev_steal_time_rq, CONFIG_PARAVIRT_TIME_ACCOUNTING)
 * reached from the current task through group scheduling (cfs_rq->rq).
 */
bool tracer_progs_steal_readable(const struct btf *vmlinux);

/*
 * tracer_progs_absent_ns - the ABSENT threshold into *@ns: 1.5 ticks (a busy CPU takes one every
 * tick, so a longer silence lost at least one), when the local timer's entry and cpu_idle are
 * seen (@timer_seen, @idle_seen) and every busy CPU has a tick. Else *@ns = 0 and why.
 */
const char *tracer_progs_absent_ns(bool timer_seen, bool idle_seen, __u64 *ns);

#endif
