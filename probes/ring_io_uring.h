/* SPDX-License-Identifier: MIT */
/*
 * ring_io_uring - the io_uring back end of a hop (modes uring and sqpoll). Called by ring_io.c;
 * every call returns 0 or -errno as there.
 */
#ifndef RINGSCOPE_RING_IO_URING_H
#define RINGSCOPE_RING_IO_URING_H

#include "probes/ring_io_state.h"

/* ring_uring_start - the io_uring of a member that joined the ring (SQPOLL on its CPU). */
int ring_uring_start(struct ring_io *io);

/* ring_uring_exchange, _receive, _forward - ring_io_exchange, _receive, _forward as chains. */
int ring_uring_exchange(struct ring_io *io, const void *out, void *in);
int ring_uring_receive(struct ring_io *io, void *in);
int ring_uring_forward(struct ring_io *io, void *buf);

#endif
