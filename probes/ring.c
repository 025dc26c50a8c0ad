// SPDX-License-Identifier: MIT
/*
 * ring - the paper's ring: a message forwarded over --hops TCP connections, the master (this
 * thread, member 0) timing the round trip and N-1 forwarder processes passing it on. With one hop
 * the master sends to its own listener. Set-up: every member listens (port 0, reported back), then
 * every member connects to the next, then the ring is ready; each run starts it afresh. When a
 * member dies or the ring stalls, the supervisor (ring_recover) counts the message lost and
 * rebuilds the ring, a bounded number of times per member and run.
 */
#include "probes/ring.h"

#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lib/timing.h"
#include "probes/placement.h"
#include "probes/ring_io.h"
#include "probes/ring_member.h"
#include "probes/ring_msg.h"

struct ring_state {
	struct ring_io io; /* the master's own member */
	struct ring_member members[PROBE_MAX_MEMBERS - 1];
	unsigned int nmembers; /* forwarders started */
	unsigned int size;
	uint64_t last_seq;	 /* of the last good message; UINT64_MAX: none */
	bool stamps;		 /* forwarders stamp their TSC pair into the message */
	struct ring_msg_key key; /* this ring's secret: what no other user's message carries */
	uint32_t run;		 /* the run the restart counts below belong to */
	unsigned int
	    restarts[PROBE_MAX_MEMBERS]; /* of member i in this run; [0]: the stalled ring */
	uint16_t ports[PROBE_MAX_MEMBERS];
	/* the per-hop stamps of the last good round trip (ring_stamps); nstamped 0: none */
	unsigned int nstamped;
	uint64_t rx_tsc[PROBE_MAX_MEMBERS];
	uint64_t tx_tsc[PROBE_MAX_MEMBERS];
	_Alignas(64) unsigned char out[RING_MSG_MAX];
	_Alignas(64) unsigned char in[RING_MSG_MAX];
};

/* start_members - fork the forwarders and collect every member's listening port. */
static int start_members(struct probe_ctx *ctx, struct ring_state *st)
{
	const struct topology *topo = ctx->topo;
	struct ring_member *m;
	unsigned int i;
	int rc;

	for (i = 1; i < topo->nmembers; i++) {
		m = &st->members[i - 1];
		rc = ring_member_start(m, &topo->members[i], ctx->cfg, ctx->err, sizeof(ctx->err));
		if (rc)
			return rc;
		st->nmembers++;
		ctx->pids[ctx->npids++] = m->pid;
	}
	for (i = 0; i < st->nmembers; i++) {
		rc = ring_member_listening(&st->members[i], &st->ports[i + 1], ctx->err,
					   sizeof(ctx->err));
		if (rc)
			return rc;
	}
	return 0;
}

/* join_ring - tell each member its next port, join as the master, wait until all are in. */
static int join_ring(struct probe_ctx *ctx, struct ring_state *st)
{
	const struct topology *topo = ctx->topo;
	unsigned int i, n = topo->nmembers;
	int rc, err, used;

	for (i = 0; i < st->nmembers; i++) {
		rc = ring_member_join(&st->members[i], st->ports[(i + 2) % n]);
		if (rc)
			return ring_members_blame(st->members, st->nmembers, rc, 0, ctx->err,
						  sizeof(ctx->err));
	}
	rc = ring_io_join(&st->io, topo->members[0].next_addr, st->ports[1 % n]);
	if (rc) {
		err = ring_members_blame(st->members, st->nmembers, rc,
					 ring_settings_of(ctx->cfg)->timeout_ms, ctx->err,
					 sizeof(ctx->err));
		if (err == rc && rc != -EPIPE) { /* nobody died: the master's own step failed */
			used = snprintf(ctx->err, sizeof(ctx->err), "the ring master ");
			ring_io_why(&st->io, rc, ctx->err + used, sizeof(ctx->err) - (size_t)used);
		}
		return err;
	}
	for (i = 0; i < st->nmembers; i++) {
		rc = ring_member_ready(&st->members[i], ctx->err, sizeof(ctx->err));
		if (rc)
			return rc;
	}
	return 0;
}

/* build_ring - the master's listener, the forwarders, the connections: a ring ready to go. */
static int build_ring(struct probe_ctx *ctx, struct ring_state *st)
{
	const struct ring_settings *rs = ring_settings_of(ctx->cfg);
	const struct topology_member *master = &ctx->topo->members[0];
	char addr[INET_ADDRSTRLEN];
	int rc = 0;

	ring_io_init(&st->io, rs->io, rs->connect, rs->msg_size, master->cpu, rs->timeout_ms);
	st->io.cpu_shared = master->shares_cpu;
	ring_io_place(&st->io, 0, ctx->topo->nmembers);
	/* A master that dials its one forwarder and gets the answer back needs no listener. */
	if (rs->reply == PROBE_REPLY_SAME)
		st->io.pairing = RING_IO_DIALER;
	else
		rc = ring_io_listen(&st->io, master->listen_addr, master->port, &st->ports[0]);
	if (rc) {
		inet_ntop(AF_INET, &master->listen_addr, addr, sizeof(addr));
		snprintf(ctx->err, sizeof(ctx->err), "the ring master cannot listen on '%s:%u': %s",
			 addr, master->port, strerror(-rc));
		return rc;
	}
	rc = start_members(ctx, st);
	return rc ? rc : join_ring(ctx, st);
}

/* unbuild_ring - kill and reap the forwarders, close the master's sockets and ring. */
static void unbuild_ring(struct probe_ctx *ctx, struct ring_state *st)
{
	unsigned int i;

	for (i = 0; i < st->nmembers; i++)
		ring_member_stop(&st->members[i]);
	st->nmembers = 0;
	ring_io_close(&st->io);
	ctx->npids = 0;
}

/* ring_setup - listeners, forwarders, connections: a ring ready for its first message. */
int ring_setup(struct probe_ctx *ctx)
{
	const struct probe_config *cfg = ctx->cfg;
	unsigned int size = ring_settings_of(cfg)->msg_size;
	struct ring_state *st;

	ctx->npids = 0;
	if (!ctx->topo || ctx->topo->nmembers != cfg->members) {
		snprintf(ctx->err, sizeof(ctx->err), "the ring needs a topology of %u members",
			 cfg->members);
		return -EINVAL;
	}
	st = calloc(1, sizeof(*st));
	if (!st) {
		snprintf(ctx->err, sizeof(ctx->err), "out of memory for the ring");
		return -ENOMEM;
	}
	ctx->priv = st;
	st->size = size;
	st->last_seq = UINT64_MAX;
	st->stamps = ring_msg_stamps_fit(size, cfg->members);
	if (ring_msg_key_random(&st->key)) {
		snprintf(ctx->err, sizeof(ctx->err), "no random key for the ring's messages");
		return -EIO;
	}
	ring_msg_fill(st->out, st->size, &st->key);
	return build_ring(ctx, st);
}

/* Back-off before a member's (or the stalled ring's) 1st, 2nd, 3rd and later restart (ms). */
static const unsigned int ring_backoff_ms[] = {10, 100, 1000};

/* nap_ms - sleep @ms, resuming after a signal that does not stop the run. */
static void nap_ms(unsigned int ms)
{
	struct timespec ts = {.tv_sec = ms / 1000, .tv_nsec = (long)(ms % 1000) * 1000000};

	while (nanosleep(&ts, &ts) < 0 && errno == EINTR)
		;
}

/* give_up - the run ends: @ctx->err names the member; say how often it was restarted. */
static int give_up(struct probe_ctx *ctx, unsigned int restarts, int rc)
{
	size_t used = strlen(ctx->err);

	if (restarts)
		snprintf(ctx->err + used, sizeof(ctx->err) - used,
			 "; restarted %u times, giving up (--max-restarts)", restarts);
	return rc;
}

/*
 * ring_recover - the supervisor: the round trip failed with @rc. Name the member that died (or
 * the stall), and unless it was restarted --max-restarts times in this run already, wait its
 * back-off, rebuild the whole ring and report the message lost. A member that dies again while
 * the ring is rebuilt costs another restart. Returns PROBE_ITERATION_LOST or -errno.
 */
static int ring_recover(struct probe_ctx *ctx, struct ring_state *st, int rc)
{
	const struct ring_settings *rs = ring_settings_of(ctx->cfg);
	unsigned int who, n, nb = sizeof(ring_backoff_ms) / sizeof(ring_backoff_ms[0]);

	for (;;) {
		rc = ring_members_blame(st->members, st->nmembers, rc, rs->timeout_ms, ctx->err,
					sizeof(ctx->err));
		who = ring_members_culprit(st->members, st->nmembers);
		n = st->restarts[who];
		if (n >= rs->max_restarts)
			return give_up(ctx, n, rc);
		nap_ms(ring_backoff_ms[n < nb ? n : nb - 1]);
		st->restarts[who]++;
		unbuild_ring(ctx, st);
		rc = build_ring(ctx, st);
		if (!rc) {
			ctx->restarts++;
			return PROBE_ITERATION_LOST;
		}
		if (rc != -EPIPE)
			return rc;
	}
}

/*
 * ring_iterate - one round trip: stamp the message, send it, receive it back and judge it. A
 * stale or duplicate message (the ring held an old one) is skipped and the iteration counted
 * bad, so the next one starts in step again; anything else wrong is bad too.
 */
int ring_iterate(struct probe_ctx *ctx, const struct probe_iteration *it)
{
	struct ring_state *st = ctx->priv;
	unsigned int members = ctx->cfg->members;
	enum ring_msg_verdict v;
	uint64_t tx = 0, rx = 0;
	int rc, bad = 0;

	if (it->run != st->run) {
		memset(st->restarts, 0, sizeof(st->restarts));
		st->run = it->run;
	}
	st->nstamped = 0;
	ring_msg_encode(st->out, st->size, it, &st->key);
	ring_io_tag(&st->io, it);
	if (st->stamps)
		tx = timing_tsc_begin();
	rc = ring_io_exchange(&st->io, st->out, st->in);
	for (;;) {
		if (st->stamps)
			rx = timing_tsc_end();
		if (rc)
			return ring_recover(ctx, st, rc);
		if (st->stamps)
			ring_msg_take_stamps(st->in, st->out, members, st->rx_tsc, st->tx_tsc);
		v = ring_msg_check(st->in, st->size, st->out, st->size, it, st->last_seq, &st->key);
		if (v == RING_MSG_OK) {
			st->last_seq = it->seq;
			st->nstamped = st->stamps ? members : 0;
			st->tx_tsc[0] = tx;
			st->rx_tsc[0] = rx;
			return bad;
		}
		if (v != RING_MSG_STALE && v != RING_MSG_DUPLICATE)
			return 1;
		bad = 1;
		rc = ring_io_receive(&st->io, st->in);
	}
}

const struct ring_msg_key *ring_key(const struct probe_ctx *ctx)
{
	const struct ring_state *st = ctx->priv;

	return st ? &st->key : NULL;
}

unsigned int ring_stamps(const struct probe_ctx *ctx, const uint64_t **rx, const uint64_t **tx)
{
	const struct ring_state *st = ctx->priv;

	if (!st)
		return 0;
	*rx = st->rx_tsc;
	*tx = st->tx_tsc;
	return st->nstamped;
}

/* ring_teardown - the ring down and its state freed; safe after a failed setup. */
void ring_teardown(struct probe_ctx *ctx)
{
	struct ring_state *st = ctx->priv;

	if (!st)
		return;
	unbuild_ring(ctx, st);
	free(st);
	ctx->priv = NULL;
}
