/* SPDX-License-Identifier: MIT */
/*
 * ring_msg - the ring's message: what it carries (sequence number, run, iteration) and the check
 * the master makes on every message that comes back. Pure functions, no io.
 */
#ifndef RINGSCOPE_RING_MSG_H
#define RINGSCOPE_RING_MSG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "probes/probe.h"

/*
 * Sizes. A message is at least 4 bytes (a 32-bit sequence number) and at most one TCP segment:
 * 1448 bytes is the MSS of a 1500-byte MTU (veth, most NICs) with TCP timestamps on
 * (1500 - 20 IP - 20 TCP - 12 timestamp option), so a message never splits across segments.
 */
#define RING_MSG_MIN 4u
#define RING_MSG_MAX 1448u

/*
 * Layout, little-endian: 4..7 bytes: the low 32 bits of seq; 8..15 bytes: the 64-bit seq;
 * 16 bytes or more: seq (8), run (4), iteration (4). The rest is a pattern (ring_msg_fill) that
 * the master compares too, so a corrupted payload is caught.
 *
 * Both are keyed by a random secret of the ring (struct ring_msg_key): the header goes out
 * XORed with a mask and the pattern is drawn from the key, so a message that another local user
 * slips into a listening member (any user can connect to a port on loopback) never passes the
 * master's check, whatever sequence number it guesses.
 */

/* ring_msg_key - a ring's secret: the header mask, and the seed its payload pattern is drawn from.
 */
struct ring_msg_key {
	uint8_t mask[16];
	uint64_t seed;
};

/* ring_msg_key_random - a new key from getrandom(). 0 or -errno. */
int ring_msg_key_random(struct ring_msg_key *k);

/* ring_msg_key_from - the key of @seed (a test's known key). */
void ring_msg_key_from(struct ring_msg_key *k, uint64_t seed);
enum ring_msg_verdict {
	RING_MSG_OK = 0,
	RING_MSG_SHORT,		  /* fewer bytes than the message size */
	RING_MSG_DUPLICATE,	  /* the previous message again */
	RING_MSG_STALE,		  /* an older message: the ring still held it (skip it, read on) */
	RING_MSG_AHEAD,		  /* a sequence number not sent yet: out of order */
	RING_MSG_WRONG_RUN,	  /* the right sequence number with another run */
	RING_MSG_WRONG_ITERATION, /* the right sequence number with another iteration */
	RING_MSG_CORRUPT,	  /* the payload pattern differs */
};

/* ring_msg_header_size - how many leading bytes of a @size-byte message carry identity. */
size_t ring_msg_header_size(unsigned int size);

/* ring_msg_fill - write @k's payload pattern into @buf (once per run: it never changes). */
void ring_msg_fill(void *buf, unsigned int size, const struct ring_msg_key *k);

/* ring_msg_encode - stamp @it into the header of the @size-byte message @buf, masked by @k. */
void ring_msg_encode(void *buf, unsigned int size, const struct probe_iteration *it,
		     const struct ring_msg_key *k);

/*
 * ring_msg_check - judge @got (@len bytes received, its header unmasked with @k) against the
 * message sent for @it, whose payload pattern is @sent; @last_seq is the sequence number of the
 * previous good message (UINT64_MAX: none yet). With a 4-byte message only 32 bits of seq are
 * compared (serial-number arithmetic, so wrapping is fine). A message made without the key
 * reads as another sequence number, run or payload: never RING_MSG_OK but by a 2^-32 chance.
 */
enum ring_msg_verdict ring_msg_check(const void *got, size_t len, const void *sent,
				     unsigned int size, const struct probe_iteration *it,
				     uint64_t last_seq, const struct ring_msg_key *k);

/*
 * Per-hop stamps: when a message has room (ring_msg_stamps_fit), forwarder i (1..hops-1) writes
 * the TSC at which it got the message and the TSC at which it passed it on, 8 bytes each, at
 * offset 16 + 16 x (i - 1). The master restores that region from what it sent before it checks
 * the payload (ring_msg_take_stamps).
 */
#define RING_MSG_STAMP_BYTES 16u

/* ring_msg_stamps_fit - whether a @size-byte message of a @hops-hop ring carries stamps. */
bool ring_msg_stamps_fit(unsigned int size, unsigned int hops);

/* ring_msg_stamp_at - the offset forwarder @index stamps at. */
unsigned int ring_msg_stamp_at(unsigned int index);

/* ring_msg_stamp - write the receive and send TSC @rx, @tx at offset @at of @buf. */
void ring_msg_stamp(void *buf, unsigned int at, uint64_t rx, uint64_t tx);

/*
 * ring_msg_take_stamps - read the stamps of forwarders 1..@hops-1 from @got into @rx, @tx
 * (index 1 on) and put back the payload of @sent over them, so ring_msg_check can compare it.
 */
void ring_msg_take_stamps(void *got, const void *sent, unsigned int hops, uint64_t *rx,
			  uint64_t *tx);

/* ring_msg_verdict_name - "duplicate", "out of order", ... for error messages. */
const char *ring_msg_verdict_name(enum ring_msg_verdict v);

#endif
