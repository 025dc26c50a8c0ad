// SPDX-License-Identifier: MIT
/*
 * ring_io_socket - the two socket modes of a hop. blocking: plain blocking send/recv, the
 * master's receive bounded by SO_RCVTIMEO. busypoll: non-blocking sockets and a spin on
 * recv(MSG_DONTWAIT) that never sleeps, so no wake-up (and no receive interrupt path into the
 * scheduler) is on the round trip; SO_BUSY_POLL is set too so that on a NIC with NAPI the kernel
 * polls the device queue inside each recv (loopback and veth have no NAPI id: there it is a no-op).
 * And the TCP sockets of every mode: ring_io.c listens and dials with them.
 */
#include "probes/ring_io_socket.h"

#include <errno.h>
#include <fcntl.h>
#include <netinet/tcp.h>
#include <sched.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include "probes/ring_msg.h"
#include "lib/timing.h"

/* How long (us) the kernel busy-polls the device queue in a recv (SO_BUSY_POLL). */
#define RING_BUSY_POLL_US 50
/* Empty polls between two offers of the CPU (sched_yield) by a member that has a CPU of its own. */
#define RING_BUSY_YIELD 64

int ring_sock_tcp_socket(int flags)
{
	int fd, one = 1;

	fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC | flags, 0);
	if (fd < 0)
		return -errno;
	if (setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one)) < 0) {
		int rc = -errno;

		close(fd);
		return rc;
	}
	return fd;
}

/* deadline - CLOCK_MONOTONIC (vDSO, no syscall) at which a busy wait gives up; 0: never. */
static uint64_t deadline(const struct ring_io *io)
{
	return io->timeout_ms ? timing_mono_ns() + (uint64_t)io->timeout_ms * 1000000 : 0;
}

/*
 * spin_on - after the @spins-th EAGAIN in a row: 0 to try again, -ETIMEDOUT if blocking (the
 * SO_RCVTIMEO expired) or past @dl. The CPU is offered to whoever else waits for it
 * (sched_yield: still never a sleep): after every empty poll by a member that shares its CPU with
 * another (the other one holds the message it waits for: 2 hops on one CPU went from 22 us a
 * round trip with a yield every 64 polls to 5.4 us, the blocking mode's 5.3), every RING_BUSY_YIELD
 * polls by one that has its own CPU, where a yield finds nobody and only lengthens the spin.
 */
static int spin_on(const struct ring_io *io, uint64_t dl, unsigned int *spins)
{
	if (io->mode != PROBE_IO_BUSYPOLL || (dl && timing_mono_ns() > dl))
		return -ETIMEDOUT;
	if (io->cpu_shared || ++*spins % RING_BUSY_YIELD == 0)
		sched_yield();
	return 0;
}

/* sock_send - send the whole message on @fd; a closed peer is -EPIPE (never SIGPIPE). */
static int sock_send(const struct ring_io *io, int fd, const void *buf, uint64_t dl)
{
	const char *p = buf;
	unsigned int spins = 0;
	size_t off = 0;
	ssize_t n;
	int rc;

	while (off < io->size) {
		n = send(fd, p + off, io->size - off, MSG_NOSIGNAL);
		if (n > 0) {
			off += (size_t)n;
			continue;
		}
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 && errno != EAGAIN)
			return errno == ECONNRESET ? -EPIPE : -errno;
		rc = spin_on(io, dl, &spins);
		if (rc)
			return rc;
	}
	return 0;
}

/* sock_recv - receive the whole message from @fd; EOF is -EPIPE. */
static int sock_recv(const struct ring_io *io, int fd, void *buf, uint64_t dl)
{
	int flags = io->mode == PROBE_IO_BUSYPOLL ? MSG_DONTWAIT : MSG_WAITALL;
	char *p = buf;
	unsigned int spins = 0;
	size_t off = 0;
	ssize_t n;
	int rc;

	while (off < io->size) {
		n = recv(fd, p + off, io->size - off, flags);
		if (n > 0) {
			off += (size_t)n;
			continue;
		}
		if (n == 0)
			return -EPIPE;
		if (errno == EINTR)
			continue;
		if (errno != EAGAIN)
			return errno == ECONNRESET ? -EPIPE : -errno;
		rc = spin_on(io, dl, &spins);
		if (rc)
			return rc;
	}
	return 0;
}

/* sock_accept - the next connection on the listener (per-message). */
static int sock_accept(const struct ring_io *io, uint64_t dl)
{
	int flags = SOCK_CLOEXEC | (io->mode == PROBE_IO_BUSYPOLL ? SOCK_NONBLOCK : 0);
	unsigned int spins = 0;
	int fd, rc;

	for (;;) {
		fd = accept4(io->listen_fd, NULL, NULL, flags);
		if (fd >= 0)
			return fd;
		if (errno == EINTR || errno == ECONNABORTED)
			continue;
		if (errno != EAGAIN)
			return -errno;
		rc = spin_on(io, dl, &spins);
		if (rc)
			return rc;
	}
}

/*
 * dial - per-message: a new socket connecting to the next member (the send waits for an
 * interrupted or non-blocking connect). Returns the fd, or -errno with the socket closed.
 */
static int dial(const struct ring_io *io)
{
	int fd, rc;

	fd = ring_sock_tcp_socket(io->mode == PROBE_IO_BUSYPOLL ? SOCK_NONBLOCK : 0);
	if (fd < 0)
		return fd;
	if (connect(fd, (const struct sockaddr *)&io->next, sizeof(io->next)) == 0 ||
	    errno == EINPROGRESS || errno == EINTR)
		return fd;
	rc = errno == ECONNREFUSED ? -EPIPE : -errno;
	close(fd);
	return rc;
}

/* send_once - per-message: connect to the next member, send, close. */
static int send_once(const struct ring_io *io, const void *buf, uint64_t dl)
{
	int fd, rc;

	fd = dial(io);
	if (fd < 0)
		return fd;
	rc = sock_send(io, fd, buf, dl);
	close(fd);
	return rc;
}

/*
 * ask_once - per-message dialer (--reply same-connection): connect, send, receive the answer on
 * the same connection, close. A blocking receive is bounded by SO_RCVTIMEO on the new socket.
 */
static int ask_once(const struct ring_io *io, const void *out, void *in, uint64_t dl)
{
	struct timeval tv = {.tv_sec = io->timeout_ms / 1000,
			     .tv_usec = (io->timeout_ms % 1000) * 1000};
	int fd, rc = 0;

	fd = dial(io);
	if (fd < 0)
		return fd;
	if (io->mode == PROBE_IO_BLOCKING &&
	    setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv)) < 0)
		rc = -errno;
	if (!rc)
		rc = sock_send(io, fd, out, dl);
	if (!rc)
		rc = sock_recv(io, fd, in, dl);
	close(fd);
	return rc;
}

/*
 * answer_once - per-message answerer (--reply same-connection): accept, receive, stamp, send
 * the message back on the same connection, close.
 */
static int answer_once(const struct ring_io *io, void *buf)
{
	int fd, rc;

	fd = sock_accept(io, 0);
	if (fd < 0)
		return fd;
	rc = sock_recv(io, fd, buf, 0);
	if (!rc && io->stamp_at)
		ring_msg_stamp(buf, io->stamp_at, timing_tsc_end(), timing_tsc_begin());
	if (!rc)
		rc = sock_send(io, fd, buf, 0);
	close(fd);
	return rc;
}

/* recv_once - per-message: accept the previous member's connection, receive, close. */
static int recv_once(const struct ring_io *io, void *buf, uint64_t dl)
{
	int fd, rc;

	fd = sock_accept(io, dl);
	if (fd < 0)
		return fd;
	rc = sock_recv(io, fd, buf, dl);
	close(fd);
	return rc;
}

int ring_sock_exchange(struct ring_io *io, const void *out, void *in)
{
	uint64_t dl = deadline(io);
	int rc;

	if (io->connect == PROBE_CONNECT_PER_MESSAGE && io->pairing == RING_IO_DIALER)
		return ask_once(io, out, in, dl);
	if (io->connect == PROBE_CONNECT_PER_MESSAGE) {
		rc = send_once(io, out, dl);
		return rc ? rc : recv_once(io, in, dl);
	}
	rc = sock_send(io, io->out_fd, out, dl);
	return rc ? rc : sock_recv(io, io->in_fd, in, dl);
}

int ring_sock_receive(struct ring_io *io, void *in)
{
	uint64_t dl = deadline(io);

	if (io->connect == PROBE_CONNECT_PER_MESSAGE)
		return recv_once(io, in, dl);
	return sock_recv(io, io->in_fd, in, dl);
}

int ring_sock_forward(struct ring_io *io, void *buf)
{
	bool per_message = io->connect == PROBE_CONNECT_PER_MESSAGE;
	int rc;

	if (per_message && io->pairing == RING_IO_ANSWERER)
		return answer_once(io, buf);
	rc = per_message ? recv_once(io, buf, 0) : sock_recv(io, io->in_fd, buf, 0);
	if (rc)
		return rc;
	if (io->stamp_at)
		ring_msg_stamp(buf, io->stamp_at, timing_tsc_end(), timing_tsc_begin());
	return per_message ? send_once(io, buf, 0) : sock_send(io, io->out_fd, buf, 0);
}

/* set_nonblock - O_NONBLOCK on @fd (busypoll). */
static int set_nonblock(int fd)
{
	int fl = fcntl(fd, F_GETFL);

	if (fl < 0 || fcntl(fd, F_SETFL, fl | O_NONBLOCK) < 0)
		return -errno;
	return 0;
}

/* start_busypoll - non-blocking sockets with SO_BUSY_POLL (skipped where not permitted). */
static int start_busypoll(struct ring_io *io)
{
	int us = RING_BUSY_POLL_US, rc, rx;

	rx = io->connect == PROBE_CONNECT_PER_MESSAGE ? io->listen_fd : io->in_fd;
	/* Accepted sockets inherit the listener's SO_BUSY_POLL; EPERM without CAP_NET_ADMIN. */
	if (setsockopt(rx, SOL_SOCKET, SO_BUSY_POLL, &us, sizeof(us)) < 0 && errno != EPERM)
		return -errno;
	rc = set_nonblock(rx);
	if (rc || io->connect == PROBE_CONNECT_PER_MESSAGE)
		return rc;
	return set_nonblock(io->out_fd);
}

int ring_sock_start(struct ring_io *io)
{
	struct timeval tv = {.tv_sec = io->timeout_ms / 1000,
			     .tv_usec = (io->timeout_ms % 1000) * 1000};
	int rx;

	/* a per-message dialer has no socket yet: ask_once sets up each one */
	if (io->connect == PROBE_CONNECT_PER_MESSAGE && io->pairing == RING_IO_DIALER)
		return 0;
	if (io->mode == PROBE_IO_BUSYPOLL)
		return start_busypoll(io);
	if (!io->timeout_ms)
		return 0;
	/* SO_RCVTIMEO bounds recv and accept; accepted sockets inherit it from the listener. */
	rx = io->connect == PROBE_CONNECT_PER_MESSAGE ? io->listen_fd : io->in_fd;
	if (setsockopt(rx, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv)) < 0)
		return -errno;
	return 0;
}
