// SPDX-License-Identifier: MIT
/*
 * test_ring_resync - a real 1-hop ring on loopback with per-message connections, into whose
 * listener the test slips extra messages: a duplicate and an out-of-order one make their
 * iteration bad, and the ring is in step again for the next one; one made without the ring's
 * key is never good. Blocking and io_uring modes.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <liburing.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "probes/probe.h"
#include "probes/ring.h"
#include "probes/ring_msg.h"
#include "runner/topology.h"
#include "tests/unit/check.h"

extern const struct probe_ops probe_ring;

#define MSG_SIZE 16

/* listener_port - the port of this process's only listening TCP socket (the master's). */
static int listener_port(void)
{
	struct sockaddr_in sa;
	socklen_t len;
	int fd, on;

	for (fd = 3; fd < 256; fd++) {
		len = sizeof(on);
		if (getsockopt(fd, SOL_SOCKET, SO_ACCEPTCONN, &on, &len) < 0 || !on)
			continue;
		len = sizeof(sa);
		if (getsockname(fd, (struct sockaddr *)&sa, &len) == 0 && sa.sin_family == AF_INET)
			return ntohs(sa.sin_port);
	}
	return -1;
}

/*
 * inject - connect to the master's listener and leave a message carrying @seq there, made with
 * @key (the ring's own, as a member would; or another, as another local user would).
 */
static int inject(int port, uint64_t seq, const struct ring_msg_key *key)
{
	struct sockaddr_in sa = {.sin_family = AF_INET, .sin_port = htons((uint16_t)port)};
	struct probe_iteration it = {.run = 0, .iteration = (uint32_t)seq, .seq = seq};
	unsigned char buf[MSG_SIZE];
	int fd, rc = -1;

	sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	ring_msg_fill(buf, MSG_SIZE, key);
	ring_msg_encode(buf, MSG_SIZE, &it, key);
	fd = socket(AF_INET, SOCK_STREAM, 0);
	if (fd >= 0 && connect(fd, (struct sockaddr *)&sa, sizeof(sa)) == 0 &&
	    send(fd, buf, MSG_SIZE, 0) == MSG_SIZE)
		rc = 0;
	if (fd >= 0)
		close(fd);
	return rc;
}

/* step - one iteration with sequence number @seq; its return value. */
static int step(struct probe_ctx *ctx, uint64_t seq)
{
	struct probe_iteration it = {.run = 0, .iteration = (uint32_t)seq, .seq = seq};

	return probe_ring.iterate(ctx, &it);
}

/* run_case - the whole story in io mode @io; a failure names the step that went wrong. */
static int run_case(enum probe_io io)
{
	struct probe_config cfg = {.probe = "ring", .members = 1};
	struct ring_settings *rs = (struct ring_settings *)cfg.settings;
	struct topology topo = {.nmembers = 1};
	struct probe_ctx ctx = {.cfg = &cfg, .topo = &topo};
	const struct ring_msg_key *key;
	struct ring_msg_key forger;
	int port, failed = 0;

	*rs = (struct ring_settings){.msg_size = MSG_SIZE,
				     .io = io,
				     .connect = PROBE_CONNECT_PER_MESSAGE,
				     .timeout_ms = 2000};
	topo.members[0].cpu = -1;
	topo.members[0].listen_addr.s_addr = htonl(INADDR_LOOPBACK);
	topo.members[0].next_addr.s_addr = htonl(INADDR_LOOPBACK);
	if (probe_ring.setup(&ctx)) {
		fprintf(stderr, "setup: %s\n", ctx.err);
		probe_ring.teardown(&ctx);
		return T_EXIT_FAIL;
	}
	port = listener_port();
	key = ring_key(&ctx);
	ring_msg_key_from(&forger, 7);
	if (port < 0 || !key)
		failed = 1;
	else if (step(&ctx, 1) != 0)
		failed = 2;
	else if (inject(port, 1, key) || step(&ctx, 2) != 1) /* a duplicate, skipped: bad */
		failed = 3;
	else if (step(&ctx, 3) != 0) /* in step again */
		failed = 4;
	else if (inject(port, 100, key) || step(&ctx, 4) != 1) /* ahead: bad, 4 stays behind */
		failed = 5;
	else if (step(&ctx, 5) != 1) /* 4 comes now: stale, skipped, 5 follows */
		failed = 6;
	else if (step(&ctx, 6) != 0)
		failed = 7;
	/* another user's message, even with the sequence number due next: never good */
	else if (inject(port, 7, &forger) || step(&ctx, 7) == 0)
		failed = 8;
	if (failed)
		fprintf(stderr, "step %d failed (%s)\n", failed, ctx.err);
	probe_ring.teardown(&ctx);
	return failed ? T_EXIT_FAIL : T_EXIT_PASS;
}

/* test_blocking - the story with blocking sockets. */
static int test_blocking(void)
{
	return run_case(PROBE_IO_BLOCKING);
}

/* test_uring - the story with io_uring chains; skipped only where io_uring is unavailable. */
static int test_uring(void)
{
	struct io_uring ring;
	int rc;

	rc = io_uring_queue_init(2, &ring, 0);
	if (rc == -ENOSYS || rc == -EPERM)
		return check_skip("io_uring is disabled or missing");
	if (!rc)
		io_uring_queue_exit(&ring);
	return run_case(PROBE_IO_URING);
}

int main(void)
{
	static const struct check_case cases[] = {
	    CHECK_CASE(blocking),
	    CHECK_CASE(uring),
	};

	return CHECK_RUN(cases);
}
