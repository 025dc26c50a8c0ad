/* SPDX-License-Identifier: MIT */
/*
 * lifecycle_split - each hop of each iteration of an io_uring ring, split by what the request
 * that received it was doing (docs/attribution.md, "Where a hop's time goes"). Pure: it takes
 * the samples, the requests (IOURING_REQ records) and the members' io_uring_enter returns, and
 * gives one split per hop and iteration. No io, no JSON.
 */
#ifndef RINGSCOPE_LIFECYCLE_SPLIT_H
#define RINGSCOPE_LIFECYCLE_SPLIT_H

#include <stddef.h>
#include <stdint.h>

#include "lib/trace/trace_format.h"

/*
 * The parts of a hop, in time order. The hop starts when both its ends were there: the later of
 * the sender's send and the receiver's receive submitted. It ends at the receiver's stamp: the
 * master's end of the iteration, a forwarder's return from io_uring_enter.
 */
enum lc_part {
	LC_ISSUE,     /* submitted -> poll armed (no data yet) */
	LC_IN_FLIGHT, /* armed -> data ready (io_uring_task_add): the stack, the peer */
	LC_READY, /* data ready -> completed: the consumer had to run (wakeup, irq, run queue) */
	LC_REAP,  /* completed -> the user's stamp: back to user space */
	LC_NPARTS,
};

/* lc_part_name - "issue", "in_flight", "ready_not_consumed", "reap" (the JSON keys). */
const char *lc_part_name(enum lc_part p);

#define LC_NO_STAMP 0 /* an lc_req time that was not seen */
#define LC_NO_CPU   0xffffu

/* One io_uring request of the ring (an IOURING_REQ record with a ring tag). */
struct lc_req {
	uint64_t user_data;
	uint64_t submit_ns;
	uint64_t arm_ns;   /* LC_NO_STAMP: never armed */
	uint64_t ready_ns; /* LC_NO_STAMP: no task_add seen */
	uint64_t complete_ns;
	uint32_t tgid; /* the member's process (its completing thread's) */
	uint16_t ready_cpu;
	uint16_t recv_cpu; /* where the receiver ran when it completed (LC_NO_CPU: not known) */
};

/* One io_uring_enter of a ring member (a SYSCALL record): a forwarder's stamp is its return. */
struct lc_enter {
	uint32_t tgid;
	uint64_t start_ns, end_ns;
};

/* One hop of one iteration, split. */
struct lc_split {
	uint32_t sample; /* index into the samples given */
	uint8_t hop;
	uint16_t
	    ready_cpu; /* the CPU that made the data ready (processed the packet), or LC_NO_CPU */
	uint16_t recv_cpu;    /* the receiver's (lc_req.recv_cpu) */
	uint64_t ready_at_ns; /* when the ready part began (it ends part_ns[LC_READY] later) */
	uint64_t total_ns;    /* the hop: parts add up to it */
	uint64_t part_ns[LC_NPARTS];
};

/* What the split is done on; the arrays are the caller's (reqs and enters get sorted). */
struct lc_input {
	const struct trace_sample *samples; /* one probe's traced samples, in the file's order */
	size_t nsamples;
	unsigned int hops;
	struct lc_req *reqs;
	size_t nreqs;
	struct lc_enter *enters;
	size_t nenters;
};

/* What the split found besides the splits. */
struct lc_counts {
	size_t iterations; /* good samples */
	size_t joined;	   /* of them, with every hop split */
	size_t mismatched; /* master requests whose tag named another iteration than their window */
	size_t no_stamp;   /* hops whose receiver's io_uring_enter return was not found */
};

/*
 * lc_good_order - the indices of the good samples among @n at @samples, by their window's start
 * (runs may interleave in a file), into *@idx (malloc'd). How many, or -ENOMEM.
 */
long lc_good_order(const struct trace_sample *samples, size_t n, uint32_t **idx);

/*
 * lc_split_one - hop @hop of sample @si: from @start to the receiver's stamp @user, cut at
 * @recv's armed, data-ready and completion times (a stamp not seen takes the next one's time: a
 * receive that found its data never waited for it), into *@out. 0, or -EINVAL when the stamp
 * precedes the start (the two clocks disagree: not split).
 */
int lc_split_one(uint32_t si, uint8_t hop, uint64_t start, const struct lc_req *recv, uint64_t user,
		 struct lc_split *out);

/*
 * lc_split_hops - the splits of every hop of every good sample of @in whose send and receive
 * requests completed inside the sample's window (one message goes round at a time, so the
 * window names the iteration of a forwarder's request, whose tag only counts its messages).
 * *@out is malloc'd (NULL when none), *@nout splits. Returns 0, -EINVAL or -ENOMEM.
 */
int lc_split_hops(const struct lc_input *in, struct lc_split **out, size_t *nout,
		  struct lc_counts *counts);

#endif
