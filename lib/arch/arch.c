// SPDX-License-Identifier: MIT
/* arch - the per-architecture syscall and IPI tables, the softirq vectors, and their lookups. */
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include "lib/arch/arch.h"
#include "lib/arch/syscalls_aarch64.h"
#include "lib/arch/syscalls_x86_64.h"
#include "lib/trace/trace_event.h"

#define ARCH_ROW(name, nr, cls) {nr, cls, #name},
#define ARCH_LEN(a)		(sizeof(a) / sizeof((a)[0]))

static const struct arch_syscall arch_x86_64_syscalls[] = {ARCH_SYSCALLS_X86_64(ARCH_ROW)};
static const struct arch_syscall arch_aarch64_syscalls[] = {ARCH_SYSCALLS_AARCH64(ARCH_ROW)};

/* The x86 irq_vectors handlers the tracer times (bpf/tracer.bpf.c): x86_64 only. */
static const char *const arch_x86_64_ipis[] = {
    [TRACER_IPI_LOCAL_TIMER] = "local_timer",
    [TRACER_IPI_RESCHEDULE] = "reschedule",
    [TRACER_IPI_CALL_FUNCTION] = "call_function",
    [TRACER_IPI_CALL_FUNCTION_SINGLE] = "call_function_single",
};

const struct arch arch_x86_64 = {
    .machine = "x86_64",
    .syscalls = arch_x86_64_syscalls,
    .nsyscalls = ARCH_LEN(arch_x86_64_syscalls),
    .ipi_names = arch_x86_64_ipis,
    .nipi = ARCH_LEN(arch_x86_64_ipis),
};

const struct arch arch_aarch64 = {
    .machine = "aarch64",
    .syscalls = arch_aarch64_syscalls,
    .nsyscalls = ARCH_LEN(arch_aarch64_syscalls),
};

const struct arch arch_unknown = {.machine = "unknown"};

static const char *const arch_softirq_names[ARCH_NR_SOFTIRQS] = {
    "HI", "TIMER", "NET_TX", "NET_RX", "BLOCK", "IRQ_POLL", "TASKLET", "SCHED", "HRTIMER", "RCU"};

const struct arch *arch_find(const char *machine)
{
	static const struct arch *const all[] = {&arch_x86_64, &arch_aarch64};
	size_t i;

	for (i = 0; machine && i < ARCH_LEN(all); i++)
		if (!strcmp(machine, all[i]->machine))
			return all[i];
	return NULL;
}

const struct arch *arch_of_platform(struct json_object *platform)
{
	struct json_object *v;
	const struct arch *a;

	if (!platform || !json_object_object_get_ex(platform, "arch", &v))
		return &arch_x86_64;
	a = arch_find(json_object_get_string(v));
	return a ? a : &arch_unknown;
}

static int arch_cmp_nr(const void *key, const void *row)
{
	uint64_t nr = *(const uint64_t *)key;
	uint32_t have = ((const struct arch_syscall *)row)->nr;

	return nr < have ? -1 : nr > have;
}

/* arch_syscall_find - the row of syscall @nr on @a, or NULL. */
static const struct arch_syscall *arch_syscall_find(const struct arch *a, uint64_t nr)
{
	if (!a->nsyscalls)
		return NULL;
	return bsearch(&nr, a->syscalls, a->nsyscalls, sizeof(a->syscalls[0]), arch_cmp_nr);
}

const char *arch_syscall_name(const struct arch *a, uint64_t nr)
{
	const struct arch_syscall *s = arch_syscall_find(a, nr);

	return s ? s->name : NULL;
}

unsigned int arch_syscall_class(const struct arch *a, uint64_t nr)
{
	const struct arch_syscall *s = arch_syscall_find(a, nr);

	return s ? s->cls : 0;
}

const char *arch_ipi_name(const struct arch *a, uint64_t kind)
{
	return kind < a->nipi && a->ipi_names[kind] ? a->ipi_names[kind] : "?";
}

const char *arch_softirq_name(uint64_t vec)
{
	return vec < ARCH_NR_SOFTIRQS ? arch_softirq_names[vec] : "?";
}

int arch_softirq_is_network(uint64_t vec)
{
	return vec == ARCH_SOFTIRQ_NET_TX || vec == ARCH_SOFTIRQ_NET_RX;
}
