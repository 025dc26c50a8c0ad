/* SPDX-License-Identifier: MIT */
/*
 * lifecycle_sock - the hop split of a ring without io_uring (--io blocking or busypoll), from
 * its members' sendto and recvfrom syscalls and sleeps: no request carries a tag there, so the
 * message's way round one sample's window names the hops (the first receive to return is hop
 * 0's, the next hop 1's, ...; each forwarder sends after it received). The parts are those of
 * lifecycle_split.h: blocking: issue until the receiver slept, in flight until its wakeup,
 * ready until it ran again, reap until it returned (the master: the sample's end); busypoll
 * (the receiver spins from before the send): in flight until its last empty poll ended, ready
 * until the poll that found the data began, reap until it returned.
 */
#ifndef RINGSCOPE_LIFECYCLE_SOCK_H
#define RINGSCOPE_LIFECYCLE_SOCK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "analysis/lifecycle/lifecycle_split.h"

/* A member's sendto or recvfrom (a SYSCALL record on a socket). */
struct lc_sys {
	uint64_t start_ns, end_ns;
	int64_t ret;
	uint32_t tgid, tid;
	uint16_t cpu; /* where it returned */
	bool send;
};

/* A member's sleep: off CPU (not preempted) at off_ns, woken at wake_ns (0: not seen), on. */
struct lc_sleep {
	uint64_t off_ns, wake_ns, on_ns;
	uint32_t tid;
};

/* What the split is done on; the arrays are the caller's (they get sorted). */
struct lc_sock_input {
	const struct trace_sample *samples; /* one probe's traced samples */
	size_t nsamples;
	unsigned int hops;
	bool busypoll;
	struct lc_sys *sys;
	size_t nsys;
	struct lc_sleep *sleeps;
	size_t nsleeps;
};

/*
 * lc_sock_split_hops - the splits of every hop of every good sample of @in whose window holds
 * exactly one message's way round (hops sends begun, hops receives returned, each forwarder
 * sending after it received); other samples count as mismatched. *@out is malloc'd (NULL when
 * none). Returns 0, -EINVAL or -ENOMEM.
 */
int lc_sock_split_hops(const struct lc_sock_input *in, struct lc_split **out, size_t *nout,
		       struct lc_counts *counts);

#endif
