/* SPDX-License-Identifier: MIT */
/*
 * uring_tag - what the ring puts in the 64-bit user_data of every SQE: the run, iteration, hop
 * and operation it belongs to. The tracer records user_data (IOURING_* events), so this layout
 * is part of the trace format (docs/trace-format.md): probes write it, analysis reads it.
 *
 *   bit  63      marker: a ringscope tag (user_data of older traces held the expected
 *                result, a small number, so the bit is clear there)
 *   bit  62      LOCAL: iteration is the member's own message count since it joined the ring,
 *                run is 0 (a forwarder arms its receive before the message says which iteration
 *                it is; analysis places it in the master's iteration by time)
 *   bit  61      WARMUP: a warm-up iteration (the master's)
 *   bits 40..55  run, modulo 65536
 *   bits  8..39  iteration
 *   bits  4..7   hop: the connection from member hop to member (hop + 1) mod hops
 *   bits  0..3   op: enum uring_tag_op
 */
#ifndef RINGSCOPE_URING_TAG_H
#define RINGSCOPE_URING_TAG_H

#include <stdbool.h>
#include <stdint.h>

#define URING_TAG_MARK	 (1ull << 63)
#define URING_TAG_LOCAL	 (1ull << 62)
#define URING_TAG_WARMUP (1ull << 61)
#define URING_TAG_HOPS	 16 /* the hop field's range: PROBE_MAX_MEMBERS */

/* The operation of an SQE; send and recv complete with the message size, the others with 0. */
enum uring_tag_op {
	URING_OP_OTHER = 0,
	URING_OP_SEND = 1,
	URING_OP_RECV = 2,
	URING_OP_ACCEPT = 3,
	URING_OP_CLOSE = 4,
	URING_OP_SOCKET = 5,
	URING_OP_NODELAY = 6,
	URING_OP_CONNECT = 7,
};

struct uring_tag {
	uint32_t run; /* modulo 65536 */
	uint32_t iteration;
	uint8_t hop;
	uint8_t op; /* enum uring_tag_op */
	bool warmup;
	bool local; /* iteration is the member's message count, run unknown (0) */
};

/* uring_tag_pack - the user_data of @t (hop and op are cut to their 4 bits). */
static inline uint64_t uring_tag_pack(const struct uring_tag *t)
{
	return URING_TAG_MARK | (t->local ? URING_TAG_LOCAL : 0) |
	       (t->warmup ? URING_TAG_WARMUP : 0) | (uint64_t)(t->run & 0xffff) << 40 |
	       (uint64_t)t->iteration << 8 | (uint64_t)(t->hop & 0xf) << 4 | (t->op & 0xf);
}

/* uring_tag_unpack - @user_data's tag into *@t; false (and *@t zeroed) when it is none. */
static inline bool uring_tag_unpack(uint64_t user_data, struct uring_tag *t)
{
	*t = (struct uring_tag){0};
	if (!(user_data & URING_TAG_MARK))
		return false;
	t->local = user_data & URING_TAG_LOCAL;
	t->warmup = user_data & URING_TAG_WARMUP;
	t->run = (uint32_t)(user_data >> 40) & 0xffff;
	t->iteration = (uint32_t)(user_data >> 8);
	t->hop = (uint8_t)((user_data >> 4) & 0xf);
	t->op = (uint8_t)(user_data & 0xf);
	return true;
}

#endif
