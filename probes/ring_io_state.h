/* SPDX-License-Identifier: MIT */
/*
 * ring_io_state - what one ring member's io holds: its mode, its sockets and its io_uring.
 * ring_io.c sets it up and dispatches on it; the mode back ends (ring_io_uring.c,
 * ring_io_socket.c) work on it. Types only.
 */
#ifndef RINGSCOPE_RING_IO_STATE_H
#define RINGSCOPE_RING_IO_STATE_H

#include <liburing.h>
#include <netinet/in.h>
#include <stdbool.h>
#include <stdint.h>

#include "lib/uring_tag.h"
#include "probes/probe.h"

/* Direct-descriptor slots of a per-message io_uring member. */
#define RING_IO_SLOT_IN	 0
#define RING_IO_SLOT_OUT 1

/*
 * How a member's persistent connections pair up. A ring member sends to the next member and
 * receives from the previous one on two connections; with --reply same-connection (2 hops) the
 * master dials the forwarder and the forwarder answers on the connection it accepted: one
 * connection carries both directions, as in a TCP ping-pong (in_fd and out_fd are then the same
 * socket, one a dup of the other, so the io paths of every mode stay as they are).
 */
enum ring_io_pairing {
	RING_IO_RING = 0, /* connect to the next member, accept the previous one */
	RING_IO_DIALER,	  /* connect only; the answer comes back on that connection */
	RING_IO_ANSWERER, /* accept only; answer on that connection */
};

struct ring_io {
	enum probe_io mode;
	enum ring_io_pairing pairing;
	enum probe_connect connect;
	unsigned int size;	 /* message bytes */
	int cpu;		 /* the member's CPU for the SQPOLL thread, -1: not pinned */
	unsigned int timeout_ms; /* 0: wait forever (forwarders) */
	bool cpu_shared; /* another member may run on its CPU (topology_member.shares_cpu) */
	int listen_fd;	 /* accepts the previous member's connection */
	int in_fd;	 /* persistent: from the previous member */
	int out_fd;	 /* persistent: to the next member */
	struct sockaddr_in next; /* the next member's listener */
	const char *step;	 /* what ring_io_join did last: "connect to the next member", ... */
	bool have_ring;
	struct io_uring ring;
	struct __kernel_timespec ts; /* timeout_ms, for io_uring waits */
	unsigned int stamp_at; /* forwarder: where it stamps its TSC pair (ring_msg), 0: none */
	bool armed;	       /* stamping io_uring forwarder: its next receive is submitted */
	uint64_t rx_tsc;       /* stamping forwarder: when its last receive completed */
	/* what its SQEs carry in user_data (lib/uring_tag.h): its place, the message's tag */
	unsigned int member;  /* 0: the master */
	unsigned int hops;    /* members of the ring */
	struct uring_tag tag; /* run, iteration (forwarders: local count); hop, op per SQE */
};

#endif
