/* SPDX-License-Identifier: MIT */
/*
 * arch - what the numbers in a trace mean on the architecture that recorded it: syscall names
 * and classes from one table per architecture (syscalls_<arch>.h; liburing keeps src/arch/<arch>/,
 * libbpf-tools names syscalls in syscall_helpers.c), the kernel's softirq vectors, and the IPI
 * kinds the tracer times there. A trace is analysed anywhere, so the tables go by the trace's
 * PLATFORM "arch", never by the machine that reads it.
 */
#ifndef RINGSCOPE_ARCH_H
#define RINGSCOPE_ARCH_H

#include <stddef.h>
#include <stdint.h>

#include "lib/arch/syscall_class.h"

struct json_object;

/* arch_syscall - one row of a syscall table. */
struct arch_syscall {
	uint32_t nr;
	uint32_t cls; /* ARCH_SC_* bits */
	const char *name;
};

/* arch - the tables of one architecture. */
struct arch {
	const char *machine;		     /* as uname(2) says it: "x86_64", "aarch64" */
	const struct arch_syscall *syscalls; /* in increasing nr */
	size_t nsyscalls;
	const char *const *ipi_names; /* by enum tracer_ipi; none where the tracer times no IPIs */
	size_t nipi;
};

extern const struct arch arch_x86_64;
extern const struct arch arch_aarch64;
/* arch_unknown - a machine without tables here: syscalls are numbers, and only the fd kind the
 * tracer recorded classifies them. */
extern const struct arch arch_unknown;

/* arch_find - the tables of the machine uname(2) calls @machine, or NULL. */
const struct arch *arch_find(const char *machine);

/*
 * arch_of_platform - the architecture that recorded a trace, from its PLATFORM object's "arch":
 * x86_64 when @platform or its "arch" is absent (the traces from before "arch" was recorded all
 * came from x86_64 machines), arch_unknown for a machine without tables here.
 */
const struct arch *arch_of_platform(struct json_object *platform);

/* arch_syscall_name - the name of syscall @nr on @a ("write"), or NULL outside its table. */
const char *arch_syscall_name(const struct arch *a, uint64_t nr);

/* arch_syscall_class - the ARCH_SC_* bits of syscall @nr on @a; 0 outside its table. */
unsigned int arch_syscall_class(const struct arch *a, uint64_t nr);

/* arch_ipi_name - the IPI kind @kind (enum tracer_ipi) as @a's handlers call it, or "?". */
const char *arch_ipi_name(const struct arch *a, uint64_t kind);

/*
 * The kernel's softirq vectors (include/linux/interrupt.h): one list for every architecture,
 * so they take no struct arch.
 */
enum arch_softirq {
	ARCH_SOFTIRQ_HI,
	ARCH_SOFTIRQ_TIMER,
	ARCH_SOFTIRQ_NET_TX,
	ARCH_SOFTIRQ_NET_RX,
	ARCH_SOFTIRQ_BLOCK,
	ARCH_SOFTIRQ_IRQ_POLL,
	ARCH_SOFTIRQ_TASKLET,
	ARCH_SOFTIRQ_SCHED,
	ARCH_SOFTIRQ_HRTIMER,
	ARCH_SOFTIRQ_RCU,
	ARCH_NR_SOFTIRQS,
};

/* arch_softirq_name - "NET_RX" for vector 3, ...; "?" for one the kernel does not have. */
const char *arch_softirq_name(uint64_t vec);

/* arch_softirq_is_network - NET_TX or NET_RX: packets sent or received. */
int arch_softirq_is_network(uint64_t vec);

#endif
