// SPDX-License-Identifier: MIT
/*
 * ring_io_uring - the io_uring modes of a hop: every hop is one chain of linked SQEs and one
 * io_uring_enter that submits it and waits for all its completions (with SQPOLL the kernel's
 * iou-sqp thread submits, the enter only waits). Sockets are direct descriptors (fixed file
 * slots), so a per-message hop - accept, recv, close, socket, connect, send, close - is one chain
 * too, and no fd table lookup is on the path.
 */
#include "probes/ring_io_uring.h"

#include <errno.h>
#include <netinet/tcp.h>
#include <sys/socket.h>
#include <time.h>

#include "probes/ring_msg.h"
#include "lib/timing.h"

#define RING_SQ_ENTRIES 16
/* How long the SQPOLL thread spins without work before it sleeps (ms). */
#define RING_SQ_IDLE_MS 2000
/*
 * setsockopt as an io_uring command: kernel 6.7 (commit 4232c6e349f3, "io_uring/cmd: Introduce
 * SOCKET_URING_OP_SETSOCKOPT"); liburing 2.3 predates it. It puts TCP_NODELAY on a socket made
 * inside a per-message chain without leaving the chain.
 */
#define RING_SOCKET_URING_OP_SETSOCKOPT 3

static const int ring_one = 1;

/* send_hop, recv_hop - the hop @io sends on (to the next member) and receives on. */
static uint8_t send_hop(const struct ring_io *io)
{
	return (uint8_t)io->member;
}

static uint8_t recv_hop(const struct ring_io *io)
{
	return (uint8_t)((io->member + io->hops - 1) % io->hops);
}

/*
 * next_sqe - an SQE tagged with the message's run and iteration, @hop and @op (lib/uring_tag.h):
 * the tracer records user_data, so each request's lifecycle is that hop's of that iteration.
 */
static struct io_uring_sqe *next_sqe(struct ring_io *io, uint8_t hop, enum uring_tag_op op)
{
	struct io_uring_sqe *sqe = io_uring_get_sqe(&io->ring);
	struct uring_tag t = io->tag;

	t.hop = hop;
	t.op = (uint8_t)op;
	io_uring_sqe_set_data64(sqe, uring_tag_pack(&t));
	return sqe;
}

/* close_hop - the hop of the connection in @slot: IN is the receiving one, OUT the sending. */
static uint8_t close_hop(const struct ring_io *io, int slot)
{
	return slot == RING_IO_SLOT_IN ? recv_hop(io) : send_hop(io);
}

/* prep_nodelay - TCP_NODELAY on the socket in @slot, as an io_uring command (6.7). */
static void prep_nodelay(struct ring_io *io, int slot)
{
	struct io_uring_sqe *sqe = next_sqe(io, send_hop(io), URING_OP_NODELAY);

	io_uring_prep_rw(IORING_OP_URING_CMD, sqe, slot, NULL, 0, 0);
	sqe->cmd_op = RING_SOCKET_URING_OP_SETSOCKOPT;
	sqe->addr = (uint64_t)IPPROTO_TCP | (uint64_t)TCP_NODELAY << 32; /* level, optname */
	sqe->file_index = sizeof(ring_one);				 /* optlen */
	sqe->addr3 = (uint64_t)(uintptr_t)&ring_one;			 /* optval */
	sqe->flags = IOSQE_FIXED_FILE | IOSQE_IO_LINK;
}

/* prep_send - send @buf on the socket in @slot; @link: more follow. */
static void prep_send(struct ring_io *io, int slot, const void *buf, bool link)
{
	struct io_uring_sqe *sqe = next_sqe(io, send_hop(io), URING_OP_SEND);

	io_uring_prep_send(sqe, slot, buf, io->size, MSG_NOSIGNAL);
	sqe->flags |= IOSQE_FIXED_FILE | (link ? IOSQE_IO_LINK : 0);
}

/* prep_recv - receive a whole message from the socket in @slot; @link: more follow. */
static void prep_recv(struct ring_io *io, int slot, void *buf, bool link)
{
	struct io_uring_sqe *sqe = next_sqe(io, recv_hop(io), URING_OP_RECV);

	io_uring_prep_recv(sqe, slot, buf, io->size, MSG_WAITALL);
	sqe->flags |= IOSQE_FIXED_FILE | (link ? IOSQE_IO_LINK : 0);
}

/* prep_close - close the socket in @slot; @link: more follow. */
static void prep_close(struct ring_io *io, int slot, bool link)
{
	struct io_uring_sqe *sqe = next_sqe(io, close_hop(io, slot), URING_OP_CLOSE);

	io_uring_prep_close_direct(sqe, (unsigned int)slot);
	if (link)
		sqe->flags |= IOSQE_IO_LINK;
}

/* prep_dial - per-message: socket into slot OUT, TCP_NODELAY, connect; more follow (linked). */
static void prep_dial(struct ring_io *io)
{
	struct io_uring_sqe *sqe;

	sqe = next_sqe(io, send_hop(io), URING_OP_SOCKET);
	io_uring_prep_socket_direct(sqe, AF_INET, SOCK_STREAM, 0, RING_IO_SLOT_OUT, 0);
	sqe->flags |= IOSQE_IO_LINK;
	prep_nodelay(io, RING_IO_SLOT_OUT);
	sqe = next_sqe(io, send_hop(io), URING_OP_CONNECT);
	io_uring_prep_connect(sqe, RING_IO_SLOT_OUT, (struct sockaddr *)&io->next,
			      sizeof(io->next));
	sqe->flags |= IOSQE_FIXED_FILE | IOSQE_IO_LINK;
}

/* prep_accept - per-message: the previous member's connection into slot IN; more follow. */
static void prep_accept(struct ring_io *io)
{
	struct io_uring_sqe *sqe = next_sqe(io, recv_hop(io), URING_OP_ACCEPT);

	io_uring_prep_accept_direct(sqe, io->listen_fd, NULL, NULL, 0, RING_IO_SLOT_IN);
	sqe->flags |= IOSQE_IO_LINK;
}

/* prep_dial_send - per-message send: socket, TCP_NODELAY, connect, send, close; @link: more. */
static void prep_dial_send(struct ring_io *io, const void *buf, bool link)
{
	prep_dial(io);
	prep_send(io, RING_IO_SLOT_OUT, buf, true);
	prep_close(io, RING_IO_SLOT_OUT, link);
}

/* prep_accept_recv - per-message receive: accept, recv, close; @link: more follow. */
static void prep_accept_recv(struct ring_io *io, void *buf, bool link)
{
	prep_accept(io);
	prep_recv(io, RING_IO_SLOT_IN, buf, true);
	prep_close(io, RING_IO_SLOT_IN, link);
}

/* expected - the result of a good completion of the SQE tagged @user_data: its byte count. */
static int expected(const struct ring_io *io, uint64_t user_data)
{
	struct uring_tag t;

	uring_tag_unpack(user_data, &t);
	return t.op == URING_OP_SEND || t.op == URING_OP_RECV ? (int)io->size : 0;
}

/* cqe_error - 0 if @cqe has its expected result; EOF, short, reset or refused are -EPIPE. */
static int cqe_error(const struct ring_io *io, const struct io_uring_cqe *cqe)
{
	if (cqe->res == expected(io, cqe->user_data))
		return 0;
	if (cqe->res >= 0 || cqe->res == -ECONNRESET || cqe->res == -ECONNREFUSED)
		return -EPIPE;
	return cqe->res;
}

/* reap - consume @n (at most 8) completions; the first error that is not a cancelled link wins. */
static int reap(struct ring_io *io, unsigned int n)
{
	struct io_uring_cqe *cqes[8];
	unsigned int i, got;
	int rc = 0, err;

	got = io_uring_peek_batch_cqe(&io->ring, cqes, n);
	for (i = 0; i < got; i++) {
		err = cqe_error(io, cqes[i]);
		if (err && (!rc || rc == -ECANCELED))
			rc = err;
	}
	io_uring_cq_advance(&io->ring, got);
	return rc;
}

/* coarse_ns - CLOCK_MONOTONIC_COARSE: a read of the vDSO's page, ~5 ns here, no TSC read. */
static uint64_t coarse_ns(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC_COARSE, &t);
	return (uint64_t)t.tv_sec * 1000000000ULL + (uint64_t)t.tv_nsec;
}

/*
 * run_timed - submit and wait for @n completions within the timeout: one io_uring_enter. The
 * wait can end early with the chain submitted and going on: a signal (a stop and continue, a
 * handled one) interrupts it, and liburing then returns the count submitted, or -EINTR. So
 * fewer completions end the iteration only once the timeout has passed: until then wait again,
 * and the iteration keeps the time the signal cost instead of being counted lost (measured:
 * SIGSTOP/SIGCONT of the master lost 2 or 3 messages of 8 stops before). The deadline is on the
 * coarse clock, cheap on the timed path and a tick (4 ms) short at worst: one more wait.
 */
static int run_timed(struct ring_io *io, unsigned int n)
{
	uint64_t deadline = coarse_ns() + io->timeout_ms * 1000000ULL, now;
	struct __kernel_timespec left;
	struct io_uring_cqe *cqe;
	int rc;

	rc = io_uring_submit_and_wait_timeout(&io->ring, &cqe, n, &io->ts, NULL);
	while (io_uring_cq_ready(&io->ring) < n && (rc >= 0 || rc == -EINTR || rc == -ETIME) &&
	       (now = coarse_ns()) < deadline) {
		left.tv_sec = (long long)((deadline - now) / 1000000000ULL);
		left.tv_nsec = (long long)((deadline - now) % 1000000000ULL);
		rc = io_uring_submit_and_wait_timeout(&io->ring, &cqe, n, &left, NULL);
	}
	if (io_uring_cq_ready(&io->ring) < n)
		return rc < 0 && rc != -ETIME ? rc : -ETIMEDOUT;
	return reap(io, n);
}

int ring_uring_exchange(struct ring_io *io, const void *out, void *in)
{
	if (io->connect == PROBE_CONNECT_PERSISTENT) {
		prep_send(io, RING_IO_SLOT_OUT, out, false);
		prep_recv(io, RING_IO_SLOT_IN, in, false);
		return run_timed(io, 2);
	}
	if (io->pairing == RING_IO_DIALER) { /* the answer comes back on the new connection */
		prep_dial(io);
		prep_send(io, RING_IO_SLOT_OUT, out, true);
		prep_recv(io, RING_IO_SLOT_OUT, in, true);
		prep_close(io, RING_IO_SLOT_OUT, false);
		return run_timed(io, 6);
	}
	prep_dial_send(io, out, false);
	prep_accept_recv(io, in, false);
	return run_timed(io, 8);
}

int ring_uring_receive(struct ring_io *io, void *in)
{
	if (io->connect == PROBE_CONNECT_PER_MESSAGE) {
		prep_accept_recv(io, in, false);
		return run_timed(io, 3);
	}
	prep_recv(io, RING_IO_SLOT_IN, in, false);
	return run_timed(io, 1);
}

/* run_untimed - submit and wait for all @n completions, however long (forwarders). */
static int run_untimed(struct ring_io *io, unsigned int n)
{
	struct io_uring_cqe *cqe;
	int rc;

	rc = io_uring_submit_and_wait(&io->ring, n);
	while (io_uring_cq_ready(&io->ring) < n && (rc >= 0 || rc == -EINTR))
		rc = io_uring_wait_cqe_nr(&io->ring, &cqe, n);
	if (io_uring_cq_ready(&io->ring) < n)
		return rc;
	return reap(io, n);
}

/*
 * prep_receive - the receiving part of a hop: persistent 1 SQE, per-message 3 (accept, recv,
 * close), or 2 for an answerer, whose connection stays open for its answer.
 */
static unsigned int prep_receive(struct ring_io *io, void *buf, bool link)
{
	if (io->connect == PROBE_CONNECT_PERSISTENT) {
		prep_recv(io, RING_IO_SLOT_IN, buf, link);
		return 1;
	}
	if (io->pairing == RING_IO_ANSWERER) {
		prep_accept(io);
		prep_recv(io, RING_IO_SLOT_IN, buf, link);
		return 2;
	}
	prep_accept_recv(io, buf, link);
	return 3;
}

/*
 * prep_passing - the sending part of a hop: persistent 1 SQE, per-message 5 (socket, option,
 * connect, send, close), or 2 for an answerer: send on the connection it came on, close it.
 */
static unsigned int prep_passing(struct ring_io *io, const void *buf, bool link)
{
	if (io->connect == PROBE_CONNECT_PERSISTENT) {
		prep_send(io, RING_IO_SLOT_OUT, buf, link);
		return 1;
	}
	if (io->pairing == RING_IO_ANSWERER) {
		prep_send(io, RING_IO_SLOT_IN, buf, true);
		prep_close(io, RING_IO_SLOT_IN, link);
		return 2;
	}
	prep_dial_send(io, buf, link);
	return 5;
}

/*
 * forward_stamped - a hop with the forwarder's TSC pair in the message: the receive armed by
 * the previous call completed at io->rx_tsc; stamp, then submit the send linked to the next
 * receive and wait for both, one io_uring_enter as in the unstamped chain. The send belongs to
 * message io->tag.iteration (the forwarder's count), the receive to the one after it.
 */
static int forward_stamped(struct ring_io *io, void *buf)
{
	unsigned int n;
	int rc;

	if (!io->armed) {
		rc = run_untimed(io, prep_receive(io, buf, false));
		if (rc)
			return rc;
		io->armed = true;
		io->rx_tsc = timing_tsc_end();
	}
	ring_msg_stamp(buf, io->stamp_at, io->rx_tsc, timing_tsc_begin());
	n = prep_passing(io, buf, true);
	io->tag.iteration++;
	n += prep_receive(io, buf, false);
	rc = run_untimed(io, n);
	io->rx_tsc = timing_tsc_end();
	return rc;
}

int ring_uring_forward(struct ring_io *io, void *buf)
{
	unsigned int n;
	int rc;

	if (io->stamp_at)
		return forward_stamped(io, buf);
	n = prep_receive(io, buf, true);
	n += prep_passing(io, buf, false);
	rc = run_untimed(io, n);
	io->tag.iteration++; /* the forwarder's count of messages (lib/uring_tag.h, LOCAL) */
	return rc;
}

/*
 * ring_uring_start - the member's ring. uring: SINGLE_ISSUER + DEFER_TASKRUN (6.1), so
 * completions run in the member's own wait, never as task work interrupting it (setup and
 * iterate must run on one thread). sqpoll: an iou-sqp thread of this process submits, on the
 * member's CPU if it is pinned. Sockets become fixed files: slots IN and OUT.
 */
int ring_uring_start(struct ring_io *io)
{
	struct io_uring_params p = {0};
	int fds[2] = {io->in_fd, io->out_fd};
	int rc;

	if (io->mode == PROBE_IO_SQPOLL) {
		p.flags = IORING_SETUP_SQPOLL;
		p.sq_thread_idle = RING_SQ_IDLE_MS;
		if (io->cpu >= 0) {
			p.flags |= IORING_SETUP_SQ_AFF;
			p.sq_thread_cpu = (unsigned int)io->cpu;
		}
	} else {
		p.flags = IORING_SETUP_SINGLE_ISSUER | IORING_SETUP_DEFER_TASKRUN;
	}
	rc = io_uring_queue_init_params(RING_SQ_ENTRIES, &io->ring, &p);
	if (rc)
		return rc;
	io->have_ring = true;
	if (io->connect == PROBE_CONNECT_PER_MESSAGE)
		return io_uring_register_files_sparse(&io->ring, 2);
	return io_uring_register_files(&io->ring, fds, 2);
}
