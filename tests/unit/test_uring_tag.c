// SPDX-License-Identifier: MIT
/* test_uring_tag - the ring's user_data tag: known bits, round trips, and what is not a tag. */
#include <stdint.h>

#include "lib/uring_tag.h"
#include "tests/unit/check.h"

/* test_known_bits - the layout of lib/uring_tag.h, bit by bit, for one master receive. */
static int test_known_bits(void)
{
	const struct uring_tag t = {
	    .run = 3, .iteration = 0x01020304, .hop = 2, .op = URING_OP_RECV};

	EXPECT(uring_tag_pack(&t) == 0x8000030102030422ull);
	return T_EXIT_PASS;
}

/* test_round_trip - every field comes back, flags included, at the edges of their ranges. */
static int test_round_trip(void)
{
	const struct uring_tag in[] = {
	    {.run = 0, .iteration = 0, .hop = 0, .op = URING_OP_SEND},
	    {.run = 0xffff, .iteration = UINT32_MAX, .hop = 15, .op = URING_OP_CONNECT},
	    {.iteration = 99, .hop = 1, .op = URING_OP_RECV, .warmup = true},
	    {.iteration = 7, .hop = 3, .op = URING_OP_SEND, .local = true},
	};
	struct uring_tag out;

	for (size_t i = 0; i < sizeof(in) / sizeof(in[0]); i++) {
		CHECK(uring_tag_unpack(uring_tag_pack(&in[i]), &out));
		EXPECT(out.run == in[i].run && out.iteration == in[i].iteration);
		EXPECT(out.hop == in[i].hop && out.op == in[i].op);
		EXPECT(out.warmup == in[i].warmup && out.local == in[i].local);
	}
	return T_EXIT_PASS;
}

/* test_cut_to_fields - a run past 16 bits wraps, and never spills into the flags. */
static int test_cut_to_fields(void)
{
	const struct uring_tag t = {.run = 0x12345, .iteration = 5, .hop = 1, .op = URING_OP_SEND};
	struct uring_tag out;

	CHECK(uring_tag_unpack(uring_tag_pack(&t), &out));
	EXPECT(out.run == 0x2345);
	EXPECT(!out.warmup && !out.local);
	return T_EXIT_PASS;
}

/* test_not_a_tag - older traces' user_data (the expected result: 4, 0) is no tag. */
static int test_not_a_tag(void)
{
	struct uring_tag out = {.run = 1};

	EXPECT(!uring_tag_unpack(4, &out));
	EXPECT(out.run == 0 && out.op == URING_OP_OTHER);
	EXPECT(!uring_tag_unpack(0, &out));
	return T_EXIT_PASS;
}

int main(void)
{
	static const struct check_case cases[] = {
	    CHECK_CASE(known_bits),
	    CHECK_CASE(round_trip),
	    CHECK_CASE(cut_to_fields),
	    CHECK_CASE(not_a_tag),
	};

	return CHECK_RUN(cases);
}
