// SPDX-License-Identifier: MIT
/* test_ring_msg - the ring message: encoding with known bytes, and every verdict of the check. */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "probes/ring_msg.h"
#include "tests/unit/check.h"

/* judge - encode @sent_it into a @size-byte message, receive @got_it, check against @sent_it. */
static enum ring_msg_verdict judge(unsigned int size, const struct probe_iteration *sent_it,
				   const struct probe_iteration *got_it, uint64_t last_seq)
{
	unsigned char sent[RING_MSG_MAX], got[RING_MSG_MAX];

	ring_msg_fill(sent, size);
	ring_msg_fill(got, size);
	ring_msg_encode(sent, size, sent_it);
	ring_msg_encode(got, size, got_it);
	return ring_msg_check(got, size, sent, size, sent_it, last_seq);
}

/* test_encode_known_bytes - the layout is little-endian seq, run, iteration. */
static int test_encode_known_bytes(void)
{
	const struct probe_iteration it = {.run = 2, .iteration = 7, .seq = 0x0102030405060708ULL};
	const unsigned char want16[16] = {8, 7, 6, 5, 4, 3, 2, 1, 2, 0, 0, 0, 7, 0, 0, 0};
	const unsigned char want4[4] = {8, 7, 6, 5};
	unsigned char buf[32];

	ring_msg_fill(buf, sizeof(buf));
	CHECK(buf[0] == 0xa5 && buf[1] == 0xa4 && buf[31] == (0xa5 ^ 31));
	ring_msg_encode(buf, 32, &it);
	CHECK(!memcmp(buf, want16, 16));
	CHECK(buf[16] == (0xa5 ^ 16));
	ring_msg_fill(buf, sizeof(buf));
	ring_msg_encode(buf, 4, &it);
	CHECK(!memcmp(buf, want4, 4));
	CHECK(buf[4] == (0xa5 ^ 4)); /* nothing written past the message */
	CHECK(ring_msg_header_size(4) == 4 && ring_msg_header_size(7) == 4);
	CHECK(ring_msg_header_size(8) == 8 && ring_msg_header_size(15) == 8);
	CHECK(ring_msg_header_size(16) == 16 && ring_msg_header_size(RING_MSG_MAX) == 16);
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

	ring_msg_fill(sent, 64);
	ring_msg_encode(sent, 64, &it);
	memcpy(got, sent, 64);
	CHECK(ring_msg_check(got, 63, sent, 64, &it, 41) == RING_MSG_SHORT);
	CHECK(ring_msg_check(got, 0, sent, 64, &it, 41) == RING_MSG_SHORT);
	CHECK(ring_msg_check(got, 64, sent, 64, &it, 41) == RING_MSG_OK);
	got[40] ^= 1;
	CHECK(ring_msg_check(got, 64, sent, 64, &it, 41) == RING_MSG_CORRUPT);
	CHECK(!strcmp(ring_msg_verdict_name(RING_MSG_CORRUPT), "corrupt payload"));
	CHECK(!strcmp(ring_msg_verdict_name(RING_MSG_AHEAD), "out of order"));
	return 0;
}

int main(void)
{
	static const struct check_case cases[] = {
	    CHECK_CASE(encode_known_bytes), CHECK_CASE(good),	      CHECK_CASE(wrong_run),
	    CHECK_CASE(duplicate),	    CHECK_CASE(out_of_order), CHECK_CASE(short_and_corrupt),
	};

	return CHECK_RUN(cases);
}
