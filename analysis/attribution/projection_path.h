/* SPDX-License-Identifier: MIT */
/*
 * projection_path - the host time on each iteration's critical path: the intervals the timed
 * operation waited on (a ring hop's "ready, not consumed" part, on the receiver's CPU; a
 * single-thread probe's whole window, on its CPU) and, inside each, the host's intervals on that
 * CPU (a vCPU absence; an interrupt's delivery while that CPU was idle, where the wait is for a
 * receiver to run). A host interval delays a wait by exactly their overlap, so overlap is delay
 * only there (docs/attribution.md, "A host-free projection", the critical path). Pure: no io,
 * no JSON.
 */
#ifndef RINGSCOPE_PROJECTION_PATH_H
#define RINGSCOPE_PROJECTION_PATH_H

#include <stddef.h>
#include <stdint.h>

#include "analysis/attribution/mechanisms.h"
#include "lib/trace/trace_format.h"

/* proj_wait - one interval a timed iteration waited on, on one CPU. */
struct proj_wait {
	uint64_t start, end;
	uint32_t sample;    /* index into the projection's samples */
	uint16_t cpu;	    /* the CPU whose running ended the wait */
	uint8_t deliveries; /* 1: an interrupt delivered to @cpu delays it (a receiver waiting to
			       be woken there); 0: only @cpu's absence does (a running thread) */
};

/* proj_path - what the critical path is read from (the arrays are the caller's). */
struct proj_path {
	const struct proj_wait *waits;
	size_t nwaits;
	const struct mech_iv *host; /* MECH_ABSENCE, MECH_IRQ_DELIVERY, MECH_TIMER_LATENESS ones */
	size_t nhost;
	/*
	 * the CPUs' idle periods (kind unused): a delivery delays a waiting receiver only while
	 * its CPU is idle; on a busy CPU the receiver waits for the run queue, not the host
	 */
	const struct mech_iv *idle;
	size_t nidle;
};

/*
 * proj_path_rule - how much of a delivery is host time: its routine part (up to the run's
 * routine cost) only @routine_share of it, what lies beyond all of it (as the spike projection
 * counts a delivery: projection_shares()).
 */
struct proj_path_rule {
	double routine_share;
	uint64_t ipi_normal_ns;	  /* an IPI's routine delivery; 0: unknown, all beyond */
	uint64_t timer_normal_ns; /* a timer interrupt's routine lateness; 0: unknown */
};

/* proj_path_ns - one sample's host time on its critical path, by kind. */
struct proj_path_ns {
	uint64_t absent_ns, delivery_ns;
};

/*
 * projection_path_host - per sample (@out: @nsamples, zeroed here) the host time inside its
 * waits: each wait's overlap with the host intervals on its CPU, as a union (an instant counts
 * once: to an absence if one covers it, else, while the CPU is idle, to the delivery whose host
 * share is largest), so a sample never gets more than its waits' length. A wait of a sample
 * past @nsamples is skipped. Returns 0 or -ENOMEM.
 */
int projection_path_host(const struct proj_path *in, const struct proj_path_rule *rule,
			 size_t nsamples, struct proj_path_ns *out);

/*
 * projection_path_windows - each good sample of @s (@n of them) as a wait of a single-thread
 * probe: its window on the CPU it started on, absences only. *@out malloc'd (NULL when none),
 * *@nout waits. 0 or -ENOMEM.
 */
int projection_path_windows(const struct trace_sample *s, size_t n, struct proj_wait **out,
			    size_t *nout);

/* projection_path_single - whether probe @name runs in one thread (null, syscall, vmexit). */
int projection_path_single(const char *name);

#endif
