// SPDX-License-Identifier: MIT
/* ring_msg - encode the ring's message and judge the one that comes back. */
#include "probes/ring_msg.h"

#include <endian.h>
#include <string.h>

size_t ring_msg_header_size(unsigned int size)
{
	if (size >= 16)
		return 16;
	return size >= 8 ? 8 : 4;
}

void ring_msg_fill(void *buf, unsigned int size)
{
	unsigned char *p = buf;
	unsigned int i;

	for (i = 0; i < size; i++)
		p[i] = (unsigned char)(0xa5 ^ i);
}

void ring_msg_encode(void *buf, unsigned int size, const struct probe_iteration *it)
{
	unsigned char *p = buf;
	uint64_t seq64 = htole64(it->seq);
	uint32_t seq32 = htole32((uint32_t)it->seq), run = htole32(it->run);
	uint32_t iter = htole32(it->iteration);

	if (size < 8) {
		memcpy(p, &seq32, 4);
		return;
	}
	memcpy(p, &seq64, 8);
	if (size < 16)
		return;
	memcpy(p + 8, &run, 4);
	memcpy(p + 12, &iter, 4);
}

/* seq_verdict - place the received sequence number @got against @want and @last (@bits wide). */
static enum ring_msg_verdict seq_verdict(uint64_t got, uint64_t want, uint64_t last, int bits)
{
	if (bits == 32) {
		if ((uint32_t)got == (uint32_t)want)
			return RING_MSG_OK;
		if (last != UINT64_MAX && (uint32_t)got == (uint32_t)last)
			return RING_MSG_DUPLICATE;
		return (int32_t)((uint32_t)got - (uint32_t)want) < 0 ? RING_MSG_STALE
								     : RING_MSG_AHEAD;
	}
	if (got == want)
		return RING_MSG_OK;
	if (last != UINT64_MAX && got == last)
		return RING_MSG_DUPLICATE;
	return (int64_t)(got - want) < 0 ? RING_MSG_STALE : RING_MSG_AHEAD;
}

enum ring_msg_verdict ring_msg_check(const void *got, size_t len, const void *sent,
				     unsigned int size, const struct probe_iteration *it,
				     uint64_t last_seq)
{
	const unsigned char *p = got;
	size_t hdr = ring_msg_header_size(size);
	enum ring_msg_verdict v;
	uint64_t seq64;
	uint32_t seq32, run, iter;

	if (len < size)
		return RING_MSG_SHORT;
	if (size < 8) {
		memcpy(&seq32, p, 4);
		v = seq_verdict(le32toh(seq32), it->seq, last_seq, 32);
	} else {
		memcpy(&seq64, p, 8);
		v = seq_verdict(le64toh(seq64), it->seq, last_seq, 64);
	}
	if (v != RING_MSG_OK)
		return v;
	if (size >= 16) {
		memcpy(&run, p + 8, 4);
		memcpy(&iter, p + 12, 4);
		if (le32toh(run) != it->run)
			return RING_MSG_WRONG_RUN;
		if (le32toh(iter) != it->iteration)
			return RING_MSG_WRONG_ITERATION;
	}
	if (memcmp(p + hdr, (const unsigned char *)sent + hdr, size - hdr))
		return RING_MSG_CORRUPT;
	return RING_MSG_OK;
}

bool ring_msg_stamps_fit(unsigned int size, unsigned int hops)
{
	return hops >= 2 && size >= 16 + RING_MSG_STAMP_BYTES * (hops - 1);
}

unsigned int ring_msg_stamp_at(unsigned int index)
{
	return 16 + RING_MSG_STAMP_BYTES * (index - 1);
}

void ring_msg_stamp(void *buf, unsigned int at, uint64_t rx, uint64_t tx)
{
	uint64_t le[2] = {htole64(rx), htole64(tx)};

	memcpy((unsigned char *)buf + at, le, sizeof(le));
}

void ring_msg_take_stamps(void *got, const void *sent, unsigned int hops, uint64_t *rx,
			  uint64_t *tx)
{
	unsigned char *p = got;
	uint64_t le[2];
	unsigned int i, at;

	for (i = 1; i < hops; i++) {
		at = ring_msg_stamp_at(i);
		memcpy(le, p + at, sizeof(le));
		rx[i] = le64toh(le[0]);
		tx[i] = le64toh(le[1]);
		memcpy(p + at, (const unsigned char *)sent + at, sizeof(le));
	}
}

const char *ring_msg_verdict_name(enum ring_msg_verdict v)
{
	static const char *const names[] = {
	    [RING_MSG_OK] = "good",
	    [RING_MSG_SHORT] = "short",
	    [RING_MSG_DUPLICATE] = "duplicate",
	    [RING_MSG_STALE] = "stale",
	    [RING_MSG_AHEAD] = "out of order",
	    [RING_MSG_WRONG_RUN] = "wrong run",
	    [RING_MSG_WRONG_ITERATION] = "wrong iteration",
	    [RING_MSG_CORRUPT] = "corrupt payload",
	};

	return (unsigned int)v < sizeof(names) / sizeof(names[0]) ? names[v] : "unknown";
}
