/* SPDX-License-Identifier: MIT */
/*
 * arch_uapi - for test_arch: lib/arch's syscall tables against the numbers of the kernel's own
 * headers. A file that includes those headers expands a table with ARCH_UAPI_ROW.
 */
#ifndef RS_TEST_ARCH_UAPI_H
#define RS_TEST_ARCH_UAPI_H

#include <stddef.h>

#include "lib/arch/arch.h"

/* arch_uapi_row - a syscall's name, its number here and in the kernel's header. */
struct arch_uapi_row {
	const char *name;
	long ours, kernel;
};

#define ARCH_UAPI_ROW(name, nr, cls) {#name, nr, __NR_##name},

/* arch_uapi_mismatches - rows of @a whose numbers or names differ, each printed. */
int arch_uapi_mismatches(const struct arch *a, const struct arch_uapi_row *rows, size_t n);

/*
 * arch_uapi_aarch64_mismatches - the same for the aarch64 table against the generic numbers
 * (in arch_uapi.c: they clash with the build machine's <asm/unistd.h>).
 */
int arch_uapi_aarch64_mismatches(void);

#endif
