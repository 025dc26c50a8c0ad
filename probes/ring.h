/* SPDX-License-Identifier: MIT */
/*
 * ring - the ring probe's own settings (its option rows write them), the per-hop stamps of its
 * last round trip, and its account: per-hop times, lost messages and restarts (ring_account.c).
 */
#ifndef RINGSCOPE_RING_H
#define RINGSCOPE_RING_H

#include <stdint.h>

#include "probes/probe.h"

struct ring_msg_key;

/* ring_settings - what --msg-size, --io, --connect, --reply, --timeout-ms, --max-restarts set. */
struct ring_settings {
	unsigned int msg_size;
	enum probe_io io;
	enum probe_connect connect;
	enum probe_reply reply;	   /* the connection a forwarder sends on */
	unsigned int timeout_ms;   /* a round trip longer than this is a lost message */
	unsigned int max_restarts; /* restarts of one member (or of a stalled ring) per run */
};

_Static_assert(sizeof(struct ring_settings) <= PROBE_SETTINGS_SIZE, "ring settings");

/* ring_settings_of - the ring's settings in @cfg (the members are cfg->members). */
static inline const struct ring_settings *ring_settings_of(const struct probe_config *cfg)
{
	return (const struct ring_settings *)cfg->settings;
}

/* ring_options - the ring's option rows (a forwarder takes them too): probes/ring_ops.c */
extern const struct cli_opt ring_options[];

/* ring_setup, ring_iterate, ring_teardown - the ring's probe_ops run hooks: probes/ring.c */
int ring_setup(struct probe_ctx *ctx);
int ring_iterate(struct probe_ctx *ctx, const struct probe_iteration *it);
void ring_teardown(struct probe_ctx *ctx);

/* ring_key - the key of @ctx's ring messages (probes/ring_msg.h), or NULL before setup. */
const struct ring_msg_key *ring_key(const struct probe_ctx *ctx);

/*
 * ring_stamps - the per-hop TSC stamps of @ctx's last good round trip: member i got the message
 * at (*rx)[i] and passed it on at (*tx)[i]; member 0 is the master (its send, and its receive at
 * the end). Returns how many members are stamped, 0 for none (a message too small for them).
 */
unsigned int ring_stamps(const struct probe_ctx *ctx, const uint64_t **rx, const uint64_t **tx);

/* ring_account - the ring's account (probe_account_ops): probes/ring_account.c */
extern const struct probe_account_ops ring_account;

#endif
