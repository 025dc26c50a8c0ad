// SPDX-License-Identifier: MIT
/* ring_io - a member's sockets (listen, connect, accept) and the dispatch to its io mode. */
#include "probes/ring_io.h"
#include "probes/ring_io_socket.h"
#include "probes/ring_io_uring.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

/* is_uring - whether @io's mode goes through io_uring. */
static bool is_uring(const struct ring_io *io)
{
	return io->mode == PROBE_IO_URING || io->mode == PROBE_IO_SQPOLL;
}

void ring_io_init(struct ring_io *io, enum probe_io mode, enum probe_connect connect,
		  unsigned int size, int cpu, unsigned int timeout_ms)
{
	memset(io, 0, sizeof(*io));
	io->mode = mode;
	io->connect = connect;
	io->size = size;
	io->cpu = cpu;
	io->timeout_ms = timeout_ms;
	io->listen_fd = io->in_fd = io->out_fd = -1;
	io->ts.tv_sec = timeout_ms / 1000;
	io->ts.tv_nsec = (long long)(timeout_ms % 1000) * 1000000;
}

void ring_io_place(struct ring_io *io, unsigned int member, unsigned int hops)
{
	io->member = member;
	io->hops = hops ? hops : 1;
	io->tag = (struct uring_tag){.local = member != 0};
}

void ring_io_tag(struct ring_io *io, const struct probe_iteration *it)
{
	io->tag.run = it->run;
	io->tag.iteration = it->iteration;
	io->tag.warmup = it->is_warmup;
}

int ring_io_listen(struct ring_io *io, struct in_addr addr, uint16_t want, uint16_t *port)
{
	struct sockaddr_in sa = {.sin_family = AF_INET, .sin_addr = addr, .sin_port = htons(want)};
	struct timeval tv = {.tv_sec = RING_SETUP_MS / 1000,
			     .tv_usec = RING_SETUP_MS % 1000 * 1000};
	socklen_t len = sizeof(sa);
	int fd;

	fd = ring_sock_tcp_socket(0);
	if (fd < 0)
		return fd;
	io->listen_fd = fd;
	if (want && setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &(int){1}, sizeof(int)) < 0)
		return -errno;
	if (bind(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0 || listen(fd, 16) < 0 ||
	    getsockname(fd, (struct sockaddr *)&sa, &len) < 0)
		return -errno;
	*port = ntohs(sa.sin_port);
	/*
	 * Bounds the master's accept while the ring is set up, in every mode, by the set-up's bound
	 * (ring_sock_start and the io_uring's wait put the round trip's on the iterations). With
	 * the round trip's (1 s), a first SYN lost under load (3 of ~290 set-up connects took
	 * 1019-1033 ms with a fork loop on each vCPU) let it expire as the retransmitted SYN came.
	 */
	if (io->timeout_ms && setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv)) < 0)
		return -errno;
	return 0;
}

/* dial_next - the connection to the next member (out_fd). */
static int dial_next(struct ring_io *io)
{
	int fd;

	io->step = "connect to the next member";
	fd = ring_sock_tcp_socket(0);
	if (fd < 0)
		return fd;
	io->out_fd = fd;
	/*
	 * Task work queued by the previous run's rings (TIF_NOTIFY_SIGNAL) interrupts a wait that
	 * has a timeout with EINTR and no signal: try again. An interrupted connect goes on.
	 */
	while (connect(fd, (struct sockaddr *)&io->next, sizeof(io->next)) < 0) {
		if (errno == EISCONN)
			break;
		if (errno != EINTR && errno != EALREADY)
			return -errno;
	}
	return 0;
}

/* accept_previous - the previous member's connection (in_fd). */
static int accept_previous(struct ring_io *io)
{
	int fd;

	io->step = "accept the previous member's connection";
	do
		fd = accept4(io->listen_fd, NULL, NULL, SOCK_CLOEXEC);
	while (fd < 0 && errno == EINTR);
	/* a blocking accept's EAGAIN is its SO_RCVTIMEO expiring (socket(7)): nobody came */
	if (fd < 0)
		return errno == EAGAIN ? -ETIMEDOUT : -errno;
	io->in_fd = fd;
	return 0;
}

/*
 * connect_persistent - a ring member connects to the next member, then accepts the previous
 * one. A dialer only connects and receives on the same socket, an answerer only accepts and
 * sends on it: the other fd is a dup, so every mode's io is unchanged.
 */
static int connect_persistent(struct ring_io *io)
{
	int rc;

	if (io->pairing != RING_IO_ANSWERER) {
		rc = dial_next(io);
		if (rc)
			return rc;
	}
	if (io->pairing != RING_IO_DIALER) {
		rc = accept_previous(io);
		if (rc)
			return rc;
	}
	if (io->pairing == RING_IO_DIALER)
		io->in_fd = fcntl(io->out_fd, F_DUPFD_CLOEXEC, 0);
	else if (io->pairing == RING_IO_ANSWERER)
		io->out_fd = fcntl(io->in_fd, F_DUPFD_CLOEXEC, 0);
	return io->in_fd < 0 || io->out_fd < 0 ? -errno : 0;
}

int ring_io_join(struct ring_io *io, struct in_addr next_addr, uint16_t next_port)
{
	int rc;

	io->next.sin_family = AF_INET;
	io->next.sin_addr = next_addr;
	io->next.sin_port = htons(next_port);
	if (io->connect == PROBE_CONNECT_PERSISTENT) {
		rc = connect_persistent(io);
		if (rc)
			return rc;
	}
	if (is_uring(io)) {
		io->step = "set up its io_uring";
		return ring_uring_start(io);
	}
	io->step = "set its socket options";
	return ring_sock_start(io);
}

/* ring_io_where - " at 'ADDR:PORT'" for @sa. */
static void ring_io_where(const struct sockaddr_in *sa, char *buf, size_t len)
{
	char addr[INET_ADDRSTRLEN];

	inet_ntop(AF_INET, &sa->sin_addr, addr, sizeof(addr));
	snprintf(buf, len, " at '%s:%u'", addr, ntohs(sa->sin_port));
}

void ring_io_why(const struct ring_io *io, int rc, char *buf, size_t len)
{
	const char *hint = "";
	char at[INET_ADDRSTRLEN + 16] = "";

	if (is_uring(io) && io->step && !strcmp(io->step, "set up its io_uring") && rc == -EPERM)
		hint = " (io_uring is disabled: see sysctl kernel.io_uring_disabled, or use --io "
		       "blocking)";
	if (io->step && !strcmp(io->step, "connect to the next member"))
		ring_io_where(&io->next, at, sizeof(at));
	snprintf(buf, len, "cannot %s%s: %s%s", io->step ? io->step : "join the ring", at,
		 strerror(-rc), hint);
}

int ring_io_exchange(struct ring_io *io, const void *out, void *in)
{
	return is_uring(io) ? ring_uring_exchange(io, out, in) : ring_sock_exchange(io, out, in);
}

int ring_io_receive(struct ring_io *io, void *in)
{
	/* a per-message dialer's connection carried its one answer and is closed: nothing comes */
	if (io->connect == PROBE_CONNECT_PER_MESSAGE && io->pairing == RING_IO_DIALER)
		return -EPROTO;
	return is_uring(io) ? ring_uring_receive(io, in) : ring_sock_receive(io, in);
}

int ring_io_forward(struct ring_io *io, void *buf)
{
	return is_uring(io) ? ring_uring_forward(io, buf) : ring_sock_forward(io, buf);
}

/* close_fd - close *@fd if open and mark it closed. */
static void close_fd(int *fd)
{
	if (*fd >= 0)
		close(*fd);
	*fd = -1;
}

void ring_io_close(struct ring_io *io)
{
	if (io->have_ring)
		io_uring_queue_exit(&io->ring);
	io->have_ring = false;
	close_fd(&io->in_fd);
	close_fd(&io->out_fd);
	close_fd(&io->listen_fd);
}
