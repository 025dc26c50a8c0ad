/* SPDX-License-Identifier: MIT */
/*
 * ring_io - one ring member's sockets and the io of one hop, in four modes: io_uring, io_uring
 * with SQPOLL (ring_io_uring.c), busy polling and blocking sockets (ring_io_socket.c). The master
 * calls ring_io_exchange (send, then wait for the message to come round); a forwarder calls
 * ring_io_forward in a loop. Both work with a connection per hop for the whole run (persistent)
 * or a connection per message (the paper's server). Every call returns 0 or -errno: -ETIMEDOUT
 * when nothing came within the timeout, -EPIPE when a neighbour closed its connection. This
 * file dispatches to the back ends (ring_io_uring.h, ring_io_socket.h), which only look down at
 * the member's state (ring_io_state.h).
 */
#ifndef RINGSCOPE_RING_IO_H
#define RINGSCOPE_RING_IO_H

#include <netinet/in.h>
#include <stddef.h>
#include <stdint.h>

#include "probes/probe.h"
#include "probes/ring_io_state.h"

/*
 * How long a member may take to listen or to join the ring (ms): the set-up's bound, for the
 * forwarders' reports (ring_member.c) and the master's accept alike. Not the round trip's
 * timeout: a connect whose first SYN is lost completes at TCP's first retransmission, 1 s
 * later, which is the default round-trip timeout too.
 */
#define RING_SETUP_MS 5000

/* ring_io_init - an idle member: no sockets, no ring. */
void ring_io_init(struct ring_io *io, enum probe_io mode, enum probe_connect connect,
		  unsigned int size, int cpu, unsigned int timeout_ms);

/*
 * ring_io_place - @io is member @member (0: the master) of a ring of @hops members: which hops
 * its io_uring SQEs are tagged with (lib/uring_tag.h). A forwarder tags its own message count.
 */
void ring_io_place(struct ring_io *io, unsigned int member, unsigned int hops);

/* ring_io_tag - the master's next message is @it's: its SQEs carry the run and iteration. */
void ring_io_tag(struct ring_io *io, const struct probe_iteration *it);

/*
 * ring_io_listen - listen on @addr:@want (0: the kernel picks; a fixed port is bound with
 * SO_REUSEADDR, so a rebuilt ring binds it again past TIME_WAIT); the port goes to @port.
 */
int ring_io_listen(struct ring_io *io, struct in_addr addr, uint16_t want, uint16_t *port);

/*
 * ring_io_join - join the ring: remember the next member's listener; with persistent
 * connections connect to it, then accept the previous member's connection (it never waits for
 * the other side: the listener's backlog completes connects before accept). Then set up the mode:
 * socket options, timeouts, the io_uring.
 */
int ring_io_join(struct ring_io *io, struct in_addr next_addr, uint16_t next_port);

/*
 * ring_io_why - "cannot connect to the next member: Connection refused" for a ring_io_join that
 * failed with @rc, with a hint where there is one.
 */
void ring_io_why(const struct ring_io *io, int rc, char *buf, size_t len);

/* ring_io_exchange - master: send @out, receive the message that came round into @in. */
int ring_io_exchange(struct ring_io *io, const void *out, void *in);

/* ring_io_receive - master: receive one more message into @in (skipping a stale one). */
int ring_io_receive(struct ring_io *io, void *in);

/*
 * ring_io_forward - forwarder: receive a message into @buf and pass it on; no timeout. With
 * stamp_at set, the forwarder writes its receive and send TSC into the message between the two
 * (io_uring: the send is then submitted by the forwarder, linked to its next receive, instead of
 * linked to the receive inside the kernel: still one io_uring_enter per hop).
 */
int ring_io_forward(struct ring_io *io, void *buf);

/* ring_io_close - close sockets and the ring; idempotent. */
void ring_io_close(struct ring_io *io);

#endif
