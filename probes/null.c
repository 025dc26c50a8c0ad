// SPDX-License-Identifier: MIT
/*
 * null - the empty probe: nothing between the two stamps, so what it measures is the platform
 * itself (timer interrupts, preemption, the hypervisor) plus the cost of the stamps.
 */
#include "probes/probe.h"

/* null_iterate - an empty timed region; the barrier keeps the call from being optimized away. */
static int null_iterate(struct probe_ctx *ctx, const struct probe_iteration *it)
{
	__asm__ __volatile__("" ::: "memory");
	return 0;
}

/* null_setup - nothing to prepare, nothing started. */
static int null_setup(struct probe_ctx *ctx)
{
	ctx->npids = 0;
	return 0;
}

/* null_teardown - nothing to undo. */
static void null_teardown(struct probe_ctx *ctx)
{
}

const struct probe_ops probe_null = {
    .name = "null",
    .summary = "an empty timed region: the platform's own artifacts",
    .setup = null_setup,
    .iterate = null_iterate,
    .teardown = null_teardown,
};
