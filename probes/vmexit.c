// SPDX-License-Identifier: MIT
/*
 * vmexit - one CPUID (leaf 0) per iteration: an instruction every hypervisor must trap, so its
 * latency less the null probe's is the cost of one VM exit and return on this platform (on bare
 * metal, CPUID's own ~100 cycles). Attribution multiplies the exits a spike holds beyond the
 * usual (MSR-write and HLT proxies) by it (docs/attribution.md, "VM exits").
 */
#include <errno.h>
#include <stdio.h>

#include "probes/probe.h"

#if defined(__x86_64__) || defined(__i386__)
#include <cpuid.h>

/* vmexit_iterate - CPUID leaf 0 (the vendor): serializing, and a trap under any hypervisor. */
static int vmexit_iterate(struct probe_ctx *ctx, const struct probe_iteration *it)
{
	unsigned int a, b, c, d;

	__cpuid(0, a, b, c, d);
	__asm__ __volatile__("" : : "r"(a), "r"(b), "r"(c), "r"(d) : "memory");
	return 0;
}
#else
static int vmexit_iterate(struct probe_ctx *ctx, const struct probe_iteration *it)
{
	return -ENOTSUP;
}
#endif

/* vmexit_validate - refused before anything starts where there is no CPUID. */
static int vmexit_validate(const struct probe_config *cfg, char *err, size_t errlen)
{
#if defined(__x86_64__) || defined(__i386__)
	return 0;
#else
	snprintf(err, errlen, "the vmexit probe executes CPUID, which only x86 has");
	return -EINVAL;
#endif
}

/* vmexit_setup - nothing to prepare, nothing started. */
static int vmexit_setup(struct probe_ctx *ctx)
{
	ctx->npids = 0;
	return 0;
}

/* vmexit_teardown - nothing to undo. */
static void vmexit_teardown(struct probe_ctx *ctx)
{
}

const struct probe_ops probe_vmexit = {
    .name = "vmexit",
    .summary = "one CPUID per iteration: the cost of a VM exit and return (x86)",
    .validate = vmexit_validate,
    .setup = vmexit_setup,
    .iterate = vmexit_iterate,
    .teardown = vmexit_teardown,
};
