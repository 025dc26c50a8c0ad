/* SPDX-License-Identifier: MIT */
/*
 * lifecycle_events - what the hop split needs from a trace's events, kept while they stream
 * past: the ring's tagged io_uring requests (IOURING_REQ) and every io_uring_enter (SYSCALL); for
 * the socket modes every sendto and recvfrom on a socket, and every sleep (OFFCPU).
 */
#ifndef RINGSCOPE_LIFECYCLE_EVENTS_H
#define RINGSCOPE_LIFECYCLE_EVENTS_H

#include <stddef.h>

#include "analysis/lifecycle/lifecycle_sock.h"
#include "analysis/lifecycle/lifecycle_split.h"
#include "lib/trace/trace_event.h"

struct arch;

struct lc_events {
	const struct arch *arch; /* the trace's: which syscall number is io_uring_enter */
	struct lc_req *reqs;
	size_t nreqs, capreqs;
	struct lc_enter *enters;
	size_t nenters, capenters;
	bool sockets; /* keep the socket modes' syscalls and sleeps too */
	struct lc_sys *sys;
	size_t nsys, capsys;
	struct lc_sleep *sleeps;
	size_t nsleeps, capsleeps;
};

/* lc_events_take - an on_events callback (@ctx: struct lc_events). 0 or -ENOMEM. */
int lc_events_take(void *ctx, const struct tracer_event *ev, size_t n);

/* lc_events_free - release what @c holds; it is empty again. */
void lc_events_free(struct lc_events *c);

#endif
