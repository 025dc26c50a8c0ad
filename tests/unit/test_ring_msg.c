// SPDX-License-Identifier: MIT
/* test_ring_msg - the ring message: encoding with known bytes, and every verdict of the check. */
#include <endian.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "probes/ring_msg.h"
#include "tests/unit/check.h"

/* The key of these tests: known, so the bytes on the wire are known too. */
static struct ring_msg_key key;

/* judge - encode @sent_it into a @size-byte message, receive @got_it, check against @sent_it. */
static enum ring_msg_verdict judge(unsigned int size, const struct probe_iteration *sent_it,
				   const struct probe_iteration *got_it, uint64_t last_seq)
{
	unsigned char sent[RING_MSG_MAX], got[RING_MSG_MAX];

	ring_msg_fill(sent, size, &key);
	ring_msg_fill(got, size, &key);
	ring_msg_encode(sent, size, sent_it, &key);
	ring_msg_encode(got, size, got_it, &key);
	return ring_msg_check(got, size, sent, size, sent_it, last_seq, &key);
}

/* unmask - the header of @buf with the mask taken off, into @out. */
static void unmask(const unsigned char *buf, size_t n, unsigned char *out)
{
	size_t i;

	for (i = 0; i < n; i++)
		out[i] = buf[i] ^ key.mask[i];
}

/* test_encode_known_bytes - the layout under the mask is little-endian seq, run, iteration. */
static int test_encode_known_bytes(void)
{
	const struct probe_iteration it = {.run = 2, .iteration = 7, .seq = 0x0102030405060708ULL};
	const unsigned char want16[16] = {8, 7, 6, 5, 4, 3, 2, 1, 2, 0, 0, 0, 7, 0, 0, 0};
	const unsigned char want4[4] = {8, 7, 6, 5};
	unsigned char buf[32], pattern[32], hdr[16];

	ring_msg_fill(pattern, sizeof(pattern), &key);
	CHECK(!memcmp(pattern, key.mask, sizeof(key.mask))); /* the header's bytes are the mask */
	memcpy(buf, pattern, sizeof(buf));
	ring_msg_encode(buf, 32, &it, &key);
	unmask(buf, 16, hdr);
	CHECK(!memcmp(hdr, want16, 16));
	CHECK(!memcmp(buf + 16, pattern + 16, 16));
	memcpy(buf, pattern, sizeof(buf));
	ring_msg_encode(buf, 4, &it, &key);
	unmask(buf, 4, hdr);
	CHECK(!memcmp(hdr, want4, 4));
	CHECK(buf[4] == pattern[4]); /* nothing written past the message */
	CHECK(ring_msg_header_size(4) == 4 && ring_msg_header_size(7) == 4);
	CHECK(ring_msg_header_size(8) == 8 && ring_msg_header_size(15) == 8);
	CHECK(ring_msg_header_size(16) == 16 && ring_msg_header_size(RING_MSG_MAX) == 16);
	return 0;
}

/*
 * test_forged - a message made without the ring's key (another local user connecting to a
 * listening member, issue 13) is never good, not even with the right sequence number, run,
 * iteration and the unkeyed pattern; nor one made with another key.
 */
static int test_forged(void)
{
	const struct probe_iteration it = {.run = 1, .iteration = 5, .seq = 42};
	const unsigned int sizes[] = {4, 8, 16, 64, RING_MSG_MAX};
	unsigned char sent[RING_MSG_MAX], forged[RING_MSG_MAX];
	struct ring_msg_key other;
	uint64_t seq = htole64(it.seq);
	size_t i;

	ring_msg_key_from(&other, 0x5eed5eed5eed5eedULL);
	for (i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++) {
		ring_msg_fill(sent, sizes[i], &key);
		ring_msg_encode(sent, sizes[i], &it, &key);
		memset(forged, 0xa5, sizes[i]); /* the plain layout the old format used */
		memcpy(forged, &seq, sizes[i] < 8 ? 4 : 8);
		CHECK(ring_msg_check(forged, sizes[i], sent, sizes[i], &it, 41, &key) !=
		      RING_MSG_OK);
		ring_msg_fill(forged, sizes[i], &other);
		ring_msg_encode(forged, sizes[i], &it, &other);
		CHECK(ring_msg_check(forged, sizes[i], sent, sizes[i], &it, 41, &key) !=
		      RING_MSG_OK);
	}
	/* two random keys differ, and each keys its own pattern */
	CHECK(ring_msg_key_random(&other) == 0);
	ring_msg_fill(forged, 64, &other);
	ring_msg_fill(sent, 64, &key);
	CHECK(memcmp(forged, sent, 64));
	return 0;
}

/* test_good - the message that went round comes back: good, at every header size. */
static int test_good(void)
{
	const struct probe_iteration it = {.run = 1, .iteration = 5, .seq = 42};
	const unsigned int sizes[] = {4, 5, 8, 12, 16, 64, RING_MSG_MAX};
	size_t i;

	for (i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++) {
		CHECK(judge(sizes[i], &it, &it, UINT64_MAX) == RING_MSG_OK);
		CHECK(judge(sizes[i], &it, &it, 41) == RING_MSG_OK);
	}
	return 0;
}

/* test_wrong_run - right seq, another run or iteration: caught where the message has room. */
static int test_wrong_run(void)
{
	const struct probe_iteration it = {.run = 1, .iteration = 5, .seq = 42};
	const struct probe_iteration run = {.run = 0, .iteration = 5, .seq = 42};
	const struct probe_iteration iter = {.run = 1, .iteration = 4, .seq = 42};

	CHECK(judge(16, &it, &run, 41) == RING_MSG_WRONG_RUN);
	CHECK(judge(16, &it, &iter, 41) == RING_MSG_WRONG_ITERATION);
	CHECK(judge(8, &it, &run, 41) == RING_MSG_OK); /* 8 bytes carry only seq */
	return 0;
}

/* test_duplicate - the previous message again. */
static int test_duplicate(void)
{
	const struct probe_iteration it = {.run = 1, .iteration = 5, .seq = 42};
	const struct probe_iteration prev = {.run = 1, .iteration = 4, .seq = 41};

	CHECK(judge(4, &it, &prev, 41) == RING_MSG_DUPLICATE);
	CHECK(judge(16, &it, &prev, 41) == RING_MSG_DUPLICATE);
	CHECK(judge(16, &it, &prev, UINT64_MAX) == RING_MSG_STALE); /* no previous: just old */
	return 0;
}

/* test_out_of_order - older than expected (stale) or not sent yet (ahead), 32 and 64 bits. */
static int test_out_of_order(void)
{
	const struct probe_iteration it = {.run = 1, .iteration = 5, .seq = 42};
	const struct probe_iteration old = {.run = 1, .iteration = 2, .seq = 39};
	const struct probe_iteration ahead = {.run = 1, .iteration = 6, .seq = 43};
	const struct probe_iteration wrap_it = {.seq = 0x100000001ULL};
	const struct probe_iteration wrap_old = {.seq = 0xffffffffULL};

	CHECK(judge(4, &it, &old, 41) == RING_MSG_STALE);
	CHECK(judge(16, &it, &old, 41) == RING_MSG_STALE);
	CHECK(judge(4, &it, &ahead, 41) == RING_MSG_AHEAD);
	CHECK(judge(16, &it, &ahead, 41) == RING_MSG_AHEAD);
	/* 32-bit serial arithmetic: 0xffffffff is just before 0x1_00000001's low word 1 */
	CHECK(judge(4, &wrap_it, &wrap_old, UINT64_MAX) == RING_MSG_STALE);
	CHECK(judge(4, &wrap_old, &wrap_it, UINT64_MAX) == RING_MSG_AHEAD);
	return 0;
}

/* test_short_and_corrupt - fewer bytes than the size; a flipped payload byte. */
static int test_short_and_corrupt(void)
{
	const struct probe_iteration it = {.run = 1, .iteration = 5, .seq = 42};
	unsigned char sent[64], got[64];

	ring_msg_fill(sent, 64, &key);
	ring_msg_encode(sent, 64, &it, &key);
	memcpy(got, sent, 64);
	CHECK(ring_msg_check(got, 63, sent, 64, &it, 41, &key) == RING_MSG_SHORT);
	CHECK(ring_msg_check(got, 0, sent, 64, &it, 41, &key) == RING_MSG_SHORT);
	CHECK(ring_msg_check(got, 64, sent, 64, &it, 41, &key) == RING_MSG_OK);
	got[40] ^= 1;
	CHECK(ring_msg_check(got, 64, sent, 64, &it, 41, &key) == RING_MSG_CORRUPT);
	CHECK(!strcmp(ring_msg_verdict_name(RING_MSG_CORRUPT), "corrupt payload"));
	CHECK(!strcmp(ring_msg_verdict_name(RING_MSG_AHEAD), "out of order"));
	return 0;
}

int main(void)
{
	static const struct check_case cases[] = {
	    CHECK_CASE(encode_known_bytes),
	    CHECK_CASE(good),
	    CHECK_CASE(wrong_run),
	    CHECK_CASE(duplicate),
	    CHECK_CASE(out_of_order),
	    CHECK_CASE(short_and_corrupt),
	    CHECK_CASE(forged),
	};

	ring_msg_key_from(&key, 0x0123456789abcdefULL);
	return CHECK_RUN(cases);
}
