/* SPDX-License-Identifier: MIT */
/*
 * ring_io_socket - the socket back end of a hop (modes blocking and busypoll), and the TCP
 * sockets every mode starts from. Called by ring_io.c; every call returns 0 or -errno as there.
 */
#ifndef RINGSCOPE_RING_IO_SOCKET_H
#define RINGSCOPE_RING_IO_SOCKET_H

#include "probes/ring_io_state.h"

/* ring_sock_tcp_socket - a new TCP socket with TCP_NODELAY (@flags: SOCK_NONBLOCK or 0). */
int ring_sock_tcp_socket(int flags);

/* ring_sock_start - socket options and timeouts of a member that joined the ring. */
int ring_sock_start(struct ring_io *io);

/* ring_sock_exchange, _receive, _forward - ring_io_exchange, _receive, _forward on sockets. */
int ring_sock_exchange(struct ring_io *io, const void *out, void *in);
int ring_sock_receive(struct ring_io *io, void *in);
int ring_sock_forward(struct ring_io *io, void *buf);

#endif
