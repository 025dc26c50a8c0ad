// SPDX-License-Identifier: MIT
/* ring_msg - encode the ring's message and judge the one that comes back. */
#include "probes/ring_msg.h"

#include <endian.h>
#include <errno.h>
#include <string.h>
#include <sys/random.h>

size_t ring_msg_header_size(unsigned int size)
{
	if (size >= 16)
		return 16;
	return size >= 8 ? 8 : 4;
}

/* splitmix64 - the next value of the stream at *@state (Steele, Lea, Flood 2014). */
static uint64_t splitmix64(uint64_t *state)
{
	uint64_t z = (*state += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

/* key_stream - the first @len bytes of @seed's stream into @out: mask, then pattern. */
static void key_stream(uint64_t seed, unsigned char *out, size_t len)
{
	uint64_t state = seed, v;
	size_t i;

	for (i = 0; i < len; i += sizeof(v)) {
		v = htole64(splitmix64(&state));
		memcpy(out + i, &v, len - i < sizeof(v) ? len - i : sizeof(v));
	}
}

void ring_msg_key_from(struct ring_msg_key *k, uint64_t seed)
{
	k->seed = seed;
	key_stream(seed, k->mask, sizeof(k->mask));
}

int ring_msg_key_random(struct ring_msg_key *k)
{
	uint64_t seed;

	if (getrandom(&seed, sizeof(seed), 0) != sizeof(seed))
		return -EIO;
	ring_msg_key_from(k, seed);
	return 0;
}

void ring_msg_fill(void *buf, unsigned int size, const struct ring_msg_key *k)
{
	key_stream(k->seed, buf, size); /* the header bytes are the mask: encode covers them */
}

/* masked - @n bytes of @src XORed with the key's mask into @dst. */
static void masked(unsigned char *dst, const void *src, size_t n, const struct ring_msg_key *k)
{
	const unsigned char *p = src;
	size_t i;

	for (i = 0; i < n; i++)
		dst[i] = p[i] ^ k->mask[i];
}

void ring_msg_encode(void *buf, unsigned int size, const struct probe_iteration *it,
		     const struct ring_msg_key *k)
{
	unsigned char hdr[16];
	uint64_t seq64 = htole64(it->seq);
	uint32_t seq32 = htole32((uint32_t)it->seq), run = htole32(it->run);
	uint32_t iter = htole32(it->iteration);

	if (size < 8) {
		memcpy(hdr, &seq32, 4);
	} else {
		memcpy(hdr, &seq64, 8);
		memcpy(hdr + 8, &run, 4);
		memcpy(hdr + 12, &iter, 4);
	}
	masked(buf, hdr, ring_msg_header_size(size), k);
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
				     uint64_t last_seq, const struct ring_msg_key *k)
{
	size_t hdr = ring_msg_header_size(size);
	enum ring_msg_verdict v;
	unsigned char p[16];
	uint64_t seq64;
	uint32_t seq32, run, iter;

	if (len < size)
		return RING_MSG_SHORT;
	masked(p, got, hdr, k);
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
	if (memcmp((const unsigned char *)got + hdr, (const unsigned char *)sent + hdr, size - hdr))
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
